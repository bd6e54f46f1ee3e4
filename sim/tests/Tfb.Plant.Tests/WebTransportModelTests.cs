using Tfb.Plant.Core;
using Tfb.Plant.Models;

namespace Tfb.Plant.Tests;

/// <summary>
/// Web physics for 20 um x 300 mm SS304: E*A = 193 GPa * 6e-6 m2 = 1.158 MN, so a 1 m span gains
/// 1.158 N per um of stretch. Tension is the integral of the speed difference; a pure speed-mode pair
/// cannot hold it (it ramps), a braking torque on the unwind can.
/// </summary>
public class WebTransportModelTests
{
    private const double LineSpeedMps = 1.0 / 60.0; // 1 m/min
    private static readonly double s_ea = new WebMaterial().StiffnessN;

    private static WebTransportConfig SpeedPair(double substepS = 1e-3, RollerKind firstKind = RollerKind.Unwind, double damping = 500) => new()
    {
        Rollers = new[]
        {
            new RollerConfig { Name = "unwind", Kind = firstKind, Mode = DriveMode.Speed, RadiusM = 0.15 },
            new RollerConfig { Name = "drum", Kind = RollerKind.Driven, Mode = DriveMode.Speed, RadiusM = 0.1 },
        },
        Spans = new[] { new SpanConfig { Name = "span1", LengthM = 1.0, DampingNsPerM = damping } },
        MaxSubstepS = substepS,
    };

    [Fact]
    public void SpeedMismatchOfOneHundredthPercentRampsTensionByAboutTwoNewtonsPerSecond()
    {
        // dT/dt = (EA/L)*(v1 - v0) = 1.158e6 * (1e-4 * 1/60) = 1.93 N/s at the start (T still small).
        var plant = new VirtualPlant(1);
        plant.Add(new WebTransportModel(plant, SpeedPair()));
        plant.Bus.Write("web.unwind.speedRefMps", LineSpeedMps);
        plant.Bus.Write("web.drum.speedRefMps", LineSpeedMps * (1 + 1e-4));
        plant.RunUntil(1.0, 0.001);
        double rate = plant.Bus.Read("web.span1.tensionN") / 1.0;
        Assert.Equal(s_ea * 1e-4 * LineSpeedMps, rate, 0.03);
        Assert.InRange(rate, 1.85, 2.0);
    }

    [Fact]
    public void SpeedDrawSettlesAtStrainTimesStiffnessWithSpanTimeConstant()
    {
        // Steady state of the strain form with T0 = 0: T = EA*(v1 - v0)/v1; time constant L/v1 = 60 s.
        var plant = new VirtualPlant(1);
        plant.Add(new WebTransportModel(plant, SpeedPair(substepS: 0.01, firstKind: RollerKind.Driven)));
        double v1 = LineSpeedMps * (1 + 1e-4);
        plant.Bus.Write("web.unwind.speedRefMps", LineSpeedMps);
        plant.Bus.Write("web.drum.speedRefMps", v1);
        double expected = s_ea * (v1 - LineSpeedMps) / v1;
        plant.RunUntil(60.0, 0.01);
        Assert.Equal(expected * (1 - Math.Exp(-1)), plant.Bus.Read("web.span1.tensionN"), expected * 0.01);
        plant.RunUntil(900.0, 0.01);
        Assert.Equal(expected, plant.Bus.Read("web.span1.tensionN"), expected * 0.002);
    }

