using Tfb.Codes;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Shell;

/// <summary>A station module's command, registered the way docs/console.md shows.</summary>
internal sealed class ProbeCommand : ICommandHandler
{
    public int Calls;
    public string[] LastArgs = [];
    public bool Throw;
    public ErrorCode? FailWith;

    public bool Execute(CommandContext ctx)
    {
        Calls++;
        if (Throw) throw new InvalidOperationException("boom");
        LastArgs = Enumerable.Range(0, ctx.ArgCount).Select(ctx.Arg).ToArray();
        ctx.WriteLine("args " + string.Join(",", LastArgs));
        ctx.WriteLine("ok"); // an info line that looks final must not count as one
        if (FailWith is { } code) return ctx.Fail(code, "probe says no");
        return true;
    }
}

public class CommandDispatchTests
{
    private readonly ShellRig _rig = new();
    private readonly ProbeCommand _probe = new();
    private readonly Term _t;

    public CommandDispatchTests()
    {
        _rig.Core.Commands.Register(CommandDef.Create("web jog", "<speedMpm> [seconds]", "Jog the web", 1, 2, AccessLevel.Technician, true, _probe, 0));
        _t = new Term(_rig);
    }

    [Fact]
    public void ArgumentCount_IsCheckedBeforeTheHandlerRuns()
    {
        _t.Login(AccessLevel.Technician);
        Assert.Equal(["error:2 usage: web jog <speedMpm> [seconds]"], _t.Cmd("web jog"));
        Assert.Equal(["error:2 usage: web jog <speedMpm> [seconds]"], _t.Cmd("web jog 1 2 3"));
        Assert.Equal(0, _probe.Calls);
    }

    [Fact]
    public void AccessLevel_IsCheckedBeforeTheHandlerRuns()
    {
        Assert.Equal(["error:5 needs technician"], _t.Cmd("web jog 0.1"));
        Assert.Equal(0, _probe.Calls);
    }

    [Fact]
    public void NeedsIdle_IsCheckedBeforeTheHandlerRuns()
    {
        _t.Login(AccessLevel.Technician);
        _rig.Line.Idle = false;
        Assert.Equal(["error:6 line not idle"], _t.Cmd("web jog 0.1"));
        Assert.Equal(0, _probe.Calls);
        _rig.Line.Idle = true;
        Assert.Equal(["args 0.1,5", " ok", "ok"], _t.Cmd("web jog 0.1 \"5\""));
        Assert.Equal(1, _probe.Calls);
    }

    [Fact]
    public void WithoutALineHook_IdleCommandsAreRefused()
    {
        var rig = new ShellRig(withHooks: false);
        rig.Core.Commands.Register(CommandDef.Create("web jog", "<v>", "", 1, 1, AccessLevel.Operator, true, _probe, 0));
        var t = new Term(rig);
        Assert.Equal(["error:6 line not idle"], t.Cmd("web jog 1"));
    }

    [Fact]
    public void HandlerFailure_AndException_GiveOneErrorEach()
    {
        _t.Login(AccessLevel.Technician);
        _probe.FailWith = ErrorCode.InterlockActive;
        Assert.Equal("error:13 probe says no", _t.Last("web jog 1"));
        _probe.Throw = true;
        Assert.Equal(["error:16 internal error"], _t.Cmd("web jog 1"));
        Assert.Equal(_t.Session.LinesReceived - 1, _t.Session.FinalAnswers); // login + password lines share one answer
    }

    [Fact]
    public void UnknownCommands_AndBareGroups_AreUnknownCommand()
    {
        Assert.Equal(["error:1 unknown command 'jump', see help"], _t.Cmd("jump"));
        Assert.Equal(["error:1 'settings' needs a subcommand, see help settings"], _t.Cmd("settings"));
        Assert.Equal(["error:1 'web' needs a subcommand, see help web"], _t.Cmd("web jig"));
        Assert.Equal(["error:1 unknown command 'HELP', see help"], _t.Cmd("HELP"));
    }

    [Fact]
    public void LongestNameWins()
    {
        Assert.Equal("ok", _t.Last("alarms"));
        Assert.Equal("error:2 usage: alarms", _t.Last("alarms bogus"));
        Assert.Equal("ok", _t.Last("alarms history 3"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Web jog")]
    [InlineData("web  jog")]
    [InlineData(" web")]
    [InlineData("a b c d e")]
    [InlineData("web_jog")]
    public void MalformedNames_AreRefusedAtRegistration(string name)
    {
        Assert.Throws<ArgumentException>(() => _rig.Core.Commands.Register(CommandDef.Create(name, "", "", 0, 0, AccessLevel.Operator, false, _probe, 0)));
    }

    [Fact]
    public void Duplicates_BadCounts_AndMissingHandlers_AreRefusedAtRegistration()
    {
        var c = _rig.Core.Commands;
        Assert.Throws<ArgumentException>(() => c.Register(CommandDef.Create("web jog", "", "", 0, 0, AccessLevel.Operator, false, _probe, 0)));
        Assert.Throws<ArgumentException>(() => c.Register(CommandDef.Create("web x", "", "", 2, 1, AccessLevel.Operator, false, _probe, 0)));
        Assert.Throws<ArgumentException>(() => c.Register(CommandDef.Create("web y", "", "", 0, 0, AccessLevel.Operator, false, null, 0)));
    }
}
