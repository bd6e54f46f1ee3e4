using Tfb.Codes;
using Tfb.Settings;

namespace Tfb.Firmware.Tests.Commissioning;

public class CalibrationTests
{
    // rf_forward: 0..600 W, so the zero limit is 30 W and a span point needs 60 W from zero.
    private static (CommissioningRig Rig, CTerm T) Ready()
    {
        var rig = new CommissioningRig();
        rig.Scan();
        return (rig, rig.Term(AccessLevel.Engineer));
    }

    private static string[] Snapshot(CommissioningRig rig)
    {
        return Enumerable.Range(0, rig.Settings.Count)
            .Select(i => rig.Settings.GetDef(i).Name + "=" + BitConverter.DoubleToInt64Bits(rig.Settings.GetNumber(i)) + "/" + rig.Settings.GetText(i))
            .ToArray();
    }

    [Fact]
    public void ZeroThenSpan_StoresOffsetAndGain_AndTheAdapterReadsTheReferences()
    {
        var (rig, t) = Ready();
        var ain = rig.RawIo.Ain["rf_forward"];
        ain.Eng = 4.0; // zero reference applied, the sensor reads 4 W
        rig.Scan();
        Assert.Equal("ok", t.Last("cal zero rf_forward"));
        Assert.Equal(4.0, rig.Settings.GetNumber(rig.Index("cal.rf_forward.zero")));
        rig.Scan(); // the scan task pushes it to the adapter
        Assert.Equal(4.0, ain.Zero);

        ain.Eng = 4.0 + 490.0; // 500 W reference applied; the sensor reads 2 % low
        rig.Scan();
        Assert.Equal("ok", t.Last("cal span rf_forward 500"));
        double gain = rig.Settings.GetNumber(rig.Index("cal.rf_forward.gain"));
        Assert.Equal(500.0 / 490.0, gain, 12);
        rig.Scan();
        Assert.True(ain.TryRead(out double v));
        Assert.Equal(500.0, v, 9);
        Assert.Equal(1, rig.CountEvents(EventCode.CalibrationZeroSet));
        Assert.Equal(1, rig.CountEvents(EventCode.CalibrationSpanSet));
        Assert.Contains(t.Cmd("cal show"), l => l.StartsWith("rf_forward") && l.Contains("zero=4 W") && l.Contains("in effect"));
    }

    [Fact]
    public void ZeroAfterAnEarlierCalibration_UsesTheUncalibratedValue()
    {
        var (rig, t) = Ready();
        var ain = rig.RawIo.Ain["chamber_pressure"]; // 0..100 mTorr
        ain.Eng = 2.0;
        rig.Scan();
        t.Cmd("cal zero chamber_pressure");
        rig.Scan();
        ain.Eng = 52.0;
        rig.Scan();
        Assert.Equal("ok", t.Last("cal span chamber_pressure 55"));
        rig.Scan();
        ain.Eng = 3.0; // zero drifted by 1 mTorr; the reading goes through zero 2 and gain 1.1
        rig.Scan();
        Assert.Equal("ok", t.Last("cal zero chamber_pressure"));
        Assert.Equal(3.0, rig.Settings.GetNumber(rig.Index("cal.chamber_pressure.zero")), 12);
        Assert.Equal(1.1, rig.Settings.GetNumber(rig.Index("cal.chamber_pressure.gain")), 12);
    }

    [Theory]
    [InlineData(40.0, "cal zero rf_forward", "error:31 zero offset 40.0000 W beyond +-30.0000 (5 % of span): wrong reference or wiring?")]
    [InlineData(-31.0, "cal zero rf_forward", "error:31 zero offset -31.0000 W beyond +-30.0000 (5 % of span): wrong reference or wiring?")]
    [InlineData(300.0, "cal span rf_forward 400", "error:31 gain 1.3333 outside 0.80..1.25")]
    [InlineData(500.0, "cal span rf_forward 390", "error:31 gain 0.7800 outside 0.80..1.25")]
    [InlineData(30.0, "cal span rf_forward 30", "error:31 reference 30 W too close to the zero point (needs 10 % of span)")]
    [InlineData(50.0, "cal span rf_forward 60", "error:31 reading 50.0000 W too close to the zero point: is the reference applied?")]
    public void ImplausibleResults_AreRefusedWith31_AndChangeNothing(double eng, string line, string answer)
    {
        var (rig, t) = Ready();
        rig.RawIo.Ain["rf_forward"].Eng = eng;
        rig.Scan();
        var before = Snapshot(rig);
        int version = rig.Settings.Version;
        int events = rig.Events.NextSeq;
        Assert.Equal(answer, t.Last(line));
        Assert.Equal(before, Snapshot(rig));
        Assert.Equal(version, rig.Settings.Version);
        Assert.Equal(events, rig.Events.NextSeq);
    }

