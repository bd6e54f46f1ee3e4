using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tfb.Codes;
using Tfb.Commissioning;
using Tfb.Settings;

namespace Tfb.Firmware.Tests.Commissioning;

public class NetworkTests
{
    internal static string CertificateBase64()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=tfb-test-ca", key, HashAlgorithmName.SHA256);
        using var cert = req.CreateSelfSigned(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2036, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return Convert.ToBase64String(cert.RawData);
    }

    internal static IEnumerable<string> PemLines(string body)
    {
        yield return "-----BEGIN CERTIFICATE-----";
        for (int i = 0; i < body.Length; i += 64) yield return body.Substring(i, Math.Min(64, body.Length - i));
        yield return "-----END CERTIFICATE-----";
    }

    [Fact]
    public void CaPaste_StoresTheBody_AndShowGivesThePemBack()
    {
        var rig = new CommissioningRig();
        var t = rig.Term(AccessLevel.Engineer);
        string body = CertificateBase64();
        var begin = t.Cmd("net ca begin");
        Assert.Single(begin); // the hint, no final answer yet
        foreach (var line in PemLines(body)) Assert.Empty(t.Cmd(line));
        Assert.Equal("ok", t.Last("net ca end"));
        Assert.Equal(body, rig.Settings.GetText(rig.Module.Network.Ca));
        var shown = t.Cmd("net ca show");
        Assert.Equal(PemLines(body).ToArray(), shown[..^1]);
        Assert.Equal(1, rig.CountEvents(EventCode.CaCertificateChanged));
        Assert.Equal(string.Join("\n", PemLines(body)) + "\n", rig.Module.Network.CaPem());
    }

    [Fact]
    public void CaPaste_OfSomethingElse_IsRefused_AndKeepsTheOldCertificate()
    {
        var rig = new CommissioningRig();
        var t = rig.Term(AccessLevel.Engineer);
        string body = CertificateBase64();
        t.Cmd("net ca begin");
        foreach (var line in PemLines(body)) t.Cmd(line);
        t.Cmd("net ca end");

        // A line missing from the middle: the DER length no longer matches.
        var lines = PemLines(CertificateBase64()).ToList();
        lines.RemoveAt(3);
        t.Cmd("net ca begin");
        foreach (var line in lines) t.Cmd(line);
        Assert.StartsWith("error:3 DER length", t.Last("net ca end"));

        t.Cmd("net ca begin");
        Assert.StartsWith("error:3 expected -----BEGIN CERTIFICATE-----", t.Last("-----BEGIN PRIVATE KEY-----"));
        t.Cmd("net ca begin");
        t.Cmd("-----BEGIN CERTIFICATE-----");
        t.Cmd("MIIB$$$$");
        t.Cmd("-----END CERTIFICATE-----");
        Assert.StartsWith("error:3 character '$' is not base64", t.Last("net ca end"));
        t.Cmd("net ca begin");
        t.Cmd("-----BEGIN CERTIFICATE-----");
        Assert.StartsWith("error:3 incomplete PEM block", t.Last("net ca end"));
        Assert.Equal(body, rig.Settings.GetText(rig.Module.Network.Ca));
        Assert.Equal("error:14 no certificate paste running (net ca begin)", t.Last("net ca end"));
    }

    [Fact]
    public void SparkplugIds_WithTopicCharacters_AreRefused()
    {
        var rig = new CommissioningRig();
        var t = rig.Term(AccessLevel.Engineer);
        Assert.Equal("ok", t.Last("net sparkplug tfb-line sputter-01"));
        Assert.StartsWith("error:3 group", t.Last("net sparkplug tfb+line node"));
        Assert.StartsWith("error:3 node", t.Last("net sparkplug tfb a/b"));
        Assert.StartsWith("error:3 node", t.Last("net sparkplug tfb a#"));
        Assert.Equal("tfb-line", rig.Settings.GetText(rig.Module.Network.Group));
        Assert.Equal("sputter-01", rig.Settings.GetText(rig.Module.Network.Node));
    }

