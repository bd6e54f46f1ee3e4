using Tfb.Plant.Core;
using Tfb.Plant.Faults;
using Tfb.Plant.Io;

namespace Tfb.Plant.Tests;

public class SensorTests
{
    private static (VirtualPlant Plant, SignalRef Truth, Sensor Sensor) Make(SensorDefinition? def = null, ulong seed = 3)
    {
        var plant = new VirtualPlant(seed);
        var truth = plant.Bus.Register("x.tensionN", 100);
        var sensor = plant.Add(new Sensor(plant, def ?? new SensorDefinition { Name = "x.loadcell", Source = "x.tensionN", RangeMin = 0, RangeMax = 1000 }));
        return (plant, truth, sensor);
    }

    [Fact]
    public void IdealSensorReadsTheTruth()
    {
        var (plant, truth, sensor) = Make();
        truth.Value = 123.4;
        plant.Step(0.01);
        Assert.Equal(123.4, sensor.Output.Value);
        Assert.True(sensor.Output.Valid);
    }

    [Fact]
    public void GainOffsetApplyAndRangeClampsAtRails()
    {
        var (plant, truth, sensor) = Make(new SensorDefinition { Name = "x.s", Source = "x.tensionN", Gain = 1.02, Offset = -3, RangeMin = 0, RangeMax = 500 });
        truth.Value = 200;
        plant.Step(0.01);
        Assert.Equal(1.02 * 200 - 3, sensor.Output.Value, 9);
        truth.Value = 900;
        plant.Step(0.01);
        Assert.Equal(500, sensor.Output.Value);
    }

    [Fact]
    public void QuantisationSnapsToLsbOfTheRange()
    {
        // 8 bits over 0..255 -> 1 unit per code.
        var (plant, truth, sensor) = Make(new SensorDefinition { Name = "x.s", Source = "x.tensionN", RangeMin = 0, RangeMax = 255, AdcBits = 8 });
        truth.Value = 100.4;
        plant.Step(0.01);
        Assert.Equal(100, sensor.Output.Value);
        truth.Value = 100.6;
        plant.Step(0.01);
        Assert.Equal(101, sensor.Output.Value);
    }

    [Fact]
    public void FirstOrderLagReaches63PercentAfterOneTimeConstant()
    {
        var (plant, truth, sensor) = Make(new SensorDefinition { Name = "x.s", Source = "x.tensionN", LagS = 0.5 });
        truth.Value = 0;
        plant.Step(0.001);
        truth.Value = 100;
        plant.RunUntil(0.501, 0.001);
        Assert.Equal(100 * (1 - Math.Exp(-1)), sensor.Output.Value, 1);
    }

    [Fact]
    public void NoiseHasTheDefinedStandardDeviation()
    {
        var (plant, truth, sensor) = Make(new SensorDefinition { Name = "x.s", Source = "x.tensionN", NoiseStd = 2.0 });
        var xs = new List<double>();
        for (int i = 0; i < 20_000; i++)
        {
            plant.Step(0.001);
            xs.Add(sensor.Output.Value - 100);
        }

        double std = Math.Sqrt(xs.Select(x => x * x).Average());
        Assert.InRange(std, 1.95, 2.05);
    }

    [Fact]
    public void StuckWithoutValueFreezesAtLastReading_ClearResumes()
    {
        var (plant, truth, sensor) = Make();
        truth.Value = 150;
        plant.Step(0.01);
        plant.Faults.Inject("x.loadcell", "stuck", plant.TimeS);
        truth.Value = 300;
        plant.Step(0.01);
        Assert.Equal(150, sensor.Output.Value);
        plant.Faults.Clear("x.loadcell", plant.TimeS);
        plant.Step(0.01);
        Assert.Equal(300, sensor.Output.Value);
    }

    [Fact]
    public void StuckAtGivenValue()
    {
        var (plant, _, sensor) = Make();
        plant.Faults.Inject("x.loadcell", "stuck", 0, 120);
        plant.Step(0.01);
        Assert.Equal(120, sensor.Output.Value);
    }

    [Theory]
    [InlineData(SensorRail.High, 1000.0)]
    [InlineData(SensorRail.Low, 0.0)]
    [InlineData(SensorRail.NaN, double.NaN)]
    public void OpenReadsTheDefinedRail(SensorRail rail, double expected)
    {
        var (plant, _, sensor) = Make(new SensorDefinition { Name = "x.loadcell", Source = "x.tensionN", RangeMin = 0, RangeMax = 1000, OpenReads = rail });
        plant.Faults.Inject("x.loadcell", "open", 0);
        plant.Step(0.01);
        Assert.Equal(expected, sensor.Output.Value);
    }

