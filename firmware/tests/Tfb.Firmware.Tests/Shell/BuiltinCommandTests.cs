using Tfb.Codes;
using Tfb.Firmware.Tests.Settings;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Shell;

public class BuiltinCommandTests
{
    private readonly ShellRig _rig = new();
    private readonly Term _t;
    private const long Second = 1_000_000;

    public BuiltinCommandTests() => _t = new Term(_rig);

    private int Ix(string name) => _rig.Settings.IndexOf(name);

    [Fact]
    public void Help_ListsEveryCommand_WithLevelTags()
    {
        var lines = _t.Cmd("help");
        Assert.Equal("ok", lines[^1]);
        Assert.Equal(_rig.Core.Commands.Count + 2, lines.Length); // + real-time line + ok
        Assert.Contains(lines, l => l.StartsWith("  settings save") && l.EndsWith("[technician]"));
        Assert.Contains(lines, l => l.StartsWith("  settings defaults [prefix]") && l.EndsWith("[technician] [idle]"));
        Assert.Contains(lines, l => l.StartsWith("real-time bytes:"));
    }

    [Fact]
    public void Help_OnAGroup_ListsItsCommands_AndOnACommand_ShowsUsage()
    {
        var group = _t.Cmd("help settings");
        Assert.Equal(8, group.Length);
        Assert.All(group[..^1], l => Assert.StartsWith("  settings ", l));
        // A name that is both a command and a group: the command's description, then its subcommands.
        var alarms = _t.Cmd("help alarms");
        Assert.Equal(["usage: alarms", "  Active alarms with their age", "  level: operator"], alarms[..3]);
        Assert.StartsWith("  alarms history [n]", alarms[3]);
        Assert.StartsWith("  alarms reset <code|all>", alarms[4]);
        Assert.Equal("ok", alarms[5]);
        Assert.Equal(["usage: settings set <name> <value>", "  Change a setting in RAM (needs the setting's write level)", "  level: operator", "ok"], _t.Cmd("help settings set"));
        Assert.Equal(["error:1 no command 'teleport'"], _t.Cmd("help teleport"));
    }

    [Fact]
    public void Info_PrintsTheBoardIdentity_AndFlagsFactoryCredentials()
    {
        Assert.Equal(["firmware: 0.1.0", "build: abc1234 2026-11-27", "board: virtual", "capabilities: web tension",
            "asset: R2R-01-WEB", "credentials: FACTORY DEFAULT technician engineer", "ok"], _t.Cmd("info"));
    }

    [Fact]
    public void Status_PrintsOneLinePerProvider()
    {
        Assert.Equal(["line: state=Idle", "web: speedMpm=0 tensionN=0", "ok"], _t.Cmd("status"));
    }

    [Fact]
    public void Whoami_AndLogout()
    {
        _t.Login(AccessLevel.Engineer);
        Assert.Equal(["session 1 engineer", "ok"], _t.Cmd("whoami"));
        Assert.Equal(["ok"], _t.Cmd("logout"));
        Assert.Equal(AccessLevel.Operator, _t.Session.Level);
        Assert.Equal(((int)EventCode.Logout, ShellSession.LogoutDetailCommand), (_rig.LastEvent().Code, _rig.LastEvent().Detail));
        Assert.Equal(["ok"], _t.Cmd("logout"));
    }

    [Fact]
    public void SettingsList_ShowsEverything_AndMasksSecrets()
    {
        var lines = _t.Cmd("settings list");
        Assert.Equal(_rig.Settings.Count + 1, lines.Length);
        Assert.Contains("web.tension.setpointN = 300 N  [0..2000] technician", lines);
        Assert.Contains("web.break.detect = true  [bool] engineer", lines);
        Assert.Contains("mqtt.host = 127.0.0.1  [text 0..64 chars] engineer restart", lines);
        Assert.Contains("mqtt.password = ****  [text 0..64 chars] engineer secret", lines);
        Assert.Contains(lines, l => l.StartsWith("console.auth.engineer = ****"));
        Assert.Equal(["web.taper.percent = 10 %  [0..50] technician", "ok"], _t.Cmd("settings list web.taper"));
        Assert.Equal(["error:7 no setting starts with 'nope'"], _t.Cmd("settings list nope"));
    }