    [Theory]
    [InlineData("net ip static 10.0.0.5 255.255.255.0 10.0.0.1", "ok")]
    [InlineData("net ip static 10.0.0.5 255.255.255.0 10.0.0.1 10.0.0.2", "ok")]
    [InlineData("net ip static 10.0.0.256 255.255.255.0 10.0.0.1", "error:3 address is not an IPv4 address")]
    [InlineData("net ip static 10.0.0.05 255.255.255.0 10.0.0.1", "error:3 address is not an IPv4 address")]
    [InlineData("net ip static 10.0.0.5 255.0.255.0 10.0.0.1", "error:3 mask is not a contiguous IPv4 mask")]
    [InlineData("net ip static 10.0.0.5 255.255.255.0 10.0.1.1", "error:3 gateway is not in the address's subnet")]
    [InlineData("net ip static 10.0.0.255 255.255.255.0 10.0.0.1", "error:3 address is the subnet's network or broadcast address")]
    [InlineData("net ip static 10.0.0.5 255.255.255.0 10.0.0.1 dns", "error:3 dns is not an IPv4 address")]
    public void StaticIp_IsValidatedAsAWhole(string line, string answer)
    {
        var rig = new CommissioningRig();
        var t = rig.Term(AccessLevel.Engineer);
        int version = rig.Settings.Version;
        Assert.Equal(answer, t.Last(line));
        if (answer != "ok") Assert.Equal(version, rig.Settings.Version);
        else Assert.False(rig.Settings.GetBool(rig.Module.Network.Dhcp));
    }

    [Fact]
    public void NetTest_BuildsOptionsFromTheSettings_AndReportsCodeAndTime()
    {
        var rig = new CommissioningRig();
        var t = rig.Term(AccessLevel.Engineer);
        Assert.StartsWith("error:14 net.broker.host is empty", t.Last("net test"));
        Assert.Equal("ok", t.Last("net broker broker.plant.local 8883 tls"));
        Assert.StartsWith("error:14 net.broker.tls is on but no CA", t.Last("net test"));
        t.Cmd("net ca begin");
        foreach (var line in PemLines(CertificateBase64())) t.Cmd(line);
        t.Cmd("net ca end");
        Assert.Equal("ok", t.Last("net credentials edge secret-pw"));
        var lines = t.Cmd("net test");
        Assert.Equal("ok", lines[^1]);
        Assert.Contains("result 0 connack accepted in 42 ms", lines);
        Assert.Equal("broker.plant.local", rig.Tester.Last.Host);
        Assert.Equal(8883, rig.Tester.Last.Port);
        Assert.True(rig.Tester.Last.UseTls);
        Assert.Equal("edge", rig.Tester.Last.Username);
        Assert.Equal("secret-pw", rig.Tester.Last.Password);
        Assert.Equal("virtual-test", rig.Tester.Last.ClientId);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----\n", rig.Tester.Last.CaCertificatePem);

        rig.Tester.Result = 5;
        lines = t.Cmd("net test");
        Assert.Contains("result 5 connack refused in 42 ms", lines);
        Assert.Equal("error:14 connection test failed with result 5", lines[^1]);
        Assert.Equal(2, rig.CountEvents(EventCode.ConnectionTested));
    }

    [Fact]
    public void NetShow_MasksThePassword_AndTechnicianCannotChangeAnything()
    {
        var rig = new CommissioningRig();
        var eng = rig.Term(AccessLevel.Engineer);
        eng.Cmd("net credentials edge secret-pw");
        var tech = rig.Term(AccessLevel.Technician);
        var show = tech.Cmd("net show");
        Assert.Contains("user: edge password: ****", show);
        Assert.DoesNotContain(show, l => l.Contains("secret-pw"));
        Assert.Equal("error:5 needs engineer", tech.Last("net broker h 1883"));
        Assert.Equal("error:5 needs engineer", tech.Last("net ca begin"));
        Assert.Equal("error:5 needs engineer", tech.Last("identity asset X"));
    }

