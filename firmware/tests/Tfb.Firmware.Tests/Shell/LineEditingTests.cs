using Tfb.Codes;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Shell;

public class LineEditingTests
{
    private readonly ShellRig _rig = new();
    private readonly Term _t;

    public LineEditingTests() => _t = new Term(_rig);

    [Theory]
    [InlineData("whoami\r")]
    [InlineData("whoami\n")]
    [InlineData("whoami\r\n")]
    public void EachEndOfLineForm_EndsExactlyOneLine(string input)
    {
        Assert.Equal(["session 1 operator", "ok"], Term.Lines(_t.Raw(input)));
        Assert.Equal(1, _t.Session.LinesReceived);
    }

    [Fact]
    public void LfThenCr_IsTwoLineEnds_SoTheSecondIsAnEmptyLine()
    {
        Assert.Equal(["session 1 operator", "ok", "ok"], Term.Lines(_t.Raw("whoami\n\r")));
    }

    [Fact]
    public void CrLfSplitAcrossFeeds_IsStillOneEnd()
    {
        Assert.Equal(["session 1 operator", "ok"], Term.Lines(_t.Raw("whoami\r")));
        Assert.Equal("", _t.Raw("\n"));
    }

    [Fact]
    public void EmptyLinesAndComments_AnswerOk()
    {
        Assert.Equal(["ok"], _t.Cmd(""));
        Assert.Equal(["ok"], _t.Cmd("    "));
        Assert.Equal(["ok"], _t.Cmd("# settings set mqtt.password ****"));
    }

    [Fact]
    public void BackspaceAndDel_RemoveTheLastCharacter()
    {
        Assert.Equal(["session 1 operator", "ok"], _t.Cmd("whoamx\bi"));
        Assert.Equal(["session 1 operator", "ok"], _t.Cmd("whoamxx\u007f\u007fi"));
        Assert.Equal(["session 1 operator", "ok"], _t.Cmd("\b\bwhoami"));
    }

    [Fact]
    public void OverlongLine_IsRefusedAtItsEnd_AndNothingRuns()
    {
        var t = new Term(_rig, maxLine: 40);
        t.Login(AccessLevel.Technician);
        string line = "settings set web.tension.setpointN 1234 " + new string(' ', 10);
        Assert.Equal("", t.Raw(line)); // nothing until the line ends
        Assert.Equal(["error:4 line too long"], Term.Lines(t.Raw("\r\n")));
        Assert.Equal("300", _rig.Settings.FormatValue(_rig.Settings.IndexOf("web.tension.setpointN")));
        // Backspacing after the overflow does not rescue the line.
        Assert.Equal(["error:4 line too long"], t.Cmd(new string('x', 41) + "\b\b"));
        Assert.Equal(["session 2 technician", "ok"], t.Cmd("whoami"));
    }

    [Fact]
    public void LineOfExactlyTheMaximum_IsAccepted()
    {
        var t = new Term(_rig, maxLine: 20);
        Assert.Equal("ok", t.Last("whoami" + new string(' ', 14)));
    }

    [Theory]
    [InlineData("who\tami")]
    [InlineData("who\u001bami")]
    [InlineData("who\u0000ami")]
    [InlineData("who\u00e9ami")]
    [InlineData("who\u00ffami")]
    public void NonPrintableBytes_FailTheLine(string line)
    {
        Assert.Equal(["error:3 non-printable byte in line"], _t.Cmd(line));
        Assert.Equal(["session 1 operator", "ok"], _t.Cmd("whoami"));
    }

    [Fact]
    public void Echo_ShowsTypedText_BackspaceErases_AndBellOnRejectedBytes()
    {
        var t = new Term(_rig, echo: true);
        Assert.Equal("whx\b \bo\u0007", t.Raw("whx\bo\u0001"));
        Assert.Equal("\r\nerror:3 non-printable byte in line\r\n", t.Raw("\r"));
    }