    [Fact]
    public void SettingsGet_ShowsOneValue_SecretsOnlyToEngineers()
    {
        _rig.Settings.TrySetFromText(Ix("mqtt.password"), "hunter 2", out _);
        Assert.Equal(["web.speed.setpointMpm = 0.05 m/min", "ok"], _t.Cmd("settings get web.speed.setpointMpm"));
        Assert.Equal(["mqtt.password = ****", "ok"], _t.Cmd("settings get mqtt.password"));
        Assert.Equal(["error:7 unknown setting"], _t.Cmd("settings get no.such"));
        _t.Login(AccessLevel.Engineer);
        Assert.Equal(["mqtt.password = \"hunter 2\"", "ok"], _t.Cmd("settings get mqtt.password"));
    }

    [Fact]
    public void SettingsSet_ChecksTheSettingsWriteLevel_ThenValidates_AndLogs()
    {
        int v = _rig.Settings.Version;
        Assert.Equal(["error:5 needs technician"], _t.Cmd("settings set web.tension.setpointN 310"));
        _t.Login(AccessLevel.Technician);
        Assert.Equal(["error:5 needs engineer"], _t.Cmd("settings set web.break.detect false"));
        Assert.Equal(["error:8 allowed [0..2000]"], _t.Cmd("settings set web.tension.setpointN 2001"));
        Assert.Equal(["error:3 bad argument"], _t.Cmd("settings set web.tension.setpointN 3,5"));
        Assert.Equal(["error:7 unknown setting"], _t.Cmd("settings set web.tension 3"));
        Assert.Equal(v, _rig.Settings.Version);
        Assert.Equal(["ok"], _t.Cmd("settings set web.tension.setpointN 310.5"));
        Assert.Equal("310.5", _rig.Settings.FormatValue(Ix("web.tension.setpointN")));
        Assert.Equal(((int)EventCode.SettingChanged, Ix("web.tension.setpointN")), (_rig.LastEvent().Code, _rig.LastEvent().Detail));
        // Setting the same value again changes nothing and logs nothing.
        int events = _rig.Events.NextSeq;
        Assert.Equal(["ok"], _t.Cmd("settings set web.tension.setpointN 310.5"));
        Assert.Equal(events, _rig.Events.NextSeq);
    }

    [Fact]
    public void SettingsSet_SaysWhenARestartIsNeeded_AndTakesQuotedText()
    {
        _t.Login(AccessLevel.Engineer);
        Assert.Equal(["restart needed for mqtt.host to take effect", "ok"], _t.Cmd("settings set mqtt.host \"broker one\""));
        Assert.Equal("broker one", _rig.Settings.GetText(Ix("mqtt.host")));
    }

    [Fact]
    public void SettingsSet_OfACredential_AcceptsOnlyTheHashForm()
    {
        _t.Login(AccessLevel.Engineer);
        Assert.Equal("error:3 expects salt:sha256 in lower-case hex; use passwd", _t.Last("settings set console.auth.technician " + new string('x', 81)));
        string stored = Credentials.Format("0102030405060708", "new-pass");
        Assert.Equal("ok", _t.Last("settings set console.auth.technician " + stored));
        var t2 = new Term(_rig);
        t2.Cmd("login technician");
        Assert.Equal("ok", t2.Last("new-pass"));
    }

    [Fact]
    public void SettingsSave_CommitsToStorage()
    {
        Assert.Equal(["error:5 needs technician"], _t.Cmd("settings save"));
        _t.Login(AccessLevel.Technician);
        _t.Cmd("settings set web.taper.percent 20");
        Assert.True(_rig.Settings.Dirty);
        Assert.Equal(["ok"], _t.Cmd("settings save"));
        Assert.False(_rig.Settings.Dirty);
        Assert.Equal((int)EventCode.SettingsSaved, _rig.LastEvent().Code);

        var other = new ShellRig(); // declares the console settings in its own registry
        var store = new SettingsStore(_rig.Nv, other.Settings, other.Alarms, other.Events);
        Assert.Equal(SettingsLoadOutcome.Loaded, store.Load());
        Assert.Equal("20", other.Settings.FormatValue(other.Settings.IndexOf("web.taper.percent")));
    }

