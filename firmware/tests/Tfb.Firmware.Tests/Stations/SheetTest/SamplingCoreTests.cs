using Tfb.Hal;
using Tfb.Stations.SheetTest;

namespace Tfb.Firmware.Tests.Stations.SheetTest;

public class SamplingCoreTests
{
    /// <summary>A converter holding frames numbered 0, 1, 2...: channel 0 = n, channel 1 = -n.</summary>
    private sealed class CountingAdc : IAdcBlockSource
    {
        public long Ready;
        public long Next;
        public bool Fail;
        public int SampleRateHz => 1000;
        public int Channels => 2;
        public int OverrunCount { get; set; }
        public int ReadBlock(int[] samples, int offset, int maxCount, out long firstSampleMicros)
        {
            firstSampleMicros = Next * 1000;
            if (Fail) return -1;
            long n = Math.Min(Ready - Next, maxCount / 2);
            for (int i = 0; i < n; i++)
            {
                samples[offset + 2 * i] = (int)(Next + i);
                samples[offset + 2 * i + 1] = -(int)(Next + i);
            }
            Next += n;
            return (int)(2 * n);
        }
    }

    [Fact]
    public void Ring_DeliversEveryFrameInOrder_AcrossWrapsAndPartialConsumption_WithBlockTimes()
    {
        var adc = new CountingAdc();
        var core = new SamplingCore(adc, new SampleRing(100, 8, 2)); // 50 frames: wraps often
        var ring = core.Ring;
        long expect = 0;
        var rnd = new Random(3);
        for (int round = 0; round < 2000; round++)
        {
            adc.Ready += rnd.Next(0, 40);
            core.Pump();
            int budget = rnd.Next(0, 60); // the consumer takes a random number of frames
            while (budget > 0 && ring.TryPeek(out int offset, out int count, out long t0, out int consumed))
            {
                Assert.Equal((expect - consumed / 2) * 1000, t0); // block time = its first frame's
                int take = Math.Min(budget, count / 2);
                for (int i = 0; i < take; i++)
                {
                    Assert.Equal(expect, ring.Samples[offset + 2 * i]);
                    Assert.Equal(-expect, ring.Samples[offset + 2 * i + 1]);
                    expect++;
                }
                ring.Advance(2 * take);
                budget -= take;
            }
            Assert.InRange(ring.Fill, 0, 100);
        }
        Assert.True(expect > 10000);
        Assert.True(core.RingFullCount > 0); // the slow consumer filled it: data stayed in the converter, none lost
        // Everything read from the converter was consumed or still waits (Fill counts the current block whole).
        int consumedOfHead = ring.TryPeek(out _, out _, out _, out int c) ? c : 0;
        Assert.Equal(adc.Next, expect + (ring.Fill - consumedOfHead) / 2);
    }

    [Fact]
    public void Pump_CountsBusErrors_AndConverterOverrunsSinceStart()
    {
        var adc = new CountingAdc { OverrunCount = 5 };
        var core = new SamplingCore(adc, new SampleRing(64, 4, 2));
        adc.Fail = true;
        adc.Ready = 10;
        Assert.Equal(-1, core.Pump());
        Assert.Equal(1, core.SpiErrorCount);
        adc.Fail = false;
        Assert.Equal(20, core.Pump());
        adc.OverrunCount = 9;
        Assert.Equal(4, core.OverrunCount);
        Assert.Equal(1, core.BlockCount);
    }

    [Fact]
    public void Ring_RefusesAChannelMismatch()
    {
        Assert.Throws<ArgumentException>(() => new SamplingCore(new CountingAdc(), new SampleRing(64, 4, 3)));
    }

    [Fact]
    public void ToneDft_OverWholePeriods_RecoversAmplitudeAndPhase_RejectsDcAndMains()
    {
        // 1 kHz at 32 samples per period (32 kSPS), 20 periods = 20 ms = one 50 Hz cycle.
        const int spp = 32, periods = 20, n = spp * periods;
        var s = new int[2 * n];
        for (int k = 0; k < n; k++)
        {
            double t = k / 32000.0;
            s[2 * k] = (int)Math.Round(1e6 * Math.Cos(2 * Math.PI * 1000 * t + 0.4) + 3e5 + 2e4 * Math.Sin(2 * Math.PI * 50 * t));
            s[2 * k + 1] = (int)Math.Round(2e5 * Math.Cos(2 * Math.PI * 1000 * t - 0.2) - 7e4);
        }
        var dft = new ToneDft();
        dft.Prepare(spp, n);
        int taken = 0;
        while (dft.Remaining > 0) taken += dft.Add(s, 2 * taken, Math.Min(77, n - taken)); // odd chunks
        double mag0 = Math.Sqrt(dft.Re0 * dft.Re0 + dft.Im0 * dft.Im0) * 2 / n;
        double mag1 = Math.Sqrt(dft.Re1 * dft.Re1 + dft.Im1 * dft.Im1) * 2 / n;
        Assert.Equal(1e6, mag0, 1e6 * 1e-6);
        Assert.Equal(2e5, mag1, 2e5 * 1e-5);
        double dphi = Math.Atan2(dft.Im0, dft.Re0) - Math.Atan2(dft.Im1, dft.Re1);
        Assert.Equal(0.6, dphi, 1e-5);
    }

    [Fact]
    public void DcAverager_OverWholeMainsCycles_NullsThePickup()
    {
        var s = new int[2 * 128];
        for (int k = 0; k < 128; k++)
        {
            s[2 * k] = 700000 + (int)Math.Round(5000 * Math.Sin(2 * Math.PI * k / 64) + 1000 * Math.Sin(6 * Math.PI * k / 64));
            s[2 * k + 1] = 12;
        }
        var dc = new DcAverager();
        dc.Begin(128);
        Assert.Equal(100, dc.Add(s, 0, 100));
        Assert.Equal(28, dc.Add(s, 200, 100)); // only what is still wanted
        Assert.Equal(0, dc.Remaining);
        Assert.Equal(700000, dc.Mean0, 0.05);
        Assert.Equal(12, dc.Mean1);
    }

    [Theory]
    [InlineData(100000, 5)]
    [InlineData(1000, 250)]
    [InlineData(10, 256)]
    [InlineData(7, 0)] // 24 MHz is not divisible by any multiple of 7 Hz within 3..256 samples per period
    public void CoherentRates_FromTheAdcClock(int hz, int spp)
    {
        Assert.Equal(spp, SiteSequencer.SamplesPerPeriodFor(24_000_000, 500_000, hz));
    }
}
