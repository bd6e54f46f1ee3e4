using Tfb.Codes;
using Tfb.Plant.Models;
using Tfb.Stations.SheetTest;

namespace Tfb.VirtualLine.Tests.SheetTest;

/// <summary>The sheet-test station on the virtual line, on small grids (the full sheet is the benchmark's).</summary>
[Collection("allocation")]
public class SheetLineTests
{
    [Fact]
    public void SmallSheet_IsTestedEndToEnd_ImpedanceWithinHalfAPercentOfTheCircuit()
    {
        var rig = new SheetRig();
        SheetTable? done = null;
        rig.Module.Sequencer.SheetCompleted = t => done = t;
        rig.Start();
        Assert.True(rig.StepUntil(() => done != null, 30), rig.Module.GetStatus());
        Assert.Equal(12, done!.SitesTested);
        Assert.Equal(12, done.BinCounts.Sum());
        var truth = rig.Plant.CurrentSheet;
        int healthy = 0;
        for (int c = 0; c < 12; c++)
        {
            var cell = truth.Cells[c];
            if (cell.Defect != SheetDefect.None) continue;
            healthy++;
            for (int k = 0; k < 3; k++)
            {
                var z = truth.Impedance(cell, done.FrequencyHz[k]);
                Assert.InRange(done.ZOhm[c * 3 + k] / z.Magnitude, 0.995, 1.005);
                Assert.InRange(done.ZDeg[c * 3 + k] - z.Phase * 180 / Math.PI, -0.5, 0.5);
            }
            Assert.InRange(done.LeakageA[c], -5e-8, 5e-8); // converter offset and noise; the limit is 1 uA
            Assert.InRange(done.ContactOhm[c], cell.ContactOhm - 0.5, cell.ContactOhm + 0.5);
        }
        Assert.True(healthy >= 8);
        // The clamp opened and the loader swapped the sheet.
        Assert.Equal(0, rig.Line.Plant.Bus.Read("sheettest.fixture.clampCmd"));
        Assert.Equal(0, rig.Plant.MakeBeforeBreakRefusals);
    }

    [Fact]
    public void FormedSheet_OcvWithinATenthOfAMillivolt()
    {
        var rig = new SheetRig(formed: true);
        SheetTable? done = null;
        rig.Module.Sequencer.SheetCompleted = t => done = t;
        rig.Start();
        Assert.True(rig.StepUntil(() => done != null, 30), rig.Module.GetStatus());
        var truth = rig.Plant.CurrentSheet;
        for (int c = 0; c < 12; c++)
        {
            var cell = truth.Cells[c];
            if (cell.Defect is SheetDefect.Open or SheetDefect.HighContact) continue;
            double hours = (done!.TimeMs[c] - done.StartMs) / 3.6e6; // measured moments after the load
            Assert.InRange(done.OcvV[c] - truth.Ocv(cell, hours), -1e-4, 1e-4);
        }
    }