    [Fact]
    public void InvalidOrMissingReadings_AreRefusedWith31()
    {
        var (rig, t) = Ready();
        rig.RawIo.Ain["water_return_temp"].Valid = false;
        rig.Scan();
        var before = Snapshot(rig);
        Assert.Equal("error:31 reading of water_return_temp is invalid", t.Last("cal zero water_return_temp"));
        Assert.Equal("error:31 reading of water_return_temp is invalid", t.Last("cal span water_return_temp 50"));
        rig.Clock.Advance(3_000_000); // the scan stopped: the snapshot is stale
        Assert.StartsWith("error:31 no fresh reading", t.Last("cal zero rf_forward"));
        Assert.Equal(before, Snapshot(rig));
    }

    [Fact]
    public void ACalibrationNotYetInEffect_IsNotCompoundedWithANewPoint()
    {
        var (rig, t) = Ready();
        rig.RawIo.Ain["rf_forward"].Eng = 5;
        rig.Scan();
        Assert.Equal("ok", t.Last("cal zero rf_forward"));
        // No scan in between: the adapter still reads with zero 0.
        Assert.StartsWith("error:31 a calibration change of rf_forward is not in effect yet", t.Last("cal span rf_forward 500"));
    }

    [Fact]
    public void Calibration_NeedsEngineer_AndAnIdleLine()
    {
        var rig = new CommissioningRig();
        rig.Scan();
        var tech = rig.Term(AccessLevel.Technician);
        Assert.Equal("error:5 needs engineer", tech.Last("cal zero rf_forward"));
        Assert.Equal("ok", tech.Last("cal show"));
        var eng = rig.Term(AccessLevel.Engineer);
        rig.Line.Idle = false;
        Assert.Equal("error:6 line not idle", eng.Last("cal zero rf_forward"));
        Assert.Equal("error:6 line not idle", eng.Last("cal clear rf_forward"));
    }

    [Fact]
    public void WithoutACalibrationPath_CalRefuses_AndShowSaysNotInEffect()
    {
        var rig = new CommissioningRig(withSink: false);
        rig.Scan();
        var t = rig.Term(AccessLevel.Engineer);
        Assert.Equal("error:15 this board's analog adapters take no calibration", t.Last("cal zero rf_forward"));
        Assert.Contains(t.Cmd("cal show"), l => l.StartsWith("rf_forward") && l.Contains("NOT in effect"));
        Assert.Contains(t.Cmd("io show"), l => l.StartsWith("ain  rf_forward") && l.Contains("calibration not applied"));
    }

    [Fact]
    public void Clear_ReturnsToZeroAndUnitGain_AndReachesTheAdapter()
    {
        var (rig, t) = Ready();
        rig.RawIo.Ain["o2_flow"].Eng = 0.3;
        rig.Scan();
        t.Cmd("cal zero o2_flow");
        rig.Scan();
        Assert.Equal(0.3, rig.RawIo.Ain["o2_flow"].Zero, 12);
        Assert.Equal("ok", t.Last("cal clear o2_flow"));
        rig.Scan();
        Assert.Equal(0.0, rig.RawIo.Ain["o2_flow"].Zero);
        Assert.Equal(1.0, rig.RawIo.Ain["o2_flow"].Gain);
        Assert.Equal(1, rig.CountEvents(EventCode.CalibrationCleared));
    }

    [Fact]
    public void CalibrationSettingsSetDirectly_AlsoReachTheAdapter_AndKeepTheirRanges()
    {
        var (rig, t) = Ready();
        Assert.Equal("ok", t.Last("settings set cal.rf_forward.gain 1.05"));
        rig.Scan();
        Assert.Equal(1.05, rig.RawIo.Ain["rf_forward"].Gain);
        Assert.StartsWith("error:8", t.Last("settings set cal.rf_forward.gain 1.3"));
        Assert.StartsWith("error:8", t.Last("settings set cal.rf_forward.zero 31"));
    }

    [Fact]
    public void StoredCalibrations_RoundTripThroughTheirConsoleText()
    {
        var (rig, t) = Ready();
        rig.RawIo.Ain["rf_forward"].Eng = 1.0 / 3.0;
        rig.Scan();
        Assert.Equal("ok", t.Last("cal zero rf_forward"));
        double z = rig.Settings.GetNumber(rig.Index("cal.rf_forward.zero"));
        Assert.True(Tfb.Text.NumberText.TryParseReal(Tfb.Text.NumberText.FormatReal(z), out double back));
        Assert.Equal(BitConverter.DoubleToInt64Bits(z), BitConverter.DoubleToInt64Bits(back));
    }
}
