using Tfb.Boards.Virtual;
using Tfb.Codes;
using Tfb.Settings;
using static Tfb.Firmware.Tests.Settings.SettingsFixture;

namespace Tfb.Firmware.Tests.Settings;

public class SettingsStoreTests
{
    private const int PartitionSize = 2048;

    private static string[] Boot(MemoryNvStore nv, out SettingsLoadOutcome outcome, out bool corruptAlarm)
    {
        var r = NewRegistry();
        var (store, alarms, _) = NewStore(nv, r);
        outcome = store.Load();
        corruptAlarm = alarms.IsActive((int)AlarmCode.SettingsCorrupt);
        return Values(r);
    }

    // A new board: blank partition, defaults declared and loaded.
    private static (MemoryNvStore Nv, SettingsRegistry Registry, SettingsStore Store) LoadedOnBlank()
    {
        var nv = new MemoryNvStore(PartitionSize);
        var r = NewRegistry();
        var (store, _, _) = NewStore(nv, r);
        store.Load();
        return (nv, r, store);
    }

    [Fact]
    public void NewBoard_BootsWithDefaults_AndNoAlarm()
    {
        var nv = new MemoryNvStore(PartitionSize);
        var values = Boot(nv, out var outcome, out var alarm);
        Assert.Equal(SettingsLoadOutcome.Blank, outcome);
        Assert.False(alarm);
        Assert.Equal(Values(NewRegistry()), values);
    }

    [Fact]
    public void SavedValues_SurviveARestart()
    {
        var (nv, r, store) = LoadedOnBlank();
        Set(r, "web.tension.setpointN", "412.5");
        Set(r, "mqtt.host", "broker.plant.local");
        Set(r, "web.break.detect", "off");
        Assert.True(r.Dirty);
        Assert.True(store.Save(out _));
        Assert.False(r.Dirty);

        var after = Boot(nv, out var outcome, out _);
        Assert.Equal(SettingsLoadOutcome.Loaded, outcome);
        Assert.Equal(Values(r), after);
    }

    [Fact]
    public void PowerLossAtEveryByteOfASave_AlwaysBootsWithTheLastGoodSettings()
    {
        // Establish two generations so both slots hold valid images, then interrupt a third save at every byte.
        var (nv, r, store) = LoadedOnBlank();
        Set(r, "web.tension.setpointN", "350");
        Assert.True(store.Save(out _));
        Set(r, "web.tension.setpointN", "360");
        Set(r, "mqtt.password", "s3cret!");
        Assert.True(store.Save(out _));
        var lastGood = Values(r);
        var pristine = nv.Snapshot();

        Set(r, "web.tension.setpointN", "999.25");
        Set(r, "anneal.zone1.soakC", "650");
        Set(r, "mqtt.host", "10.20.30.40");
        long before = nv.BytesWritten;
        var probe = new MemoryNvStore(PartitionSize);
        probe.Poke(0, pristine);
        var (probeStore, _, _) = NewStore(probe, r);
        probeStore.Load();
        // Loading resets to the stored values; re-apply the new ones to measure the full image length.
        Set(r, "web.tension.setpointN", "999.25");
        Set(r, "anneal.zone1.soakC", "650");
        Set(r, "mqtt.host", "10.20.30.40");
        var newValues = Values(r);
        Assert.True(probeStore.Save(out _));
        long imageLength = probe.BytesWritten;
        Assert.True(imageLength > 100);

        for (long cut = 0; cut <= imageLength; cut++)
        {
            var disk = new MemoryNvStore(PartitionSize);
            disk.Poke(0, pristine);
            var reg = NewRegistry();
            var (s, _, _) = NewStore(disk, reg);
            Assert.Equal(SettingsLoadOutcome.Loaded, s.Load());
            foreach (var line in newValues)
            {
                var eq = line.IndexOf('=');
                Assert.True(reg.TrySetFromText(reg.IndexOf(line[..eq]), line[(eq + 1)..], out _));
            }
            disk.CutPowerAfterBytes(cut);
            bool saved = s.Save(out _);
            disk.RestorePower();

            var booted = Boot(disk, out var outcome, out var alarm);
            Assert.Equal(SettingsLoadOutcome.Loaded, outcome);
            Assert.False(alarm);
            if (cut < imageLength)
            {
                Assert.False(saved);
                Assert.Equal(lastGood, booted);
            }
            else
            {
                Assert.True(saved);
                Assert.Equal(newValues, booted);
            }
        }
    }

