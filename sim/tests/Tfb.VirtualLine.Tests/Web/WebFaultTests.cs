using Tfb.Codes;
using Tfb.Stations.Web;

namespace Tfb.VirtualLine.Tests.Web;

/// <summary>Injected faults on the virtual line: each ends in the documented state with its code, nothing restarts.</summary>
public class WebFaultTests
{
    private static WebRig AtSpeed()
    {
        var rig = new WebRig();
        // A quicker ramp keeps the test short (the benchmark runs the real one).
        rig.Type("login engineer");
        rig.Type("tfb-eng");
        rig.Type("settings set web.speed.accelMpmps 1");
        rig.Type("settings set web.speed.jerkMpmps2 2");
        Assert.Equal(1.0 / 60, rig.C.Parameters.AccelMps2, 12); // settings reach the controller at the next scan
        rig.Type("web thread");
        Assert.True(rig.Until(() => rig.C.State == WebState.Thread && rig.C.Span1SetpointN >= 100, 5));
        rig.Seconds(0.5);
        rig.Type("web run");
        Assert.True(rig.Until(() => rig.C.Permit && rig.C.SpeedRefMps == rig.C.SpeedSetpointMps, 30), "at speed with the permit");
        rig.Seconds(1);
        return rig;
    }

    [Fact]
    public void WebBreak_DropsThePermitFirst_StopsTheDrivesWithinTwoSeconds_AndNeverRestarts()
    {
        var rig = AtSpeed();
        var sputter = rig.Line.Board("sputter")!;
        Assert.True(sputter.Io.DigitalInput("web_ok")!.TryRead(out bool ok) && ok, "the sputter board sees the permit");
        double breakAt = rig.Line.TimeS;
        rig.Line.Plant.Faults.Inject("web.span1", "break", rig.Line.Plant.TimeS);
        double permitDropS = double.NaN, decelS = double.NaN, disabledS = double.NaN;
        double lastRef = rig.C.DrumSpeedMps;
        for (int i = 0; i < 500; i++)
        {
            rig.Line.Step();
            double t = rig.Line.TimeS - breakAt;
            if (double.IsNaN(permitDropS) && rig.Signal("wire.web_ok") == 0) permitDropS = t;
            if (double.IsNaN(decelS) && rig.C.DrumSpeedMps < lastRef) decelS = t;
            if (double.IsNaN(disabledS) && rig.Signal("web.drum.enableCmd") == 0) disabledS = t;
            lastRef = rig.C.DrumSpeedMps;
        }
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.WebBreak));
        Assert.Equal(WebState.FaultStop, rig.C.State);
        Assert.InRange(permitDropS, 0, 0.1);            // one load-cell lag plus the 40 ms break filter
        Assert.True(permitDropS <= decelS, $"permit dropped at {permitDropS} s, drives began to stop at {decelS} s");
        Assert.InRange(disabledS, 0, 2.0);
        Assert.Equal(0, rig.Signal("web.drum.speedMps"));
        Assert.True(sputter.Io.DigitalInput("web_ok")!.TryRead(out ok) && !ok);

        // Re-threaded: the fault is reset by the operator; the station goes to Idle, never back to motion.
        rig.Line.Plant.Faults.Clear("web.span1", rig.Line.Plant.TimeS);
        rig.Seconds(2);
        Assert.Equal(WebState.FaultStop, rig.C.State);
        rig.Type("web reset", 3);
        Assert.Equal(WebState.Idle, rig.C.State);
        Assert.False(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.WebBreak));
        rig.Seconds(3);
        Assert.Equal(WebState.Idle, rig.C.State);
        Assert.Equal(0, rig.Signal("web.drum.enableCmd"));
        Assert.Equal(0, rig.Signal("wire.web_ok"));
    }

    [Theory]
    [InlineData("web.span2.loadcell", "nan", "", AlarmCode.WebTensionSensorFault)]
    [InlineData("web.drum.encoder", "dropout", "", AlarmCode.WebEncoderFault)]
    [InlineData("web.unwind.interface", "trip", "", AlarmCode.WebDriveFault)]
    [InlineData("web.drum.drive", "stuck", "", AlarmCode.WebSpeedDeviation)]
    [InlineData("web.span1.loadcell", "offset", "200", AlarmCode.WebOverTension)]
    [InlineData("web.unwind.drive", "stuck", "-20", AlarmCode.WebUnderTension)]
    public void InjectedFault_EndsInAFaultStopWithItsCode(string target, string fault, string arg, AlarmCode expected)
    {
        var rig = AtSpeed();
        if (fault == "stuck" && arg == "")
        {
            // A drum drive stuck at its present speed while the line is told to slow down.
            rig.Line.Plant.Faults.Inject(target, fault, rig.Line.Plant.TimeS);
            rig.Type("web speed 0.5");
        }
        else
        {
            rig.Line.Plant.Faults.Execute($"inject {target} {fault} {arg}".Trim(), rig.Line.Plant.TimeS);
        }
        Assert.True(rig.Until(() => rig.C.State == WebState.FaultStop, 10), $"fault stop after {target} {fault}");
        Assert.Equal(0, rig.Signal("wire.web_ok"));
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)expected), $"alarm {expected}; faults 0x{rig.C.Faults:x}");
        Assert.True(rig.Until(() => !rig.C.DrivesEnabled, 12), "drives disabled");
        rig.Seconds(3);
        Assert.Equal(WebState.FaultStop, rig.C.State); // latched: nothing restarts on its own
        Assert.Equal(0, rig.Signal("web.drum.enableCmd"));
    }

    [Theory]
    [InlineData("web.unwind", "outofround", "0.001")]   // 150 um of runout on the 150 mm unwind
    [InlineData("web.span1", "thermalstep", "10")]      // a hot span relieves 200 N of strain at once
    public void Disturbances_AreRiddenThrough_WithoutAFault(string target, string fault, string arg)
    {
        var rig = AtSpeed();
        rig.Line.Plant.Faults.Execute($"inject {target} {fault} {arg}", rig.Line.Plant.TimeS);
        rig.Seconds(3); // the trim takes up a step within about a second
        double worst = 0;
        for (int i = 0; i < 500; i++)
        {
            rig.Line.Step();
            worst = Math.Max(worst, Math.Abs(rig.Signal("web.span1.tensionN") - 300));
        }
        Assert.Equal(WebState.Run, rig.C.State);
        Assert.Equal(0, rig.C.Faults);
        Assert.True(worst < 6, $"worst span 1 error {worst} N after {target} {fault}");
    }
}