    [Fact]
    public void StatusByte_MidLine_PrintsOneStatusLine_AndLeavesTheLineIntact()
    {
        Assert.Equal("<line:state=Idle|web:speedMpm=0 tensionN=0>\r\n", _t.Raw("who?"));
        Assert.Equal(["session 1 operator", "ok"], _t.Cmd("ami"));
    }

    [Fact]
    public void StatusByte_WithEcho_BreaksAndRedrawsTheTypedLine()
    {
        var t = new Term(_rig, echo: true);
        Assert.Equal("who", t.Raw("who"));
        Assert.Equal("\r\n<line:state=Idle|web:speedMpm=0 tensionN=0>\r\nwho", t.Raw("?"));
    }

    [Fact]
    public void StopByte_MidLine_StopsTheLine_AtOperatorLevel_AndLeavesTheLineIntact()
    {
        Assert.Equal("[stop requested]\r\n", _t.Raw("whoa!"));
        Assert.Equal(1, _rig.Line.Stops);
        Assert.Equal((int)EventCode.StopRequested, _rig.LastEvent().Code);
        Assert.Equal(ShellSession.StopDetailByte, _rig.LastEvent().Detail);
        Assert.Equal(["session 1 operator", "ok"], _t.Cmd("mi"));
    }

    [Fact]
    public void StopByte_RefusedByTheLine_SaysWhy_AndLogsNothing()
    {
        _rig.Line.StopAccepts = false;
        int events = _rig.Events.NextSeq;
        Assert.Equal("[stop refused: 12 busy]\r\n", _t.Raw("!"));
        Assert.Equal(events, _rig.Events.NextSeq);
    }

    [Fact]
    public void ResumeByte_NeedsTechnician_AndGoesThroughTheHook()
    {
        Assert.Equal("[resume refused: 5 needs technician]\r\n", _t.Raw("~"));
        Assert.Equal(0, _rig.Line.Resumes);
        _t.Login(AccessLevel.Technician);
        Assert.Equal("[resume requested]\r\n", _t.Raw("~"));
        Assert.Equal(1, _rig.Line.Resumes);
        Assert.Equal((int)EventCode.ResumeRequested, _rig.LastEvent().Code);
        _rig.Line.ResumeAccepts = false;
        Assert.Equal("[resume refused: 13 interlock active]\r\n", _t.Raw("~"));
        Assert.Equal(1, _rig.Line.Resumes);
    }

    [Fact]
    public void CtrlX_CancelsThePartialLine_AndRequestsAStop_AtOperatorLevel()
    {
        Assert.Equal("[stop requested]\r\n", _t.Raw("settings set web.tension.setpointN 5\u0018"));
        Assert.Equal((1, 0), (_rig.Line.Stops, _rig.Line.Resets));
        Assert.Equal(["ok"], _t.Cmd("")); // the cancelled text is gone: only an empty line remains
        Assert.Equal(1, _t.Session.LinesReceived);
    }

    [Fact]
    public void CtrlX_AtTechnician_RequestsResetThroughTheHook()
    {
        _t.Login(AccessLevel.Technician);
        Assert.Equal("[reset requested]\r\n", _t.Raw("abc\u0018"));
        Assert.Equal((0, 1), (_rig.Line.Stops, _rig.Line.Resets));
        Assert.Equal(ShellSession.StopDetailReset, _rig.LastEvent().Detail);
    }

    [Fact]
    public void RealtimeBytes_BetweenCrAndLf_DoNotSplitTheLineEnd()
    {
        Assert.Equal(["session 1 operator", "ok", "<line:state=Idle|web:speedMpm=0 tensionN=0>"], Term.Lines(_t.Raw("whoami\r?\n")));
        Assert.Equal(1, _t.Session.LinesReceived);
    }

    [Fact]
    public void WithoutALineHook_StopIsRefusedVisibly()
    {
        var t = new Term(new ShellRig(withHooks: false));
        Assert.Equal("[stop refused: 15 not supported]\r\n", t.Raw("!"));
    }
}
