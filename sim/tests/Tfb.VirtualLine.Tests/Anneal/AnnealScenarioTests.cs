using Tfb.Plant.Scenarios;

namespace Tfb.VirtualLine.Tests.Anneal;

public class AnnealScenarioTests
{
    [Fact]
    public void TheAnnealScenario_Passes()
    {
        var s = ScenarioParser.ParseFile(Repo.Scenario("anneal.scn"));
        var r = ScenarioRun.Execute(s, Repo.LineBoards, 0, CancellationToken.None);
        Assert.Null(r.Invalid);
        Assert.True(r.Report!.Passed, r.Report.ToText());
    }
}
