using Tfb.Stations.SheetTest;

namespace Tfb.Firmware.Tests.Stations.SheetTest;

public class SheetBinningTests
{
    // A 5 x 5 unformed sheet of healthy values with a little spread.
    private static SheetTable Sheet()
    {
        var t = new SheetTable();
        t.Reset(5, 5);
        t.Formed = false;
        for (int k = 0; k < SheetTests.Count; k++) { t.LimitLo[k] = double.NaN; t.LimitHi[k] = double.NaN; }
        t.LimitHi[SheetTests.Contact] = 20;
        t.LimitHi[SheetTests.Leakage] = 1e-6;
        t.LimitLo[SheetTests.Z3] = 1000;
        for (int c = 0; c < 25; c++)
        {
            t.Order[c] = (short)c;
            t.Tested[c] = true;
            t.ContactOhm[c] = 1.5f;
            t.LeakageA[c] = 1e-10f;
            double d = ((c * 7) % 11 - 5) / 5.0; // -1..1
            t.ZOhm[c * 3] = (float)(65 + d);
            t.ZOhm[c * 3 + 1] = (float)(85 + d);
            t.ZOhm[c * 3 + 2] = (float)(3900 + 20 * d);
            t.ZDeg[c * 3 + 2] = -84f;
        }
        t.SiteCount = 25;
        return t;
    }

    [Fact]
    public void HealthySheet_AllGood_CountsAddUp()
    {
        var t = Sheet();
        new SheetBinning().RunAll(t, new BinningParameters());
        Assert.Equal(25, t.BinCounts[1] + t.BinCounts[2]);
        Assert.Equal(25, t.BinCounts.Sum());
    }

    [Fact]
    public void Causes_MapToTheirBins_FirstFailingCheckWins()
    {
        var t = Sheet();
        t.ContactOhm[0] = 1e9f;          // open
        t.ContactOhm[1] = 50f;           // high contact
        t.LeakageA[2] = 5e-6f;           // short (leakage)
        t.ZOhm[3 * 3 + 2] = 300f;        // resistive short at 10 Hz
        t.ContactOhm[4] = 50f; t.LeakageA[4] = 5e-6f; // contact first
        t.ZDeg[20 * 3 + 2] = -20f;       // blocking tail missing
        t.ZOhm[24 * 3] = 90f;            // far outside the sheet's |Z1| spread: dynamic fail
        t.SoftBin[12] = SoftBins.Excluded;
        new SheetBinning().RunAll(t, new BinningParameters());
        Assert.Equal(SoftBins.ContactOpen, t.SoftBin[0]);
        Assert.Equal(5, t.HardBin[0]);
        Assert.Equal(SoftBins.ContactHigh, t.SoftBin[1]);
        Assert.Equal(SoftBins.Leakage, t.SoftBin[2]);
        Assert.Equal(4, t.HardBin[2]);
        Assert.Equal(SoftBins.LowZ3, t.SoftBin[3]);
        Assert.Equal(SoftBins.ContactHigh, t.SoftBin[4]);
        Assert.Equal(SoftBins.Shape, t.SoftBin[20]);
        Assert.Equal(8, t.HardBin[20]);
        Assert.Equal(SoftBins.ZDynamic, t.SoftBin[24]);
        Assert.Equal(SiteFlags.DynamicFail, t.Flags[24] & SiteFlags.DynamicFail);
        Assert.Equal(9, t.HardBin[12]);
        Assert.Equal(25, t.BinCounts.Sum());
    }

    [Fact]
    public void GoodCell_WithThreeFailingNeighbours_IsDowngradedToB()
    {
        var t = Sheet();
        // Centre (2,2) = 12; fail three of its neighbours.
        t.LeakageA[6] = 1e-3f;
        t.LeakageA[7] = 1e-3f;
        t.LeakageA[8] = 1e-3f;
        new SheetBinning().RunAll(t, new BinningParameters());
        Assert.Equal(SoftBins.NeighbourDowngrade, t.SoftBin[12]);
        Assert.Equal(2, t.HardBin[12]);
        Assert.Equal(SiteFlags.Downgraded, t.Flags[12] & SiteFlags.Downgraded);
        // (0,4) = 20 has no failing neighbour: unchanged.
        Assert.NotEqual(SoftBins.NeighbourDowngrade, t.SoftBin[20]);
    }

    [Fact]
    public void RobustStatistics_MedianAndIqr_IgnoreFailedCells()
    {
        var t = Sheet();
        t.LeakageA[0] = 1e-3f;
        t.ZOhm[0] = 1e6f; // a failed cell's value must not move the median
        var b = new SheetBinning();
        b.RunAll(t, new BinningParameters());
        var z1 = Enumerable.Range(1, 24).Select(c => (double)t.ZOhm[c * 3]).Order().ToArray();
        Assert.Equal(z1[12] * 0.5 + z1[11] * 0.5, b.Median(1), 4);
    }

    [Fact]
    public void ShellSort_Sorts()
    {
        var rnd = new Random(1);
        var a = Enumerable.Range(0, 1000).Select(_ => (float)rnd.NextDouble()).ToArray();
        SheetBinning.ShellSort(a, 1000);
        for (int i = 1; i < 1000; i++) Assert.True(a[i - 1] <= a[i]);
    }

    [Fact]
    public void InvertedLimits_AreFound()
    {
        var p = new SheetParameters();
        for (int k = 0; k < SheetTests.Count; k++) { p.LimitLo[k] = double.NaN; p.LimitHi[k] = double.NaN; }
        Assert.Equal(-1, p.FirstInvertedLimit());
        p.LimitLo[SheetTests.Z2] = 500;
        p.LimitHi[SheetTests.Z2] = 400;
        Assert.Equal(SheetTests.Z2, p.FirstInvertedLimit());
    }
}