    [Fact]
    public void ShortReadsTheShortRail()
    {
        var (plant, _, sensor) = Make();
        plant.Faults.Inject("x.loadcell", "short", 0);
        plant.Step(0.01);
        Assert.Equal(0, sensor.Output.Value);
    }

    [Fact]
    public void DriftGrowsAtTheGivenRateFromInjection()
    {
        var (plant, _, sensor) = Make();
        plant.RunUntil(1.0, 0.01);
        plant.Faults.Inject("x.loadcell", "drift", plant.TimeS, 0.5);
        plant.RunUntil(11.0, 0.01);
        Assert.Equal(100 + 0.5 * 10, sensor.Output.Value, 6);
    }

    [Fact]
    public void NanReadsNanButStaysValid_DropoutInvalidates()
    {
        var (plant, _, sensor) = Make();
        plant.Faults.Inject("x.loadcell", "nan", 0);
        plant.Step(0.01);
        Assert.True(double.IsNaN(sensor.Output.Value));
        Assert.True(sensor.Output.Valid);
        plant.Faults.Clear("x.loadcell", plant.TimeS);
        plant.Faults.Inject("x.loadcell", "dropout", plant.TimeS);
        plant.Step(0.01);
        Assert.False(sensor.Output.Valid);
    }

    [Fact]
    public void IntermittentDropoutFailsAboutTheGivenFraction()
    {
        var (plant, _, sensor) = Make();
        plant.Faults.Inject("x.loadcell", "dropout", 0, 0.3);
        int failed = 0;
        for (int i = 0; i < 10_000; i++)
        {
            plant.Step(0.001);
            failed += sensor.Output.Valid ? 0 : 1;
        }

        Assert.InRange(failed, 2800, 3200);
    }