    [Fact]
    public void Credentials_WithoutPassword_AskForItWithoutEcho()
    {
        var rig = new CommissioningRig();
        var t = rig.Term(AccessLevel.Engineer);
        t.Session.Echo = true;
        var asked = System.Text.Encoding.Latin1.GetBytes("net credentials edge\r\n");
        t.Session.Feed(asked, 0, asked.Length);
        Assert.Contains("broker password (empty for none):", t.Link.Take());
        var pw = System.Text.Encoding.Latin1.GetBytes("hidden-pw\r\n");
        t.Session.Feed(pw, 0, pw.Length);
        string output = t.Link.Take();
        Assert.DoesNotContain("hidden-pw", output);
        Assert.EndsWith("ok\r\n", output);
        Assert.Equal("edge", rig.Settings.GetText(rig.Module.Network.User));
        Assert.Equal("hidden-pw", rig.Settings.GetText(rig.Module.Network.Password));
        t.Session.Echo = false;
        Assert.Equal("ok", t.Last("net credentials -"));
        Assert.Equal("", rig.Settings.GetText(rig.Module.Network.Password));
        Assert.Equal("error:3 anonymous (-) takes no password", t.Last("net credentials - pw"));
        Assert.Equal(2, rig.CountEvents(Tfb.Codes.EventCode.NetworkConfigChanged));
    }

    [Fact]
    public void SettingsSetOfABadValue_IsFlaggedByNetShow_AndRefusedAtUse()
    {
        var rig = new CommissioningRig();
        var t = rig.Term(AccessLevel.Engineer);
        t.Cmd("net broker h 1883");
        Assert.Equal("ok", t.Last("settings set net.sparkplug.group a/b"));
        Assert.Contains("PROBLEM: net.sparkplug.group is empty or holds + / # or a space", t.Cmd("net show"));
        Assert.False(rig.Module.Network.TryBuildConnectOptions(null, out _, out _));
    }

    [Theory]
    [InlineData("MIIB", false)]
    [InlineData("MAMCAQE=", true)]  // SEQUENCE of 3 bytes: 30 03 02 01 01
    [InlineData("MAQCAQE=", false)] // declares 4 bytes, has 3
    public void CertificateBody_CheckIsStructural(string body, bool ok)
    {
        Assert.Equal(ok, NetworkSettings.IsValidCertificateBody(body, out _));
    }
}

public class IdentityTests
{
    [Fact]
    public void AssetId_IsASetting_ShownByInfo_AndValidated()
    {
        var rig = new CommissioningRig();
        var t = rig.Term(AccessLevel.Engineer);
        Assert.Contains("asset: R2R-01-SPU", t.Cmd("info"));
        Assert.Equal("ok", t.Last("identity asset R2R-02-SPU"));
        Assert.Contains("asset: R2R-02-SPU", t.Cmd("info"));
        Assert.Equal("R2R-02-SPU", rig.Settings.GetText(rig.Module.AssetSetting));
        Assert.StartsWith("error:3", t.Last("identity asset \"a b\""));
        Assert.Equal(1, rig.CountEvents(EventCode.AssetIdChanged));
        // A replayed backup sets the setting only; the scan task carries it to the identity.
        Assert.Equal("ok", t.Last("settings set board.assetId R2R-03-SPU"));
        rig.Scan();
        Assert.Contains("asset: R2R-03-SPU", t.Cmd("info"));
    }

    [Fact]
    public void AfterSettingsLoaded_CarriesTheStoredAssetIdToTheIdentity_BeforeAnyScan()
    {
        var rig = new CommissioningRig();
        Assert.True(rig.Settings.TrySetText(rig.Module.AssetSetting, "R2R-09-SPU", out _)); // as SettingsStore.Load would
        rig.Module.AfterSettingsLoaded();
        Assert.Equal("R2R-09-SPU", rig.Identity.AssetId);
    }
}
