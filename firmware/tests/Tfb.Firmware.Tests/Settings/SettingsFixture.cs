using Tfb.Boards.Virtual;
using Tfb.Logging;
using Tfb.Settings;

namespace Tfb.Firmware.Tests.Settings;

/// <summary>A small board's worth of settings of every type, as a module would declare them.</summary>
internal static class SettingsFixture
{
    public static SettingsRegistry NewRegistry()
    {
        var r = new SettingsRegistry(32);
        r.Add(SettingDef.Number("web.tension.setpointN", "N", SettingType.Real, 0, 2000, 300, AccessLevel.Technician, "Running tension"));
        r.Add(SettingDef.Number("web.speed.setpointMpm", "m/min", SettingType.Real, 0.001, 1, 0.05, AccessLevel.Technician, "Line speed"));
        r.Add(SettingDef.Number("web.taper.percent", "%", SettingType.Integer, 0, 50, 10, AccessLevel.Technician, "Rewind taper"));
        r.Add(SettingDef.Flag("web.break.detect", true, AccessLevel.Engineer, "Web-break detection"));
        var host = SettingDef.Text("mqtt.host", 64, "127.0.0.1", AccessLevel.Engineer, "Broker host");
        host.NeedsRestart = true;
        r.Add(host);
        var pw = SettingDef.Text("mqtt.password", 64, "", AccessLevel.Engineer, "Broker password");
        pw.Secret = true;
        r.Add(pw);
        r.Add(SettingDef.Number("anneal.zone1.soakC", "degC", SettingType.Real, -50, 900, 700, AccessLevel.Technician, "Soak temperature"));
        return r;
    }

    public static (SettingsStore Store, AlarmLog Alarms, LogRing Events) NewStore(MemoryNvStore nv, SettingsRegistry registry)
    {
        var clock = new SimulatedClock();
        var alarms = new AlarmLog(32, 16, clock);
        var events = new LogRing(32, clock);
        return (new SettingsStore(nv, registry, alarms, events), alarms, events);
    }

    public static string[] Values(SettingsRegistry r) =>
        Enumerable.Range(0, r.Count).Select(i => r.GetDef(i).Name + "=" + r.FormatValue(i)).ToArray();

    public static void Set(SettingsRegistry r, string name, string value)
    {
        Assert.True(r.TrySetFromText(r.IndexOf(name), value, out var err), $"{name}={value}: {err}");
    }
}
