using Tfb.Plant.Core;
using Tfb.Plant.Faults;
using Tfb.Plant.Models;

namespace Tfb.Plant.Tests;

/// <summary>docs/virtual-line.md lists every signal, fault target and fault of the default line.</summary>
public class DocsTests
{
    private static readonly string s_doc = File.ReadAllText(Path.Combine(ScenarioFilesTests.RepoRoot(), "docs", "virtual-line.md"));

    [Fact]
    public void EverySignalOfTheDefaultLineIsDocumented()
    {
        VirtualPlant plant = VirtualLinePlant.Build(1);
        var words = s_doc.Split(new[] { ' ', '\n', '`', ',', '|' }, StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var missing = plant.Bus.Names.Where(n => !words.Contains(n)).ToArray();
        Assert.True(missing.Length == 0, "not in docs/virtual-line.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryFaultTargetAndFaultIsDocumented()
    {
        VirtualPlant plant = VirtualLinePlant.Build(1);
        var missing = new List<string>();
        foreach (string name in plant.Faults.Targets)
        {
            if (!s_doc.Contains($"`{name}`", StringComparison.Ordinal))
            {
                missing.Add(name);
            }

            plant.Faults.TryGetTarget(name, out IFaultTarget target);
            missing.AddRange(target.SupportedFaults.Where(f => !s_doc.Contains($"`{f.Name}", StringComparison.Ordinal)).Select(f => $"{name} {f.Name}"));
        }

        Assert.True(missing.Count == 0, "not in docs/virtual-line.md: " + string.Join(", ", missing));
    }
}
