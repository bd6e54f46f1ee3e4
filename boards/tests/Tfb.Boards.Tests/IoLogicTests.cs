using Tfb.Boards.Io;

namespace Tfb.Boards.Tests;

/// <summary>The platform-free halves of the board adapters, run on the host exactly as the boards run them.</summary>
public class DebouncerTests
{
    [Fact]
    public void FirstSample_SetsTheState_WithoutWaiting()
    {
        var d = new Debouncer(20);
        Assert.False(d.HasState);
        Assert.True(d.Update(true, 0));
        Assert.True(d.HasState);
    }

    [Fact]
    public void Change_FollowsOnlyAfterHoldingForTheDebounceTime()
    {
        var d = new Debouncer(20);
        d.Update(true, 0);
        Assert.True(d.Update(false, 1_000));
        Assert.True(d.Update(false, 20_999));   // held 19.999 ms
        Assert.False(d.Update(false, 21_000));  // held 20 ms
    }

    [Fact]
    public void Glitch_ShorterThanTheDebounce_IsFiltered_AndRestartsTheHold()
    {
        var d = new Debouncer(10);
        d.Update(false, 0);
        d.Update(true, 1_000);
        d.Update(false, 5_000);                 // back before 10 ms
        Assert.False(d.Update(true, 6_000));
        Assert.False(d.Update(true, 15_999));   // 9.999 ms since the new edge at 6 ms
        Assert.True(d.Update(true, 16_000));
    }

    [Fact]
    public void ZeroDebounce_PassesTheRawLevel()
    {
        var d = new Debouncer(0);
        d.Update(false, 0);
        Assert.True(d.Update(true, 0));
        Assert.False(d.Update(false, 0));
    }

    [Fact]
    public void Force_OverridesTheHold()
    {
        var d = new Debouncer(100);
        d.Update(true, 0);
        d.Force(false, 10);
        Assert.False(d.State);
        Assert.False(d.Update(true, 50_000)); // a new assertion still has to hold 100 ms
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10001)]
    public void OutOfRangeDebounce_IsRefused(int ms) => Assert.Throws<ArgumentOutOfRangeException>(() => new Debouncer(ms));
}

public class EdgeLatchTests
{
    [Fact]
    public void Deassertion_IsLatchedUntilConsumedOnce()
    {
        var l = new EdgeLatch();
        Assert.False(l.ConsumeDrop());
        l.OnLevel(false);
        l.OnLevel(true); // the glitch is over before the scan looks
        Assert.True(l.ConsumeDrop());
        Assert.False(l.ConsumeDrop());
        Assert.Equal(2, l.EdgeCount);
    }

    [Fact]
    public void Assertion_IsNotLatched()
    {
        var l = new EdgeLatch();
        l.OnLevel(true);
        Assert.False(l.ConsumeDrop());
    }

    [Fact]
    public void ConcurrentEdges_AreAllCounted()
    {
        var l = new EdgeLatch();
        Parallel.For(0, 4, _ => { for (int i = 0; i < 10_000; i++) l.OnLevel(i % 2 == 0); });
        Assert.Equal(40_000, l.EdgeCount);
        Assert.True(l.ConsumeDrop());
    }
}

public class AnalogScalingTests
{
    private static AnalogInputDef Def(string extra = "") =>
        BoardDefinitionParser.Parse("board t\nmcu host\nclock host\nstation sputter\nuart c port=c role=console baud=9600\n" +
            "ain t sim:a.b counts=0..4095 volts=0..3.3 sensor_volts=0.6..3.0 eng=0..100 unit=degC " + extra + "\n").AnalogInputs[0];

    [Theory]
    // 4-20 mA over 150 ohm: 0.6 V = 0 degC, 3.0 V = 100 degC; counts = V / 3.3 * 4095.
    [InlineData(744.545454545, 0.0)]
    [InlineData(2233.636363636, 50.0)]
    [InlineData(3722.727272727, 100.0)]
    public void Counts_ScaleThroughPinAndSensorVolts(double counts, double expected)
    {
        var s = new AnalogScaling(Def());
        // Integer counts: compare at the resolution of one count (100 degC / 2978.2 counts).
        Assert.Equal(AnalogStatus.Ok, s.Convert((int)Math.Round(counts), out var v));
        Assert.Equal(expected, v, 0.05);
    }

