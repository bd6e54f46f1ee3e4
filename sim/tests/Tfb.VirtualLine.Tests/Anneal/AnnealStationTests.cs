using Tfb.Anneal.Rig;
using Tfb.Codes;
using Tfb.Stations.Anneal;

namespace Tfb.VirtualLine.Tests.Anneal;

/// <summary>
/// The anneal module on the virtual anneal board against the furnace model, with short, time-compressed programs
/// (the hours-long default program runs in the benchmark). Each test states the physics it relies on.
/// </summary>
public class AnnealStationTests
{
    // 60 C/min to 150 C with holdback, a 1 min soak, a step down and a cooling ramp, then off: ~5 simulated minutes.
    private const string Short = "ramp,60,150,band10 dwell,1,band5 step,120 ramp,30,100 end,off";

    private static AnnealRig Rig(string program = Short, Action<AnnealRig>? setup = null)
    {
        var rig = new AnnealRig(Path.Combine(Repo.LineBoards, "anneal.board"));
        rig.Set("anneal.program.3", program);
        rig.Set("anneal.limit.tempC", "300");
        rig.Set("anneal.ctl.approachS", "20"); // short rounding for these fast ramps (150 s by default, for 5 C/min)
        setup?.Invoke(rig);
        Assert.True(rig.Board.Runtime.SettingsStore.Save(out _)); // programs and settings survive a power cycle
        rig.Run(2);
        return rig;
    }

    [Fact]
    public void AShortProgram_RunsItsSegmentsInOrder_AndEndsOff()
    {
        var rig = Rig();
        rig.Command(AnnealCommand.Start, 3);
        Assert.Equal(ProgramState.Running, rig.Ctl.State);
        Assert.InRange(rig.Ctl.SetpointC, 15, 40); // the first ramp starts from the measured temperature
        double maxSp = 0, maxPv = 0;
        bool sawDwell = false, heated = false;
        rig.Run(20 * 60, () =>
        {
            if (rig.Ctl.State == ProgramState.Idle) return;
            maxSp = Math.Max(maxSp, rig.Ctl.SetpointC);
            maxPv = Math.Max(maxPv, rig.Ctl.Zone(0).PvC);
            if (rig.Ctl.Segment == 1) sawDwell = true;
            heated |= rig.Plant.Bus.Read("anneal.contactorCmd") == 1;
        });
        Assert.True(sawDwell);
        Assert.True(heated);
        Assert.Equal(150, maxSp, 6);
        Assert.InRange(maxPv, 140, 160);
        Assert.Equal(ProgramState.Idle, rig.Ctl.State);
        Assert.Equal(0, rig.Plant.Bus.Read("anneal.contactorCmd"));
        Assert.Equal(0, rig.Plant.Bus.Read("anneal.zone1.ssrCmd"));
        Assert.Equal(0, rig.Board.Runtime.Alarms.ActiveCount);
    }

    [Fact]
    public void Holdback_StopsTheProgramClock_WhileAZoneIsOutsideTheBand()
    {
        // Zone 2 loses two thirds of its heater: it cannot follow 60 C/min, so the band holds the ramp.
        var rig = Rig();
        rig.Plant.Faults.Inject("anneal.zone2", "elementlost", rig.TimeS, 0.67);
        rig.Command(AnnealCommand.Start, 3);
        bool held = false;
        rig.Run(90, () => held |= rig.Ctl.HoldbackActive);
        Assert.True(held);
        Assert.Equal(0, rig.Ctl.Segment);
        // With holdback the setpoint never leads the slow zone by more than the band (plus one control step).
        Assert.True(rig.Ctl.SetpointC - rig.Ctl.Zone(1).PvC < 10 + 1, $"sp {rig.Ctl.SetpointC} pv {rig.Ctl.Zone(1).PvC}");
    }

