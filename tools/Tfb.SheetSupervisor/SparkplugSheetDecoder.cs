using Google.Protobuf;
using Tfb.SparkplugReference;

namespace Tfb.SheetSupervisor;

/// <summary>What <see cref="SparkplugSheetDecoder.Accept"/> did with one MQTT message.</summary>
public enum DecodeOutcome
{
    /// <summary>Not a message of the sheet-test device (other topic, other group/device, NDEATH...).</summary>
    Ignored,

    /// <summary>A birth: aliases learned.</summary>
    Birth,

    /// <summary>A sheet-start record opened (or completed the header of) a sheet.</summary>
    SheetStarted,

    /// <summary>A site result was added to its sheet.</summary>
    SiteAdded,

    /// <summary>A sheet-end record closed a sheet.</summary>
    SheetEnded,

    /// <summary>A repeat of a record already taken (same SF/Seq and same content key); dropped.</summary>
    Duplicate,

    /// <summary>The message could not be used (bad protobuf, missing fields); see the issues.</summary>
    Rejected,

    /// <summary>
    /// A DDATA whose aliases no birth declared (the watch joined after the births): kept, and decoded when the
    /// device's next birth arrives (the caller should request one: <see cref="SparkplugSheetDecoder.RebirthRequest"/>).
    /// </summary>
    UnknownAlias,
}

/// <summary>
/// Turns the sheet-test board's Sparkplug B messages (SHEET-CONTRACT: device <c>SheetTest</c>, one DDATA per
/// record) into sheets. Decodes with Google.Protobuf (the repository's reference schema, not the firmware codec);
/// resolves aliases from NBIRTH/DBIRTH per edge node; takes live and historical (store-and-forward replay)
/// records alike; drops repeats by (group, edge node, device, <c>SF/Seq</c>) when the repeat also names the same
/// sheet and site, else by (sheet, cell). Not thread-safe: call from one thread (the watcher serialises).
/// </summary>
public sealed class SparkplugSheetDecoder
{
    private readonly string _device;
    private readonly string? _group;
    private readonly Dictionary<string, Dictionary<ulong, string>> _aliases = new();
    private readonly Dictionary<(string Node, ulong SfSeq), string> _seenSfSeq = new();
    private readonly Dictionary<(string Node, string Sheet), OpenSheet> _open = new();
    private readonly List<SheetResults> _completed = new();
    private readonly Dictionary<string, List<(string Topic, byte[] Payload)>> _pending = new();

    /// <summary>Most DDATA messages kept per edge node while its aliases are unknown.</summary>
    public const int MaxPendingPerNode = 100_000;

    private sealed class OpenSheet
    {
        public required SheetResults Sheet;
        public readonly HashSet<(int, int)> Cells = new();
        public bool StartSeen;
    }

    /// <summary>Creates a decoder for device <paramref name="device"/>, all groups or only <paramref name="group"/>.</summary>
    public SparkplugSheetDecoder(string device = "SheetTest", string? group = null)
    {
        _device = device;
        _group = group;
    }

    /// <summary>Raised when a sheet-end record closes a sheet (on the thread that called <see cref="Accept"/>).</summary>
    public event Action<SheetResults>? SheetCompleted;

    /// <summary>What was skipped or repaired, in order.</summary>
    public List<InputIssue> Issues { get; } = new();

    /// <summary>Closed sheets in the order they closed.</summary>
    public IReadOnlyList<SheetResults> CompletedSheets => _completed;

    /// <summary>Sheets seen but not yet closed.</summary>
    public IReadOnlyList<SheetResults> OpenSheets => _open.Values.Select(o => o.Sheet).ToList();

    /// <summary>Records dropped as repeats.</summary>
    public long Duplicates { get; private set; }

    /// <summary>Records taken that were historical (replayed from the board's store-and-forward queue).</summary>
    public long HistoricalRecords { get; private set; }

    /// <summary>Site results taken.</summary>
    public long Sites { get; private set; }

    /// <summary>DDATA messages waiting for a birth that declares their aliases.</summary>
    public int PendingRecords => _pending.Values.Sum(l => l.Count);

