using Tfb.Codes;
using Tfb.Settings;

namespace Tfb.Firmware.Tests.Commissioning;

public class IoCheckoutTests
{
    [Fact]
    public void IoShow_ListsEveryInputAndOutput_WithStateRawLevelAndValidity()
    {
        var rig = new CommissioningRig();
        rig.RawIo.Din["door_closed"].Active = true;
        rig.RawIo.Din["commission_button"].Active = true; // active-low: asserted = electrically low
        rig.RawIo.Din["water_flow_ok"].Valid = false;
        rig.RawIo.Ain["rf_forward"].Eng = 123.4567;
        rig.RawIo.Ain["o2_flow"].Valid = false;
        rig.Scan();
        var t = rig.Term(AccessLevel.Technician);
        var lines = t.Cmd("io show");
        Assert.Equal("ok", lines[^1]);
        Assert.StartsWith("snapshot #1 ", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("din  door_closed") && l.EndsWith("1 raw=high ok"));
        Assert.Contains(lines, l => l.StartsWith("din  commission_button") && l.EndsWith("1 raw=low ok"));
        Assert.Contains(lines, l => l.StartsWith("din  water_flow_ok") && l.EndsWith("- INVALID"));
        Assert.Contains(lines, l => l.StartsWith("ain  rf_forward") && l.EndsWith("123.457 W ok"));
        Assert.Contains(lines, l => l.StartsWith("ain  o2_flow") && l.EndsWith("nan slpm INVALID"));
        Assert.Contains(lines, l => l.StartsWith("dout trip_lamp") && l.EndsWith("1 safe=1"));
        Assert.Contains(lines, l => l.StartsWith("aout rf_setpoint") && l.EndsWith("0.000 safe=0.000"));
        // Every declared signal has its line: 7 din + 5 ain + 7 dout + 1 aout + header + ok.
        Assert.Equal(1 + 7 + 5 + 7 + 1 + 1, lines.Length);
    }

    [Fact]
    public void IoShow_WithoutTheScanTask_IsAFault_NotAnEmptyView()
    {
        var rig = new CommissioningRig();
        var t = rig.Term(AccessLevel.Technician);
        Assert.StartsWith("error:14 no I/O snapshot", t.Last("io show"));
    }

    [Fact]
    public void IoCommands_NeedTechnician()
    {
        var rig = new CommissioningRig();
        rig.Scan();
        var t = rig.Term(AccessLevel.Operator);
        Assert.Equal("error:5 needs technician", t.Last("io show"));
        Assert.Equal("error:5 needs technician", t.Last("io force heater_z1_ssr on"));
        Assert.Equal("error:5 needs technician", t.Last("io release all"));
    }

    [Fact]
    public void IoWatch_PrintsNSamplesOnePerSecond_ThenOk()
    {
        var rig = new CommissioningRig();
        rig.Scan();
        var t = rig.Term(AccessLevel.Technician);
        var first = t.Cmd("io watch 3");
        Assert.Equal("sample 1 of 3 (Enter stops)", first[0]);
        Assert.DoesNotContain("ok", first);
        Assert.Empty(t.Poll()); // not a second yet
        rig.RawIo.Ain["rf_forward"].Eng = 250;
        rig.Scan();
        rig.Clock.Advance(1_000_000);
        var second = t.Poll();
        Assert.Equal("sample 2 of 3", second[0]);
        Assert.Contains(second, l => l.StartsWith("ain  rf_forward") && l.Contains("250.000 W"));
        Assert.DoesNotContain("ok", second);
        rig.Clock.Advance(1_000_000);
        var third = t.Poll();
        Assert.Equal("sample 3 of 3", third[0]);
        Assert.Equal("ok", third[^1]);
        Assert.False(t.Session.ActivityRunning);
    }

    [Fact]
    public void IoWatch_WithoutN_RunsUntilEnter_AndTheConsoleWorksAgainAfter()
    {
        var rig = new CommissioningRig();
        rig.Scan();
        var t = rig.Term(AccessLevel.Technician);
        t.Cmd("io watch");
        for (int i = 0; i < 5; i++)
        {
            rig.Clock.Advance(1_000_000);
            Assert.StartsWith("sample " + (i + 2), t.Poll()[0]);
        }
        Assert.Equal(["stopped after 6 samples", "ok"], t.Cmd(""));
        Assert.Equal("ok", t.Last("whoami"));
    }