    [Fact]
    public void AnOpenThermocouple_TurnsItsZoneOff_WithinTheErrorWindow_AndHoldsTheProgram()
    {
        var rig = Rig();
        rig.Command(AnnealCommand.Start, 3);
        rig.Run(30);
        Assert.True(rig.Ctl.Heating);
        rig.Plant.Faults.Inject("anneal.zone1.tc", "open", rig.TimeS);
        double t0 = rig.TimeS, offAt = -1;
        rig.Run(3, () => { if (offAt < 0 && rig.Ctl.Zone(0).TcFault) offAt = rig.TimeS; });
        // 4 s window, 30 % bad reads: 1.2 s (+ one scan).
        Assert.InRange(offAt - t0, 1.1, 1.3);
        Assert.Equal(0, rig.Plant.Bus.Read("anneal.zone1.ssrCmd"));
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.AnnealZoneTcFault));
        Assert.Equal(ProgramState.Held, rig.Ctl.State);
        // The other zones keep control; zone 1 stays off for the rest of the fault.
        rig.Run(10, () => Assert.Equal(0, rig.Plant.Bus.Read("anneal.zone1.ssrCmd")));
        Assert.False(rig.Module.TryResetAlarm((int)AlarmCode.AnnealZoneTcFault, out var err));
        Assert.Equal(ErrorCode.ConditionPresent, err);
        // Repaired: after a clean window the reset is accepted and the program resumes on request.
        rig.Plant.Faults.Clear("anneal.zone1.tc", rig.TimeS);
        rig.Run(5);
        Assert.True(rig.Module.TryResetAlarm((int)AlarmCode.AnnealZoneTcFault, out _));
        rig.Step();
        Assert.False(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.AnnealZoneTcFault));
        rig.Command(AnnealCommand.Resume);
        Assert.Equal(ProgramState.Running, rig.Ctl.State);
    }

    [Fact]
    public void OneBadReadInTen_IsNotAFault()
    {
        var rig = Rig();
        rig.Command(AnnealCommand.Start, 3);
        for (int i = 0; i < 2000; i++)
        {
            if (i % 10 == 0) rig.Plant.Faults.Inject("anneal.zone2.tc", "open", rig.TimeS);
            rig.Step();
            if (i % 10 == 0) rig.Plant.Faults.Clear("anneal.zone2.tc", rig.TimeS);
        }
        Assert.False(rig.Ctl.Zone(1).TcFault);
        Assert.Equal(ProgramState.Running, rig.Ctl.State);
    }

    [Fact]
    public void AStuckSsr_IsStoppedByTheLimitChannel_WhichLatchesUntilAHealthyManualReset()
    {
        // Program 3 holds 150 C; the limit is at 300 C. Zone 3's SSR welds: full power until the contactor drops.
        var rig = Rig("ramp,60,150 end,hold");
        rig.Command(AnnealCommand.Start, 3);
        rig.Run(60);
        rig.Plant.Faults.Inject("anneal.zone3", "ssrstuckon", rig.TimeS);
        for (int i = 0; i < 180_000 && !rig.Ctl.Limit.Tripped; i++) rig.Step();
        Assert.True(rig.Ctl.Limit.Tripped, "limit never tripped");
        rig.Run(2);
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.AnnealOverTemperatureTrip));
        Assert.Equal(0, rig.Plant.Bus.Read("anneal.contactorCmd"));
        Assert.Equal(0, rig.Plant.Bus.Read("anneal.zone3.powerW"));
        // Still hot: the reset is refused; the limit reading peaked near the limit, not far above it.
        Assert.False(rig.Module.TryResetAlarm((int)AlarmCode.AnnealOverTemperatureTrip, out var err));
        Assert.Equal(ErrorCode.ConditionPresent, err);
        Assert.InRange(rig.Plant.Bus.Read("anneal.zone3.loadTempC"), 290, 330);
        // A console 'anneal start' is refused by the interlock while tripped.
        rig.Console("login technician");
        rig.Console("tfb-tech");
        Assert.NotEqual(ProgramState.Idle, rig.Ctl.State);   // the program stays (held, or ended in hold) without heat
        Assert.False(rig.Ctl.Heating);
        Assert.Contains("error:6", rig.Console("anneal start 3"));
    }

    [Fact]
    public void AnOpenDoor_CutsTheHeat_AndHoldsTheProgram()
    {
        var rig = Rig();
        rig.Command(AnnealCommand.Start, 3);
        rig.Run(20);
        rig.Plant.Faults.Inject("anneal", "dooropen", rig.TimeS);
        rig.Run(0.1);
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.AnnealDoorOpen));
        Assert.Equal(0, rig.Plant.Bus.Read("anneal.contactorCmd"));
        Assert.Equal(ProgramState.Held, rig.Ctl.State);
        Assert.False(rig.Module.TryResetAlarm((int)AlarmCode.AnnealDoorOpen, out var err));
        Assert.Equal(ErrorCode.ConditionPresent, err);
    }

    [Theory]
    [InlineData(0, 300, ProgramState.Running)]   // continue
    [InlineData(1, 300, ProgramState.Running)]   // ramp back
    [InlineData(2, 300, ProgramState.Held)]      // hold
    [InlineData(3, 300, ProgramState.Idle)]      // abort
    [InlineData(1, 900, ProgramState.Idle)]     // off longer than the maximum (10 min): aborted
    public void APowerFailure_EndsInTheConfiguredRecovery(int mode, double offS, ProgramState expected)
    {
        var rig = Rig("ramp,60,150,lo10 dwell,30,band10 end,off", r =>
        {
            r.Set("anneal.powerfail.mode", mode.ToString());
            r.Set("anneal.powerfail.maxOffMin", "10");
            r.Set("anneal.ctl.approachS", "0");
        });
        rig.Command(AnnealCommand.Start, 3);
        rig.Run(10 * 60);
        Assert.True(1 == rig.Ctl.Segment, $"seg {rig.Ctl.Segment} sp {rig.Ctl.SetpointC} pv {rig.Ctl.Zone(0).PvC} {rig.Ctl.Zone(1).PvC} {rig.Ctl.Zone(2).PvC} hb {rig.Ctl.HoldbackActive} st {rig.Ctl.State}");
        double elapsed = rig.Ctl.SegmentElapsedS;
        rig.Run(RecordMargin);
        rig.PowerFail(offS);
        // The furnace cooled while off; the firmware boots on the same NV partitions.
        rig.Run(2);
        var c = rig.Ctl;
        Assert.Equal(expected, c.State);
        var alarms = rig.Board.Runtime.Alarms;
        if (expected == ProgramState.Idle)
        {
            Assert.True(alarms.IsActive((int)AlarmCode.AnnealPowerFailAborted));
            Assert.Equal(0, rig.Plant.Bus.Read("anneal.contactorCmd"));
            return;
        }
        Assert.True(alarms.IsActive((int)AlarmCode.AnnealPowerFailRecovered));
        Assert.Equal(1, c.Segment);
        Assert.InRange(c.SegmentElapsedS, elapsed, elapsed + RecordMargin + 1.5);
        double pv = c.Zone(0).PvC;
        Assert.True(pv < 148, $"the furnace cooled while off: {pv}");
        if (mode == 1) Assert.InRange(c.SetpointC, pv - 5, pv + 5);   // ramps back from the measured temperature
        else Assert.Equal(150, c.SetpointC, 6);                          // continue / hold at the saved setpoint
        if (mode == 1)
        {
            // The ramp back (60 C/min, the segment's ramp rate is that of segment 1) reaches 150 C and the soak goes on.
            rig.Run(120);
            Assert.Equal(150, c.SetpointC, 6);
            Assert.True(c.SegmentElapsedS > elapsed);
        }
    }

    private const double RecordMargin = 11; // the record is saved every 10 s

    [Fact]
    public void ProgramEdits_AreValidated_AndRefusedWhileRunning_LeavingTheRunningProgramUntouched()
    {
        var rig = Rig();
        rig.Console("login technician");
        rig.Console("tfb-tech");
        Assert.Contains("error:8", rig.Console("anneal program set 4 ramp,500,700 end,off"));
        Assert.Contains("error:30", rig.Console("anneal program set 4 ramp,5,700"));
        Assert.Contains("error:30", rig.Console("settings set anneal.program.4 dwell,1,jump"));
        Assert.Contains("error:8", rig.Console("settings set anneal.program.4 \"ramp,5,2000 end,off\""));
        Assert.Equal("", rig.Board.Runtime.Settings.GetText(rig.Board.Runtime.Settings.IndexOf("anneal.program.4")));
        Assert.Contains("ok", rig.Console("anneal program set 4 ramp,30,120 dwell,5 end,off"));
        Assert.Contains("error:8", rig.Console("anneal start 5")); // program 5 does not exist
        rig.Console("anneal start 3");
        rig.Run(1);
        Assert.Equal(ProgramState.Running, rig.Ctl.State);
        Assert.Contains("error:6", rig.Console("anneal program set 3 ramp,5,100 end,off"));
        Assert.Contains("error:6", rig.Console("settings set anneal.program.3 \"ramp,5,100 end,off\""));
        Assert.Equal(Short, rig.Board.Runtime.Settings.GetText(rig.Board.Runtime.Settings.IndexOf("anneal.program.3")));
        Assert.Equal(150, rig.Ctl.Program.TargetC[0]);
        Assert.Equal(5, rig.Ctl.Program.Count);
        // A program above the limit margin cannot start.
        rig.Console("anneal abort");
        rig.Run(1);
        Assert.Contains("error:13", rig.Console("anneal start 1")); // 700 C program, limit at 300 C
    }

    [Fact]
    public void ManualMode_DrivesTheZone_AndReturnsToAutoBumplessly()
    {
        var rig = Rig("ramp,60,100 end,hold");
        rig.Command(AnnealCommand.Start, 3);
        rig.Run(180);
        double autoOut = rig.Ctl.Zone(0).OutputPct;
        rig.Command(AnnealCommand.Manual, 1, autoOut);
        rig.Run(10);
        Assert.True(rig.Ctl.Zone(0).Manual);
        Assert.Equal(autoOut, rig.Ctl.Zone(0).OutputPct, 6);
        rig.Command(AnnealCommand.Auto, 1);
        rig.Run(0.5);
        Assert.InRange(rig.Ctl.Zone(0).OutputPct, autoOut - 5, autoOut + 5);
    }
}

