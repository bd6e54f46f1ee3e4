using Tfb.Codes;
using Tfb.Settings;

namespace Tfb.Firmware.Tests.Settings;

public class SettingsRegistryTests
{
    private readonly SettingsRegistry _r = SettingsFixture.NewRegistry();
    private int Ix(string n) => _r.IndexOf(n);

    [Theory]
    [InlineData("web.tension.setpointN", "2000.5", ErrorCode.OutOfRange)]
    [InlineData("web.tension.setpointN", "-1", ErrorCode.OutOfRange)]
    [InlineData("web.tension.setpointN", "abc", ErrorCode.BadArgument)]
    [InlineData("web.tension.setpointN", "NaN", ErrorCode.BadArgument)]
    [InlineData("web.tension.setpointN", "1e400", ErrorCode.BadArgument)]
    [InlineData("web.tension.setpointN", "", ErrorCode.BadArgument)]
    [InlineData("web.tension.setpointN", "1,5", ErrorCode.BadArgument)]
    [InlineData("web.taper.percent", "12.5", ErrorCode.BadArgument)]
    [InlineData("web.break.detect", "yes", ErrorCode.BadArgument)]
    [InlineData("mqtt.host", "bad\u0001host", ErrorCode.BadArgument)]
    public void BadValues_AreRefusedWithACode_AndChangeNothing(string name, string text, ErrorCode expected)
    {
        var before = SettingsFixture.Values(_r);
        int version = _r.Version;
        Assert.False(_r.TrySetFromText(Ix(name), text, out var err));
        Assert.Equal(expected, err);
        Assert.Equal(before, SettingsFixture.Values(_r));
        Assert.Equal(version, _r.Version);
        Assert.False(_r.Dirty);
    }

    [Fact]
    public void TooLongText_IsOutOfRange()
    {
        Assert.False(_r.TrySetText(Ix("mqtt.host"), new string('x', 65), out var err));
        Assert.Equal(ErrorCode.OutOfRange, err);
    }

    [Fact]
    public void UnknownIndex_IsUnknownSetting()
    {
        Assert.False(_r.TrySetNumber(99, 1, out var err));
        Assert.Equal(ErrorCode.UnknownSetting, err);
        Assert.Equal(-1, _r.IndexOf("no.such"));
    }

    [Fact]
    public void AValidChange_BumpsTheVersion_MarksDirty_AndFlagsRestartWhenDeclared()
    {
        int v = _r.Version;
        Assert.True(_r.TrySetFromText(Ix("web.tension.setpointN"), "310", out _));
        Assert.Equal(v + 1, _r.Version);
        Assert.True(_r.Dirty);
        Assert.False(_r.RestartPending);
        Assert.True(_r.TrySetFromText(Ix("mqtt.host"), "10.0.0.9", out _));
        Assert.True(_r.RestartPending);
    }

    [Fact]
    public void DefaultsByScope_ResetOnlyThatScope()
    {
        SettingsFixture.Set(_r, "web.tension.setpointN", "500");
        SettingsFixture.Set(_r, "anneal.zone1.soakC", "600");
        Assert.Equal(1, _r.ResetToDefaults("web."));
        Assert.Equal(300, _r.GetNumber(Ix("web.tension.setpointN")));
        Assert.Equal(600, _r.GetNumber(Ix("anneal.zone1.soakC")));
    }

    [Fact]
    public void Declarations_AreValidatedAtStartup()
    {
        Assert.Throws<ArgumentException>(() => _r.Add(SettingDef.Flag("web.break.detect", true, AccessLevel.Engineer, "")));
        Assert.Throws<ArgumentException>(() => _r.Add(SettingDef.Flag("bad name", true, AccessLevel.Engineer, "")));
        Assert.Throws<ArgumentException>(() => _r.Add(SettingDef.Number("x.y", "", SettingType.Real, 0, 1, 2, AccessLevel.Engineer, "")));
        Assert.Throws<ArgumentException>(() => _r.Add(SettingDef.Number("x.z", "", SettingType.Real, 5, 1, 2, AccessLevel.Engineer, "")));
    }
}