    [Fact]
    public void BrakingTorqueOnTheUnwindHoldsTensionAgainstTheSpeedMaster()
    {
        // Torque balance of the unwind at constant speed: R*T + u - b*w - Fc = 0, so u = -300 N * R
        // gives T = 300 + (b*w + Fc)/R. Same on the rewind: u = +300 N * R_rewind (plus its friction).
        var config = WebTransportConfig.Default() with { InitialSpeedMps = LineSpeedMps };
        var plant = new VirtualPlant(1);
        var model = plant.Add(new WebTransportModel(plant, config));
        RollerConfig unwind = config.Rollers[0], rewind = config.Rollers[2];
        plant.Bus.Write("web.drum.speedRefMps", LineSpeedMps);
        for (int i = 0; i < 20_000; i++)
        {
            // The firmware's feed-forward, recomputed from the true radius each step.
            plant.Bus.Write("web.unwind.torqueNm", -300 * plant.Bus.Read("web.unwind.radiusM"));
            plant.Bus.Write("web.rewind.torqueNm", 300 * plant.Bus.Read("web.rewind.radiusM"));
            plant.Step(0.001);
        }

        double rU = plant.Bus.Read("web.unwind.radiusM");
        double wU = plant.Bus.Read("web.unwind.omegaRadps");
        double rR = plant.Bus.Read("web.rewind.radiusM");
        double wR = plant.Bus.Read("web.rewind.omegaRadps");
        Assert.Equal(300 + (unwind.ViscousNmsPerRad * wU + unwind.CoulombNm) / rU, plant.Bus.Read("web.span1.tensionN"), 0.5);
        Assert.Equal(300 - (rewind.ViscousNmsPerRad * wR + rewind.CoulombNm) / rR, plant.Bus.Read("web.span2.tensionN"), 0.5);

        // Mass flow: the web leaves the unwind unstretched and crosses the drum stretched by T/EA,
        // so the unwind surface runs slower: v0 = v1*(1 - T1/EA) (2.6e-4 slower at 300 N).
        double t1 = plant.Bus.Read("web.span1.tensionN");
        Assert.Equal(LineSpeedMps * (1 - t1 / s_ea), plant.Bus.Read("web.unwind.speedMps"), 1e-9);
        Assert.NotNull(model);
    }

    [Fact]
    public void RollRadiusFollowsWebThicknessTimesLengthPaidOut()
    {
        // Area conservation: pi*(R0^2 - R^2) = t*L, so after 100 m of 20 um foil R = sqrt(R0^2 - t*L/pi).
        var config = new WebTransportConfig
        {
            Rollers = new[]
            {
                new RollerConfig { Name = "unwind", Kind = RollerKind.Unwind, Mode = DriveMode.Speed, RadiusM = 0.15 },
                new RollerConfig { Name = "rewind", Kind = RollerKind.Rewind, Mode = DriveMode.Speed, RadiusM = 0.04 },
            },
            Spans = new[] { new SpanConfig { Name = "span1" } },
            MaxSubstepS = 0.01,
        };
        var plant = new VirtualPlant(1);
        plant.Add(new WebTransportModel(plant, config));
        plant.Bus.Write("web.unwind.speedRefMps", 1.0);
        plant.Bus.Write("web.rewind.speedRefMps", 1.0);
        plant.RunUntil(100.0, 0.01);
        double t = 20e-6, length = 100.0;
        Assert.Equal(Math.Sqrt(0.15 * 0.15 - t * length / Math.PI), plant.Bus.Read("web.unwind.radiusM"), 2e-6);
        Assert.Equal(Math.Sqrt(0.04 * 0.04 + t * length / Math.PI), plant.Bus.Read("web.rewind.radiusM"), 2e-6);
    }

    [Fact]
    public void RollInertiaGrowsWithTheFourthPowerOfRadius_AboutTwoHundredfoldFromCoreToFull()
    {
        var config = WebTransportConfig.Default();
        var plant = new VirtualPlant(1);
        var model = plant.Add(new WebTransportModel(plant, config));
        RollerConfig unwind = config.Rollers[0];
        double full = model.InertiaAt(unwind, 0.150);
        double empty = model.InertiaAt(unwind, unwind.CoreRadiusM);
        double webPart = Math.PI * 8000 * 0.3 / 2 * (Math.Pow(0.150, 4) - Math.Pow(0.038, 4));
        Assert.Equal(unwind.MotorInertiaKgM2 + unwind.CoreInertiaKgM2 + webPart, full, 9);
        Assert.InRange(full / empty, 100, 300);
        Assert.Equal(full, plant.Bus.Read("web.unwind.inertiaKgm2"), 9);
    }

