using Tfb.Codes;
using Tfb.Commissioning;
using Tfb.Settings;

namespace Tfb.Firmware.Tests.Commissioning;

public class ScanTaskTests
{
    [Fact]
    public void ForcingBoardIo_WrapsEveryDeclaredOutput_AndPassesInputsThrough()
    {
        var rig = new CommissioningRig();
        Assert.Equal(7, rig.Io.DigitalOutputCount);
        Assert.Equal(1, rig.Io.AnalogOutputCount);
        Assert.IsType<ForcedDigitalOutput>(rig.Io.DigitalOutput("rf_enable"));
        Assert.IsType<ForcedAnalogOutput>(rig.Io.AnalogOutput("rf_setpoint"));
        Assert.Null(rig.Io.DigitalOutput("nosuch"));
        Assert.Same(rig.RawIo.Din["door_closed"], rig.Io.DigitalInput("door_closed"));
        Assert.Same(rig.RawIo.Ain["o2_flow"], rig.Io.AnalogInput("o2_flow"));
        // Unforced, a module's writes go straight to the pin.
        rig.Io.DigitalOutput("gas_permit")!.Write(true);
        Assert.True(rig.RawIo.Dout["gas_permit"].State);
        rig.Io.AnalogOutput("rf_setpoint")!.Write(0.4);
        Assert.Equal(0.4, rig.RawIo.Aout["rf_setpoint"].Fraction);
        rig.Io.AllOutputsSafe();
        Assert.False(rig.RawIo.Dout["gas_permit"].State);
        Assert.Equal(0.0, rig.RawIo.Aout["rf_setpoint"].Fraction);
    }

    [Fact]
    public void SteadyScans_WithAForceStartingAndExpiring_AllocateNothing()
    {
        var rig = new CommissioningRig();
        rig.Module.AddForcePermit(new FakePermit(301, "heater_z1_ssr"));
        var t = rig.Term(AccessLevel.Engineer);
        // Warm every path once (JIT), including a settings change the scan has to push to an adapter.
        rig.Scan();
        t.Cmd("io force heater_z1_ssr on 1");
        rig.Scan();
        rig.Clock.Advance(1_000_000);
        rig.Scan();
        t.Cmd("settings set cal.o2_flow.gain 1.01");
        rig.Scan();

        t.Cmd("io force heater_z1_ssr on 1");
        t.Cmd("settings set cal.o2_flow.gain 1.02");
        long before = GC.GetAllocatedBytesForCurrentThread();
        rig.Scan(); // applies the force and the calibration
        for (int i = 0; i < 150; i++) rig.Scan(); // holds, then expires at 1 s
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.False(rig.RawIo.Dout["heater_z1_ssr"].State);
        Assert.Equal(1.02, rig.RawIo.Ain["o2_flow"].Gain);
        Assert.Equal(2, rig.CountEvents(EventCode.OutputForceExpired));
    }

    [Fact]
    public void ARefusingCalibrationSink_LeavesTheInputMarkedNotApplied()
    {
        var rig = new CommissioningRig();
        var refusing = new RefusingSink();
        var module = Tfb.Commissioning.CommissioningModule.Register(
            new Tfb.Shell.ShellCore(new SettingsRegistry(64), null, rig.Alarms, rig.Events, rig.Clock, null, rig.Line, null),
            rig.Board, rig.Io, refusing, null);
        module.ScanTask.Run(new Tfb.Scan.ScanContext());
        var snap = module.ScanTask.NewSnapshot();
        module.ScanTask.CopySnapshot(snap);
        Assert.All(snap.AinCalApplied, applied => Assert.False(applied));
        Assert.Equal(5, refusing.Calls);
    }

    private sealed class RefusingSink : ICalibrationSink
    {
        public int Calls;
        public bool ApplyCalibration(string ain, double zero, double gain) { Calls++; return false; }
    }
}
