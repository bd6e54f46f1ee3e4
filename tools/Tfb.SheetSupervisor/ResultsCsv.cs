using System.Globalization;
using System.Text;

namespace Tfb.SheetSupervisor;

/// <summary>
/// Reads and writes the results file of the contract (docs/supervisor.md "Results file"): <c># sheet</c>,
/// <c># limit</c> and <c># end</c> header records, one column header line, one row per site.
/// Reading is forgiving where it is safe: a bad row is skipped and reported, never guessed; a missing header is
/// fatal (<see cref="SupervisorException"/> with <see cref="ExitCode.BadHeader"/>).
/// </summary>
public static class ResultsCsv
{
    /// <summary>The column header line, exactly.</summary>
    public const string ColumnHeader =
        "roll,sheet,x,y,seq,time_ms,contact_ohm,leakage_a,ocv_v,z1_ohm,z1_deg,z2_ohm,z2_deg,z3_ohm,z3_deg,hard_bin,soft_bin,flags";

    private static readonly string[] s_columns = ColumnHeader.Split(',');

    /// <summary>Reads a results file from disk. Progress (0..1) goes to <paramref name="progress"/> by bytes read.</summary>
    public static ResultsFile ReadFile(string path, List<InputIssue> issues, Action<double>? progress = null)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SupervisorException(ExitCode.InputUnreadable, $"cannot read {path}: {e.Message}");
        }
        using (stream)
        {
            long length = stream.Length;
            if (length == 0) throw new SupervisorException(ExitCode.EmptyInput, $"{path} is empty");
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            Action<double>? byBytes = progress == null ? null : _ => progress((double)stream.Position / length);
            return Read(reader, issues, byBytes);
        }
    }

    /// <summary>
    /// Reads a results file. Skipped rows and repaired records are added to <paramref name="issues"/>;
    /// <paramref name="progress"/> is called now and then (its argument is passed through from the caller's view).
    /// </summary>
    /// <exception cref="SupervisorException">Empty input, no sheet, or missing/malformed headers.</exception>
    public static ResultsFile Read(TextReader reader, List<InputIssue> issues, Action<double>? progress = null)
    {
        var file = new ResultsFile();
        SheetResults? sheet = null;
        HashSet<(int, int)> cells = new();
        bool columnsSeen = false;
        long lineNo = 0;
        bool anyContent = false;
        string? line;
        while ((line = reader.ReadLine()) != null)
        {
            lineNo++;
            if ((lineNo & 1023) == 0) progress?.Invoke(0);
            if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            if (lineNo == 1 && line.Length > 0 && line[0] == '\uFEFF') line = line[1..];
            if (line.Trim().Length == 0) continue;
            anyContent = true;
            if (line[0] == '#')
            {
                var (kind, pairs, bad) = ParseRecord(line);
                switch (kind)
                {
                    case "sheet":
                        if (bad != null) throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: malformed sheet record: {bad}");
                        sheet = new SheetResults(ParseSheetHeader(pairs, lineNo));
                        file.Sheets.Add(sheet);
                        cells = new HashSet<(int, int)>();
                        break;
                    case "limit":
                        if (sheet == null) throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: limit record before any '# sheet' record");
                        if (bad != null) { issues.Add(new InputIssue(lineNo, $"limit record skipped: {bad}")); break; }
                        AddLimit(sheet, pairs, lineNo, issues);
                        break;
                    case "end":
                        if (sheet == null) throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: end record before any '# sheet' record");
                        if (bad != null) { issues.Add(new InputIssue(lineNo, $"end record skipped: {bad}")); break; }
                        ParseEnd(sheet, pairs, lineNo, issues);
                        break;
                    default:
                        issues.Add(new InputIssue(lineNo, $"unknown header record '{kind}' ignored"));
                        break;
                }
                continue;
            }

            if (line.StartsWith("roll,", StringComparison.Ordinal) || line.StartsWith("roll;", StringComparison.Ordinal))
            {
                if (line.Trim() != ColumnHeader)
                {
                    throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: column header is not the contract's ({ColumnHeader})");
                }
                columnsSeen = true;
                continue;
            }

            if (sheet == null) throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: data row before any '# sheet' record");
            if (!columnsSeen) throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: data row before the column header line ({ColumnHeader})");
            var site = ParseRow(line, sheet.Header, lineNo, issues);
            if (site == null) continue;
            if (!cells.Add((site.X, site.Y)))
            {
                issues.Add(new InputIssue(lineNo, $"row skipped: cell ({site.X},{site.Y}) of sheet {site.Sheet} already has a result"));
                continue;
            }
            sheet.Sites.Add(site);
        }

        if (!anyContent) throw new SupervisorException(ExitCode.EmptyInput, "the input is empty");
        if (file.Sheets.Count == 0) throw new SupervisorException(ExitCode.EmptyInput, "the input holds no '# sheet' record");
        foreach (var s in file.Sheets)
        {
            if (s.End != null)
            {
                long[] counted = s.CountBins();
                if (s.End.Sites != s.Sites.Count || !counted.AsSpan().SequenceEqual(s.End.BinCounts))
                {
                    issues.Add(new InputIssue(0, $"sheet {s.Header.SheetId}: end record says {s.End.Sites} sites, bins {string.Join(",", s.End.BinCounts)}; "
                        + $"the file holds {s.Sites.Count} sites, bins {string.Join(",", counted)} (the rows are used)"));
                }
            }
        }
        progress?.Invoke(1);
        return file;
    }

    private static (string Kind, Dictionary<string, string> Pairs, string? Bad) ParseRecord(string line)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var tokens = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0) return ("", pairs, "empty record");
        string? bad = null;
        for (int i = 1; i < tokens.Length; i++)
        {
            int eq = tokens[i].IndexOf('=');
            if (eq <= 0) { bad ??= $"'{tokens[i]}' is not key=value"; continue; }
            string key = tokens[i][..eq];
            if (pairs.ContainsKey(key)) { bad ??= $"key '{key}' given twice"; continue; }
            string value;
            try
            {
                value = Uri.UnescapeDataString(tokens[i][(eq + 1)..]);
            }
            catch (UriFormatException)
            {
                bad ??= $"'{tokens[i]}' has a bad percent-encoding";
                continue;
            }
            pairs[key] = value;
        }
        return (tokens[0].ToLowerInvariant(), pairs, bad);
    }

    private static SheetHeader ParseSheetHeader(Dictionary<string, string> p, long lineNo)
    {
        string Need(string key) => p.TryGetValue(key, out var v) && v.Length > 0
            ? v
            : throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: sheet record has no '{key}='");
        int Count(string key)
        {
            string v = Need(key);
            return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && n <= 255
                ? n
                : throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: sheet record {key}={v} is not a count 1..255");
        }
        double Length(string key)
        {
            // nan = unknown (a sheet whose start record was never received); maps then use the cell grid.
            string v = Need(key);
            return NumberFormat.TryParse(v, out double d) && (d > 0 || double.IsNaN(d))
                ? d
                : throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: sheet record {key}={v} is not a positive length in mm (or nan)");
        }
        double Optional(string key)
        {
            if (!p.TryGetValue(key, out var v)) return double.NaN;
            return NumberFormat.TryParse(v, out double d) ? d : throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: sheet record {key}={v} is not a number");
        }

        var h = new SheetHeader
        {
            Roll = Need("roll"),
            SheetId = Need("sheet"),
            Columns = Count("cols"),
            Rows = Count("rows"),
            PitchXMm = Length("pitch_x_mm"),
            PitchYMm = Length("pitch_y_mm"),
            CellWMm = Length("cell_w_mm"),
            CellHMm = Length("cell_h_mm"),
            Z1Hz = Optional("z1_hz"),
            Z2Hz = Optional("z2_hz"),
            Z3Hz = Optional("z3_hz"),
            Program = p.TryGetValue("program", out var prog) ? prog : "",
        };
        if (h.CellWMm > h.PitchXMm || h.CellHMm > h.PitchYMm)
        {
            throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: sheet record cell size {NumberFormat.Format(h.CellWMm)} x {NumberFormat.Format(h.CellHMm)} mm is larger than the pitch");
        }
        h.GeometryKnown = !double.IsNaN(h.PitchXMm) && !double.IsNaN(h.PitchYMm) && !double.IsNaN(h.CellWMm) && !double.IsNaN(h.CellHMm);
        if (p.TryGetValue("formed", out var formed))
        {
            h.Formed = formed switch
            {
                "1" or "true" => true,
                "0" or "false" => false,
                _ => throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: sheet record formed={formed} is not 0 or 1"),
            };
        }
        if (p.TryGetValue("start_ms", out var start))
        {
            h.StartMs = long.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out long ms)
                ? ms
                : throw new SupervisorException(ExitCode.BadHeader, $"line {lineNo}: sheet record start_ms={start} is not a time in ms");
        }
        return h;
    }

    private static void AddLimit(SheetResults sheet, Dictionary<string, string> p, long lineNo, List<InputIssue> issues)
    {
        if (!p.TryGetValue("test", out var test) || !Measurements.TryParse(test, out var m))
        {
            issues.Add(new InputIssue(lineNo, $"limit record skipped: unknown test '{test}'"));
            return;
        }
        if (!p.TryGetValue("lo", out var loText) || !NumberFormat.TryParse(loText, out double lo)
            || !p.TryGetValue("hi", out var hiText) || !NumberFormat.TryParse(hiText, out double hi))
        {
            issues.Add(new InputIssue(lineNo, "limit record skipped: lo= and hi= must be numbers or nan"));
            return;
        }
        if (!double.IsNaN(lo) && !double.IsNaN(hi) && lo > hi)
        {
            issues.Add(new InputIssue(lineNo, $"limit record skipped: {Measurements.TestName(m)} lo {loText} > hi {hiText}"));
            return;
        }
        if (sheet.LimitFor(Measurements.TestName(m)) != null)
        {
            issues.Add(new InputIssue(lineNo, $"limit record skipped: {Measurements.TestName(m)} already has limits"));
            return;
        }
        sheet.Limits.Add(new TestLimit(Measurements.TestName(m), lo, hi));
    }

    private static void ParseEnd(SheetResults sheet, Dictionary<string, string> p, long lineNo, List<InputIssue> issues)
    {
        if (p.TryGetValue("sheet", out var id) && id != sheet.Header.SheetId)
        {
            issues.Add(new InputIssue(lineNo, $"end record skipped: it closes sheet {id} but the open sheet is {sheet.Header.SheetId}"));
            return;
        }
        var end = new SheetEnd();
        if (!p.TryGetValue("sites", out var sites) || !long.TryParse(sites, NumberStyles.None, CultureInfo.InvariantCulture, out long n))
        {
            issues.Add(new InputIssue(lineNo, "end record skipped: sites= is not a count"));
            return;
        }
        end.Sites = n;
        if (!p.TryGetValue("bins", out var bins) || !TryParseBinCounts(bins, end.BinCounts))
        {
            issues.Add(new InputIssue(lineNo, "end record skipped: bins= is not nine comma-separated counts"));
            return;
        }
        sheet.End = end;
    }

    /// <summary>Parses "480,3,0,2,1,0,0,0,14" (nine counts for hard bins 1..9) into <paramref name="counts"/>.</summary>
    public static bool TryParseBinCounts(string text, long[] counts)
    {
        var parts = text.Split(',');
        if (parts.Length != HardBins.Count || counts.Length != HardBins.Count) return false;
        for (int i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i])) return false;
        }
        return true;
    }

    private static SiteResult? ParseRow(string text, SheetHeader h, long lineNo, List<InputIssue> issues)
    {
        // Span fields: no string per field (a 255 x 255 sheet is 65 025 rows, files hold many sheets).
        ReadOnlySpan<char> line = text;
        Span<Range> r = stackalloc Range[s_columns.Length + 1];
        int n = line.Split(r, ',');
        if (n != s_columns.Length)
        {
            issues.Add(new InputIssue(lineNo, $"row skipped: {line.Count(',') + 1} fields, the contract has {s_columns.Length}"));
            return null;
        }
        var rollText = line[r[0]].Trim();
        var sheetText = line[r[1]].Trim();
        if (!rollText.SequenceEqual(h.Roll) || !sheetText.SequenceEqual(h.SheetId))
        {
            issues.Add(new InputIssue(lineNo, $"row skipped: it is for roll {rollText} sheet {sheetText}, the open sheet is roll {h.Roll} sheet {h.SheetId}"));
            return null;
        }
        var s = new SiteResult { Roll = h.Roll, Sheet = h.SheetId };
        if (!int.TryParse(line[r[2]], NumberStyles.None, CultureInfo.InvariantCulture, out int x) || x >= h.Columns
            || !int.TryParse(line[r[3]], NumberStyles.None, CultureInfo.InvariantCulture, out int y) || y >= h.Rows)
        {
            issues.Add(new InputIssue(lineNo, $"row skipped: cell ({line[r[2]]},{line[r[3]]}) is not on the {h.Columns} x {h.Rows} sheet"));
            return null;
        }
        s.X = x;
        s.Y = y;
        if (!long.TryParse(line[r[4]], NumberStyles.None, CultureInfo.InvariantCulture, out long seq)
            || !long.TryParse(line[r[5]], NumberStyles.None, CultureInfo.InvariantCulture, out long time))
        {
            issues.Add(new InputIssue(lineNo, "row skipped: seq and time_ms must be non-negative integers"));
            return null;
        }
        s.Seq = seq;
        s.TimeMs = time;
        for (int i = 0; i < Measurements.All.Length; i++)
        {
            if (!NumberFormat.TryParse(line[r[6 + i]], out double v))
            {
                issues.Add(new InputIssue(lineNo, $"row skipped: {s_columns[6 + i]} '{line[r[6 + i]]}' is not a number (write nan when not measured)"));
                return null;
            }
            Measurements.Set(s, Measurements.All[i], v);
        }
        if (!int.TryParse(line[r[15]], NumberStyles.None, CultureInfo.InvariantCulture, out int hard) || hard < 1 || hard > HardBins.Count)
        {
            issues.Add(new InputIssue(lineNo, $"row skipped: hard_bin '{line[r[15]]}' is not 1..9"));
            return null;
        }
        if (!int.TryParse(line[r[16]], NumberStyles.None, CultureInfo.InvariantCulture, out int soft) || soft > ushort.MaxValue
            || !uint.TryParse(line[r[17]], NumberStyles.None, CultureInfo.InvariantCulture, out uint flags))
        {
            issues.Add(new InputIssue(lineNo, "row skipped: soft_bin must be 0..65535 and flags a non-negative integer"));
            return null;
        }
        s.HardBin = hard;
        s.SoftBin = soft;
        s.Flags = flags;
        return s;
    }

    /// <summary>Writes sheets in the contract's format; each sheet block carries its own column header line.</summary>
    public static void Write(TextWriter w, IEnumerable<SheetResults> sheets, Action<double>? progress = null)
    {
        var list = sheets.ToList();
        long total = Math.Max(1, list.Sum(s => (long)s.Sites.Count));
        long done = 0;
        var row = new char[RowCapacity + 1];
        foreach (var sheet in list)
        {
            var h = sheet.Header;
            w.Write("# sheet roll=" + Encode(h.Roll) + " sheet=" + Encode(h.SheetId)
                + " cols=" + h.Columns.ToString(CultureInfo.InvariantCulture) + " rows=" + h.Rows.ToString(CultureInfo.InvariantCulture)
                + " pitch_x_mm=" + NumberFormat.Format(h.PitchXMm) + " pitch_y_mm=" + NumberFormat.Format(h.PitchYMm)
                + " cell_w_mm=" + NumberFormat.Format(h.CellWMm) + " cell_h_mm=" + NumberFormat.Format(h.CellHMm)
                + " z1_hz=" + NumberFormat.Format(h.Z1Hz) + " z2_hz=" + NumberFormat.Format(h.Z2Hz) + " z3_hz=" + NumberFormat.Format(h.Z3Hz)
                + " formed=" + (h.Formed ? "1" : "0"));
            if (h.Program.Length > 0) w.Write(" program=" + Encode(h.Program));
            w.Write(" start_ms=" + h.StartMs.ToString(CultureInfo.InvariantCulture) + "\n");
            foreach (var l in sheet.Limits)
            {
                w.Write("# limit test=" + l.Test + " lo=" + NumberFormat.Format(l.Lo) + " hi=" + NumberFormat.Format(l.Hi) + "\n");
            }
            w.Write(ColumnHeader + "\n");
            foreach (var s in sheet.Sites)
            {
                if (row.Length < RowLength(s) + 1) row = new char[RowLength(s) + 1];
                int n = FormatRow(s, row);
                row[n] = '\n';
                w.Write(row, 0, n + 1);
                if ((++done & 1023) == 0) progress?.Invoke((double)done / total);
            }
            if (sheet.End != null)
            {
                w.Write("# end sheet=" + Encode(h.SheetId) + " sites=" + sheet.End.Sites.ToString(CultureInfo.InvariantCulture)
                    + " bins=" + string.Join(",", sheet.End.BinCounts.Select(c => c.ToString(CultureInfo.InvariantCulture))) + "\n");
            }
        }
        progress?.Invoke(1);
    }

    // 16 numbers of at most 24 characters and the separators, plus the two ids (see RowLength).
    private const int RowCapacity = 512;

    private static int RowLength(SiteResult s) => s.Roll.Length + s.Sheet.Length + 16 * 25 + 20;

    /// <summary>One data row (no line end).</summary>
    public static string FormatRow(SiteResult s)
    {
        var row = new char[RowLength(s)];
        return new string(row, 0, FormatRow(s, row));
    }

    /// <summary>Formats one data row into <paramref name="row"/> without allocating; returns its length.</summary>
    private static int FormatRow(SiteResult s, char[] row)
    {
        var ci = CultureInfo.InvariantCulture;
        Span<char> b = row;
        int p = 0;
        void Text(Span<char> dst, ref int at, string t)
        {
            t.AsSpan().CopyTo(dst[at..]);
            at += t.Length;
        }
        Text(b, ref p, s.Roll);
        b[p++] = ',';
        Text(b, ref p, s.Sheet);
        b[p++] = ',';
        s.X.TryFormat(b[p..], out int n, default, ci); p += n; b[p++] = ',';
        s.Y.TryFormat(b[p..], out n, default, ci); p += n; b[p++] = ',';
        s.Seq.TryFormat(b[p..], out n, default, ci); p += n; b[p++] = ',';
        s.TimeMs.TryFormat(b[p..], out n, default, ci); p += n;
        foreach (var m in Measurements.All)
        {
            b[p++] = ',';
            double v = Measurements.Get(s, m);
            if (double.IsFinite(v))
            {
                v.TryFormat(b[p..], out n, "R", ci);
                p += n;
            }
            else
            {
                Text(b, ref p, NumberFormat.Format(v));
            }
        }
        b[p++] = ',';
        s.HardBin.TryFormat(b[p..], out n, default, ci); p += n; b[p++] = ',';
        s.SoftBin.TryFormat(b[p..], out n, default, ci); p += n; b[p++] = ',';
        s.Flags.TryFormat(b[p..], out n, default, ci); p += n;
        return p;
    }

    /// <summary>Percent-encodes what the header syntax cannot carry: space, '%', '=', ',' and control characters.</summary>
    public static string Encode(string value)
    {
        var b = new StringBuilder(value.Length);
        foreach (byte c in Encoding.UTF8.GetBytes(value))
        {
            if (c <= 0x20 || c == '%' || c == '=' || c == ',' || c == '#' || c >= 0x7F) b.Append('%').Append(c.ToString("X2", CultureInfo.InvariantCulture));
            else b.Append((char)c);
        }
        return b.ToString();
    }
}