    [Fact]
    public void WebBreakCollapsesTensionAndLetsTheBrakedUnwindDecelerate()
    {
        var config = WebTransportConfig.Default() with { InitialSpeedMps = LineSpeedMps };
        var plant = new VirtualPlant(1);
        WebStation.Add(plant, config);
        plant.Bus.Write("web.drum.speedCmdMps", LineSpeedMps);
        plant.Bus.Write("web.unwind.torqueCmdNm", -300 * 0.15);
        plant.Bus.Write("web.rewind.torqueCmdNm", 300 * 0.04);
        plant.RunUntil(10.0, 0.001);
        Assert.InRange(plant.Bus.Read("web.span1.tensionN"), 280, 320);
        double omegaBefore = plant.Bus.Read("web.unwind.omegaRadps");

        plant.Faults.Execute("inject web.span1 break", plant.TimeS);
        plant.Step(0.001);
        Assert.Equal(0, plant.Bus.Read("web.span1.tensionN"));
        plant.RunUntil(10.2, 0.001);
        Assert.Equal(0, plant.Bus.Read("web.span1.tensionN"));
        Assert.True(plant.Bus.Read("web.span1.loadcell") < 5, "the load cell sees the collapse within its lag");

        // No web to pull it: 45 N m of brake on a ~1.9 kg m2 roll stops it in well under 0.1 s.
        Assert.True(plant.Bus.Read("web.unwind.omegaRadps") < omegaBefore - 1.0);
    }

    [Fact]
    public void OutOfRoundRollRipplesTensionOncePerRevolution()
    {
        // A speed-held roll with radius R*(1 + e*sin(theta)) feeds speed v*(1 + e*sin(w*t)). The span is a
        // first-order filter with corner v/L, so the ripple amplitude is (EA/L)*e*v / sqrt(w^2 + (v/L)^2)
        // = EA*e*R / sqrt(L^2 + R^2): 150 um of runout on a 150 mm roll gives about 172 N.
        const double e = 1e-3, r = 0.15, l = 1.0, v = 0.05;
        var plant = new VirtualPlant(1);
        plant.Add(new WebTransportModel(plant, SpeedPair(substepS: 0.01, damping: 0)));
        plant.Bus.Write("web.unwind.speedRefMps", v);
        plant.Bus.Write("web.drum.speedRefMps", v * (1 + 5e-4)); // mean ~580 N keeps the web taut
        plant.Faults.Execute("inject web.unwind outofround 0.001", 0);
        plant.RunUntil(300.0, 0.01);

        double revolutionS = 2 * Math.PI * r / v;
        var samples = new List<double>();
        while (plant.TimeS < 300.0 + 4 * revolutionS)
        {
            plant.Step(0.01);
            samples.Add(plant.Bus.Read("web.span1.tensionN"));
        }

        double amplitude = (samples.Max() - samples.Min()) / 2;
        Assert.Equal(s_ea * e * r / Math.Sqrt(l * l + r * r), amplitude, 172 * 0.03);
        double mean = samples.Average();
        int crossings = samples.Zip(samples.Skip(1), (a, b) => (a - mean) * (b - mean) < 0 ? 1 : 0).Sum();
        Assert.InRange(crossings, 7, 9); // two per revolution over four revolutions
    }