    [Fact]
    public void IoWatch_CtrlX_CancelsIt()
    {
        var rig = new CommissioningRig();
        rig.Scan();
        var t = rig.Term(AccessLevel.Technician);
        t.Cmd("io watch");
        t.Session.Feed([0x18], 0, 1);
        Assert.Contains("error:14 cancelled", t.Link.Take());
        Assert.False(t.Session.ActivityRunning);
    }
}

public class ForceTests
{
    private static CommissioningRig RigWithPermit(out FakePermit permit)
    {
        var rig = new CommissioningRig();
        permit = new FakePermit(301, "heater_z1_ssr", "heater_z2_ssr", "rf_setpoint", "trip_lamp");
        rig.Module.AddForcePermit(permit);
        rig.Scan();
        return rig;
    }

    [Fact]
    public void Force_ThatAnInterlockForbids_IsRefusedWithCode13_AndNothingMoves()
    {
        var rig = RigWithPermit(out var permit);
        permit.Tripped = true;
        var t = rig.Term(AccessLevel.Technician);
        Assert.Equal("error:13 interlock 301 forbids heater_z1_ssr = on", t.Last("io force heater_z1_ssr on"));
        rig.Scan(3);
        Assert.False(rig.RawIo.Dout["heater_z1_ssr"].State);
        Assert.Equal(0, rig.CountEvents(EventCode.OutputForced));
    }

    [Fact]
    public void Force_OnAnOutputNoModuleVouchesFor_OnlyItsSafeState_UnlessTheEngineerAllowsIt()
    {
        var rig = RigWithPermit(out _);
        var t = rig.Term(AccessLevel.Engineer);
        Assert.StartsWith("error:13 no station module vouches for rf_enable", t.Last("io force rf_enable on"));
        Assert.Equal("ok", t.Last("io force rf_enable off"));
        Assert.Equal("ok", t.Last("settings set io.force.unowned true"));
        Assert.Equal("ok", t.Last("io force rf_enable on 5"));
        rig.Scan();
        Assert.True(rig.RawIo.Dout["rf_enable"].State);
    }

    [Fact]
    public void Force_WhenTheLineIsNotIdle_IsRefusedWithNotIdle()
    {
        var rig = RigWithPermit(out _);
        rig.Line.Idle = false;
        var t = rig.Term(AccessLevel.Technician);
        Assert.Equal("error:6 line not idle", t.Last("io force heater_z1_ssr on"));
    }

    [Fact]
    public void ForcedOutput_HoldsAgainstTheModule_ThenReturnsToSafeStateAtItsTimeout()
    {
        var rig = RigWithPermit(out _);
        var t = rig.Term(AccessLevel.Technician);
        var module = rig.Io.DigitalOutput("heater_z1_ssr")!; // what the station module drives
        Assert.Equal("ok", t.Last("io force heater_z1_ssr on 5"));
        rig.Scan();
        var pin = rig.RawIo.Dout["heater_z1_ssr"];
        Assert.True(pin.State);
        Assert.Equal(1, rig.CountEvents(EventCode.OutputForced));
        module.Write(false); // the module keeps writing its own demand: it must not win
        rig.Scan();
        Assert.True(pin.State);
        Assert.Contains(t.Cmd("io show"), l => l.StartsWith("dout heater_z1_ssr") && l.Contains("FORCED"));

        rig.Clock.Advance(5_000_000 - 2 * 10_000); // applied at 10 ms, clock now 30 ms: the scan at 5.010 s expires it
        rig.Scan();
        Assert.False(pin.State);
        Assert.Equal(1, rig.CountEvents(EventCode.OutputForceExpired));
        module.Write(true); // after the force the module drives again
        Assert.True(pin.State);
    }

    [Fact]
    public void ForcedOutput_IsStillHeldJustBeforeItsTimeout()
    {
        var rig = RigWithPermit(out _);
        var t = rig.Term(AccessLevel.Technician);
        t.Cmd("io force heater_z2_ssr on 2");
        rig.Scan(); // applied at t0
        rig.Clock.Advance(2_000_000 - 10_000 - 1);
        rig.Scan();
        Assert.True(rig.RawIo.Dout["heater_z2_ssr"].State);
        Assert.Equal(0, rig.CountEvents(EventCode.OutputForceExpired));
        rig.Scan();
        Assert.False(rig.RawIo.Dout["heater_z2_ssr"].State);
    }

