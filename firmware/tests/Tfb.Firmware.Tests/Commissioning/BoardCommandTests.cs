using Tfb.Codes;
using Tfb.Commissioning;
using Tfb.Settings;

namespace Tfb.Firmware.Tests.Commissioning;

public class SelfTestTests
{
    private static CommissioningRig Healthy()
    {
        var rig = new CommissioningRig(withSpi: true);
        rig.RawIo.Spi["id_chip"].Answer = [0x00, 0x58];
        rig.Module.AddSpiProbe("id_chip", new IdRegisterProbe([0xD0, 0x00], [0x00, 0x58], [0x00, 0xFF]));
        rig.Module.AddNvLock("sfq", new object());
        rig.Scan();
        return rig;
    }

    [Fact]
    public void HealthyBoard_PassesEveryCheck_AndEndsOk()
    {
        var rig = Healthy();
        rig.RawIo.Nv["sfq"].Inner.Poke(65536 - 16, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
        byte[] before = rig.RawIo.Nv["sfq"].Inner.Snapshot();
        var t = rig.Term(AccessLevel.Technician);
        var lines = t.Cmd("selftest");
        Assert.Equal("ok", lines[^1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL"));
        Assert.Contains(lines, l => l.StartsWith("PASS  spi") && l.Contains("id_chip") && l.EndsWith("id 0x58"));
        Assert.Contains(lines, l => l.StartsWith("PASS  watchdog") && l.EndsWith("timeout 500 ms"));
        Assert.Contains(lines, l => l.StartsWith("PASS  nv") && l.Contains("sfq"));
        Assert.Contains(lines, l => l.StartsWith("PASS  nv") && l.Contains("settings") && l.EndsWith("read/write/restore at 8176"));
        Assert.Contains(lines, l => l.StartsWith("SKIP  nv") && l.Contains("events") && l.EndsWith("read ok; write not tested (no owner lock declared)"));
        Assert.Contains(lines, l => l.StartsWith("PASS  ain") && l.Contains("water_return_temp"));
        // 1 scan + 1 watchdog + 6 din + 5 ain + 8 outputs + 1 spi + 3 nv
        Assert.Equal("selftest: all 26 checks passed", lines[^2]);
        Assert.Equal(before, rig.RawIo.Nv["sfq"].Inner.Snapshot()); // written, then restored
        Assert.True(rig.RawIo.Nv["sfq"].Inner.BytesWritten >= 32);
        Assert.Equal(0, rig.Events.TryGet(rig.Events.NextSeq - 1, out var e) ? e.Detail : -1);
        Assert.Equal((int)EventCode.SelfTestRun, e.Code);
    }

    [Fact]
    public void FaultyParts_FailTheirRows_AndTheCommandEndsInError()
    {
        var rig = Healthy();
        rig.RawIo.Ain["chamber_pressure"].Valid = false;
        rig.RawIo.Spi["id_chip"].Answer = [0x00, 0xFF];
        rig.RawIo.Nv["sfq"].DropWrites = true;
        rig.Scan();
        var t = rig.Term(AccessLevel.Technician);
        var lines = t.Cmd("selftest");
        Assert.Contains(lines, l => l.StartsWith("FAIL  ain") && l.Contains("chamber_pressure"));
        Assert.Contains(lines, l => l.StartsWith("FAIL  spi") && l.EndsWith("id 0xff expected 0x58"));
        Assert.Contains(lines, l => l.StartsWith("FAIL  nv") && l.Contains("sfq") && l.EndsWith("read back differs from what was written"));
        Assert.Equal("error:14 selftest: 3 of 26 checks failed", lines[^1]);
        Assert.True(rig.Events.TryGet(rig.Events.NextSeq - 1, out var e));
        Assert.Equal(((int)EventCode.SelfTestRun, 3), (e.Code, e.Detail));
    }

    [Fact]
    public void NvWithoutAnOwnerLock_IsOnlyRead_NeverWritten()
    {
        var rig = Healthy();
        rig.RawIo.Nv["events"].DropWrites = true; // no lock declared for events: selftest must not write it
        byte[] before = rig.RawIo.Nv["events"].Inner.Snapshot();
        long written = rig.RawIo.Nv["events"].Inner.BytesWritten;
        var lines = rig.Term(AccessLevel.Technician).Cmd("selftest");
        Assert.Equal("ok", lines[^1]);
        Assert.Equal(written, rig.RawIo.Nv["events"].Inner.BytesWritten);
        Assert.Equal(before, rig.RawIo.Nv["events"].Inner.Snapshot());
    }

    [Fact]
    public void SpiBusError_AndAMissingProbe_AreReported()
    {
        var rig = new CommissioningRig(withSpi: true);
        rig.Scan();
        var t = rig.Term(AccessLevel.Technician);
        Assert.Contains(t.Cmd("selftest"), l => l.StartsWith("SKIP  spi") && l.EndsWith("not probed (no ID probe declared)"));
        rig.Module.AddSpiProbe("id_chip", new IdRegisterProbe([0xD0, 0x00], [0x00, 0x58], null));
        rig.RawIo.Spi["id_chip"].Fails = true;
        var lines = t.Cmd("selftest");
        Assert.Contains(lines, l => l.StartsWith("FAIL  spi") && l.EndsWith("bus error"));
        Assert.StartsWith("error:14", lines[^1]);
    }

    [Fact]
    public void NoScanTask_OrNoWatchdog_Fails()
    {
        var rig = new CommissioningRig();
        rig.RawIo.Watchdog = new FakeWatchdog(0);
        var t = rig.Term(AccessLevel.Technician);
        var lines = t.Cmd("selftest");
        Assert.Contains(lines, l => l.StartsWith("FAIL  scan"));
        Assert.Contains(lines, l => l.StartsWith("FAIL  watchdog"));
        Assert.Contains(lines, l => l.StartsWith("FAIL  din"));
        Assert.StartsWith("error:14", lines[^1]);
    }

    [Fact]
    public void SelfTest_NeedsTechnician_AndAnIdleLine()
    {
        var rig = Healthy();
        Assert.Equal("error:5 needs technician", rig.Term(AccessLevel.Operator).Last("selftest"));
        rig.Line.Idle = false;
        Assert.Equal("error:6 line not idle", rig.Term(AccessLevel.Technician).Last("selftest"));
    }
}

public class BackupTests
{
    private static string[] Values(SettingsRegistry r) =>
        Enumerable.Range(0, r.Count).Select(i =>
        {
            var d = r.GetDef(i);
            return d.Name + "=" + (d.Type == SettingType.Text ? "text:" + r.GetText(i) : "bits:" + BitConverter.DoubleToInt64Bits(r.GetNumber(i)).ToString("x16"));
        }).ToArray();

    private static void Set(CommissioningRig rig, string name, double v)
    {
        Assert.True(rig.Settings.TrySetNumber(rig.Index(name), v, out var err), name + " " + err);
    }

    [Fact]
    public void Backup_ThenChangeEverything_ThenReplay_ReproducesEverySettingBitExactly()
    {
        var rig = new CommissioningRig();
        var eng = rig.Term(AccessLevel.Engineer);
        // Values of every kind, including doubles whose 15-digit text would not parse back to the same bits.
        Set(rig, "cal.rf_forward.zero", 0.1 + 0.2);
        Set(rig, "cal.rf_forward.gain", 1.0123456789012345);
        Set(rig, "cal.chamber_pressure.gain", 0.8000000000000002);
        Set(rig, "cal.o2_flow.zero", -1.0 / 3.0);
        Assert.Equal("ok", eng.Last("cal clear water_return_temp"));
        Assert.Equal("ok", eng.Last("identity asset R2R-07-SPU"));
        Assert.Equal("ok", eng.Last("net ip static 192.168.10.20 255.255.255.0 192.168.10.1 192.168.10.2"));
        Assert.Equal("ok", eng.Last("net broker mqtt.plant.local 8883 tls"));
        Assert.Equal("ok", eng.Last("net credentials \"edge user\" \"pa\\\"ss\""));
        Assert.Equal("ok", eng.Last("net sparkplug tfb-line-2 sputter-07"));
        eng.Cmd("net ca begin");
        foreach (var line in NetworkTests.PemLines(NetworkTests.CertificateBase64())) eng.Cmd(line);
        Assert.Equal("ok", eng.Last("net ca end"));
        Assert.Equal("ok", eng.Last("settings set io.force.unowned true"));
        Assert.Equal("ok", eng.Last("settings set console.idleTimeoutS 1234"));
        var expected = Values(rig.Settings);

        var backup = eng.Cmd("backup");
        Assert.Equal("ok", backup[^1]);
        Assert.Contains(backup, l => l.StartsWith("settings setexact cal.rf_forward.gain "));
        Assert.Contains("net ca begin", backup);

        // Change everything: defaults, then other values for what defaults would not touch.
        rig.Settings.ResetToDefaults("");
        Set(rig, "cal.rf_forward.gain", 1.2);
        Assert.NotEqual(expected, Values(rig.Settings));

        var replay = rig.Term(AccessLevel.Engineer);
        foreach (var line in backup[..^1])
        {
            var answer = replay.Cmd(line);
            Assert.DoesNotContain(answer, a => a.StartsWith("error:"));
        }
        Assert.False(replay.Session.ActivityRunning);
        Assert.Equal(expected, Values(rig.Settings));
    }

    [Fact]
    public void Backup_ForATechnician_LeavesSecretsOut()
    {
        var rig = new CommissioningRig();
        rig.Term(AccessLevel.Engineer).Cmd("net credentials edge topsecret");
        var lines = rig.Term(AccessLevel.Technician).Cmd("backup");
        Assert.Equal("ok", lines[^1]);
        Assert.DoesNotContain(lines, l => l.Contains("topsecret"));
        Assert.Contains(lines, l => l.StartsWith("# settings set net.broker.password ****"));
        Assert.Contains(lines, l => l.StartsWith("# settings set console.auth.engineer ****"));
        Assert.Equal(1, rig.CountEvents(EventCode.SettingsBackup));
        Assert.Equal("error:5 needs technician", rig.Term(AccessLevel.Operator).Last("backup"));
    }

    [Theory]
    [InlineData("settings setexact cal.rf_forward.gain 3ff0000000000001", "ok")]
    [InlineData("settings setexact cal.rf_forward.gain 4000000000000000", "error:8 out of range")]
    [InlineData("settings setexact cal.rf_forward.gain 7ff8000000000000", "error:3 expects 16 hex digits of a finite double")]
    [InlineData("settings setexact cal.rf_forward.gain 3ff", "error:3 expects 16 hex digits of a finite double")]
    [InlineData("settings setexact net.broker.host 3ff0000000000000", "error:3 setexact takes numeric settings only")]
    [InlineData("settings setexact nosuch 3ff0000000000000", "error:7 unknown setting")]
    public void SetExact_IsCheckedLikeSettingsSet(string line, string answer)
    {
        var rig = new CommissioningRig();
        Assert.Equal(answer, rig.Term(AccessLevel.Engineer).Last(line));
        if (answer == "ok") Assert.Equal(1.0000000000000002, rig.Settings.GetNumber(rig.Index("cal.rf_forward.gain")));
        Assert.Equal("error:5 needs engineer", rig.Term(AccessLevel.Technician).Last("settings setexact cal.rf_forward.gain 3ff0000000000000"));
    }
}