    [Fact]
    public void HotSpanLosesTensionByStiffnessTimesThermalStrain()
    {
        // T = E*A*(strain - alpha*dT): 10 K on 20 um x 300 mm SS304 relieves 1.158e6 * 17.3e-6 * 10 = 200 N.
        var plant = new VirtualPlant(1);
        plant.Add(new WebTransportModel(plant, SpeedPair(substepS: 0.01, firstKind: RollerKind.Driven)));
        plant.Bus.Write("web.unwind.speedRefMps", LineSpeedMps);
        plant.Bus.Write("web.drum.speedRefMps", LineSpeedMps * (1 + 4e-4));
        plant.RunUntil(900, 0.01);
        double cold = plant.Bus.Read("web.span1.tensionN");
        plant.Faults.Execute("inject web.span1 thermalstep 10", plant.TimeS);
        plant.Step(0.01);
        Assert.Equal(cold - s_ea * 17.3e-6 * 10, plant.Bus.Read("web.span1.tensionN"), 0.5);
        plant.Faults.Execute("clear web.span1", plant.TimeS);
        plant.Step(0.01);
        Assert.Equal(cold, plant.Bus.Read("web.span1.tensionN"), 0.5);
    }

    [Fact]
    public void BearingDragAddsFrictionTorque()
    {
        var config = WebTransportConfig.Default() with { InitialSpeedMps = LineSpeedMps };
        double Run(bool drag)
        {
            var plant = new VirtualPlant(1);
            plant.Add(new WebTransportModel(plant, config));
            plant.Bus.Write("web.drum.speedRefMps", LineSpeedMps);
            plant.Bus.Write("web.unwind.torqueNm", -45);
            plant.Bus.Write("web.rewind.torqueNm", 12);
            if (drag)
            {
                plant.Faults.Execute("inject web.unwind drag 1.5", 0);
            }

            plant.RunUntil(10.0, 0.001);
            return plant.Bus.Read("web.span1.tensionN");
        }

        // Extra 1.5 N m of drag on a 150 mm roll adds 10 N of tension.
        Assert.Equal(1.5 / 0.15, Run(true) - Run(false), 0.2);
    }

    [Fact]
    public void SameSeedGivesBitIdenticalTrajectories_OtherSeedDiffers()
    {
        double[][] Run(ulong seed)
        {
            // The whole line: web, sputter (arcs are random) and anneal, all with noisy sensors.
            var plant = VirtualLinePlant.Build(seed);
            plant.Bus.Write("web.drum.speedCmdMps", LineSpeedMps);
            plant.Bus.Write("web.unwind.torqueCmdNm", -45);
            plant.Bus.Write("sputter.chamber.flowCmdSccm", 20);
            plant.Bus.Write("wire.web_ok", 1); // the generator's hard loop is closed, so arcs happen
            plant.Bus.Write("sputter.rf1.rfOnCmd", 1);
            plant.Bus.Write("sputter.rf1.powerCmdW", 100);
            plant.Bus.Write("anneal.contactorCmd", 1);
            plant.Bus.Write("anneal.zone2.ssrCmd", 1);
            plant.Faults.Execute("inject web.span1.loadcell noisy 3 at 0.5s", 0);
            plant.Faults.Execute("inject sputter.rf1 arcstorm 50", 0);
            var rows = new List<double[]>();
            for (int i = 0; i < 1000; i++)
            {
                plant.Step(0.001);
                rows.Add(plant.Bus.Names.Select(plant.Bus.Read).ToArray());
            }

            return rows.ToArray();
        }

        var a = Run(42);
        var b = Run(42);
        var c = Run(43);
        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i].Select(BitConverter.DoubleToInt64Bits), b[i].Select(BitConverter.DoubleToInt64Bits));
        }

        Assert.NotEqual(a[^1].Select(BitConverter.DoubleToInt64Bits), c[^1].Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void InconsistentConfigurationIsRefused()
    {
        var plant = new VirtualPlant(1);
        Assert.Throws<ArgumentException>(() => new WebTransportModel(plant, WebTransportConfig.Default() with { Spans = new[] { new SpanConfig { Name = "s" } } }));
        Assert.Throws<ArgumentException>(() => new WebTransportModel(new VirtualPlant(1), WebTransportConfig.Default() with
        {
            Rollers = new[] { new RollerConfig { Name = "a" }, new RollerConfig { Name = "a" } },
            Spans = new[] { new SpanConfig { Name = "s" } },
        }));
    }
}
