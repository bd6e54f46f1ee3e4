namespace Tfb.SheetSupervisor;

/// <summary>
/// The commands of the CLI as methods (the CLI only parses arguments). Every method returns a stable
/// <see cref="ExitCode"/>, prints what it skipped to <c>err</c> and never lets an exception escape for bad input.
/// </summary>
public sealed class SupervisorCommands
{
    private readonly TextWriter _out;
    private readonly TextWriter _err;

    /// <summary>Commands writing results to <paramref name="stdout"/> and messages to <paramref name="stderr"/>.</summary>
    public SupervisorCommands(TextWriter stdout, TextWriter stderr)
    {
        _out = stdout;
        _err = stderr;
    }

    /// <summary>Whether progress bars may be drawn (the CLI sets it when stderr is a terminal).</summary>
    public bool ShowProgress { get; set; }

    /// <summary><c>map</c>: heat map of one measurement. <paramref name="outPath"/> may contain <c>{sheet}</c> for one PNG per sheet.</summary>
    public ExitCode Map(string input, string measure, string outPath, string? sheetId, MapOptions options) => Run(issues =>
    {
        if (options.RangeLo.HasValue != options.RangeHi.HasValue
            || options.RangeLo.HasValue && !(options.RangeLo < options.RangeHi && double.IsFinite(options.RangeLo.Value) && double.IsFinite(options.RangeHi!.Value)))
        {
            throw new SupervisorException(ExitCode.Usage, "--min and --max go together, finite, with min < max");
        }
        if (!Measurements.TryParse(measure, out var m))
        {
            throw new SupervisorException(ExitCode.UnknownMeasurement,
                $"unknown measurement '{measure}'; use one of {string.Join(", ", Measurements.All.Select(Measurements.CliName))}");
        }
        var file = Load(input, issues);
        foreach (var (sheet, path) in Targets(file, sheetId, outPath))
        {
            var map = SheetMaps.HeatMap(sheet, m, options);
            Save(map, path, options);
            _out.WriteLine($"{path}: {Measurements.TestName(m)} of sheet {sheet.Header.SheetId}, {map.CellsDrawn} cells coloured "
                + $"{map.ColorLo.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}..{map.ColorHi.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} "
                + $"{Measurements.Unit(m)}, {map.CellsMarked} not measured");
        }
    });

    /// <summary><c>bins</c>: bin map. <paramref name="outPath"/> may contain <c>{sheet}</c>.</summary>
    public ExitCode Bins(string input, string outPath, string? sheetId, MapOptions options) => Run(issues =>
    {
        var file = Load(input, issues);
        foreach (var (sheet, path) in Targets(file, sheetId, outPath))
        {
            var map = SheetMaps.BinMap(sheet, options);
            Save(map, path, options);
            _out.WriteLine($"{path}: bins of sheet {sheet.Header.SheetId}, {map.CellsDrawn} cells, {map.CellsMarked} not tested");
        }
    });

    /// <summary><c>summary</c>: per-sheet summary on stdout.</summary>
    public ExitCode Summary(string input, string? sheetId) => Run(issues =>
    {
        var file = Load(input, issues);
        foreach (var sheet in Select(file, sheetId))
        {
            _out.Write(SheetSummary.Of(sheet).Format());
            _out.WriteLine();
        }
    });

    /// <summary><c>csv</c>: normalised results file (canonical numbers, sites by site order, end record recomputed when missing) to a file or stdout.</summary>
    public ExitCode Csv(string input, string? outPath, string? sheetId) => Run(issues =>
    {
        var file = Load(input, issues);
        var sheets = Select(file, sheetId).Select(Normalise).ToList();
        if (outPath == null)
        {
            ResultsCsv.Write(_out, sheets);
            return;
        }
        WriteOutput(outPath, stream =>
        {
            using var w = new StreamWriter(stream, new System.Text.UTF8Encoding(false));
            ResultsCsv.Write(w, sheets);
        });
        _out.WriteLine($"{outPath}: {sheets.Count} sheet(s), {sheets.Sum(s => s.Sites.Count)} sites");
    });

    /// <summary><c>stdf</c>: STDF V4 file of the sheets of one roll (the first roll in the file unless <paramref name="sheetId"/> picks a sheet).</summary>
    public ExitCode Stdf(string input, string outPath, string? sheetId, bool bigEndian) => Run(issues =>
    {
        var file = Load(input, issues);
        var sheets = Select(file, sheetId).ToList();
        string roll = sheets[0].Header.Roll;
        foreach (var other in sheets.Where(s => s.Header.Roll != roll))
        {
            issues.Add(new InputIssue(0, $"sheet {other.Header.SheetId} of roll {other.Header.Roll} left out: one STDF file holds one roll ({roll}); use --sheet"));
        }
        sheets = sheets.Where(s => s.Header.Roll == roll).ToList();
        using var bar = new ProgressBar("stdf", ShowProgress && sheets.Sum(s => s.Sites.Count) >= 10000, _err);
        WriteOutput(outPath, stream => StdfWriter.Write(stream, sheets, new StdfOptions { LittleEndian = !bigEndian }, bar.Report));
        _out.WriteLine($"{outPath}: STDF V4, lot {roll}, {sheets.Count} wafer(s), {sheets.Sum(s => s.Sites.Count)} parts");
    });

