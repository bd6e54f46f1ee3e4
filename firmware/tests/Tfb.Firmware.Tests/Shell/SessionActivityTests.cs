using Tfb.Codes;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Shell;

/// <summary>Commands that keep running after their handler returned (ISessionActivity).</summary>
public class SessionActivityTests
{
    /// <summary>Collects lines until "done"; "fail" ends with an error; "throw" throws.</summary>
    private sealed class Collect : ICommandHandler, ISessionActivity
    {
        public readonly List<string> Lines = new();
        public int Polls, Cancels;
        public bool HidesInput { get; set; }
        public bool Execute(CommandContext ctx)
        {
            ctx.WriteLine("collecting");
            ctx.BeginActivity(this);
            return true;
        }

        public bool OnLine(CommandContext ctx, string line, out bool ok)
        {
            ok = true;
            if (line == "done") return false;
            if (line == "fail") { ok = false; ctx.Fail(ErrorCode.BadArgument, "told to fail"); return false; }
            if (line == "throw") throw new InvalidOperationException();
            Lines.Add(line);
            return true;
        }

        public bool OnPoll(CommandContext ctx, long nowUs, out bool ok)
        {
            Polls++;
            ok = true;
            return true;
        }

        public void Cancel() => Cancels++;
    }

    private static (Term T, Collect C) Rig()
    {
        var rig = new ShellRig();
        var c = new Collect();
        rig.Core.Commands.Register(CommandDef.Create("collect", "", "test", 0, 0, AccessLevel.Technician, false, c, 0));
        var t = new Term(rig);
        t.Login(AccessLevel.Technician);
        return (t, c);
    }

    [Fact]
    public void Lines_GoToTheActivity_UntilItFinishes_ThenOneAnswer()
    {
        var (t, c) = Rig();
        Assert.Equal(["collecting"], t.Cmd("collect"));
        Assert.Empty(t.Cmd("whoami"));
        Assert.Empty(t.Cmd("# not a comment here"));
        Assert.Equal(["ok"], t.Cmd("done"));
        Assert.Equal(["whoami", "# not a comment here"], c.Lines);
        Assert.Equal("ok", t.Last("whoami"));
    }

    [Fact]
    public void AFailingOrThrowingActivity_AnswersItsError()
    {
        var (t, _) = Rig();
        t.Cmd("collect");
        Assert.Equal(["error:3 told to fail"], t.Cmd("fail"));
        t.Cmd("collect");
        Assert.Equal(["error:16 internal error"], t.Cmd("throw"));
        Assert.False(t.Session.ActivityRunning);
    }

    [Fact]
    public void IdleLogout_CancelsTheActivity()
    {
        var (t, c) = Rig();
        t.Cmd("collect");
        t.Rig.Clock.Advance(t.Rig.Core.IdleTimeoutUs);
        t.Session.Poll();
        string output = t.Link.Take();
        Assert.Contains("[logged out: idle timeout]", output);
        Assert.Contains("error:5 logged out", output);
        Assert.Equal(1, c.Cancels);
        Assert.False(t.Session.ActivityRunning);
    }

    [Fact]
    public void AnActivityThatHidesInput_IsNotEchoed()
    {
        var rig = new ShellRig();
        var c = new Collect { HidesInput = true };
        rig.Core.Commands.Register(CommandDef.Create("collect", "", "test", 0, 0, AccessLevel.Operator, false, c, 0));
        var t = new Term(rig, echo: true);
        t.Raw("collect\r\n");
        string output = t.Raw("s3cret\r\n");
        Assert.DoesNotContain("s3cret", output);
        Assert.Equal(["s3cret"], c.Lines);
        c.HidesInput = false;
        Assert.Contains("visible", t.Raw("visible\r\n"));
    }

    [Fact]
    public void Poll_ReachesTheActivity()
    {
        var (t, c) = Rig();
        t.Cmd("collect");
        int before = c.Polls;
        t.Session.Poll();
        Assert.Equal(before + 1, c.Polls);
    }
}