    /// <summary>
    /// A Sparkplug rebirth request for an edge node (NCMD <c>Node Control/Rebirth</c> = true), what a host
    /// application sends when it sees aliases it has no birth for.
    /// </summary>
    /// <param name="groupAndNode">"group/node", as in <see cref="InputIssue"/> messages and <see cref="NodeOf"/>.</param>
    public static (string Topic, byte[] Payload) RebirthRequest(string groupAndNode)
    {
        int slash = groupAndNode.IndexOf('/');
        var payload = new Payload { Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        payload.Metrics.Add(new Metric { Name = "Node Control/Rebirth", Datatype = 11, BooleanValue = true });
        return ($"spBv1.0/{groupAndNode[..slash]}/NCMD/{groupAndNode[(slash + 1)..]}", payload.ToByteArray());
    }

    /// <summary>"group/node" of a Sparkplug topic, or null.</summary>
    public static string? NodeOf(string topic)
    {
        var parts = topic.Split('/');
        return parts.Length >= 4 && parts[0] == "spBv1.0" ? parts[1] + "/" + parts[3] : null;
    }

    /// <summary>Decodes one message.</summary>
    /// <param name="topic">MQTT topic, e.g. <c>spBv1.0/line/DDATA/virtual-sheettest/SheetTest</c>.</param>
    /// <param name="payload">Sparkplug B protobuf payload.</param>
    public DecodeOutcome Accept(string topic, ReadOnlySpan<byte> payload)
    {
        var parts = topic.Split('/');
        if (parts.Length < 4 || parts[0] != "spBv1.0") return DecodeOutcome.Ignored;
        if (_group != null && parts[1] != _group) return DecodeOutcome.Ignored;
        string type = parts[2];
        string node = parts[1] + "/" + parts[3];
        if (type == "NDEATH")
        {
            // Records held for this session's aliases can no longer be decoded: the next birth may declare others.
            if (_pending.Remove(node, out var lost))
            {
                Issues.Add(new InputIssue(0, $"{node}: {lost.Count} record(s) skipped, their aliases were never declared before the node died"));
            }
            return DecodeOutcome.Ignored;
        }
        if (type is not ("NBIRTH" or "DBIRTH" or "DDATA")) return DecodeOutcome.Ignored;

        Payload p;
        try
        {
            p = Payload.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            Issues.Add(new InputIssue(0, $"{topic}: payload skipped, not a Sparkplug B protobuf ({e.Message})"));
            return DecodeOutcome.Rejected;
        }

        if (type == "NBIRTH")
        {
            // A new session: aliases are re-declared from here on.
            _aliases[node] = new Dictionary<ulong, string>();
            Learn(node, p);
            return DecodeOutcome.Birth;
        }
        if (parts.Length < 5 || parts[4] != _device) return DecodeOutcome.Ignored;
        if (type == "DBIRTH")
        {
            Learn(node, p);
            // Records that came before this birth (same session, no NDEATH in between) now decode.
            if (_pending.Remove(node, out var waiting))
            {
                foreach (var (t, bytes) in waiting) Accept(t, bytes);
            }
            return DecodeOutcome.Birth;
        }

        var values = new Dictionary<string, Metric>(StringComparer.Ordinal);
        bool historical = false;
        foreach (var m in p.Metrics)
        {
            string? name = m.HasName ? m.Name : null;
            if (name == null && m.HasAlias)
            {
                if (!_aliases.TryGetValue(node, out var map) || !map.TryGetValue(m.Alias, out name))
                {
                    if (!_pending.TryGetValue(node, out var list)) _pending[node] = list = new List<(string, byte[])>();
                    if (list.Count >= MaxPendingPerNode)
                    {
                        Issues.Add(new InputIssue(0, $"{topic}: record skipped, alias {m.Alias} unknown and {MaxPendingPerNode} records already wait for a birth of {node}"));
                        return DecodeOutcome.Rejected;
                    }
                    list.Add((topic, payload.ToArray()));
                    return DecodeOutcome.UnknownAlias;
                }
            }
            if (name == null) continue;
            historical |= m.IsHistorical;
            values[name] = m;
        }

        long timeMs = p.HasTimestamp ? (long)p.Timestamp : 0;
        try
        {
            DecodeOutcome outcome;
            if (values.ContainsKey("Result/Cell X")) outcome = TakeSite(node, values, timeMs);
            else if (values.ContainsKey("Sheet/Columns")) outcome = TakeStart(node, values, timeMs);
            else if (values.ContainsKey("Sheet/End Sites")) outcome = TakeEnd(node, values);
            else return DecodeOutcome.Ignored;
            if (historical && outcome is DecodeOutcome.SiteAdded or DecodeOutcome.SheetStarted or DecodeOutcome.SheetEnded) HistoricalRecords++;
            return outcome;
        }
        catch (FormatException e)
        {
            Issues.Add(new InputIssue(0, $"{topic}: record skipped, {e.Message}"));
            return DecodeOutcome.Rejected;
        }
    }

    /// <summary>Every sheet, closed ones first then open ones (for writing a results file when the watch stops).</summary>
    public List<SheetResults> AllSheets()
    {
        var all = new List<SheetResults>(_completed);
        foreach (var o in _open.Values)
        {
            FinishGeometry(o);
            all.Add(o.Sheet);
        }
        return all;
    }

    /// <summary>At the end of a watch: records still waiting for a birth become issues and are dropped.</summary>
    public void ReportUnresolved()
    {
        foreach (var (node, list) in _pending)
        {
            Issues.Add(new InputIssue(0, $"{node}: {list.Count} record(s) not decoded, no birth declared their aliases "
                + "(start the watch before the sheet, or let it request a rebirth)"));
        }
        _pending.Clear();
    }

    private void Learn(string node, Payload p)
    {
        if (!_aliases.TryGetValue(node, out var map)) _aliases[node] = map = new Dictionary<ulong, string>();
        foreach (var m in p.Metrics)
        {
            if (m.HasName && m.HasAlias) map[m.Alias] = m.Name;
        }
    }

    /// <summary>True when this SF/Seq was taken before for the same content key (a replay after a lost PUBACK).</summary>
    private bool IsRepeat(string node, Dictionary<string, Metric> v, string contentKey)
    {
        if (!v.TryGetValue("SF/Seq", out var sf) || sf.IsNull) return false;
        var key = (node, (ulong)Long(sf, "SF/Seq"));
        if (_seenSfSeq.TryGetValue(key, out var previous))
        {
            if (previous == contentKey) return true;
            Issues.Add(new InputIssue(0, $"{node}: SF/Seq {key.Item2} came again with other content ({contentKey}, before {previous}); "
                + "taken as new (the board's queue was reset?)"));
        }
        _seenSfSeq[key] = contentKey;
        return false;
    }

    private DecodeOutcome TakeStart(string node, Dictionary<string, Metric> v, long timeMs)
    {
        string sheetId = Str(v, "Sheet/Sheet Id");
        if (IsRepeat(node, v, "start " + sheetId)) { Duplicates++; return DecodeOutcome.Duplicate; }
        var h = new SheetHeader
        {
            Roll = Str(v, "Sheet/Roll Id"),
            SheetId = sheetId,
            Columns = (int)Long(v, "Sheet/Columns"),
            Rows = (int)Long(v, "Sheet/Rows"),
            PitchXMm = Dbl(v, "Sheet/Pitch X mm"),
            PitchYMm = Dbl(v, "Sheet/Pitch Y mm"),
            CellWMm = Dbl(v, "Sheet/Cell W mm"),
            CellHMm = Dbl(v, "Sheet/Cell H mm"),
            Z1Hz = Dbl(v, "Sheet/Z1 Hz"),
            Z2Hz = Dbl(v, "Sheet/Z2 Hz"),
            Z3Hz = Dbl(v, "Sheet/Z3 Hz"),
            Formed = v.TryGetValue("Sheet/Formed", out var f) && f.ValueCase == Metric.ValueOneofCase.BooleanValue && f.BooleanValue,
            Program = v.TryGetValue("Sheet/Test Program", out var prog) && prog.ValueCase == Metric.ValueOneofCase.StringValue ? prog.StringValue : "",
            StartMs = timeMs,
        };
        if (h.Columns < 1 || h.Columns > 255 || h.Rows < 1 || h.Rows > 255) throw new FormatException($"sheet {sheetId} has {h.Columns} x {h.Rows} cells");
        h.GeometryKnown = h.PitchXMm > 0 && h.PitchYMm > 0 && h.CellWMm > 0 && h.CellHMm > 0;

        if (_open.TryGetValue((node, sheetId), out var open))
        {
            if (open.StartSeen)
            {
                Issues.Add(new InputIssue(0, $"{node}: second start record for open sheet {sheetId} ignored"));
                Duplicates++;
                return DecodeOutcome.Duplicate;
            }
            // Sites arrived first (the watch began mid-sheet with a replay): the header now becomes known.
            var merged = new SheetResults(h);
            foreach (var site in open.Sheet.Sites)
            {
                if (site.X < h.Columns && site.Y < h.Rows) merged.Sites.Add(site);
                else Issues.Add(new InputIssue(0, $"{node}: result for cell ({site.X},{site.Y}) skipped, not on the {h.Columns} x {h.Rows} sheet {sheetId}"));
            }
            open.Sheet = merged;
        }
        else
        {
            open = new OpenSheet { Sheet = new SheetResults(h) };
            _open[(node, sheetId)] = open;
        }
        open.StartSeen = true;
        foreach (var m in Measurements.All)
        {
            if (m is Measurement.Z1Deg or Measurement.Z2Deg or Measurement.Z3Deg) continue;
            string test = Measurements.TestName(m).Replace('_', ' ');
            bool hasLo = v.TryGetValue("Limits/" + test + " Lo", out _), hasHi = v.TryGetValue("Limits/" + test + " Hi", out _);
            if (!hasLo && !hasHi) continue;
            double lo = hasLo ? Dbl(v, "Limits/" + test + " Lo") : double.NaN;
            double hi = hasHi ? Dbl(v, "Limits/" + test + " Hi") : double.NaN;
            if (double.IsNaN(lo) && double.IsNaN(hi)) continue;
            if (lo > hi)
            {
                Issues.Add(new InputIssue(0, $"{node}: sheet {sheetId} limits of {test} skipped, lo {lo} > hi {hi}"));
                continue;
            }
            open.Sheet.Limits.Add(new TestLimit(Measurements.TestName(m), lo, hi));
        }
        return DecodeOutcome.SheetStarted;
    }

    private DecodeOutcome TakeSite(string node, Dictionary<string, Metric> v, long timeMs)
    {
        var s = new SiteResult
        {
            Roll = Str(v, "Result/Roll Id"),
            Sheet = Str(v, "Result/Sheet Id"),
            X = (int)Long(v, "Result/Cell X"),
            Y = (int)Long(v, "Result/Cell Y"),
            Seq = Long(v, "Result/Site Seq"),
            TimeMs = timeMs,
            ContactOhm = Dbl(v, "Result/Contact Ohm"),
            LeakageA = Dbl(v, "Result/Leakage A"),
            OcvV = Dbl(v, "Result/OCV V"),
            Z1Ohm = Dbl(v, "Result/Z1 Ohm"),
            Z1Deg = Dbl(v, "Result/Z1 Deg"),
            Z2Ohm = Dbl(v, "Result/Z2 Ohm"),
            Z2Deg = Dbl(v, "Result/Z2 Deg"),
            Z3Ohm = Dbl(v, "Result/Z3 Ohm"),
            Z3Deg = Dbl(v, "Result/Z3 Deg"),
            HardBin = (int)Long(v, "Result/Hard Bin"),
            SoftBin = (int)Long(v, "Result/Soft Bin"),
            Flags = (uint)Long(v, "Result/Flags"),
        };
        if (s.HardBin < 1 || s.HardBin > HardBins.Count) throw new FormatException($"hard bin {s.HardBin} of cell ({s.X},{s.Y}) is not 1..9");
        if (IsRepeat(node, v, $"site {s.Sheet} {s.Seq} {s.X} {s.Y}")) { Duplicates++; return DecodeOutcome.Duplicate; }
        if (!_open.TryGetValue((node, s.Sheet), out var open))
        {
            if (_completed.Any(c => c.Header.SheetId == s.Sheet && c.Header.Roll == s.Roll))
            {
                Issues.Add(new InputIssue(0, $"{node}: result for cell ({s.X},{s.Y}) of sheet {s.Sheet} after its end record skipped"));
                return DecodeOutcome.Rejected;
            }
            // The start record was missed (the watch began mid-sheet): geometry unknown until it comes.
            open = new OpenSheet { Sheet = new SheetResults(new SheetHeader { Roll = s.Roll, SheetId = s.Sheet, GeometryKnown = false }) };
            _open[(node, s.Sheet)] = open;
            Issues.Add(new InputIssue(0, $"{node}: sheet {s.Sheet} has results but no start record yet; its geometry is unknown"));
        }
        var h = open.Sheet.Header;
        if (open.StartSeen && (s.X >= h.Columns || s.Y >= h.Rows))
        {
            Issues.Add(new InputIssue(0, $"{node}: result for cell ({s.X},{s.Y}) skipped, not on the {h.Columns} x {h.Rows} sheet {s.Sheet}"));
            return DecodeOutcome.Rejected;
        }
        if (s.Roll != h.Roll)
        {
            Issues.Add(new InputIssue(0, $"{node}: result for sheet {s.Sheet} skipped, roll {s.Roll} differs from the sheet's roll {h.Roll}"));
            return DecodeOutcome.Rejected;
        }
        if (!open.Cells.Add((s.X, s.Y)))
        {
            Duplicates++;
            return DecodeOutcome.Duplicate;
        }
        open.Sheet.Sites.Add(s);
        Sites++;
        return DecodeOutcome.SiteAdded;
    }

    private DecodeOutcome TakeEnd(string node, Dictionary<string, Metric> v)
    {
        string sheetId = Str(v, "Sheet/Sheet Id");
        if (IsRepeat(node, v, "end " + sheetId)) { Duplicates++; return DecodeOutcome.Duplicate; }
        if (!_open.TryGetValue((node, sheetId), out var open))
        {
            if (_completed.Any(c => c.Header.SheetId == sheetId)) { Duplicates++; return DecodeOutcome.Duplicate; }
            Issues.Add(new InputIssue(0, $"{node}: end record of sheet {sheetId} skipped, no start or result of it was seen"));
            return DecodeOutcome.Rejected;
        }
        var end = new SheetEnd { Sites = Long(v, "Sheet/End Sites") };
        if (!v.TryGetValue("Sheet/Bin Counts", out var bins) || bins.ValueCase != Metric.ValueOneofCase.StringValue
            || !ResultsCsv.TryParseBinCounts(bins.StringValue, end.BinCounts))
        {
            Issues.Add(new InputIssue(0, $"{node}: sheet {sheetId} end record has no usable Sheet/Bin Counts; counts from the results are used"));
            end.BinCounts = open.Sheet.CountBins();
        }
        FinishGeometry(open);
        open.Sheet.End = end;
        _open.Remove((node, sheetId));
        _completed.Add(open.Sheet);
        if (end.Sites != open.Sheet.Sites.Count)
        {
            Issues.Add(new InputIssue(0, $"{node}: sheet {sheetId} closed with {open.Sheet.Sites.Count} results received, the board says {end.Sites} tested"));
        }
        SheetCompleted?.Invoke(open.Sheet);
        return DecodeOutcome.SheetEnded;
    }

    /// <summary>A sheet whose start record never came gets its grid from the cells seen (geometry stays unknown).</summary>
    private static void FinishGeometry(OpenSheet o)
    {
        if (o.StartSeen) return;
        var h = o.Sheet.Header;
        h.Columns = Math.Max(h.Columns, o.Sheet.Sites.Select(s => s.X + 1).DefaultIfEmpty(1).Max());
        h.Rows = Math.Max(h.Rows, o.Sheet.Sites.Select(s => s.Y + 1).DefaultIfEmpty(1).Max());
        h.StartMs = o.Sheet.Sites.Select(s => s.TimeMs).DefaultIfEmpty(0).Min();
    }

    private static string Str(Dictionary<string, Metric> v, string name)
    {
        if (!v.TryGetValue(name, out var m)) throw new FormatException($"metric '{name}' missing");
        if (m.ValueCase != Metric.ValueOneofCase.StringValue || m.StringValue.Length == 0) throw new FormatException($"metric '{name}' is not a non-empty string");
        return m.StringValue;
    }

    private static long Long(Dictionary<string, Metric> v, string name)
    {
        if (!v.TryGetValue(name, out var m)) throw new FormatException($"metric '{name}' missing");
        return Long(m, name);
    }

    private static long Long(Metric m, string name) => m.ValueCase switch
    {
        _ when m.IsNull => throw new FormatException($"metric '{name}' is null"),
        Metric.ValueOneofCase.IntValue => m.IntValue,
        Metric.ValueOneofCase.LongValue => m.LongValue <= long.MaxValue ? (long)m.LongValue : throw new FormatException($"metric '{name}' out of range"),
        _ => throw new FormatException($"metric '{name}' is not an integer"),
    };

    /// <summary>A Float/Double metric; absent or null = NaN (not measured).</summary>
    private static double Dbl(Dictionary<string, Metric> v, string name)
    {
        if (!v.TryGetValue(name, out var m) || m.IsNull) return double.NaN;
        return m.ValueCase switch
        {
            Metric.ValueOneofCase.FloatValue => NumberFormat.FromFloat(m.FloatValue),
            Metric.ValueOneofCase.DoubleValue => m.DoubleValue,
            _ => throw new FormatException($"metric '{name}' is not a Float"),
        };
    }
}
