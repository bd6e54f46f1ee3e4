using Tfb.Codes;
using Tfb.Stations.Web;

namespace Tfb.VirtualLine.Tests.Web;

public class WebLineTests
{
    [Fact]
    public void ThreadRunAndStop_HoldsTensionAndSpeed_AndThePermitFollowsTheWeb()
    {
        var rig = new WebRig();
        Assert.Equal(WebState.Idle, rig.C.State);
        Assert.Equal(0, rig.Signal("wire.web_ok"));
        rig.ThreadAndRun();
        Assert.Equal(1, rig.Signal("wire.web_ok"));
        Assert.True(rig.Until(() => rig.C.SpeedRefMps == rig.C.SpeedSetpointMps, 30), "at speed");
        rig.Seconds(3);
        double t1 = rig.Signal("web.span1.tensionN"), t2 = rig.Signal("web.span2.tensionN");
        Assert.InRange(t1, 294, 306);
        Assert.InRange(t2, 294, 306);
        Assert.InRange(rig.Signal("web.drum.speedMps") * 60, 0.999, 1.001);

        rig.Type("web stop");
        Assert.True(rig.Until(() => rig.C.State == WebState.Thread, 30));
        Assert.Equal(0, rig.Signal("wire.web_ok"));
        rig.Seconds(0.5);
        Assert.True(rig.Signal("web.drum.speedMps") < 1e-6);
        Assert.InRange(rig.Signal("web.span1.tensionN"), 90, 310); // threading hold, ramping down to 100 N
        Assert.Equal(0, rig.Board.Runtime.Alarms.ActiveCount);
    }
}

[Collection("allocation")]
public class WebScanAllocationTests
{
    [Fact]
    public void WebBoardScans_AllocateNothing_ThroughThreadRunAndAWebBreak()
    {
        // Only the scans are measured (the plant step between them is the simulator's). Commands are queued
        // before the measured scans run them; the console's own work happens outside them.
        var rig = new WebRig();
        rig.Login();
        // Warm-up through every path once (JIT, first-time paths): thread, run, a break, its reset.
        rig.Type("web thread", 50);
        rig.Type("web run", 300);
        rig.Line.Plant.Faults.Inject("web.span1", "break", rig.Line.Plant.TimeS);
        rig.Seconds(3);
        rig.Line.Plant.Faults.Clear("web.span1", rig.Line.Plant.TimeS);
        rig.Type("web reset", 10);
        Assert.Equal(Tfb.Stations.Web.WebState.Idle, rig.C.State);
        rig.Type("web thread", 50);
        rig.Type("web run", 10);
        var board = rig.Board;
        long allocated = 0;
        int scans = 0;
        for (int i = 0; i < 4000; i++)
        {
            if (i == 3000) rig.Line.Plant.Faults.Inject("web.span2", "break", rig.Line.Plant.TimeS);
            rig.Line.Clock.Advance(rig.Line.Options.PeriodUs);
            rig.Line.Plant.Step(rig.Line.Options.PeriodUs / 1e6);
            long before = GC.GetAllocatedBytesForCurrentThread();
            scans += board.RunDueScans();
            long d = GC.GetAllocatedBytesForCurrentThread() - before;
            if (d != 0) Console.WriteLine($"scan {i}: {d} bytes state={rig.C.State}");
            allocated += d;
        }
        Assert.Equal(4000, scans);
        Assert.True(rig.C.Faults != 0 && rig.C.State == Tfb.Stations.Web.WebState.FaultStop, "the run reached its break");
        Assert.Equal(0, allocated);
    }
}

public class WebScenarioTests
{
    [Fact]
    public void WebScenario_ThreadRunSpliceStepStop_Passes()
    {
        var s = Tfb.Plant.Scenarios.ScenarioParser.ParseFile(Repo.Scenario("web.scn"));
        var r = ScenarioRun.Execute(s, Repo.LineBoards, 0, CancellationToken.None);
        Assert.Null(r.Invalid);
        Assert.True(r.Report!.Passed, r.Report.ToText());
    }
}

public class WebManualTests
{
    [Fact]
    public void ManualAndBack_IsBumpless_AndManualTorqueMovesTheTension()
    {
        var rig = new WebRig();
        rig.ThreadAndRun();
        Assert.True(rig.Until(() => rig.C.SpeedRefMps == rig.C.SpeedSetpointMps, 30), "at speed");
        rig.Seconds(1);
        double before = rig.C.UnwindTorqueNm;
        rig.Type("web manual on", 1);
        Assert.True(rig.C.Manual);
        Assert.Equal(before, rig.C.UnwindTorqueNm, 0.2); // no jump into manual
        rig.Type($"web torque {(before + 1.5).ToString("F3", System.Globalization.CultureInfo.InvariantCulture)} {rig.C.RewindTorqueNm.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}");
        rig.Seconds(2);
        Assert.DoesNotContain("error", rig.Board.ScenarioLink.Output);
        // 1.5 N m less braking on a ~150 mm roll: about 10 N less tension on span 1.
        Assert.InRange(rig.Signal("web.span1.tensionN"), 285, 295);
        double manualTorque = rig.C.UnwindTorqueNm;
        rig.Type("web manual off", 1);
        Assert.False(rig.C.Manual);
        Assert.Equal(manualTorque, rig.C.UnwindTorqueNm, 0.3); // no jump back to automatic
        rig.Seconds(3);
        Assert.InRange(rig.Signal("web.span1.tensionN"), 298, 302); // the trim brings it back
    }
}