    [Fact]
    public void SettingsSave_ReportsStorageFailure()
    {
        _t.Login(AccessLevel.Technician);
        _t.Cmd("settings set web.taper.percent 20");
        _rig.Nv.CutPowerAfterBytes(10);
        Assert.Equal(["error:10 storage failed"], _t.Cmd("settings save"));
        Assert.True(_rig.Settings.Dirty);
    }

    [Fact]
    public void SettingsDefaults_NeedsIdle_RespectsWriteLevels_AndResets()
    {
        _t.Login(AccessLevel.Technician);
        _t.Cmd("settings set web.taper.percent 20");
        _t.Cmd("settings set web.tension.setpointN 400");
        _rig.Line.Idle = false;
        Assert.Equal(["error:6 line not idle"], _t.Cmd("settings defaults web."));
        _rig.Line.Idle = true;
        Assert.Equal(["error:5 web.break.detect needs engineer; nothing reset"], _t.Cmd("settings defaults web."));
        Assert.Equal("20", _rig.Settings.FormatValue(Ix("web.taper.percent")));
        Assert.Equal(["error:7 no setting starts with 'x.'"], _t.Cmd("settings defaults x."));
        Assert.Equal(["1 settings reset to defaults in RAM; 'settings save' keeps them", "ok"], _t.Cmd("settings defaults web.taper"));
        Assert.Equal("10", _rig.Settings.FormatValue(Ix("web.taper.percent")));
        Assert.Equal(((int)EventCode.SettingsDefaults, 1), (_rig.LastEvent().Code, _rig.LastEvent().Detail));
        Assert.Equal("400", _rig.Settings.FormatValue(Ix("web.tension.setpointN")));
    }

    [Fact]
    public void SettingsDump_ReplaysExactlyOntoAnotherBoard_SecretsIncludedForEngineers()
    {
        _t.Login(AccessLevel.Engineer);
        _t.Cmd("settings set mqtt.host \"a \\\"quoted\\\" host\"");
        _t.Cmd("settings set mqtt.password \"p w\"");
        _t.Cmd("settings set web.speed.setpointMpm 0.123456789");
        _t.Cmd("passwd technician");
        _t.Cmd("tech-new");
        _t.Cmd("tech-new");
        var dump = _t.Cmd("settings dump");
        Assert.Equal("ok", dump[^1]);
        Assert.DoesNotContain(dump, l => l.StartsWith('#'));

        var other = new ShellRig();
        var t2 = new Term(other);
        t2.Login(AccessLevel.Engineer);
        foreach (var line in dump[..^1]) Assert.Equal("ok", t2.Last(line));
        Assert.Equal(SettingsFixture.Values(_rig.Settings), SettingsFixture.Values(other.Settings));
    }

    [Fact]
    public void SettingsDump_OfANumberItsDecimalTextCannotCarry_UsesSetexact_AndReplaysBitExactly()
    {
        var s = _rig.Settings;
        int i = s.IndexOf("web.tension.setpointN");
        double odd = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(412.5) + 1); // 16+ significant digits
        Assert.True(s.TrySetNumber(i, odd, out _));
        var dump = _t.Cmd("settings dump web.tension");
        Assert.StartsWith("settings setexact web.tension.setpointN ", dump[0]);

