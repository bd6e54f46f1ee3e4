using Tfb.Codes;
using Tfb.Stations.Web;

namespace Tfb.Firmware.Tests.Stations.Web;

public class JerkLimitedRampTests
{
    [Fact]
    public void ReachesTheTarget_WithinAccelerationAndJerkLimits_WithoutOvershoot()
    {
        var r = new JerkLimitedRamp { AccelPerS = 0.5, JerkPerS2 = 1 };
        double dt = 0.01, lastA = 0, maxV = 0;
        int steps = 0;
        while ((r.Ramping || steps == 0) && steps < 10000)
        {
            r.Step(2.0, dt);
            Assert.InRange(r.Accel, -0.5 - 1e-12, 0.5 + 1e-12);
            Assert.True(Math.Abs(r.Accel - lastA) <= 1 * dt + 1e-12 || r.Value == 2.0, "jerk within its limit");
            lastA = r.Accel;
            maxV = Math.Max(maxV, r.Value);
            steps++;
        }
        Assert.Equal(2.0, r.Value);
        Assert.Equal(2.0, maxV);
        // Trapezoid in acceleration: 0.5 s jerk up, 3.5 s at 0.5, 0.5 s down -> about 4.5 s.
        Assert.InRange(steps * dt, 4.3, 5.0);
    }

    [Fact]
    public void NonFiniteTarget_HoldsTheReference()
    {
        var r = new JerkLimitedRamp { AccelPerS = 1, JerkPerS2 = 1 };
        r.Reset(0.3);
        Assert.Equal(0.3, r.Step(double.NaN, 0.01));
        Assert.Equal(0.3, r.Step(1, double.NaN));
    }
}

public class RadiusEstimatorTests
{
    [Fact]
    public void IntegratedRadius_FollowsTheWoundLength()
    {
        // Unwind 150 mm, 20 um web: after L metres R = sqrt(R0^2 - t L / pi).
        var e = new RadiusEstimator { Unwind = true, ThicknessM = 20e-6, CoreRadiusM = 0.038 };
        e.Reset(0.150);
        for (int i = 0; i < 1000; i++) e.Step(1.0, 0, false, 1.0); // 1000 m at 1 m/s, no encoder
        Assert.Equal(Math.Sqrt(0.15 * 0.15 - 20e-6 * 1000 / Math.PI), e.RadiusM, 9);
    }

    [Fact]
    public void WrongStartRadius_IsPulledTowardVOverW_AndASuddenJumpIsReportedAsDivergence()
    {
        var e = new RadiusEstimator { Unwind = false, ThicknessM = 20e-6, CoreRadiusM = 0.038, FuseTauS = 5, VelocityTauS = 0.5 };
        e.Reset(0.104); // the operator typed 104 mm; the roll is 100 mm
        for (int i = 0; i < 6000; i++) e.Step(0.01, 0.01 / 0.100, true, 0.01);
        Assert.InRange(e.RadiusM, 0.0995, 0.1005);
        // The web slips: v/w now says 130 mm.
        for (int i = 0; i < 300; i++) e.Step(0.01, 0.01 / 0.130, true, 0.01);
        Assert.True(e.Divergence > 0.12, $"divergence {e.Divergence}");
        Assert.InRange(e.RadiusM, 0.099, 0.102); // the bias froze
    }
}

public class TensionTaperTests
{
    [Theory]
    [InlineData(TensionTaper.None, 0.3, 300)]
    [InlineData(TensionTaper.Linear, 0.1, 300)]        // below the start diameter
    [InlineData(TensionTaper.Linear, 0.25, 255)]       // half way 0.1 -> 0.4: 300 - 300*0.3*0.5
    [InlineData(TensionTaper.Linear, 0.5, 210)]        // beyond the end: the minimum, 70 %
    [InlineData(TensionTaper.Hyperbolic, 0.2, 255)]    // 300*(1 - 0.3*(0.2-0.1)/0.2)
    public void Taper(int mode, double diameterM, double expectedN)
    {
        Assert.Equal(expectedN, TensionTaper.Apply(mode, 300, diameterM, 0.1, 0.4, 0.7, 0.3), 9);
    }
}

public class EncoderSpeedTests
{
    [Fact]
    public void SpeedFromPeriod_FallsWithAgeWhenEdgesStop_AndNaNIsInvalid()
    {
        var e = new EncoderSpeed { CountsPerRev = 10000 };
        Assert.True(e.Update(1000, true, 200, true));
        Assert.Equal(2 * Math.PI / 10000 / 1e-3, e.OmegaRadps, 9);
        Assert.True(e.Update(1000, true, 4000, true)); // no edge for 4 periods: at most one count per 4 ms
        Assert.Equal(2 * Math.PI / 10000 / 4e-3, e.OmegaRadps, 9);
        Assert.True(e.Update(1000, true, 16_500_000, true));
        Assert.Equal(0, e.OmegaRadps);
        Assert.False(e.Update(double.NaN, true, 10, true));
        Assert.False(e.Valid);
        Assert.False(e.Update(1000, false, 10, true));
    }
}

