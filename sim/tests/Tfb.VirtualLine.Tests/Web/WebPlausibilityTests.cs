using Xunit.Abstractions;
using Tfb.Codes;
using Tfb.Stations.Web;

namespace Tfb.VirtualLine.Tests.Web;

/// <summary>
/// Load-cell plausibility on the virtual line: an offset drift (the trim follows the reading, so the true tension
/// moves) is caught by the torque balance with alarm 2009, and a normal run with a speed ramp and a tension step
/// never trips it.
/// </summary>
public class WebPlausibilityTests(ITestOutputHelper output)
{
    private static WebRig AtSpeed()
    {
        var rig = new WebRig();
        rig.Type("login engineer");
        rig.Type("tfb-eng");
        rig.Type("settings set web.speed.accelMpmps 1");
        rig.Type("settings set web.speed.jerkMpmps2 2");
        rig.Type("web thread");
        Assert.True(rig.Until(() => rig.C.State == WebState.Thread && rig.C.Span1SetpointN >= 100, 5));
        rig.Seconds(0.5);
        rig.Type("web run");
        Assert.True(rig.Until(() => rig.C.Permit && rig.C.SpeedRefMps == rig.C.SpeedSetpointMps, 30), "at speed with the permit");
        Assert.True(rig.Until(() => rig.C.PlausibilityArmed, 15), "the plausibility check arms at steady speed after the grace");
        return rig;
    }

    // Defaults: tolerance 30 N, 2 s, residual filter 0.5 s. At 10 N/s the offset passes 30 N after 3 s; with the
    // filter's 0.5 s lag and the 2 s delay the fault latches about 5.5 s after the injection.
    [Theory]
    [InlineData("web.span1.loadcell", 10.0, 1)]
    [InlineData("web.span2.loadcell", -10.0, 2)]
    public void LoadCellDrift_IsDetectedWithin7s_StopsUnderControl_AndNeverRestarts(string target, double rateNps, int span)
    {
        var rig = AtSpeed();
        var sputter = rig.Line.Board("sputter")!;
        double injectedAt = rig.Line.TimeS;
        rig.Line.Plant.Faults.Inject(target, "drift", rig.Line.Plant.TimeS, rateNps);
        double faultS = double.NaN, permitDropS = double.NaN, decelS = double.NaN;
        double lastRef = rig.C.DrumSpeedMps;
        for (int i = 0; i < 1000 && double.IsNaN(decelS); i++)
        {
            rig.Line.Step();
            double t = rig.Line.TimeS - injectedAt;
            if (double.IsNaN(permitDropS) && rig.Signal("wire.web_ok") == 0) permitDropS = t;
            if (double.IsNaN(faultS) && rig.C.Faults != 0) faultS = t;
            if (double.IsNaN(decelS) && rig.C.DrumSpeedMps < lastRef) decelS = t;
            lastRef = rig.C.DrumSpeedMps;
        }
        Assert.Equal(WebFault.TensionImplausible, rig.C.Faults);
        Assert.Equal(span, rig.C.FaultDetail);
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.WebTensionImplausible));
        output.WriteLine($"{target} drift {rateNps} N/s: fault after {faultS:F2} s, permit off after {permitDropS:F2} s, decel from {decelS:F2} s");
        Assert.InRange(faultS, 3.5, 7.0);
        Assert.True(permitDropS <= decelS, $"permit dropped at {permitDropS} s, drives began to stop at {decelS} s");
        Assert.Equal(WebState.FaultStop, rig.C.State);

        // Controlled stop: the drum ramps to rest and the drives are disabled; the permit stays off.
        Assert.True(rig.Until(() => !rig.C.DrivesEnabled, 12), "drives disabled");
        Assert.InRange(rig.Signal("web.drum.speedMps"), -1e-9, 1e-9);
        Assert.True(sputter.Io.DigitalInput("web_ok")!.TryRead(out bool ok) && !ok);
        rig.Seconds(3);
        Assert.Equal(WebState.FaultStop, rig.C.State); // latched
        Assert.Equal(0, rig.Signal("web.drum.enableCmd"));

        // Explicit reset at standstill with a valid reading: Idle, nothing moves again on its own.
        rig.Type("web reset", 3);
        Assert.Equal(WebState.Idle, rig.C.State);
        Assert.False(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.WebTensionImplausible));
        rig.Seconds(3);
        Assert.Equal(WebState.Idle, rig.C.State);
        Assert.Equal(0, rig.Signal("web.drum.enableCmd"));
        Assert.Equal(0, rig.Signal("wire.web_ok"));
    }

    [Fact]
    public void NormalRun_WithRampsAndATensionStep_NeverTrips()
    {
        var rig = AtSpeed();
        double worst = 0, armedS = 0;
        void Watch(double seconds)
        {
            for (int i = 0; i < seconds * 100; i++)
            {
                rig.Line.Step();
                Assert.Equal(0, rig.C.Faults);
                if (rig.C.PlausibilityArmed)
                {
                    armedS += 0.01;
                    worst = Math.Max(worst, Math.Max(Math.Abs(rig.C.Span1ResidualN), Math.Abs(rig.C.Span2ResidualN)));
                }
            }
        }
        Watch(3);
        rig.Type("web tension 270"); // a splice-like step, ramped at 100 N/s
        Watch(6);
        rig.Type("web speed 0.5");   // a speed ramp down and back up
        Watch(6);
        rig.Type("web speed 1");
        Watch(6);
        Assert.Equal(WebState.Run, rig.C.State);
        Assert.True(rig.C.Permit);
        Assert.True(armedS > 10, $"armed only {armedS} s");
        // Healthy residual stays far inside the tolerance (the bench's drag step of 10 N is the largest seen).
        output.WriteLine($"armed {armedS:F1} s, largest residual {worst:F2} N");
        Assert.True(worst < rig.C.Parameters.PlausibilityToleranceN / 3, $"largest residual {worst} N");
    }
}
