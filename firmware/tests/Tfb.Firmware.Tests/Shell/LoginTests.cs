using Tfb.Codes;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Shell;

public class LoginTests
{
    private readonly ShellRig _rig = new();
    private readonly Term _t;
    private const long Second = 1_000_000;

    public LoginTests() => _t = new Term(_rig);

    [Fact]
    public void Login_PromptsWithoutEcho_AndRaisesTheLevel()
    {
        var t = new Term(_rig, echo: true);
        Assert.Equal("login technician\r\npassword:\r\n", t.Raw("login technician\r"));
        string answer = t.Raw(ShellCore.DefaultTechnicianPassword + "\r");
        Assert.DoesNotContain(ShellCore.DefaultTechnicianPassword, answer);
        Assert.Equal("\r\n[warning: factory technician password in use, change it with passwd]\r\nok\r\n", answer);
        Assert.Equal(AccessLevel.Technician, t.Session.Level);
        Assert.Equal(((int)EventCode.Login, 1), (_rig.LastEvent().Code, _rig.LastEvent().Detail));
    }

    [Fact]
    public void WrongPassword_IsLoginFailed_Logged_AndKeepsTheLevel()
    {
        Assert.Equal(["password:"], _t.Cmd("login engineer"));
        Assert.True(_t.Session.PromptPending);
        Assert.Equal(["error:11 login failed"], _t.Cmd("guess"));
        Assert.Equal(AccessLevel.Operator, _t.Session.Level);
        Assert.Equal(((int)EventCode.LoginFailed, 2), (_rig.LastEvent().Code, _rig.LastEvent().Detail));
        Assert.Equal(2, _t.Session.LinesReceived);
        Assert.Equal(1, _t.Session.FinalAnswers);
    }

    [Theory]
    [InlineData("login operator")]
    [InlineData("login root")]
    public void UnknownLevels_AreLoginFailed_WithoutAPrompt(string line)
    {
        Assert.Equal(["error:11 unknown level (technician or engineer)"], _t.Cmd(line));
        Assert.False(_t.Session.PromptPending);
    }

    [Fact]
    public void FiveFailures_LockEverySessionOut_ForAMinute()
    {
        for (int i = 0; i < ShellCore.MaxLoginFailures; i++)
        {
            _t.Cmd("login technician");
            Assert.Equal("error:11 login failed", _t.Last("wrong" + i));
        }
        var other = new Term(_rig);
        Assert.Equal(["error:11 locked out after failed logins, retry in 60 s"], other.Cmd("login technician"));
        int events = _rig.Events.NextSeq;
        _rig.Clock.Advance(59 * Second);
        Assert.Equal(["error:11 locked out after failed logins, retry in 1 s"], _t.Cmd("login technician"));
        Assert.Equal(events, _rig.Events.NextSeq);
        _rig.Clock.Advance(Second);
        other.Login(AccessLevel.Technician);
    }

    [Fact]
    public void ASuccess_ResetsTheFailureCount()
    {
        for (int i = 0; i < ShellCore.MaxLoginFailures - 1; i++) { _t.Cmd("login technician"); _t.Cmd("x"); }
        _t.Login(AccessLevel.Technician);
        _t.Cmd("login technician");
        _t.Cmd("x");
        Assert.Equal(["password:"], _t.Cmd("login technician"));
    }

    [Fact]
    public void IdleTimeout_DropsToOperator_AndLogsLogoutDetail1()
    {
        _t.Login(AccessLevel.Engineer);
        _rig.Clock.Advance(599 * Second);
        _t.Session.Poll();
        Assert.Equal(AccessLevel.Engineer, _t.Session.Level);
        Assert.Equal(["session 1 engineer", "ok"], _t.Cmd("whoami")); // input restarts the timer
        _rig.Clock.Advance(600 * Second);
        _t.Session.Poll();
        Assert.Equal(AccessLevel.Operator, _t.Session.Level);
        Assert.Equal("[logged out: idle timeout]\r\n", _t.Link.Take());
        Assert.Equal(((int)EventCode.Logout, ShellSession.LogoutDetailIdle), (_rig.LastEvent().Code, _rig.LastEvent().Detail));
    }

    [Fact]
    public void IdleTimeout_AppliesBeforeLateInputIsExecuted()
    {
        _t.Login(AccessLevel.Technician);
        _rig.Clock.Advance(601 * Second);
        Assert.Equal(["[logged out: idle timeout]", "error:5 needs technician"], _t.Cmd("settings save"));
    }

    [Fact]
    public void IdleTimeout_FollowsItsSetting()
    {
        _t.Login(AccessLevel.Engineer);
        Assert.Equal("error:8 allowed [30..86400]", _t.Last("settings set console.idleTimeoutS 5"));
        Assert.Equal("ok", _t.Last("settings set console.idleTimeoutS 30"));
        _rig.Clock.Advance(30 * Second);
        _t.Session.Poll();
        Assert.Equal(AccessLevel.Operator, _t.Session.Level);
    }