    /// <summary><c>watch</c>: subscribe and write the results file until <paramref name="options"/>' sheet count or cancellation.</summary>
    public ExitCode Watch(WatchOptions options, CancellationToken cancel) => Run(issues =>
    {
        var watcher = new SheetWatcher(options, _err);
        watcher.RunAsync(cancel).GetAwaiter().GetResult();
        var d = watcher.Decoder;
        issues.AddRange(d.Issues);
        _out.WriteLine($"{options.OutPath}: {d.CompletedSheets.Count} complete sheet(s), {d.OpenSheets.Count} open, {d.Sites} sites "
            + $"({d.HistoricalRecords} historical records, {d.Duplicates} repeats dropped)");
    }, issuesAlreadyPrinted: true);

    /// <summary><c>synth</c>: writes a synthetic demonstration results file (not measured data; see <see cref="SyntheticSheets"/>).</summary>
    public ExitCode Synth(SynthOptions options, string outPath) => Run(_ =>
    {
        if (options.Columns is < 1 or > 255 || options.Rows is < 1 or > 255 || options.Sheets < 1)
        {
            throw new SupervisorException(ExitCode.Usage, "--cols and --rows must be 1..255 and --count at least 1");
        }
        var sheets = SyntheticSheets.Create(options);
        using var bar = new ProgressBar("synth", ShowProgress && sheets.Sum(s => s.Sites.Count) >= 10000, _err);
        WriteOutput(outPath, stream =>
        {
            using var w = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16);
            ResultsCsv.Write(w, sheets, bar.Report);
        });
        _out.WriteLine($"{outPath}: SYNTHETIC results, {sheets.Count} sheet(s) of {options.Columns} x {options.Rows}, seed {options.Seed}");
    });

    private ExitCode Run(Action<List<InputIssue>> body, bool issuesAlreadyPrinted = false)
    {
        var issues = new List<InputIssue>();
        try
        {
            body(issues);
        }
        catch (SupervisorException e)
        {
            PrintIssues(issues, issuesAlreadyPrinted);
            _err.WriteLine($"error {(int)e.Code} ({e.Code}): {e.Message}");
            return e.Code;
        }
        PrintIssues(issues, issuesAlreadyPrinted);
        if (issues.Count == 0) return ExitCode.Ok;
        _err.WriteLine($"done, {issues.Count} input record(s) skipped or repaired (exit {(int)ExitCode.CompletedWithSkips})");
        return ExitCode.CompletedWithSkips;
    }

    private void PrintIssues(List<InputIssue> issues, bool already)
    {
        if (already) return;
        foreach (var i in issues) _err.WriteLine("skipped: " + i);
    }

    private ResultsFile Load(string input, List<InputIssue> issues)
    {
        long size = File.Exists(input) ? new FileInfo(input).Length : 0;
        using var bar = new ProgressBar("read", ShowProgress && size >= 1 << 20, _err);
        return ResultsCsv.ReadFile(input, issues, bar.Report);
    }

    private static IEnumerable<SheetResults> Select(ResultsFile file, string? sheetId)
    {
        if (sheetId == null) return file.Sheets;
        var found = file.Sheets.Where(s => s.Header.SheetId == sheetId).ToList();
        if (found.Count == 0)
        {
            throw new SupervisorException(ExitCode.SheetNotFound,
                $"sheet {sheetId} is not in the input (it has {string.Join(", ", file.Sheets.Select(s => s.Header.SheetId))})");
        }
        return found;
    }

    private IEnumerable<(SheetResults Sheet, string Path)> Targets(ResultsFile file, string? sheetId, string outPath)
    {
        var sheets = Select(file, sheetId).ToList();
        if (outPath.Contains("{sheet}", StringComparison.Ordinal))
        {
            return sheets.Select(s => (s, outPath.Replace("{sheet}", Safe(s.Header.SheetId), StringComparison.Ordinal)));
        }
        if (sheets.Count > 1)
        {
            _err.WriteLine($"note: the input has {sheets.Count} sheets; drawing {sheets[0].Header.SheetId} (pick one with --sheet, or put {{sheet}} in --out for all)");
        }
        return new[] { (sheets[0], outPath) };
    }

    private static string Safe(string id) => string.Concat(id.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    private static SheetResults Normalise(SheetResults sheet)
    {
        var copy = new SheetResults(sheet.Header.Clone());
        copy.Limits.AddRange(sheet.Limits);
        copy.Sites.AddRange(sheet.Sites.OrderBy(s => s.Seq).ThenBy(s => s.Y).ThenBy(s => s.X).Select(s => s.Clone()));
        copy.End = sheet.End ?? new SheetEnd { Sites = copy.Sites.Count, BinCounts = copy.CountBins() };
        return copy;
    }

    private static void Save(SheetMap map, string path, MapOptions options) =>
        WriteOutput(path, _ => { }, () => map.SavePng(path, options.WidthPx, options.HeightPx));

    private static void WriteOutput(string path, Action<Stream> write, Action? direct = null)
    {
        try
        {
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir != null) Directory.CreateDirectory(dir);
            if (direct != null)
            {
                direct();
                return;
            }
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
            write(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SupervisorException(ExitCode.OutputFailed, $"cannot write {path}: {e.Message}");
        }
    }
}