    [Fact]
    public void OpenAndShortLimits_AreFaults_WithNaN()
    {
        var s = new AnalogScaling(Def("open_below=600 short_above=4000"));
        Assert.Equal(AnalogStatus.Open, s.Convert(600, out var v1));
        Assert.True(double.IsNaN(v1));
        Assert.Equal(AnalogStatus.Short, s.Convert(4000, out var v2));
        Assert.True(double.IsNaN(v2));
        Assert.Equal(AnalogStatus.Ok, s.Convert(601, out _));
        Assert.Equal(AnalogStatus.Ok, s.Convert(3999, out _));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4096)]
    public void CountsOutsideTheConverterRange_AreFaults(int counts)
    {
        Assert.Equal(AnalogStatus.OutOfRange, new AnalogScaling(Def()).Convert(counts, out var v));
        Assert.True(double.IsNaN(v));
    }

    [Fact]
    public void Calibration_AppliesZeroThenGain()
    {
        var s = new AnalogScaling(Def());
        int counts = (int)Math.Round(2233.636363636); // ~50 degC
        s.Convert(counts, out var raw);
        Assert.True(s.SetCalibration(2.0, 1.1));
        s.Convert(counts, out var cal);
        Assert.Equal((raw - 2.0) * 1.1, cal, 9);
    }

    [Theory]
    [InlineData(double.NaN, 1.0)]
    [InlineData(0.0, double.PositiveInfinity)]
    [InlineData(0.0, 0.49)]
    [InlineData(0.0, 2.01)]
    public void ImplausibleCalibration_IsRefused_AndChangesNothing(double zero, double gain)
    {
        var s = new AnalogScaling(Def());
        s.SetCalibration(1.0, 1.5);
        Assert.False(s.SetCalibration(zero, gain));
        Assert.Equal(1.0, s.Zero);
        Assert.Equal(1.5, s.Gain);
    }
}

public class OutputScalingTests
{
    [Theory]
    [InlineData(double.NaN, 0.0)]
    [InlineData(-0.01, 0.0)]
    [InlineData(1.01, 0.0)]
    [InlineData(0.25, 0.25)]
    [InlineData(1.0, 1.0)]
    public void Sanitize_ReplacesBadCommandsWithTheSafeValue(double cmd, double expected) =>
        Assert.Equal(expected, OutputScaling.Sanitize(cmd, 0.0));

    [Fact]
    public void Dac_RoundsToNearestCode_AndInvertsActiveLow()
    {
        Assert.Equal(0, OutputScaling.ToDacCode(0.0, true, 12));
        Assert.Equal(4095, OutputScaling.ToDacCode(1.0, true, 12));
        Assert.Equal(2048, OutputScaling.ToDacCode(0.5, true, 12)); // 2047.5 rounds up
        Assert.Equal(4095, OutputScaling.ToDacCode(0.0, false, 12));
        Assert.Equal(255, OutputScaling.ToDacCode(1.0, true, 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => OutputScaling.ToDacCode(0.5, true, 17));
    }

    [Fact]
    public void Pwm_InvertsActiveLow_AndLevelsFollowPolarity()
    {
        Assert.Equal(0.3, OutputScaling.ToDuty(0.3, true));
        Assert.Equal(0.7, OutputScaling.ToDuty(0.3, false), 12);
        Assert.True(OutputScaling.ToLevel(true, true));
        Assert.False(OutputScaling.ToLevel(true, false));
        Assert.True(OutputScaling.ToLevel(false, false));
    }
}

public class SevenBitWillTests
{
    [Fact]
    public void SevenBitPayload_BecomesAStringWhoseUtf8IsTheSameBytes()
    {
        // A minimal NDEATH: metric { name "bdSeq", datatype UInt64 (8), long_value 5 }, no timestamp.
        byte[] ndeath = [0x12, 0x0B, 0x0A, 0x05, (byte)'b', (byte)'d', (byte)'S', (byte)'e', (byte)'q', 0x20, 0x08, 0x58, 0x05];
        var s = SevenBitWill.ToWillString(ndeath);
        Assert.NotNull(s);
        Assert.Equal(ndeath, System.Text.Encoding.UTF8.GetBytes(s));
    }

    [Theory]
    [InlineData(new byte[] { 0x58, 0x00 }, 1)]        // bdSeq 0
    [InlineData(new byte[] { 0x58, 0x80, 0x01 }, 1)]  // bdSeq 128
    [InlineData(new byte[] { 0x08, 0xE8, 0x07 }, 1)]  // a timestamp-like varint
    public void PayloadsProtobufProducesButAStringCannotCarry_AreRefused(byte[] payload, int badIndex)
    {
        Assert.Equal(badIndex, SevenBitWill.FirstUnrepresentable(payload, payload.Length));
        Assert.Null(SevenBitWill.ToWillString(payload));
    }

