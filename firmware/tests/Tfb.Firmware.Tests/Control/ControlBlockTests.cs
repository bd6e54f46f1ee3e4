using Tfb.Control;

namespace Tfb.Firmware.Tests.Control;

public class PidTests
{
    // A first-order plant y' = (K*u - y)/tau, like a tension loop on a torque-fed roller at low speed.
    private static double Plant(double y, double u, double dt, double k = 2.0, double tau = 0.5) => y + (k * u - y) / tau * dt;

    [Fact]
    public void PiOnAFirstOrderPlant_SettlesOnTheSetpoint_WithoutSteadyStateError()
    {
        var pid = new Pid { Kp = 0.8, TiS = 0.4, OutMin = 0, OutMax = 100 };
        double y = 0, dt = 0.01;
        for (int i = 0; i < 2000; i++) y = Plant(y, pid.Step(50, y, 0, dt), dt);
        Assert.InRange(y, 49.99, 50.01);
        Assert.False(pid.Limited);
    }

    [Fact]
    public void BackCalculation_KeepsTheIntegratorBounded_WhileSaturated_SoRecoveryIsFast()
    {
        // The setpoint is unreachable for 20 s (output pinned at the limit); without anti-windup the integrator
        // would grow by Kp*e/Ti*t = 0.8*100/0.4*20 = 4000 output units.
        var pid = new Pid { Kp = 0.8, TiS = 0.4, OutMin = 0, OutMax = 10 };
        double y = 0, dt = 0.01;
        for (int i = 0; i < 2000; i++) y = Plant(y, pid.Step(100, y, 0, dt), dt);
        Assert.True(pid.Limited);
        Assert.InRange(pid.Integral, 0, 30);
        // After the setpoint drops into reach, the output leaves the limit within a fraction of a second.
        int stepsAtLimit = 0;
        for (int i = 0; i < 500; i++)
        {
            y = Plant(y, pid.Step(10, y, 0, dt), dt);
            if (pid.Output >= 10) stepsAtLimit++;
        }
        Assert.True(stepsAtLimit < 50, $"{stepsAtLimit} steps at the limit");
    }

    [Theory]
    [InlineData(double.NaN, 1.0, 0.01)]
    [InlineData(1.0, double.PositiveInfinity, 0.01)]
    [InlineData(1.0, 1.0, 0.0)]
    [InlineData(1.0, 1.0, -0.01)]
    public void MissingOrBadData_IsAFault_TheOutputGoesSafe_AndTheStateIsKept(double sp, double pv, double dt)
    {
        var pid = new Pid { Kp = 1, TiS = 1, SafeOutput = 0, OutMin = -5, OutMax = 5 };
        pid.Step(2, 1, 0, 0.1);
        double integral = pid.Integral;
        Assert.Equal(0, pid.Step(sp, pv, 0, dt));
        Assert.True(pid.Fault);
        Assert.Equal(integral, pid.Integral);
    }

    [Fact]
    public void ManualToAutomatic_IsBumpless()
    {
        var pid = new Pid { Kp = 2, TiS = 1, OutMin = 0, OutMax = 100 };
        pid.StepManual(37.5, 20, 18, 0);
        double first = pid.Step(20, 18, 0, 0.01);
        Assert.InRange(first, 37.5, 37.5 + 2 * 2 * 0.01 / 1 + 1e-9);
    }

    [Fact]
    public void DerivativeActsOnTheMeasurement_SoASetpointStepGivesNoKick()
    {
        var pid = new Pid { Kp = 1, TdS = 0.5 };
        pid.Step(0, 0, 0, 0.01);
        double u = pid.Step(10, 0, 0, 0.01);
        Assert.Equal(10, u, 9);
    }
}

public class LowPassTests
{
    [Fact]
    public void StepResponse_Reaches63PercentAfterOneTimeConstant()
    {
        var f = new LowPass { TauS = 2 };
        f.Reset(0);
        for (int i = 0; i < 200; i++) f.Step(1, 0.01);
        Assert.Equal(1 - Math.Exp(-1), f.Value, 9);
    }

    [Fact]
    public void Discretisation_IsExact_SoTheResultDoesNotDependOnTheStepSize()
    {
        var a = new LowPass { TauS = 0.3 };
        var b = new LowPass { TauS = 0.3 };
        a.Reset(0); b.Reset(0);
        a.Step(5, 0.2);
        b.Step(5, 0.1); b.Step(5, 0.1);
        Assert.Equal(a.Value, b.Value, 12);
    }

    [Fact]
    public void NaNSample_HoldsTheValue_AndFlagsAFault()
    {
        var f = new LowPass { TauS = 1 };
        f.Step(3, 0.1);
        f.Step(double.NaN, 0.1);
        Assert.True(f.Fault);
        Assert.Equal(3, f.Value);
    }
}

public class RateLimiterAndOnDelayTests
{
    [Fact]
    public void RateLimiter_RampsAtTheGivenRates()
    {
        // A ceramic target ramps at 0.3 W/cm2 per minute over 45.6 cm2: about 0.228 W/s.
        var r = new RateLimiter { RiseRatePerS = 0.228, FallRatePerS = 0.5 };
        r.Reset(0);
        for (int i = 0; i < 100; i++) r.Step(140, 0.1);
        Assert.Equal(2.28, r.Value, 9);
        Assert.True(r.Ramping);
        for (int i = 0; i < 10; i++) r.Step(0, 0.1);
        Assert.Equal(1.78, r.Value, 9);
        r.Step(double.NaN, 0.1);
        Assert.Equal(1.78, r.Value, 9);
    }

    [Fact]
    public void OnDelay_NeedsTheInputContinuouslyForThePreset()
    {
        var t = new OnDelay { PresetUs = 2_000_000 };
        Assert.False(t.Step(true, 0));
        Assert.False(t.Step(true, 1_999_999));
        Assert.True(t.Step(true, 2_000_000));
        Assert.False(t.Step(false, 2_100_000));
        Assert.False(t.Step(true, 2_200_000));
        Assert.True(t.Step(true, 4_200_000));
    }
}
