using Tfb.Plant.Scenarios;

namespace Tfb.Plant.Tests;

public class ScenarioParserTests
{
    private const string Example = """
        # Web break while running: the load cell sees the collapse.
        scenario "web break at speed"
        seed 42
        duration 60s
        board web
        trace web.span1.tensionN web.drum.speedMps
        at 2.0s console web login technician 1234
        at 5s mqtt ncmd web "Node Control/Rebirth" true
        at 5s mqtt dcmd web tension "Setpoint/TensionN" 300.5   # device command
        at 10s fault web.span1.loadcell stuck 120
        at 12s expect signal web.span1.tensionN between 100 200
        within 3s expect alarm web 2001
        after 500ms clear all
        at 20s expect signal web.span1.loadcell above 50 for 2.5s
        at 30s expect metric web "Properties/State" equals "RUNNING"
        at 31s expect console web contains "OK"
        at 32s broker down
        at 40s broker up
        at 41s expect noalarm web 2001
        at 42s expect signal web.span1.loadcell invalid
        at 1min expect signal web.span1.tensionN below 1e3
        """;

    [Fact]
    public void ParsesTheReferenceExample()
    {
        Scenario s = ScenarioParser.Parse(Example, "break.scn");
        Assert.Equal("web break at speed", s.Title);
        Assert.Equal(42UL, s.Seed);
        Assert.Equal(60.0, s.DurationS);
        Assert.Equal(new[] { "web" }, s.Boards);
        Assert.Equal(new[] { "web.span1.tensionN", "web.drum.speedMps" }, s.TraceSignals);
        Assert.Equal(15, s.Steps.Length);

        var console = Assert.IsType<ConsoleStep>(s.Steps[0]);
        Assert.Equal(("web", "login technician 1234", 2.0), (console.Board, console.Text, console.AtS));
        Assert.Equal(7, console.Source.Line);

        var ncmd = Assert.IsType<MqttCommandStep>(s.Steps[1]);
        Assert.Null(ncmd.Device);
        Assert.Equal("Node Control/Rebirth", ncmd.Metric);
        Assert.Equal(ScenarioValue.Of(true), ncmd.Value);

        var dcmd = Assert.IsType<MqttCommandStep>(s.Steps[2]);
        Assert.Equal("tension", dcmd.Device);
        Assert.Equal("at 5s mqtt dcmd web tension \"Setpoint/TensionN\" 300.5", dcmd.Source.Text); // comment dropped
        Assert.Equal(ScenarioValue.Of(300.5), dcmd.Value);

        var fault = Assert.IsType<FaultStep>(s.Steps[3]);
        Assert.Equal(("web.span1.loadcell", "stuck", 10.0), (fault.Target, fault.Fault, fault.AtS));
        Assert.Equal(new[] { 120.0 }, fault.Parameters);

        var at = Assert.IsType<ExpectStep>(s.Steps[4]);
        Assert.Equal(ExpectWindow.At, at.Window);
        Assert.Equal(new SignalCondition("web.span1.tensionN", new Comparison(ComparisonKind.Between, 100, 200, null)), at.Condition);

        var within = Assert.IsType<ExpectStep>(s.Steps[5]);
        Assert.Equal((ExpectWindow.Within, 12.0, 15.0), (within.Window, within.AtS, within.EndS));
        Assert.Equal(new AlarmCondition("web", 2001, true), within.Condition);

        var clear = Assert.IsType<ClearFaultStep>(s.Steps[6]);
        Assert.Equal(("all", 12.5), (clear.Target, clear.AtS));

        var hold = Assert.IsType<ExpectStep>(s.Steps[7]);
        Assert.Equal((ExpectWindow.For, 20.0, 22.5), (hold.Window, hold.AtS, hold.EndS));

        var metric = Assert.IsType<ExpectStep>(s.Steps[8]);
        Assert.Equal(new MetricCondition("web", "Properties/State", new Comparison(ComparisonKind.Equals, double.NaN, double.NaN, ScenarioValue.Of("RUNNING"))), metric.Condition);

        Assert.Equal(new ConsoleOutputCondition("web", "OK"), ((ExpectStep)s.Steps[9]).Condition);
        Assert.False(Assert.IsType<BrokerStep>(s.Steps[10]).Up);
        Assert.True(Assert.IsType<BrokerStep>(s.Steps[11]).Up);
        Assert.Equal(new AlarmCondition("web", 2001, false), ((ExpectStep)s.Steps[12]).Condition);
        Assert.Equal(new SignalValidityCondition("web.span1.loadcell", false), ((ExpectStep)s.Steps[13]).Condition);
        Assert.Equal(60.0, s.Steps[14].AtS);
    }