    [Fact]
    public void BadCount_IsRefusedAtIndexZero_AndNullPayloadIsNoWill()
    {
        Assert.Equal(0, SevenBitWill.FirstUnrepresentable([0x01], 2));
        Assert.Equal(-1, SevenBitWill.FirstUnrepresentable(null, 0));
        Assert.Null(SevenBitWill.ToWillString(null));
    }
}

public class PublishTrackerTests
{
    [Fact]
    public void Completion_ReturnsTheTokenOnce_AndUnknownIdsAreIgnored()
    {
        var t = new PublishTracker(4);
        int a = t.Add(10);
        int b = t.Add(11);
        Assert.True(a > 0 && b > 0 && a != b);
        Assert.Equal(b, t.Complete(11));
        Assert.Equal(-1, t.Complete(11));
        Assert.Equal(-1, t.Complete(99)); // a QoS 0 publish's event
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void Full_RefusesTheNextPublish_AndADuplicateIdIsRefused()
    {
        var t = new PublishTracker(2);
        t.Add(1);
        Assert.Equal(-1, t.Add(1));
        t.Add(2);
        Assert.False(t.HasRoom);
        Assert.Equal(-1, t.Add(3));
    }

    [Fact]
    public void ConnectionLoss_DrainsEveryTokenInFlight_AsNotDelivered()
    {
        var t = new PublishTracker(8);
        var tokens = new[] { t.Add(1), t.Add(2), t.Add(3) };
        t.Complete(2);
        var drained = new int[8];
        int n = t.DrainAll(drained);
        Assert.Equal(2, n);
        Assert.Equal(new[] { tokens[0], tokens[2] }.OrderBy(x => x), drained.Take(n).OrderBy(x => x));
        Assert.Equal(0, t.Count);
        Assert.Equal(-1, t.Complete(1)); // a late "published" event after the drain is ignored
    }
}

public class NvRangeAndWallClockTests
{
    [Theory]
    [InlineData(0, 0, 16, 16, true)]
    [InlineData(0, 0, 0, 16, true)]
    [InlineData(1, 0, 16, 16, false)]
    [InlineData(-1, 0, 1, 16, false)]
    [InlineData(0, 10, 7, 16, false)]
    [InlineData(0, -1, 1, 16, false)]
    [InlineData(0, 0, -1, 16, false)]
    [InlineData(int.MaxValue, 0, 1, 16, false)]
    public void Ranges_AreCheckedWithoutOverflow(int address, int offset, int count, int size, bool ok) =>
        Assert.Equal(ok, NvRange.IsValid(address, new byte[16], offset, count, size));

    [Fact]
    public void UnixMillis_AndPlausibility()
    {
        var t = new DateTime(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal(new DateTimeOffset(t).ToUnixTimeMilliseconds(), WallClock.ToUnixMillis(t.Ticks));
        Assert.True(WallClock.IsPlausible(WallClock.ToUnixMillis(t.Ticks)));
        Assert.False(WallClock.IsPlausible(WallClock.ToUnixMillis(new DateTime(2000, 1, 1).Ticks)));
    }
}

public class TextNumbersTests
{
    [Theory]
    [InlineData("3.3", 3.3)]
    [InlineData("0", 0.0)]
    [InlineData("-1.25", -1.25)]
    [InlineData("600", 600.0)]
    [InlineData("0.000001", 0.000001)]
    public void Decimals_ParseToTheSameDoubleAsTheLiteral(string s, double expected)
    {
        Assert.True(TextNumbers.TryParseDouble(s, out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1.2.3")]
    [InlineData("1e3")]
    [InlineData("NaN")]
    [InlineData("1,5")]
    [InlineData("1234567890123456")]
    public void NonDecimals_AreRefused(string s)
    {
        Assert.False(TextNumbers.TryParseDouble(s, out var v));
        Assert.True(double.IsNaN(v));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("-42", -42)]
    [InlineData("999999999", 999999999)]
    [InlineData("1234567890", int.MinValue)]
    [InlineData("12a", int.MinValue)]
    [InlineData("-", int.MinValue)]
    [InlineData("+5", int.MinValue)]
    public void Integers(string s, int expected) => Assert.Equal(expected, TextNumbers.ParseIntOrMin(s));
}
