using Tfb.Plant.Scenarios;

namespace Tfb.VirtualLine.Tests.Sputter;

/// <summary>sim/scenarios/sputter.scn passes on the full virtual line (web, sputter, anneal boards).</summary>
public class SputterScenarioTests
{
    [Fact]
    public void SputterScenario_Passes()
    {
        var s = ScenarioParser.ParseFile(Repo.Scenario("sputter.scn"));
        var r = ScenarioRun.Execute(s, Repo.LineBoards, 0, CancellationToken.None);
        Assert.Null(r.Invalid);
        Assert.True(r.Report!.Passed, r.Report.ToText());
    }
}