public class RelayAutotuneTests
{
    // Static gain k with a pure delay of d steps: the relay-integrator cycle sits where the delay gives -90 deg.
    private static RelayAutotune Run(double k, int delaySteps, double amplitudeNm, double abortN)
    {
        var tune = new RelayAutotune { AbortErrorN = abortN, HysteresisN = 0.2 };
        tune.Start(amplitudeNm);
        var pipe = new Queue<double>(Enumerable.Repeat(0.0, delaySteps));
        double u = 0;
        for (int i = 0; i < 6000 && tune.Active; i++)
        {
            pipe.Enqueue(u);
            double y = k * pipe.Dequeue();
            u = tune.Step(-y, 0.01);
        }
        return tune;
    }

    [Fact]
    public void OnADelayedStaticPlant_FindsTheMinus90DegreePoint()
    {
        var t = Run(k: 10, delaySteps: 5, amplitudeNm: 0.5, abortN: 100);
        Assert.True(t.Done && t.Sane, $"fail {t.FailReason}");
        // -90 deg from a 50 ms delay: a quarter period = 50 ms plus the relay's hysteresis; Tu about 0.2-0.3 s.
        Assert.InRange(t.TuS, 0.18, 0.32);
        // Ki_u = w / |P| = w / 10.
        Assert.Equal(2 * Math.PI / t.TuS / 10, t.Ku, 0.35 * t.Ku);
    }

    [Fact]
    public void AnExcursionBeyondTheAbortLimit_EndsTheRunUnsaved()
    {
        var t = Run(k: 10, delaySteps: 5, amplitudeNm: 5, abortN: 20);
        Assert.False(t.Active);
        Assert.False(t.Sane);
        Assert.Equal(1, t.FailReason);
    }

    [Fact]
    public void Cancel_LeavesNoResult()
    {
        var t = new RelayAutotune();
        t.Start(1);
        t.Step(0.5, 0.01);
        t.Cancel();
        Assert.False(t.Active);
        Assert.False(t.Done);
        Assert.Equal(0, t.Output);
    }
}

public class WebControllerCommandTests
{
    private static WebController Healthy()
    {
        var c = new WebController(new WebParameters());
        c.Span1Valid = c.Span2Valid = true;
        for (int i = 0; i < 3; i++) { c.EncValid[i] = true; c.EncPeriodUs[i] = 16_000_000; c.EncAgeUs[i] = 16_000_000; c.DriveReady[i] = true; }
        c.Step(0.01, 10_000);
        return c;
    }

    [Fact]
    public void BadSetpoints_AreRefusedWithTheirCodes_AndChangeNothing()
    {
        var c = Healthy();
        Assert.Equal((int)ErrorCode.BadArgument, c.SetSpeed(double.NaN));
        Assert.Equal((int)ErrorCode.OutOfRange, c.SetSpeed(1.0));
        Assert.Equal((int)ErrorCode.BadArgument, c.SetTension(double.PositiveInfinity));
        Assert.Equal((int)ErrorCode.OutOfRange, c.SetTension(10));
        Assert.Equal((int)ErrorCode.BadState, c.Jog(0.001));
        Assert.Equal((int)ErrorCode.BadState, c.Run());
        Assert.Equal((int)ErrorCode.OutOfRange, c.NewRolls(0.01, 0.04));
        Assert.Equal(0, c.SpeedSetpointMps);
        Assert.Equal(300, c.TensionSetpointN);
        Assert.Equal(WebState.Idle, c.State);
        Assert.False(c.DrivesEnabled);
    }

    [Fact]
    public void ThreadIsRefused_WhileALoadCellReadsNaN_OrADriveIsNotReady()
    {
        var c = Healthy();
        c.Span2TensionN = double.NaN;
        Assert.Equal((int)ErrorCode.InterlockActive, c.Thread());
        c.Span2TensionN = 0;
        c.DriveReady[1] = false;
        Assert.Equal((int)ErrorCode.InterlockActive, c.Thread());
        c.DriveReady[1] = true;
        Assert.Equal(0, c.Thread());
        Assert.Equal(WebState.Thread, c.State);
    }

    [Fact]
    public void ATrip_DropsThePermitAndLatches_UntilAResetWithTheConditionGone()
    {
        var c = Healthy();
        Assert.Equal(0, c.Thread());
        c.Step(0.01, 20_000);
        c.Trip(WebFault.Drive, 0);
        Assert.Equal(WebState.FaultStop, c.State);
        Assert.False(c.Permit);
        Assert.Equal((int)ErrorCode.ConditionPresent, c.ResetFaults(WebFault.Drive)); // drives still enabled
        for (int i = 0; i < 100; i++) c.Step(0.01, 30_000 + i * 10_000);
        Assert.False(c.DrivesEnabled);
        c.DriveReady[0] = false;
        Assert.Equal((int)ErrorCode.ConditionPresent, c.ResetFaults(WebFault.Drive));
        c.DriveReady[0] = true;
        Assert.Equal(0, c.ResetFaults(WebFault.Drive));
        Assert.Equal(WebState.Idle, c.State);
        Assert.False(c.DrivesEnabled);
    }
}
