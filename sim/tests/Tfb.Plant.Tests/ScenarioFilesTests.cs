using Tfb.Plant.Models;
using Tfb.Plant.Scenarios;

namespace Tfb.Plant.Tests;

/// <summary>The example scenarios in sim/scenarios parse, and the plant-only ones pass on the default line.</summary>
public class ScenarioFilesTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(ScenarioDirectory(), "*.scn").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void ExampleScenarioParsesAndPlantOnlyOnesPass(string file)
    {
        Scenario s = ScenarioParser.ParseFile(Path.Combine(ScenarioDirectory(), file));
        Assert.NotEmpty(s.Steps);
        if (!s.Boards.IsEmpty)
        {
            return; // needs boards: the virtual line runner executes it
        }

        var plant = VirtualLinePlant.Build(s.Seed);
        ScenarioReport report = new ScenarioExecutor(s, plant).RunPlantOnly(s.DurationS > 60 ? 0.1 : 0.001);
        Assert.True(report.Passed, report.ToText());
        Assert.NotEmpty(report.Expectations);
    }

    [Fact]
    public void ThereArePlantOnlyExamples()
    {
        Assert.Contains(Directory.GetFiles(ScenarioDirectory(), "*.scn"), f => ScenarioParser.ParseFile(f).Boards.IsEmpty);
    }

    internal static string RepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "TfbFirmware.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("repository root (TfbFirmware.sln) not found above the test binaries");
    }

    private static string ScenarioDirectory() => Path.Combine(RepoRoot(), "sim", "scenarios");
}