    [Fact]
    public void Scans_AllocateNothing_WhileSheetsAreTested()
    {
        var rig = new SheetRig(cols: 3, rows: 2);
        rig.Start(sheets: 0);
        var boards = rig.Line.Boards.ToArray();
        for (int i = 0; i < 200; i++) rig.Line.Step(); // warm-up: JIT, first-time paths
        long allocated = 0;
        int before0 = rig.Module.Sequencer.SheetsDone;
        for (int i = 0; i < 1500; i++)
        {
            rig.Line.Clock.Advance(rig.Line.Options.PeriodUs);
            rig.Line.Plant.Step(rig.Line.Options.PeriodUs / 1e6);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < boards.Length; k++) boards[k].RunDueScans();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        // Sheets started, measured, binned and the next one loaded inside the measured window.
        Assert.True(rig.Module.Sequencer.SheetsDone - before0 >= 2, rig.Module.GetStatus());
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void PauseAndResume_LoseNoSite_AndTheInterruptedSiteIsMeasuredAgain()
    {
        var rig = new SheetRig();
        SheetTable? done = null;
        rig.Module.Sequencer.SheetCompleted = t => done = t;
        rig.Start();
        Assert.True(rig.StepUntil(() => rig.Module.Sequencer.LastSiteSeq >= 3, 30));
        rig.StepUntil(() => false, 0.15); // in the middle of site 5
        rig.Module.Sequencer.RequestPause();
        rig.StepUntil(() => false, 2);
        Assert.Equal(SequencerState.Paused, rig.Module.Sequencer.State);
        int seqAtPause = rig.Module.Sequencer.LastSiteSeq;
        rig.StepUntil(() => false, 2);
        Assert.Equal(seqAtPause, rig.Module.Sequencer.LastSiteSeq);
        rig.Module.Sequencer.RequestResume();
        Assert.True(rig.StepUntil(() => done != null, 30));
        Assert.Equal(12, done!.SitesTested);
        for (int s = 0; s < 12; s++) Assert.True(done.Tested[done.Order[s]]);
        Assert.Equal(12, done.BinCounts.Sum());
    }

    [Fact]
    public void EveryCellOpen_PausesWithContactLoss_KeepsEverySite_AndBinsThemOpen()
    {
        var rig = new SheetRig(sheet: new SheetConfig { OpenProbability = 1, ShortDensityPerCm2 = 0, HighContactProbability = 0 });
        rig.Set("sheet.maxConsecutiveOpen", "5");
        SheetTable? done = null;
        rig.Module.Sequencer.SheetCompleted = t => done = t;
        rig.Start();
        Assert.True(rig.StepUntil(() => rig.Module.Sequencer.State == SequencerState.Paused, 30));
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.SheetContactLoss));
        Assert.Equal(4, rig.Module.Sequencer.LastSiteSeq); // five sites measured, none dropped
        // Resume is refused while the alarm stands; the operator resets it, then resumes.
        rig.Type("login technician");
        rig.Type("tfb-tech");
        rig.Type("sheet resume");
        Assert.Contains("error:13", rig.Board.ScenarioLink.Output);
        Assert.True(rig.Module.TryResetAlarm((int)AlarmCode.SheetContactLoss, out _));
        rig.Type("sheet resume");
        rig.Set("sheet.maxConsecutiveOpen", "1000");
        rig.Module.Sequencer.RequestAbort();
        Assert.True(rig.StepUntil(() => done != null, 30));
        Assert.True(done!.SitesTested >= 5);
        for (int s = 0; s < done.SitesTested; s++) Assert.Equal(5, done.HardBin[done.Order[s]]);
        Assert.Equal(12, done.BinCounts.Sum());
        Assert.Equal(12 - done.SitesTested, done.BinCounts[9]);
    }

    [Fact]
    public void FrontEndStopsAnswering_AlarmAndStop_MeasuredSitesKept_ResetOnlyOnceItAnswers()
    {
        var rig = new SheetRig();
        SheetTable? done = null;
        rig.Module.Sequencer.SheetCompleted = t => done = t;
        rig.Start();
        Assert.True(rig.StepUntil(() => rig.Module.Sequencer.LastSiteSeq >= 2, 30));
        rig.Line.Plant.Faults.Inject("sheettest.afe", "mute", rig.Line.Plant.TimeS);
        Assert.True(rig.StepUntil(() => done != null, 5));
        Assert.Equal(SequencerState.Faulted, rig.Module.Sequencer.State);
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.SheetFrontEndNotResponding));
        Assert.True(done!.Aborted);
        Assert.InRange(done.SitesTested, 3, 4);
        Assert.Equal(12, done.BinCounts.Sum());
        for (int s = done.SitesTested; s < 12; s++) Assert.Equal(SoftBins.NotTested, done.SoftBin[done.Order[s]]);
        Assert.Equal(0, rig.Line.Plant.Bus.Read("sheettest.fixture.clampCmd"));

        rig.StepUntil(() => false, 1);
        Assert.False(rig.Module.TryResetAlarm((int)AlarmCode.SheetFrontEndNotResponding, out var error));
        Assert.Equal(ErrorCode.ConditionPresent, error);
        Assert.False(rig.Module.TryStart(1, null, null, null, null, out error, out _));
        Assert.Equal(ErrorCode.FrontEndNotResponding, error);

        rig.Line.Plant.Faults.Clear("sheettest.afe", rig.Line.Plant.TimeS);
        rig.StepUntil(() => false, 1);
        Assert.True(rig.Module.TryResetAlarm((int)AlarmCode.SheetFrontEndNotResponding, out _));
        Assert.True(rig.StepUntil(() => rig.Module.Sequencer.State == SequencerState.Idle, 2));
    }

    [Fact]
    public void BadStartRequests_AreRefusedWithStableCodes_AndChangeNothing()
    {
        var rig = new SheetRig();
        rig.Type("login technician");
        rig.Type("tfb-tech");
        rig.Type("sheet start 0 0 4 2"); // x1 = 4 is outside a 4-column sheet
        Assert.Contains("error:260", rig.Board.ScenarioLink.Output);
        rig.Type("sheet start 1 3 0 0 0"); // empty window
        Assert.Equal(3, rig.Board.ScenarioLink.Output.Split("error:260").Length);
        rig.Type("sheet start -1");
        Assert.Contains("error:3", rig.Board.ScenarioLink.Output);
        rig.Type("settings set sheet.lim.ocvVLo 4.3"); // above ocvVHi 4.25
        rig.Type("sheet start");
        Assert.Contains("error:261 limits inverted: OCV V", rig.Board.ScenarioLink.Output);
        rig.StepUntil(() => false, 0.5);
        Assert.Equal(SequencerState.Idle, rig.Module.Sequencer.State);
        Assert.Equal(-1, rig.Module.Sequencer.LastSiteSeq);
        Assert.Equal(0, rig.Line.Plant.Bus.Read("sheettest.fixture.clampCmd"));

        rig.Type("settings set sheet.lim.ocvVLo 3.9");
        rig.Type("sheet start 1 1 1 1 2"); // one sheet, cells (1,1) and (1,2)
        Assert.True(rig.StepUntil(() => rig.Module.Sequencer.SheetsDone == 1, 30));
        rig.Type("sheet bins");
        Assert.Contains("sites=2 bins=", rig.Board.ScenarioLink.Output);
    }

    [Fact]
    public void SafeState_OpensTheMuxAndStopsTheSource_AndTheSheetWaitsForADeliberateResume()
    {
        var rig = new SheetRig();
        SheetTable? done = null;
        rig.Module.Sequencer.SheetCompleted = t => done = t;
        rig.Start();
        Assert.True(rig.StepUntil(() => rig.Module.Sequencer.LastSiteSeq >= 1, 30));
        rig.StepUntil(() => false, 0.1);
        rig.Module.Sequencer.EnterSafeState(); // what the executive calls on a trip
        var r = new byte[8];
        rig.Plant.SpiTransfer(new byte[] { 0x40, 0, 0, 0, 0, 0, 0, 0 }, r, 8);
        Assert.Equal(0, r[3]);                 // nothing selected
        Assert.Equal(0, r[6]);                 // source off
        Assert.Equal(0, rig.Plant.SampleRateHz);
        Assert.Equal(SequencerState.Paused, rig.Module.Sequencer.State);
        rig.StepUntil(() => false, 3);
        Assert.Equal(SequencerState.Paused, rig.Module.Sequencer.State); // nothing restarts by itself
        rig.Module.Sequencer.RequestResume();
        Assert.True(rig.StepUntil(() => done != null, 30));
        Assert.Equal(12, done!.SitesTested);
    }

    [Fact]
    public void GridLargerThanTheFixture_MissingCellsAreBinnedNineAndTheSheetCompletes()
    {
        var rig = new SheetRig();          // the fixture holds 4 x 3
        rig.Set("sheet.cols", "5");        // the program says 5 x 3
        SheetTable? done = null;
        rig.Module.Sequencer.SheetCompleted = t => done = t;
        rig.Start();
        Assert.True(rig.StepUntil(() => done != null, 30), rig.Module.GetStatus());
        Assert.Equal(15, done!.BinCounts.Sum());
        Assert.Equal(3, rig.Module.Sequencer.RefusedSelects);
        for (int y = 0; y < 3; y++) Assert.Equal(SoftBins.MeasurementFailed, done.SoftBin[y * 5 + 4]);
        Assert.False(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.SheetFrontEndNotResponding));
    }
}
