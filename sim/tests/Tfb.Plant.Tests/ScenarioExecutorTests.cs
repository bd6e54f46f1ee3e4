using Tfb.Plant.Core;
using Tfb.Plant.Io;
using Tfb.Plant.Models;
using Tfb.Plant.Scenarios;

namespace Tfb.Plant.Tests;

public class ScenarioExecutorTests
{
    private static VirtualPlant RampPlant()
    {
        // x.tensionN ramps at 10 N/s from 0; a load cell reads it.
        var plant = new VirtualPlant(1);
        plant.Add(new Ramp(plant));
        plant.Add(new Sensor(plant, new SensorDefinition { Name = "x.loadcell", Source = "x.tensionN", RangeMin = 0, RangeMax = 1000 }));
        return plant;
    }

    private sealed class Ramp : IPlantComponent
    {
        private readonly SignalRef _out;

        public Ramp(VirtualPlant plant) => _out = plant.Bus.Register("x.tensionN");

        public string Name => "x";

        public PlantPhase Phase => PlantPhase.Models;

        public void Step(double timeS, double dtS) => _out.Value = 10 * (timeS + dtS);
    }

    private static ScenarioReport Run(string text, VirtualPlant? plant = null) =>
        new ScenarioExecutor(ScenarioParser.Parse(text, "t.scn"), plant ?? RampPlant()).RunPlantOnly(0.01);

    [Fact]
    public void SignalExpectationsPassAndFailOnTheBusValues()
    {
        var report = Run("""
            duration 5s
            at 1s expect signal x.tensionN between 9.99 10.01
            at 2s expect signal x.loadcell above 25
            at 3s expect signal x.tensionN below 35 for 0.4s
            at 3s expect signal x.tensionN below 33 for 1s
            """);
        Assert.Equal(new[] { true, false, true, false }, report.Expectations.Select(e => e.Passed));
        Assert.False(report.Passed);
        Assert.Contains("x.loadcell = 20", report.Expectations[1].Detail);
        Assert.Equal(3.30, report.Expectations[3].DecidedAtS, 9); // 33 N is not below 33 N
    }

    [Fact]
    public void WithinPassesAtTheFirstSampleThatHolds_AndFailsAtTheWindowEnd()
    {
        var report = Run("""
            duration 5s
            at 1s expect signal x.tensionN above 0
            within 2s expect signal x.tensionN above 25
            within 500ms expect signal x.tensionN above 100
            """);
        Assert.True(report.Expectations[1].Passed);
        Assert.Equal(2.51, report.Expectations[1].DecidedAtS, 9);
        Assert.False(report.Expectations[2].Passed);
        Assert.Equal(1.5, report.Expectations[2].DecidedAtS, 9);
        Assert.Contains("never held", report.Expectations[2].Detail);
    }

    [Fact]
    public void FaultStepsActFromTheirTimeAndExpectationsAtTheSameTimeSeeTheStateBefore()
    {
        var report = Run("""
            duration 3s
            at 1s fault x.loadcell stuck 500
            at 1s expect signal x.loadcell between 9 11
            at 1.01s expect signal x.loadcell between 499 501
            at 2s clear x.loadcell
            at 2.01s expect signal x.loadcell between 20 20.2
            at 2.5s fault x.loadcell dropout
            at 2.6s expect signal x.loadcell invalid
            """);
        Assert.True(report.Passed, report.ToText());
    }

    [Fact]
    public void InvalidSignalFailsARangeExpectation()
    {
        var report = Run("""
            duration 1s
            at 0.5s fault x.loadcell dropout
            at 0.6s expect signal x.loadcell between -1000 1000
            """);
        Assert.False(report.Passed);
        Assert.Contains("(invalid)", report.Expectations[0].Detail);
    }

    [Fact]
    public void ScenarioThatDoesNotFitThePlantIsRefusedBeforeAnythingRuns()
    {
        var plant = RampPlant();
        Scenario s = ScenarioParser.Parse("""
            duration 1s
            board web
            trace x.tensionN x.nosuch
            at 0.1s fault x.loadcell melt
            at 0.2s fault x.loadcell drift
            at 0.3s clear y.loadcell
            at 0.4s expect signal x.tension above 1
            at 0.5s console web status
            at 0.6s mqtt ncmd web "Node Control/Rebirth" true
            at 0.7s expect alarm web 2001
            at 0.8s expect metric web m above 1
            at 0.9s expect console web contains "x"
            """, "fit.scn");
        var ex = Assert.Throws<ScenarioValidationException>(() => new ScenarioExecutor(s, plant));
        Assert.Equal(new[] { 0, 4, 5, 6, 7, 8, 9, 10, 11, 12 }, ex.Errors.Select(e => e.Line).OrderBy(l => l));
        Assert.Contains(ex.Errors, e => e.Message.Contains("has no fault 'melt'"));
        Assert.Contains(ex.Errors, e => e.Message.Contains("takes 1 parameter"));
        Assert.Contains(ex.Errors, e => e.Message.Contains("x.tensionN")); // suggestion for x.tension
        Assert.Equal(0, plant.StepCount);
        Assert.Empty(plant.Faults.Log);
    }

