using Tfb.Codes;
using Tfb.Plant.Models;
using Tfb.Stations.SheetTest;

namespace Tfb.VirtualLine.Tests.SheetTest;

public class SheetLineTests
{
    [Fact]
    public void SmallSheet_IsTestedEndToEnd_AndEveryCellIsBinned()
    {
        var rig = new SheetRig();
        SheetTable? done = null;
        rig.Module.Sequencer.SheetCompleted = t => done = t;
        rig.Start();
        Assert.True(rig.StepUntil(() => done != null, 30), rig.Module.GetStatus());
        Assert.Equal(12, done!.SitesTested);
        Assert.Equal(12, done.BinCounts.Sum());
        var truth = rig.Plant.CurrentSheet;
        for (int c = 0; c < 12; c++)
        {
            var cell = truth.Cells[c];
            if (cell.Defect != SheetDefect.None) continue;
            for (int k = 0; k < 3; k++)
            {
                var z = truth.Impedance(cell, done.FrequencyHz[k]);
                Assert.InRange(done.ZOhm[c * 3 + k] / z.Magnitude, 0.995, 1.005);
            }
        }
    }
}