    [Fact]
    public void Force_EndsAtOnce_WhenThePermitIsWithdrawn_OrTheLineLeavesIdle()
    {
        var rig = RigWithPermit(out var permit);
        var t = rig.Term(AccessLevel.Technician);
        t.Cmd("io force heater_z1_ssr on 60");
        t.Cmd("io force rf_setpoint 0.25 60");
        rig.Scan();
        Assert.True(rig.RawIo.Dout["heater_z1_ssr"].State);
        Assert.Equal(0.25, rig.RawIo.Aout["rf_setpoint"].Fraction);
        permit.Tripped = true;
        rig.Scan();
        Assert.False(rig.RawIo.Dout["heater_z1_ssr"].State);
        Assert.Equal(0.0, rig.RawIo.Aout["rf_setpoint"].Fraction);
        Assert.Equal(2, rig.CountEvents(EventCode.OutputForceCancelled));

        permit.Tripped = false;
        t.Cmd("io force heater_z1_ssr on 60");
        rig.Scan();
        Assert.True(rig.RawIo.Dout["heater_z1_ssr"].State);
        rig.Line.Idle = false;
        rig.Scan();
        Assert.False(rig.RawIo.Dout["heater_z1_ssr"].State);
    }

    [Fact]
    public void AQueuedForce_IsNotApplied_WhenTheLineLeftIdleBeforeTheNextScan()
    {
        var rig = RigWithPermit(out _);
        var t = rig.Term(AccessLevel.Technician);
        Assert.Equal("ok", t.Last("io force heater_z1_ssr on 60"));
        rig.Line.Idle = false;
        rig.Scan();
        Assert.False(rig.RawIo.Dout["heater_z1_ssr"].State);
        Assert.Equal(0, rig.CountEvents(EventCode.OutputForced));
        Assert.Equal(1, rig.CountEvents(EventCode.OutputForceCancelled));
    }

    [Fact]
    public void SafeStateEntry_EndsAForce_AndTheScanDoesNotReapplyIt()
    {
        var rig = RigWithPermit(out _);
        var t = rig.Term(AccessLevel.Technician);
        t.Cmd("io force heater_z1_ssr on 60");
        rig.Scan();
        rig.Io.AllOutputsSafe(); // the executive's trip
        rig.Scan(3);
        Assert.False(rig.RawIo.Dout["heater_z1_ssr"].State);
        Assert.Equal(1, rig.CountEvents(EventCode.OutputForceCancelled));
    }

    [Fact]
    public void Release_ReturnsOutputsToSafeState_AndLogsIt()
    {
        var rig = RigWithPermit(out _);
        var t = rig.Term(AccessLevel.Technician);
        t.Cmd("io force heater_z1_ssr on 60");
        t.Cmd("io force trip_lamp off 60");
        rig.Scan();
        Assert.True(rig.RawIo.Dout["heater_z1_ssr"].State);
        Assert.False(rig.RawIo.Dout["trip_lamp"].State);
        Assert.Equal("ok", t.Last("io release heater_z1_ssr"));
        rig.Scan();
        Assert.False(rig.RawIo.Dout["heater_z1_ssr"].State);
        Assert.False(rig.RawIo.Dout["trip_lamp"].State);
        rig.Line.Idle = false; // release works whatever the line does
        Assert.Equal("ok", t.Last("io release all"));
        rig.Line.Idle = true;
        rig.Scan();
        Assert.True(rig.RawIo.Dout["trip_lamp"].State); // its safe state is on
        Assert.Equal(2, rig.CountEvents(EventCode.OutputForceReleased));
    }

    [Theory]
    [InlineData("io force nosuch on", "error:3 no output 'nosuch' on this board")]
    [InlineData("io force heater_z1_ssr 0.5", "error:3 digital output: on or off")]
    [InlineData("io force rf_setpoint on", "error:3 analog output: value is a fraction 0..1")]
    [InlineData("io force rf_setpoint 1.5", "error:8 fraction must be 0..1")]
    [InlineData("io force rf_setpoint nan", "error:3 analog output: value is a fraction 0..1")]
    [InlineData("io force heater_z1_ssr on 0", "error:8 timeoutS must be 1..600")]
    [InlineData("io force heater_z1_ssr on 601", "error:8 timeoutS must be 1..600")]
    [InlineData("io release nosuch", "error:3 no output 'nosuch' on this board")]
    public void BadForceArguments_AreRefusedWithAStableCode_AndForceNothing(string line, string answer)
    {
        var rig = RigWithPermit(out _);
        var t = rig.Term(AccessLevel.Technician);
        Assert.Equal(answer, t.Last(line));
        rig.Scan();
        Assert.Equal(0, rig.CountEvents(EventCode.OutputForced));
    }
}
