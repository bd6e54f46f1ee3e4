using Tfb.Shell;

namespace Tfb.Firmware.Tests.Commissioning;

/// <summary>Keeps docs/console.md and docs/commissioning.md in step with the registered commissioning commands.</summary>
public class CommissioningDocsTests
{
    [Fact]
    public void EveryCommissioningCommand_IsInTheConsoleTable_WithItsLevelAndIdleFlag()
    {
        string console = File.ReadAllText(CommissioningRig.RepoPath("docs", "console.md"));
        string guide = File.ReadAllText(CommissioningRig.RepoPath("docs", "commissioning.md"));
        var rig = new CommissioningRig();
        int checkedCommands = 0;
        for (int i = 0; i < rig.Core.Commands.Count; i++)
        {
            CommandDef d = rig.Core.Commands.Get(i);
            if (d.Handler.GetType().Namespace != "Tfb.Commissioning") continue;
            checkedCommands++;
            string synopsis = (d.Usage.Length > 0 ? d.Name + " " + d.Usage : d.Name).Replace("|", "\\|");
            string row = console.Split('\n').FirstOrDefault(l => l.StartsWith("| `" + synopsis + "` |")) ?? "";
            Assert.True(row.Length > 0, "docs/console.md has no row for " + synopsis);
            Assert.Contains("| " + ShellCore.LevelName(d.Level), row);
            string level = row.Substring(("| `" + synopsis + "` | ").Length);
            level = level.Substring(0, level.IndexOf(" |"));
            Assert.Equal(d.NeedsIdle, level.Contains("idle"));
            if (d.Name != "net ca show" && d.Name != "net ca clear" && d.Name != "net ca end")
                Assert.Contains(d.Name, guide);
        }
        Assert.Equal(22, checkedCommands);
    }
}