    [Fact]
    public void ALatePasswordLine_IsRefused_AndNeverRunAsACommand()
    {
        _t.Cmd("login technician");
        _rig.Clock.Advance(ShellSession.PromptTimeoutUs);
        _t.Session.Poll();
        Assert.Equal("", _t.Link.Take());
        Assert.True(_t.Session.PromptPending);
        var answer = _t.Cmd(ShellCore.DefaultTechnicianPassword);
        Assert.Equal(["error:11 password prompt timed out"], answer);
        Assert.Equal(AccessLevel.Operator, _t.Session.Level);
        Assert.False(_t.Session.PromptPending);
        Assert.Equal(["session 1 operator", "ok"], _t.Cmd("whoami"));
    }

    [Fact]
    public void APasswordJustInsideTheTimeout_IsChecked()
    {
        _t.Cmd("login technician");
        _rig.Clock.Advance(ShellSession.PromptTimeoutUs - 1);
        Assert.Equal("ok", _t.Last(ShellCore.DefaultTechnicianPassword));
    }

    [Fact]
    public void CtrlX_CancelsAPrompt_WithItsFinalAnswer()
    {
        _t.Cmd("login technician");
        Assert.Equal(["error:11 cancelled", "[stop requested]"], Term.Lines(_t.Raw("tfb\u0018")));
        Assert.False(_t.Session.PromptPending);
        Assert.Equal(AccessLevel.Operator, _t.Session.Level);
    }

    [Fact]
    public void AnOverlongPassword_IsLineTooLong_AndNoLogin()
    {
        _t.Cmd("login technician");
        Assert.Equal(["error:4 line too long"], _t.Cmd(new string('p', 200)));
        Assert.Equal(AccessLevel.Operator, _t.Session.Level);
    }

    [Fact]
    public void Passwd_NeedsEngineer_AsksTwice_AndTheNewPasswordWorks()
    {
        Assert.Equal(["error:5 needs engineer"], _t.Cmd("passwd technician"));
        _t.Login(AccessLevel.Engineer);
        Assert.Equal(["new technician password:"], _t.Cmd("passwd technician"));
        Assert.Equal(["repeat password:"], _t.Cmd("n3w pass"));
        Assert.Equal(["technician password changed in RAM; 'settings save' keeps it", "ok"], _t.Cmd("n3w pass"));
        Assert.False(_rig.Core.DefaultCredentialsInUse(AccessLevel.Technician));
        Assert.True(_rig.Core.DefaultCredentialsInUse(AccessLevel.Engineer));

        var t2 = new Term(_rig);
        t2.Cmd("login technician");
        Assert.Equal("error:11 login failed", t2.Last(ShellCore.DefaultTechnicianPassword));
        t2.Cmd("login technician");
        Assert.Equal(["ok"], t2.Cmd("n3w pass")); // no factory-password warning any more
    }

    [Fact]
    public void Passwd_RefusesMismatches_AndShortPasswords_ChangingNothing()
    {
        _t.Login(AccessLevel.Engineer);
        string before = _rig.Settings.GetText(_rig.Core.TechnicianAuthSetting);
        _t.Cmd("passwd technician");
        _t.Cmd("abcdef");
        Assert.Equal(["error:3 passwords differ, nothing changed"], _t.Cmd("abcdeg"));
        _t.Cmd("passwd technician");
        Assert.Equal(["error:3 password needs 4-64 characters"], _t.Cmd("abc"));
        Assert.Equal(before, _rig.Settings.GetText(_rig.Core.TechnicianAuthSetting));
        Assert.Equal(["error:3 level must be technician or engineer"], _t.Cmd("passwd operator"));
    }

    [Fact]
    public void TwoPasswdRuns_UseDifferentSalts()
    {
        _t.Login(AccessLevel.Engineer);
        _t.Cmd("passwd technician"); _t.Cmd("same-pw"); _t.Cmd("same-pw");
        string first = _rig.Settings.GetText(_rig.Core.TechnicianAuthSetting);
        _rig.Clock.Advance(1);
        _t.Cmd("passwd technician"); _t.Cmd("same-pw"); _t.Cmd("same-pw");
        string second = _rig.Settings.GetText(_rig.Core.TechnicianAuthSetting);
        Assert.NotEqual(first, second);
        Assert.True(Credentials.Verify(first, "same-pw") && Credentials.Verify(second, "same-pw"));
    }

    [Fact]
    public void Start_WarnsAboutFactoryCredentials()
    {
        _t.Session.Start();
        var lines = Term.Lines(_t.Link.Take());
        Assert.StartsWith("TfbFirmware 0.1.0 virtual console", lines[0]);
        Assert.Equal("[warning: factory technician password in use, change it with passwd]", lines[1]);
        Assert.Equal("[warning: factory engineer password in use, change it with passwd]", lines[2]);
    }

    [Fact]
    public void FactoryCredentials_AreTheDocumentedPasswords()
    {
        Assert.True(Credentials.Verify(_rig.Settings.GetText(_rig.Core.TechnicianAuthSetting), "tfb-tech"));
        Assert.True(Credentials.Verify(_rig.Settings.GetText(_rig.Core.EngineerAuthSetting), "tfb-eng"));
    }
}
