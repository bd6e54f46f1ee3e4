using Tfb.Codes;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Shell;

public class ParallelSessionTests
{
    [Fact]
    public void SessionsOnDifferentThreads_KeepTheirOwnLevels_AndShareTheRegistry()
    {
        var rig = new ShellRig();
        var op = new Term(rig);
        var tech = new Term(rig);
        var eng = new Term(rig);
        var watcher = new Term(rig);
        tech.Login(AccessLevel.Technician);
        eng.Login(AccessLevel.Engineer);
        const int Rounds = 300;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

        void Check(bool ok, string what) { if (!ok) failures.Enqueue(what); }

        var threads = new[]
        {
            new Thread(() =>
            {
                for (int i = 0; i < Rounds; i++)
                {
                    Check(op.Last("settings set web.taper.percent 20") == "error:5 needs technician", "operator write");
                    Check(op.Cmd("whoami")[0] == $"session {op.Session.Id} operator", "operator whoami");
                    Check(op.Cmd("settings get mqtt.password")[0] == "mqtt.password = ****", "operator secret");
                }
            }),
            new Thread(() =>
            {
                for (int i = 0; i < Rounds; i++)
                {
                    Check(tech.Last($"settings set web.tension.setpointN {i}") == "ok", "tech write");
                    Check(tech.Cmd("settings get web.tension.setpointN")[0] == $"web.tension.setpointN = {i} N", "tech read back");
                    Check(tech.Last("settings set mqtt.host x") == "error:5 needs engineer", "tech engineer setting");
                }
            }),
            new Thread(() =>
            {
                for (int i = 0; i < Rounds; i++)
                {
                    Check(eng.Last($"settings set mqtt.password \"pw {i}\"") == "ok", "eng write");
                    Check(eng.Cmd("settings get mqtt.password")[0] == $"mqtt.password = \"pw {i}\"", "eng read back");
                    Check(eng.Cmd("whoami")[0] == $"session {eng.Session.Id} engineer", "eng whoami");
                }
            }),
            new Thread(() =>
            {
                for (int i = 0; i < Rounds; i++)
                {
                    Check(watcher.Raw("?").StartsWith("<line:"), "status byte");
                    Check(watcher.Last("settings dump web.") == "ok", "dump");
                    Check(watcher.Last("events 5") == "ok", "events");
                }
            }),
        };
        foreach (var th in threads) th.Start();
        foreach (var th in threads) Assert.True(th.Join(TimeSpan.FromMinutes(2)));
        Assert.Empty(failures);
        Assert.Equal($"{Rounds - 1}", rig.Settings.FormatValue(rig.Settings.IndexOf("web.tension.setpointN")));
        Assert.Equal("10", rig.Settings.FormatValue(rig.Settings.IndexOf("web.taper.percent")));
        Assert.Equal((AccessLevel.Operator, AccessLevel.Technician, AccessLevel.Engineer),
            (op.Session.Level, tech.Session.Level, eng.Session.Level));
        Assert.Equal(4, new[] { op, tech, eng, watcher }.Select(t => t.Session.Id).Distinct().Count());
    }

    [Fact]
    public void Run_ServesTheLinkUntilItCloses_AndLogsOutAClosedSession()
    {
        var rig = new ShellRig();
        var (session, link) = rig.NewSession();
        link.Enqueue("login technician\r\n" + ShellCore.DefaultTechnicianPassword + "\r\nwhoami\r\n", closeAfter: true);
        var thread = new Thread(session.Run);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        var lines = Term.Lines(link.Output);
        Assert.StartsWith("TfbFirmware", lines[0]);
        Assert.Equal(["password:", "[warning: factory technician password in use, change it with passwd]", "ok", "session 1 technician", "ok"], lines[^5..]);
        Assert.Equal(AccessLevel.Operator, session.Level);
        Assert.Equal(((int)EventCode.Logout, ShellSession.LogoutDetailLinkClosed), (rig.LastEvent().Code, rig.LastEvent().Detail));
    }

    [Fact]
    public void RequestExit_StopsRun()
    {
        var rig = new ShellRig();
        var (session, _) = rig.NewSession();
        var thread = new Thread(session.Run);
        thread.Start();
        session.RequestExit();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
    }
}