    [Fact]
    public void NoisyAddsNoise()
    {
        var (plant, _, sensor) = Make();
        plant.Faults.Inject("x.loadcell", "noisy", 0, 5);
        var xs = Enumerable.Range(0, 5000).Select(_ => { plant.Step(0.001); return sensor.Output.Value; }).ToArray();
        double mean = xs.Average();
        double std = Math.Sqrt(xs.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(std, 4.7, 5.3);
    }

    [Fact]
    public void SameSeedGivesIdenticalNoisyReadings_OtherSeedDiffers()
    {
        double[] Run(ulong seed)
        {
            var (plant, _, sensor) = Make(new SensorDefinition { Name = "x.s", Source = "x.tensionN", NoiseStd = 1 }, seed);
            return Enumerable.Range(0, 100).Select(_ => { plant.Step(0.001); return sensor.Output.Value; }).ToArray();
        }

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void InvalidDefinitionIsRefused()
    {
        var plant = new VirtualPlant(1);
        plant.Bus.Register("x.v");
        Assert.Throws<ArgumentException>(() => new Sensor(plant, new SensorDefinition { Name = "a", Source = "x.v", AdcBits = 12 }));
        Assert.Throws<ArgumentException>(() => new Sensor(plant, new SensorDefinition { Name = "b", Source = "x.v", RangeMin = 5, RangeMax = 5 }));
        Assert.Throws<KeyNotFoundException>(() => new Sensor(plant, new SensorDefinition { Name = "c", Source = "x.missing" }));
    }
}

public class ActuatorTests
{
    private static (VirtualPlant Plant, Actuator Act) Make(ActuatorDefinition def)
    {
        var plant = new VirtualPlant(1);
        return (plant, plant.Add(new Actuator(plant, def)));
    }

    private static ActuatorDefinition Def(double rate = double.PositiveInfinity, double lag = 0) => new()
    {
        Name = "m.drive",
        Command = "m.torqueCmdNm",
        Output = "m.torqueNm",
        Min = -10,
        Max = 10,
        RateLimitPerS = rate,
        LagS = lag,
    };

    [Fact]
    public void CommandIsClampedToLimits()
    {
        var (plant, _) = Make(Def());
        plant.Bus.Write("m.torqueCmdNm", 25);
        plant.Step(0.001);
        Assert.Equal(10, plant.Bus.Read("m.torqueNm"));
    }

    [Fact]
    public void RateLimitBoundsTheSlope()
    {
        var (plant, _) = Make(Def(rate: 4));
        plant.Bus.Write("m.torqueCmdNm", 10);
        plant.RunUntil(1.0, 0.001);
        Assert.Equal(4, plant.Bus.Read("m.torqueNm"), 9);
    }

    [Fact]
    public void LagIsFirstOrder()
    {
        var (plant, _) = Make(Def(lag: 0.1));
        plant.Bus.Write("m.torqueCmdNm", 5);
        plant.RunUntil(0.1, 0.001);
        Assert.Equal(5 * (1 - Math.Exp(-1)), plant.Bus.Read("m.torqueNm"), 6);
    }

    [Fact]
    public void NanCommandAppliesSafeValueAndIsCounted()
    {
        var (plant, act) = Make(Def());
        plant.Bus.Write("m.torqueCmdNm", 5);
        plant.Step(0.001);
        plant.Bus.Write("m.torqueCmdNm", double.NaN);
        plant.Step(0.001);
        Assert.Equal(0, plant.Bus.Read("m.torqueNm"));
        Assert.Equal(1, act.InvalidCommandCount);
    }

    [Fact]
    public void StuckAndDeadFaults()
    {
        var (plant, _) = Make(Def());
        plant.Bus.Write("m.torqueCmdNm", 5);
        plant.Step(0.001);
        plant.Faults.Inject("m.drive", "stuck", plant.TimeS);
        plant.Bus.Write("m.torqueCmdNm", -5);
        plant.Step(0.001);
        Assert.Equal(5, plant.Bus.Read("m.torqueNm"));
        plant.Faults.Clear("m.drive", plant.TimeS);
        plant.Faults.Inject("m.drive", "dead", plant.TimeS);
        plant.Step(0.001);
        Assert.Equal(0, plant.Bus.Read("m.torqueNm"));
    }
}

public class FaultInjectorTests
{
    private static VirtualPlant Make()
    {
        var plant = new VirtualPlant(1);
        plant.Bus.Register("x.tensionN", 100);
        plant.Add(new Sensor(plant, new SensorDefinition { Name = "x.loadcell", Source = "x.tensionN", RangeMin = 0, RangeMax = 1000 }));
        return plant;
    }

    [Fact]
    public void ScheduledFaultAppliesAtItsTimeAndClearLater()
    {
        var plant = Make();
        plant.Faults.Execute("inject x.loadcell stuck 120 at 0.5s", 0);
        plant.Faults.Execute("clear x.loadcell at 800ms", 0);
        plant.RunUntil(0.499, 0.001);
        Assert.Equal(100, plant.Bus.Read("x.loadcell"));
        plant.RunUntil(0.6, 0.001);
        Assert.Equal(120, plant.Bus.Read("x.loadcell"));
        plant.RunUntil(0.9, 0.001);
        Assert.Equal(100, plant.Bus.Read("x.loadcell"));
        Assert.Equal(new[] { "stuck", "clear" }, plant.Faults.Log.Select(e => e.Action));
        Assert.Equal(0.5, plant.Faults.Log[0].TimeS, 9);
    }

    [Theory]
    [InlineData("inject x.nothing stuck", "no fault target named 'x.nothing'")]
    [InlineData("inject x.loadcell melt", "has no fault 'melt'")]
    [InlineData("inject x.loadcell drift", "takes 1 parameter")]
    [InlineData("inject x.loadcell stuck 1 2", "takes 0 to 1 parameter")]
    [InlineData("inject x.loadcell stuck abc", "not a number")]
    [InlineData("inject x.loadcell stuck 1 at 5", "has no unit")]
    [InlineData("inject x.loadcell stuck NaN", "finite")]
    [InlineData("clear x.nothing", "no fault target")]
    [InlineData("clear", "expected")]
    [InlineData("explode x.loadcell", "unknown fault command")]
    public void BadCommandsAreRefusedAndChangeNothing(string command, string expected)
    {
        var plant = Make();
        var ex = Assert.Throws<FaultException>(() => plant.Faults.Execute(command, 0));
        Assert.Contains(expected, ex.Message);
        plant.Step(0.01);
        Assert.Equal(100, plant.Bus.Read("x.loadcell"));
        Assert.Empty(plant.Faults.Log);
    }

    [Fact]
    public void ClearAllClearsEveryTarget()
    {
        var plant = Make();
        plant.Faults.Execute("inject x.loadcell open", 0);
        plant.Faults.Execute("clear all", 0);
        plant.Step(0.01);
        Assert.Equal(100, plant.Bus.Read("x.loadcell"));
    }
}