    [Fact]
    public void UnknownBoardIsRefusedWhenTheRunnerListsItsBoards()
    {
        Scenario s = ScenarioParser.Parse("duration 1s\nboard sputter\n", "b.scn");
        var hooks = new ScenarioHooks { Boards = new FakeRunner() };
        var ex = Assert.Throws<ScenarioValidationException>(() => new ScenarioExecutor(s, RampPlant(), hooks));
        Assert.Contains("board 'sputter' is not on this virtual line", ex.Message);
    }

    [Fact]
    public void ConsoleMqttAlarmAndMetricStepsGoThroughTheHooks()
    {
        var runner = new FakeRunner();
        var hooks = new ScenarioHooks { Console = runner, Mqtt = runner, Alarms = runner, Metrics = runner, Boards = runner };
        Scenario s = ScenarioParser.Parse("""
            duration 3s
            board web
            at 0.5s console web login technician 1234
            within 1s expect console web contains "welcome"
            at 1s mqtt ncmd web "Node Control/Rebirth" true
            at 1s mqtt dcmd web tension "Setpoint/TensionN" 300
            at 1.2s broker down
            within 500ms expect alarm web 2001
            at 2s expect metric web "Setpoint/TensionN" between 299 301
            at 2s expect metric web "Node Control/Rebirth" equals true
            at 2s expect metric web missing above 0
            at 2.5s expect noalarm web 2001
            """, "hooks.scn");
        var report = new ScenarioExecutor(s, RampPlant(), hooks).RunPlantOnly(0.01);

        Assert.Equal(new[] { "web: login technician 1234" }, runner.ConsoleLines);
        Assert.Equal(new[] { "web//Node Control/Rebirth=true", "web/tension/Setpoint/TensionN=300" }, runner.Commands);
        Assert.Equal(new[] { true, true, true, true, false, false }, report.Expectations.Select(e => e.Passed));
        Assert.Contains("not published", report.Expectations[4].Detail);
    }

    [Fact]
    public void HookExceptionsAndUnreachedStepsAreReportedAsFailures()
    {
        var runner = new FakeRunner { ThrowOnSend = true };
        Scenario s = ScenarioParser.Parse("duration 2s\nboard web\nat 0.5s console web status\nat 1.5s expect signal x.tensionN above 0\n", "h.scn");
        var exec = new ScenarioExecutor(s, RampPlant(), new ScenarioHooks { Console = runner });
        for (int i = 0; i < 100; i++)
        {
            exec.BeforeStep();
            // stepping the plant is the runner's job; here nothing advances past 0 s
        }

        ScenarioReport report = exec.Finish();
        Assert.False(report.Passed);
        Assert.Contains("not decided", report.Expectations[0].Detail);
        Assert.Contains(report.ActionFailures, f => f.Detail.Contains("not reached"));
        Assert.Contains("FAILED", report.ToText());
    }

    [Fact]
    public void WebBreakScenarioAgainstTheWebStation()
    {
        var plant = new VirtualPlant(7);
        WebStation.Add(plant, WebTransportConfig.Default() with { InitialSpeedMps = 1.0 / 60 });
        plant.Bus.Write("web.drum.speedCmdMps", 1.0 / 60);
        plant.Bus.Write("web.unwind.torqueCmdNm", -45);
        plant.Bus.Write("web.rewind.torqueCmdNm", 12);
        var report = new ScenarioExecutor(ScenarioParser.Parse("""
            seed 7
            duration 8s
            at 5s expect signal web.span1.loadcell between 270 330
            at 6s fault web.span1 break
            within 100ms expect signal web.span1.loadcell below 10
            at 7s expect signal web.span2.tensionN between 270 330
            """, "break.scn"), plant).RunPlantOnly(0.001);
        Assert.True(report.Passed, report.ToText());
    }

    private sealed class FakeRunner : IScenarioConsole, IScenarioMqtt, IScenarioAlarms, IScenarioMetrics, IScenarioBoards
    {
        private readonly Dictionary<string, ScenarioValue> _metrics = new();
        private bool _brokerDown;

        public List<string> ConsoleLines { get; } = new();

        public List<string> Commands { get; } = new();

        public bool ThrowOnSend { get; init; }

        public void SendLine(string board, string text)
        {
            if (ThrowOnSend)
            {
                throw new InvalidOperationException("serial link closed");
            }

            ConsoleLines.Add($"{board}: {text}");
        }

        public bool OutputContains(string board, string text) => ConsoleLines.Count > 0 && text == "welcome";

        public void SendCommand(string board, string? device, string metric, ScenarioValue value)
        {
            Commands.Add($"{board}/{device}/{metric}={value}");
            _metrics[metric] = value;
        }

        public void SetBrokerUp(bool up) => _brokerDown = !up;

        public bool IsAlarmActive(string board, int code) => board == "web" && code == 2001 && _brokerDown;

        public bool TryGetMetric(string board, string metric, out ScenarioValue value) => _metrics.TryGetValue(metric, out value!);

        public bool HasBoard(string board) => board == "web";
    }
}