    [Fact]
    public void CorruptNewestSlot_FallsBackToTheOlderImage()
    {
        var (nv, r, store) = LoadedOnBlank();
        Set(r, "web.taper.percent", "20");
        store.Save(out _);
        var older = Values(r);
        Set(r, "web.taper.percent", "30");
        store.Save(out _);
        int newest = store.CurrentSlot;

        var bytes = nv.Snapshot();
        int at = newest * store.SlotSize + 20;
        nv.Poke(at, [(byte)(bytes[at] ^ 0x01)]);

        Assert.Equal(older, Boot(nv, out var outcome, out _));
        Assert.Equal(SettingsLoadOutcome.Loaded, outcome);
    }

    [Fact]
    public void BothSlotsCorrupt_BootsWithDefaults_AndRaisesTheAlarm()
    {
        var (nv, r, store) = LoadedOnBlank();
        Set(r, "web.taper.percent", "20");
        store.Save(out _);
        store.Save(out _);
        nv.Poke(30, [0x55]);
        nv.Poke(store.SlotSize + 30, [0x55]);

        var values = Boot(nv, out var outcome, out var alarm);
        Assert.Equal(SettingsLoadOutcome.Corrupt, outcome);
        Assert.True(alarm);
        Assert.Equal(Values(NewRegistry()), values);
    }

    [Fact]
    public void ImageOfUnknownLayoutVersion_BootsWithDefaults_AndRaisesItsAlarm()
    {
        var (nv, r, store) = LoadedOnBlank();
        Set(r, "web.taper.percent", "20");
        store.Save(out _);
        // Rewrite the layout field to 2 and fix the CRC: a well-formed image from some future firmware.
        var img = nv.Snapshot();
        int length = (int)Tfb.Storage.LittleEndian.ReadUInt32(img, 12);
        img[4] = 2;
        uint crc = Tfb.Storage.Crc32.Compute(img, 0, 16 + length);
        Tfb.Storage.LittleEndian.WriteUInt32(img, 16 + length, crc);
        nv.Poke(0, img.AsSpan(0, 20 + length));

        var r2 = NewRegistry();
        var (s2, alarms, _) = NewStore(nv, r2);
        Assert.Equal(SettingsLoadOutcome.UnknownVersion, s2.Load());
        Assert.True(alarms.IsActive((int)AlarmCode.SettingsVersionUnknown));
        Assert.Equal(Values(NewRegistry()), Values(r2));
    }

    [Fact]
    public void StoredValueNowOutOfRange_FallsBackToDefault_AndIsCounted()
    {
        var (nv, r, store) = LoadedOnBlank();
        Set(r, "web.tension.setpointN", "1900");
        Set(r, "web.taper.percent", "40");
        store.Save(out _);

        // A newer firmware tightened the tension limit to 1000 N.
        var tighter = new SettingsRegistry(32);
        tighter.Add(SettingDef.Number("web.tension.setpointN", "N", SettingType.Real, 0, 1000, 300, AccessLevel.Technician, ""));
        tighter.Add(SettingDef.Number("web.taper.percent", "%", SettingType.Integer, 0, 50, 10, AccessLevel.Technician, ""));
        var (s2, _, _) = NewStore(nv, tighter);
        Assert.Equal(SettingsLoadOutcome.Loaded, s2.Load());
        Assert.Equal(300, tighter.GetNumber(0));
        Assert.Equal(40, tighter.GetInt(1));
        Assert.Equal(6, s2.RejectedOnLoad); // the tension value plus the five settings this firmware no longer has
    }

    [Fact]
    public void ImageTooBigForTheSlot_IsRefused_AndTheOldImageStays()
    {
        var nv = new MemoryNvStore(256);
        var r = NewRegistry();
        var (store, alarms, _) = NewStore(nv, r);
        store.Load();
        Set(r, "mqtt.host", new string('h', 64));
        Set(r, "mqtt.password", new string('p', 64));
        Assert.False(store.Save(out var err));
        Assert.Equal(ErrorCode.StorageFailed, err);
        Assert.True(alarms.IsActive((int)AlarmCode.SettingsSaveFailed));
        Assert.Equal(SettingsLoadOutcome.Blank, NewStore(nv, NewRegistry()).Store.Load());
    }
}