    [Fact]
    public void QuotesKeepSpacesAndEscapes_HashInsideQuotesIsText()
    {
        Scenario s = ScenarioParser.Parse("duration 1s\nboard web\nat 0s console web \"set name \\\"a # b\\\" \\\\\"\n", "q");
        Assert.Equal("set name \"a # b\" \\", ((ConsoleStep)s.Steps[0]).Text);
    }

    [Fact]
    public void SeedDefaultsToOneAndCrLfIsAccepted()
    {
        Scenario s = ScenarioParser.Parse("duration 10ms\r\n# nothing else\r\n", "d");
        Assert.Equal(1UL, s.Seed);
        Assert.Equal(0.01, s.DurationS);
        Assert.Empty(s.Steps);
    }

    [Theory]
    [InlineData("150ms", 0.15)]
    [InlineData("2.5s", 2.5)]
    [InlineData("1.5min", 90)]
    [InlineData("2h", 7200)]
    [InlineData("0s", 0)]
    public void TimesCarryUnits(string token, double seconds)
    {
        Assert.True(ScenarioTime.TryParse(token, out double s, out _));
        Assert.Equal(seconds, s, 12);
    }

    public static TheoryData<string, int, string> BadInputs => new()
    {
        { "at 1s fault x stuck", 0, "no 'duration' line" },
        { "duration 10s\nduration 20s", 2, "duration given twice (first on line 1)" },
        { "duration 10", 1, "time '10' has no unit" },
        { "duration 10sec", 1, "unknown unit 'sec'" },
        { "duration -5s", 1, "is not a time" },
        { "duration 1e3s", 1, "unknown unit 'e3s'" },
        { "duration 1.2.3s", 1, "is not a time" },
        { "duration .5s", 1, "is not a time" },
        { "duration 0s", 1, "longer than zero" },
        { "duration 1001h", 1, "longer than the longest run (1000 h)" },
        { "duration \"10s\"", 1, "must not be quoted" },
        { "duration 10s 20s", 1, "unexpected '20s'" },
        { "duration 10s\nseed -1", 2, "not a whole number" },
        { "duration 10s\nseed 1.5", 2, "not a whole number" },
        { "duration 10s\nseed 18446744073709551616", 2, "not a whole number" },
        { "duration 10s\nseed 1\nseed 2", 3, "seed given twice" },
        { "duration 10s\nseed", 2, "line ends where a seed" },
        { "duration 10s\nboard Web", 2, "board name 'Web' must start with a-z" },
        { "duration 10s\nboard web!", 2, "board name 'web!'" },
        { "duration 10s\nboard web\nboard web", 3, "declared twice" },
        { "duration 10s\nboard \"web\"", 2, "board name" },
        { "duration 10s\ntrace", 2, "at least one signal" },
        { "duration 10s\ntrace a.b a.b", 2, "traced twice" },
        { "duration 10s\ntrace \"a.b\"", 2, "without quotes" },
        { "duration 10s\nfrobnicate", 2, "unknown keyword 'frobnicate'" },
        { "duration 10s\n\"at\" 1s", 2, "starts with a keyword" },
        { "duration 10s\nat", 2, "line ends where a time" },
        { "duration 10s\nat 1s", 2, "line ends where an action" },
        { "duration 10s\nat 1s explode web", 2, "unknown action 'explode'" },
        { "duration 10s\nat 1 fault a b", 2, "has no unit" },
        { "duration 10s\nat 5s fault a b\nat 2s fault a b", 3, "comes before the previous step (5.000s)" },
        { "duration 10s\nat 11s fault a b", 2, "after the duration 10.000s" },
        { "duration 10s\nat 9s expect signal a.b above 1 for 2s", 2, "step ends at 11.000s" },
        { "duration 10s\nat 9s fault a b\nwithin 2s expect signal a.b above 1", 3, "step ends at 11.000s" },
        { "duration 10s\nat 1s fault a", 2, "line ends where a fault name" },
        { "duration 10s\nat 1s fault a stuck x", 2, "'x' is not a finite number" },
        { "duration 10s\nat 1s fault a stuck NaN", 2, "'NaN' is not a finite number" },
        { "duration 10s\nat 1s fault a stuck Infinity", 2, "not a finite number" },
        { "duration 10s\nat 1s fault \"a\" stuck", 2, "without quotes" },
        { "duration 10s\nat 1s clear", 2, "line ends where a fault target" },
        { "duration 10s\nat 1s clear a b", 2, "unexpected 'b'" },
        { "duration 10s\nat 1s console web hello", 2, "board 'web' is not declared" },
        { "duration 10s\nboard web\nat 1s console web", 3, "needs the text" },
        { "duration 10s\nboard web\nat 1s mqtt xcmd web m 1", 3, "expected ncmd or dcmd" },
        { "duration 10s\nboard web\nat 1s mqtt ncmd web m", 3, "line ends where a value" },
        { "duration 10s\nboard web\nat 1s mqtt ncmd web m yes", 3, "value 'yes' is not true, false" },
        { "duration 10s\nboard web\nat 1s mqtt ncmd web m 1 2", 3, "unexpected '2'" },
        { "duration 10s\nboard web\nat 1s mqtt ncmd web \"\" 1", 3, "metric name is empty" },
        { "duration 10s\nat 1s broker sideways", 2, "expected up or down" },
        { "duration 10s\nat 1s expect", 2, "line ends where signal, alarm" },
        { "duration 10s\nat 1s expect temperature a above 1", 2, "unknown expectation 'temperature'" },
        { "duration 10s\nat 1s expect signal a.b", 2, "line ends where a comparison" },
        { "duration 10s\nat 1s expect signal a.b near 3", 2, "unknown comparison 'near'" },
        { "duration 10s\nat 1s expect signal a.b equals 3", 2, "unknown comparison 'equals'" },
        { "duration 10s\nat 1s expect signal a.b between 5 1", 2, "lower bound is above the upper" },
        { "duration 10s\nat 1s expect signal a.b between 1", 2, "line ends where an upper bound" },
        { "duration 10s\nat 1s expect signal a.b above 1 until 3s", 2, "only 'for <time>' may follow" },
        { "duration 10s\nat 1s expect signal a.b above 1 for", 2, "line ends where a hold time" },
        { "duration 10s\nat 1s expect signal a.b above 1 for 0s", 2, "longer than zero" },
        { "duration 10s\nwithin 2s expect signal a.b above 1 for 1s", 2, "cannot be combined" },
        { "duration 10s\nwithin 0s expect signal a.b above 1", 2, "longer than zero" },
        { "duration 10s\nwithin 2s fault a b", 2, "'within' introduces an expectation" },
        { "duration 10s\nboard web\nat 1s expect alarm web E12", 3, "alarm code 'E12' is not a whole number" },
        { "duration 10s\nboard web\nat 1s expect alarm web -1", 3, "not a whole number" },
        { "duration 10s\nboard web\nat 1s expect console web has \"x\"", 3, "expected 'contains'" },
        { "duration 10s\nboard web\nat 1s expect console web contains \"\"", 3, "text to find is empty" },
        { "duration 10s\nboard web\nat 1s expect metric web m equals maybe", 3, "value 'maybe'" },
        { "duration 10s\nboard web\nat 1s console web \"unterminated", 3, "quote is not closed" },
        { "duration 10s\nboard web\nat 1s console web \"a\"b", 3, "space after a closing quote" },
        { "duration 10s\nboard web\nat 1s console web a\"b\"", 3, "a quote inside a word" },
        { "duration 10s\nboard web\nat 1s console web \"a\\n\"", 3, "only \\\" and \\\\ are escapes" },
        { "duration 10s\nscenario \"a\"\nscenario \"b\"", 3, "title given twice" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void MalformedLinesAreReportedWithFileLineAndProblem(string text, int line, string problem)
    {
        var ex = Assert.Throws<ScenarioParseException>(() => ScenarioParser.Parse(text, "bad.scn"));
        Assert.Contains(ex.Errors, e => e.File == "bad.scn" && e.Line == line && e.Message.Contains(problem, StringComparison.Ordinal));
        string expectedPrefix = line > 0 ? $"bad.scn:{line}: " : "bad.scn: ";
        Assert.Contains(expectedPrefix, ex.Message);
        Assert.False(ScenarioParser.TryParse(text, "bad.scn", out Scenario? s, out _));
        Assert.Null(s);
    }

    [Fact]
    public void EveryBadLineIsReportedNotJustTheFirst()
    {
        const string text = "duration 10s\nat 1s fault a stuck x\nhello\nat 2s expect signal a.b near 1\nat 3s fault a b\n";
        var ex = Assert.Throws<ScenarioParseException>(() => ScenarioParser.Parse(text, "many.scn"));
        Assert.Equal(new[] { 2, 3, 4 }, ex.Errors.Select(e => e.Line));
    }

    [Fact]
    public void ParseFileNamesTheFileInErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tfb-{Guid.NewGuid():N}.scn");
        File.WriteAllText(path, "duration 5s\nat 1s wobble\n");
        try
        {
            var ex = Assert.Throws<ScenarioParseException>(() => ScenarioParser.ParseFile(path));
            Assert.StartsWith(Path.GetFileName(path) + ":2: ", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public class ScenarioSetStepTests
{
    [Fact]
    public void SetParsesSignalAndNumber()
    {
        Scenario s = ScenarioParser.Parse("duration 1s\nat 0s set web.drum.speedCmdMps 0.0166667\n", "s");
        Assert.Equal(new SetSignalStep(s.Steps[0].Source, 0, "web.drum.speedCmdMps", 0.0166667), s.Steps[0]);
    }

    [Theory]
    [InlineData("duration 1s\nat 0s set a.b", "line ends where a number")]
    [InlineData("duration 1s\nat 0s set a.b x", "'x' is not a finite number")]
    [InlineData("duration 1s\nat 0s set a.b 1 2", "unexpected '2'")]
    [InlineData("duration 1s\nat 0s set \"a.b\" 1", "without quotes")]
    public void BadSetLinesAreRefused(string text, string problem)
    {
        var ex = Assert.Throws<ScenarioParseException>(() => ScenarioParser.Parse(text, "s.scn"));
        Assert.Contains(problem, ex.Errors.Single().Message);
        Assert.Equal(2, ex.Errors.Single().Line);
    }

    [Fact]
    public void SetOfUnknownSignalIsRefusedBeforeRunning()
    {
        Scenario s = ScenarioParser.Parse("duration 1s\nat 0s set web.drum.speedCmd 1\n", "s.scn");
        var ex = Assert.Throws<ScenarioValidationException>(() => new ScenarioExecutor(s, Tfb.Plant.Models.VirtualLinePlant.Build(1)));
        Assert.Contains("web.drum.speedCmdMps", ex.Message);
    }
}

public class ScenarioParserFuzzTests
{
    private static readonly string[] s_words =
    {
        "at", "after", "within", "expect", "signal", "alarm", "noalarm", "metric", "console", "contains", "mqtt", "ncmd",
        "dcmd", "broker", "up", "down", "fault", "clear", "all", "set", "between", "above", "below", "equals", "for",
        "valid", "invalid", "seed", "duration", "board", "trace", "scenario", "web", "a.b", "1s", "0s", "250ms", "2min",
        "5", "-3", "1e3", "NaN", "true", "false", "\"x y\"", "\"", "\\", "#", "\"a\\\"b\"", "10", "1.5s", "s", "ms", "\t",
    };

    [Fact]
    public void RandomLinesEitherParseOrFailWithLineNumberedErrors_NeverCrash()
    {
        var random = new Tfb.Plant.Core.PlantRandom(2024);
        for (int file = 0; file < 3000; file++)
        {
            int lineCount = 1 + (int)(random.NextDouble() * 6);
            var lines = new List<string> { "duration 1h" };
            for (int l = 0; l < lineCount; l++)
            {
                int n = (int)(random.NextDouble() * 8);
                lines.Add(string.Join(' ', Enumerable.Range(0, n).Select(_ => s_words[(int)(random.NextDouble() * s_words.Length)])));
            }

            string text = string.Join('\n', lines);
            bool ok = ScenarioParser.TryParse(text, "fuzz.scn", out Scenario? scenario, out IReadOnlyList<ScenarioError> errors);
            if (ok)
            {
                Assert.NotNull(scenario);
                Assert.Empty(errors);
            }
            else
            {
                Assert.Null(scenario);
                Assert.NotEmpty(errors);
                Assert.All(errors, e => Assert.InRange(e.Line, 0, lines.Count));
                Assert.All(errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
            }
        }
    }
}