public class AnnealAutotuneTests
{
    [Fact]
    public void ARelayAutotune_OscillatesAroundItsSetpoint_AndStoresSaneGains()
    {
        var rig = new AnnealRig(Path.Combine(Repo.LineBoards, "anneal.board"));
        rig.Run(2);
        var settings = rig.Board.Runtime.Settings;
        double kpBefore = settings.GetNumber(settings.IndexOf("anneal.z2.kpLow"));
        // Preheat zone 2 in manual (full power, about 1 C/s), then a relay test around 150 C, where it needs
        // about 5 % (280 W): bias 6 %, the relay swings 1 %..11 %.
        rig.Command(AnnealCommand.Manual, 2, 100);
        rig.Run(110);
        rig.Command(AnnealCommand.Auto, 2);
        rig.Command(AnnealCommand.Tune, 2, 150, 6);
        Assert.True(rig.Ctl.Zone(1).Tuning_Active);
        double max = 0;
        for (int i = 0; i < 4 * 360_000 && rig.Ctl.Zone(1).Tuning_Active; i++)
        {
            rig.Step();
            if (rig.Ctl.Zone(1).PvC > max) max = rig.Ctl.Zone(1).PvC;
        }
        Assert.False(rig.Ctl.Zone(1).Tuning_Active, "autotune did not finish in 4 h");
        rig.Run(1);
        Assert.Equal(1, rig.Ctl.TuneFinishedResult);
        ZoneLoop z = rig.Ctl.Zone(1);
        Assert.InRange(z.TunePuS, 20, 7200);
        Assert.True(z.TuneKu > 0);
        // The stored gains are the Tyreus-Luyben ones at the low breakpoint (150 C is nearer 100 C than 700 C).
        Assert.Equal(z.TuneKu / 3.2, settings.GetNumber(settings.IndexOf("anneal.z2.kpLow")), 6);
        Assert.Equal(2.2 * z.TunePuS, settings.GetNumber(settings.IndexOf("anneal.z2.tiLowS")), 6);
        Assert.NotEqual(kpBefore, settings.GetNumber(settings.IndexOf("anneal.z2.kpLow")));
        Assert.InRange(max, 150, 200); // a relay test around 150 C, not a runaway
        Assert.Equal(0, rig.Plant.Bus.Read("anneal.contactorCmd")); // done: heat off again
    }
}
