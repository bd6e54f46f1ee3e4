using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Shell;

/// <summary>Keeps docs/console.md and the registered built-ins together.</summary>
public class ConsoleDocsTests
{
    private static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "TfbFirmware.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return File.ReadAllText(Path.Combine(dir!.FullName, relative));
    }

    [Fact]
    public void EveryBuiltinCommand_IsInTheDocsTable_WithItsLevel()
    {
        string doc = RepoFile("docs/console.md");
        var rig = new ShellRig();
        for (int i = 0; i < rig.Core.Commands.Count; i++)
        {
            CommandDef d = rig.Core.Commands.Get(i);
            string synopsis = (d.Usage.Length > 0 ? d.Name + " " + d.Usage : d.Name).Replace("|", "\\|");
            string row = doc.Split('\n').FirstOrDefault(l => l.StartsWith("| `" + synopsis + "` |")) ?? "";
            Assert.True(row.Length > 0, "docs/console.md has no row for " + synopsis);
            Assert.Contains("| " + ShellCore.LevelName(d.Level), row);
            if (d.NeedsIdle) Assert.Contains("idle", row);
        }
    }

    [Fact]
    public void DocumentedFactoryPasswords_AreTheOnesInTheCode()
    {
        string doc = RepoFile("docs/console.md");
        Assert.Contains("technician `" + ShellCore.DefaultTechnicianPassword + "`", doc);
        Assert.Contains("engineer `" + ShellCore.DefaultEngineerPassword + "`", doc);
    }
}
