using Google.Protobuf;
using Tfb.SparkplugReference;

namespace Tfb.SheetSupervisor.Tests;

/// <summary>
/// Builds the sheet-test board's messages of the contract with Google.Protobuf (reference schema): births that
/// declare names with aliases, DDATA records that carry aliases only, as the board sends them.
/// </summary>
internal sealed class SparkplugPayloads
{
    public const string Group = "line";
    public const string Node = "virtual-sheettest";
    public const string Device = "SheetTest";

    // Datatypes of Sparkplug B 3.0: UInt8 5, UInt16 6, UInt32 7 (long_value), Float 9, Boolean 11, String 12.
    private readonly Dictionary<string, (ulong Alias, uint Type)> _metrics = new();

    public SparkplugPayloads()
    {
        ulong alias = 100;
        void Add(string name, uint type) => _metrics[name] = (alias++, type);
        foreach (var n in new[] { "Result/Roll Id", "Result/Sheet Id", "Sheet/Roll Id", "Sheet/Sheet Id", "Sheet/Test Program", "Sheet/Bin Counts" }) Add(n, 12);
        foreach (var n in new[] { "Result/Cell X", "Result/Cell Y", "Result/Hard Bin", "Sheet/Columns", "Sheet/Rows" }) Add(n, 5);
        Add("Result/Soft Bin", 6);
        foreach (var n in new[] { "Result/Site Seq", "Result/Flags", "Sheet/End Sites", "SF/Seq" }) Add(n, 7);
        foreach (var n in new[] { "Result/Contact Ohm", "Result/Leakage A", "Result/OCV V", "Result/Z1 Ohm", "Result/Z1 Deg", "Result/Z2 Ohm",
                     "Result/Z2 Deg", "Result/Z3 Ohm", "Result/Z3 Deg", "Sheet/Pitch X mm", "Sheet/Pitch Y mm", "Sheet/Cell W mm",
                     "Sheet/Cell H mm", "Sheet/Z1 Hz", "Sheet/Z2 Hz", "Sheet/Z3 Hz" })
        {
            Add(n, 9);
        }
        foreach (var t in new[] { "Contact Ohm", "Leakage A", "OCV V", "Z1 Ohm", "Z2 Ohm", "Z3 Ohm" })
        {
            Add("Limits/" + t + " Lo", 9);
            Add("Limits/" + t + " Hi", 9);
        }
        Add("Sheet/Formed", 11);
    }

    public static string Topic(string type, string? device = Device, string group = Group) =>
        $"spBv1.0/{group}/{type}/{Node}" + (device == null ? "" : "/" + device);

    public byte[] NodeBirth() => new Payload
    {
        Timestamp = 1, Seq = 0,
        Metrics = { new Metric { Name = "bdSeq", Datatype = 8, LongValue = 0 }, new Metric { Name = "Node Control/Rebirth", Alias = 1, Datatype = 11, BooleanValue = false } },
    }.ToByteArray();

    public byte[] DeviceBirth()
    {
        var p = new Payload { Timestamp = 2, Seq = 1 };
        foreach (var (name, (alias, type)) in _metrics)
        {
            var m = new Metric { Name = name, Alias = alias, Datatype = type };
            if (name == "SF/Seq") m.IsNull = true;
            else SetValue(m, type, type == 12 ? "" : 0.0);
            p.Metrics.Add(m);
        }
        return p.ToByteArray();
    }

    /// <summary>A DDATA record with aliases only; <paramref name="historical"/> marks a store-and-forward replay.</summary>
    public byte[] Record(long timeMs, ulong sfSeq, bool historical, params (string Name, object Value)[] values)
    {
        var p = new Payload { Timestamp = (ulong)timeMs, Seq = 5 };
        foreach (var (name, value) in values.Append(("SF/Seq", (object)(double)sfSeq)))
        {
            var (alias, type) = _metrics[name];
            var m = new Metric { Alias = alias, Datatype = type, Timestamp = (ulong)timeMs, IsHistorical = historical };
            SetValue(m, type, value);
            p.Metrics.Add(m);
        }
        return p.ToByteArray();
    }

    public byte[] Start(SheetResults sheet, ulong sfSeq, bool historical = false)
    {
        var h = sheet.Header;
        var v = new List<(string, object)>
        {
            ("Sheet/Roll Id", h.Roll), ("Sheet/Sheet Id", h.SheetId), ("Sheet/Columns", (double)h.Columns), ("Sheet/Rows", (double)h.Rows),
            ("Sheet/Pitch X mm", h.PitchXMm), ("Sheet/Pitch Y mm", h.PitchYMm), ("Sheet/Cell W mm", h.CellWMm), ("Sheet/Cell H mm", h.CellHMm),
            ("Sheet/Z1 Hz", h.Z1Hz), ("Sheet/Z2 Hz", h.Z2Hz), ("Sheet/Z3 Hz", h.Z3Hz), ("Sheet/Formed", h.Formed), ("Sheet/Test Program", h.Program),
        };
        foreach (var l in sheet.Limits)
        {
            string t = l.Test.Replace('_', ' ');
            v.Add(("Limits/" + t + " Lo", l.Lo));
            v.Add(("Limits/" + t + " Hi", l.Hi));
        }
        return Record(h.StartMs, sfSeq, historical, v.ToArray());
    }

    public byte[] Site(SiteResult s, ulong sfSeq, bool historical = false) => Record(s.TimeMs, sfSeq, historical,
        ("Result/Roll Id", s.Roll), ("Result/Sheet Id", s.Sheet), ("Result/Cell X", (double)s.X), ("Result/Cell Y", (double)s.Y),
        ("Result/Site Seq", (double)s.Seq), ("Result/Contact Ohm", s.ContactOhm), ("Result/Leakage A", s.LeakageA), ("Result/OCV V", s.OcvV),
        ("Result/Z1 Ohm", s.Z1Ohm), ("Result/Z1 Deg", s.Z1Deg), ("Result/Z2 Ohm", s.Z2Ohm), ("Result/Z2 Deg", s.Z2Deg),
        ("Result/Z3 Ohm", s.Z3Ohm), ("Result/Z3 Deg", s.Z3Deg), ("Result/Hard Bin", (double)s.HardBin), ("Result/Soft Bin", (double)s.SoftBin),
        ("Result/Flags", (double)s.Flags));

    public byte[] End(SheetResults sheet, ulong sfSeq, bool historical = false) => Record(sheet.Sites.Max(s => s.TimeMs) + 10, sfSeq, historical,
        ("Sheet/Sheet Id", sheet.Header.SheetId), ("Sheet/End Sites", (double)sheet.Sites.Count),
        ("Sheet/Bin Counts", string.Join(",", sheet.CountBins())));

    private static void SetValue(Metric m, uint type, object value)
    {
        switch (type)
        {
            case 5: case 6: m.IntValue = (uint)Convert.ToDouble(value); break;
            case 7: m.LongValue = (ulong)Convert.ToDouble(value); break;
            case 9: m.FloatValue = (float)Convert.ToDouble(value); break;
            case 11: m.BooleanValue = value is bool b && b; break;
            case 12: m.StringValue = (string)value; break;
            default: throw new ArgumentOutOfRangeException(nameof(type));
        }
    }
}
