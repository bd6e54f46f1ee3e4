using Tfb.Plant.Core;
using Tfb.Plant.Faults;
using Tfb.Plant.Io;

namespace Tfb.Plant.Tests;

public class PlantRandomTests
{
    [Fact]
    public void SameSeedAndNameGiveSameSequence_DifferentNameGivesDifferent()
    {
        var a = PlantRandom.ForComponent(42, "web.span1.loadcell");
        var b = PlantRandom.ForComponent(42, "web.span1.loadcell");
        var c = PlantRandom.ForComponent(42, "web.span2.loadcell");
        var sa = Enumerable.Range(0, 100).Select(_ => a.NextUInt64()).ToArray();
        var sb = Enumerable.Range(0, 100).Select(_ => b.NextUInt64()).ToArray();
        var sc = Enumerable.Range(0, 100).Select(_ => c.NextUInt64()).ToArray();
        Assert.Equal(sa, sb);
        Assert.NotEqual(sa, sc);
    }

    [Fact]
    public void GaussianHasUnitVarianceAndZeroMean()
    {
        var r = new PlantRandom(7);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++)
        {
            double x = r.NextGaussian();
            sum += x;
            sumSq += x * x;
        }

        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
    }

    [Fact]
    public void UniformStaysInUnitInterval()
    {
        var r = new PlantRandom(1);
        for (int i = 0; i < 10_000; i++)
        {
            double u = r.NextDouble();
            Assert.True(u >= 0 && u < 1);
        }
    }
}

public class SignalBusTests
{
    [Fact]
    public void RegisterTwiceReturnsSameSignal()
    {
        var bus = new SignalBus();
        var a = bus.Register("web.span1.tensionN", 5);
        var b = bus.Register("web.span1.tensionN", 9);
        a.Value = 12;
        Assert.Equal(12, b.Value);
        Assert.Equal(1, bus.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("web span")]
    [InlineData("web.\"x\"")]
    [InlineData("web#1")]
    public void BadNamesAreRefused(string name)
    {
        Assert.Throws<ArgumentException>(() => new SignalBus().Register(name));
    }

    [Fact]
    public void UnknownNameErrorNamesNearSignals()
    {
        var bus = new SignalBus();
        bus.Register("web.span1.tensionN");
        var ex = Assert.Throws<KeyNotFoundException>(() => bus.Get("web.span1.tension"));
        Assert.Contains("web.span1.tensionN", ex.Message);
    }

    [Fact]
    public void TryReadFailsOnInvalidOrNaN()
    {
        var s = new SignalBus().Register("x.valueV", 2.5);
        Assert.True(s.TryRead(out double v));
        Assert.Equal(2.5, v);
        s.Set(1.0, false);
        Assert.False(s.TryRead(out v));
        Assert.True(double.IsNaN(v));
        s.Value = double.NaN;
        Assert.False(s.TryRead(out _));
    }

    [Fact]
    public void ValidityTravelsWithValue()
    {
        var s = new SignalBus().Register("x.valueV");
        s.Set(double.NaN, false);
        Assert.False(s.Valid);
        s.Value = 1;
        Assert.True(s.Valid);
    }
}

public class VirtualPlantTests
{
    private sealed class Recorder : IPlantComponent
    {
        private readonly List<string> _log;

        public Recorder(string name, PlantPhase phase, List<string> log)
        {
            Name = name;
            Phase = phase;
            _log = log;
        }

        public string Name { get; }

        public PlantPhase Phase { get; }

        public void Step(double timeS, double dtS) => _log.Add(Name);
    }

    [Fact]
    public void StepsActuatorsThenModelsThenSensorsInAddOrder()
    {
        var log = new List<string>();
        var plant = new VirtualPlant(1);
        plant.Add(new Recorder("s1", PlantPhase.Sensors, log));
        plant.Add(new Recorder("m1", PlantPhase.Models, log));
        plant.Add(new Recorder("a1", PlantPhase.Actuators, log));
        plant.Add(new Recorder("m2", PlantPhase.Models, log));
        plant.Step(0.001);
        Assert.Equal(new[] { "a1", "m1", "m2", "s1" }, log);
    }

    [Fact]
    public void TimeIsExactAfterManySteps()
    {
        var plant = new VirtualPlant(1);
        for (int i = 0; i < 12_000; i++)
        {
            plant.Step(0.001);
        }

        Assert.Equal(12_000_000_000L, plant.TimeNs);
        Assert.Equal(12.0, plant.TimeS);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.001)]
    [InlineData(double.NaN)]
    [InlineData(11.0)]
    public void BadStepIsRefused(double dt)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualPlant(1).Step(dt));
    }

    [Fact]
    public void DuplicateComponentNamesAreRefused()
    {
        var plant = new VirtualPlant(1);
        plant.Add(new Recorder("x", PlantPhase.Models, new List<string>()));
        Assert.Throws<ArgumentException>(() => plant.Add(new Recorder("x", PlantPhase.Models, new List<string>())));
    }
}