        var other = new ShellRig();
        var t2 = new Term(other);
        t2.Login(AccessLevel.Engineer);
        Assert.Equal("ok", t2.Last(dump[0]));
        Assert.Equal(odd, other.Settings.GetNumber(i));
    }

    [Fact]
    public void SettingsDump_BelowEngineer_CommentsSecretsOut_SoAReplaySkipsThem()
    {
        var dump = _t.Cmd("settings dump");
        Assert.Contains("# settings set mqtt.password ****   (secret: written only for engineers)", dump);
        Assert.Contains("settings set mqtt.host 127.0.0.1", dump);
        Assert.Equal(["settings set web.taper.percent 10", "ok"], _t.Cmd("settings dump web.taper"));
        Assert.DoesNotContain(dump, l => l.Contains("console.auth") && !l.StartsWith('#'));

        var other = new ShellRig();
        var t2 = new Term(other);
        t2.Login(AccessLevel.Engineer);
        other.Settings.TrySetFromText(other.Settings.IndexOf("mqtt.password"), "keep", out _);
        foreach (var line in dump[..^1]) Assert.Equal("ok", t2.Last(line));
        Assert.Equal("keep", other.Settings.GetText(other.Settings.IndexOf("mqtt.password")));
    }

    [Fact]
    public void SettingsDump_CommentsOutValuesTheConsoleCannotSend()
    {
        _rig.Settings.TrySetFromText(Ix("mqtt.host"), "what?", out _);
        Assert.Equal(["# settings set mqtt.host (value holds ? ! or ~, which the console cannot send; set it over MQTT)", "ok"], _t.Cmd("settings dump mqtt.host"));
    }

    [Fact]
    public void Alarms_ListsActiveAlarmsWithAge()
    {
        Assert.Equal(["no active alarms", "ok"], _t.Cmd("alarms"));
        _rig.Clock.Advance(5 * Second);
        _rig.Alarms.Raise((int)AlarmCode.BrokerUnreachable, 3);
        _rig.Clock.Advance(2_500_000);
        Assert.Equal(["alarm 1030 detail 3 active 2.500 s", "ok"], _t.Cmd("alarms"));
    }

    [Fact]
    public void AlarmsHistory_ShowsTheLastN()
    {
        _rig.Clock.Advance(Second);
        _rig.Alarms.Raise(1001, 0);
        _rig.Alarms.Raise(1030, 2);
        _rig.Alarms.Reset(1001);
        Assert.Equal(["#0 t=1.000 s raise 1001 detail 0", "#1 t=1.000 s raise 1030 detail 2", "#2 t=1.000 s reset 1001", "ok"], _t.Cmd("alarms history"));
        Assert.Equal(["#2 t=1.000 s reset 1001", "ok"], _t.Cmd("alarms history 1"));
        Assert.Equal(["error:8 n must be 1..32"], _t.Cmd("alarms history 0"));
        Assert.Equal(["error:3 n must be a whole number"], _t.Cmd("alarms history x"));
    }

    [Fact]
    public void AlarmsReset_GoesThroughTheOwner_AndRefusesWhileTheConditionPersists()
    {
        _rig.Alarms.Raise(1001, 0);
        _rig.Alarms.Raise(1030, 0);
        Assert.Equal(["error:5 needs technician"], _t.Cmd("alarms reset 1001"));
        _t.Login(AccessLevel.Technician);
        Assert.Equal(["error:14 alarm 1002 is not active"], _t.Cmd("alarms reset 1002"));
        Assert.Equal(["error:3 expects an alarm code or 'all'"], _t.Cmd("alarms reset some"));
        _rig.Resetter.ConditionPresent.Add(1030);
        Assert.Equal(["alarm 1030 not reset: 17 condition present", "error:17 condition present"], _t.Cmd("alarms reset 1030"));
        Assert.True(_rig.Alarms.IsActive(1030));
        var all = _t.Cmd("alarms reset all");
        Assert.Equal("error:17 1 of 2 alarms not reset", all[^1]);
        Assert.Contains("alarm 1001 reset", all);
        Assert.False(_rig.Alarms.IsActive(1001));
        Assert.Contains(_rig.EventCodes(), c => c == (int)EventCode.AlarmReset);
        _rig.Resetter.ConditionPresent.Clear();
        Assert.Equal(["alarm 1030 reset", "ok"], _t.Cmd("alarms reset 1030"));
        Assert.Equal(["no active alarms", "ok"], _t.Cmd("alarms reset all"));
    }

    [Fact]
    public void AlarmsReset_WithoutAHook_IsNotSupported()
    {
        var rig = new ShellRig(withHooks: false);
        rig.Alarms.Raise(1001, 0);
        var t = new Term(rig);
        t.Login(AccessLevel.Technician);
        Assert.Equal(["error:15 no alarm reset hook"], t.Cmd("alarms reset 1001"));
        Assert.True(rig.Alarms.IsActive(1001));
    }

    [Fact]
    public void Events_ShowsTheLastN()
    {
        Assert.Equal(["no records", "ok"], _t.Cmd("events"));
        _rig.Clock.Advance(1500);
        _t.Login(AccessLevel.Technician);
        Assert.Equal(["#0 t=0.001 s event 2 detail 1", "ok"], _t.Cmd("events 5"));
        Assert.Equal("error:8 n must be 1..64", _t.Last("events 65"));
    }
}
