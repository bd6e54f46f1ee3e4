using Tfb.Stations.SheetTest;

namespace Tfb.Firmware.Tests.Stations.SheetTest;

/// <summary>The OCV decimation: exact DC, and mains pickup rejected with double nulls on an even cycle count.</summary>
public class DcAveragerTests
{
    private const int PerCycle = 64;

    private static int[] Pickup(double mainsHz, double phase, int cycles, int dcCode, double amplitude)
    {
        var s = new int[2 * cycles * PerCycle];
        for (int k = 0; k < cycles * PerCycle; k++)
        {
            s[2 * k] = dcCode + (int)Math.Round(amplitude * Math.Sin(2 * Math.PI * mainsHz * k / (50.0 * PerCycle) + phase));
            s[2 * k + 1] = -dcCode;
        }
        return s;
    }

    private static double Worst(double mainsHz, bool mains, int cycles)
    {
        double worst = 0;
        for (int ph = 0; ph < 32; ph++)
        {
            var s = Pickup(mainsHz, ph * Math.PI / 16, cycles, 0, 1e6);
            var dc = new DcAverager();
            if (mains) dc.BeginMains(cycles, PerCycle); else dc.Begin(cycles * PerCycle);
            Assert.Equal(cycles * PerCycle, dc.Add(s, 0, cycles * PerCycle));
            worst = Math.Max(worst, Math.Abs(dc.Mean0) / 1e6);
        }
        return worst;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void ConstantInput_AveragesExactly_OnBothChannels_InAnyChunking(int cycles)
    {
        var s = Pickup(50, 0, cycles, 1234567, 0);
        var dc = new DcAverager();
        dc.BeginMains(cycles, PerCycle);
        int taken = 0;
        while (dc.Remaining > 0) taken += dc.Add(s, 2 * taken, Math.Min(37, dc.Remaining));
        Assert.Equal(cycles * PerCycle, taken);
        Assert.Equal(1234567, dc.Mean0, 9);
        Assert.Equal(-1234567, dc.Mean1, 9);
    }

    [Theory]
    [InlineData(49.5)]
    [InlineData(49.9)]
    [InlineData(50.1)]
    [InlineData(50.5)]
    public void OffNominalMains_IsRejectedBy60dB_WithTwoCycles_WhereThePlainMeanIsNot(double mainsHz)
    {
        double plain = Worst(mainsHz, mains: false, cycles: 2);
        double triangular = Worst(mainsHz, mains: true, cycles: 2);
        Assert.True(triangular < 1e-3, $"triangular {20 * Math.Log10(triangular):0.0} dB at {mainsHz} Hz");
        Assert.True(triangular < plain / 10, $"plain {plain:E2}, triangular {triangular:E2}");
    }

    [Fact]
    public void NominalMains_IsNulled_AlsoWithAnOddCycleCount()
    {
        Assert.True(Worst(50, mains: true, cycles: 1) < 2e-6);
        Assert.True(Worst(50, mains: true, cycles: 2) < 2e-6);
    }

    [Fact]
    public void NoFrames_ReadsNaN()
    {
        var dc = new DcAverager();
        dc.BeginMains(2, PerCycle);
        Assert.True(double.IsNaN(dc.Mean0));
    }
}
