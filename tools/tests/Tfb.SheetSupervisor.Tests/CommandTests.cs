using Tfb.SheetSupervisor;

namespace Tfb.SheetSupervisor.Tests;

/// <summary>Bad input through the commands: a stable exit code, a clear one-line message, no stack trace.</summary>
public sealed class CommandTests : IDisposable
{
    private readonly List<string> _files = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    private SupervisorCommands Commands() => new(_out, _err);

    private string Temp(string text, string ext = ".csv")
    {
        string path = Path.Combine(Path.GetTempPath(), "tfb-sheet-" + Guid.NewGuid().ToString("N") + ext);
        File.WriteAllText(path, text);
        _files.Add(path);
        return path;
    }

    private string TempPath(string ext)
    {
        string path = Path.Combine(Path.GetTempPath(), "tfb-sheet-" + Guid.NewGuid().ToString("N") + ext);
        _files.Add(path);
        return path;
    }

    public void Dispose()
    {
        foreach (var f in _files) File.Delete(f);
    }

    private void AssertCleanError(ExitCode code)
    {
        string err = _err.ToString();
        Assert.Contains($"error {(int)code} ({code}):", err);
        Assert.DoesNotContain("   at ", err);
        Assert.DoesNotContain("Exception", err);
    }

    [Fact]
    public void An_empty_file_is_EmptyInput()
    {
        Assert.Equal(ExitCode.EmptyInput, Commands().Summary(Temp(""), null));
        AssertCleanError(ExitCode.EmptyInput);
    }

    [Fact]
    public void A_file_of_blank_lines_is_EmptyInput()
    {
        Assert.Equal(ExitCode.EmptyInput, Commands().Summary(Temp("\n\n  \n"), null));
        AssertCleanError(ExitCode.EmptyInput);
    }

    [Fact]
    public void A_missing_file_is_InputUnreadable()
    {
        Assert.Equal(ExitCode.InputUnreadable, Commands().Summary("/nonexistent/dir/results.csv", null));
        AssertCleanError(ExitCode.InputUnreadable);
    }

    [Fact]
    public void Rows_without_a_sheet_record_are_BadHeader()
    {
        string text = string.Join('\n', SyntheticSheet.ToCsv(SyntheticSheet.Create()).Split('\n').Where(l => !l.StartsWith("# sheet")));
        Assert.Equal(ExitCode.BadHeader, Commands().Summary(Temp(text), null));
        AssertCleanError(ExitCode.BadHeader);
        Assert.Contains("before any '# sheet' record", _err.ToString());
    }

    [Fact]
    public void Rows_without_the_column_header_line_are_BadHeader()
    {
        string text = SyntheticSheet.ToCsv(SyntheticSheet.Create()).Replace(ResultsCsv.ColumnHeader + "\n", "");
        Assert.Equal(ExitCode.BadHeader, Commands().Stdf(Temp(text), TempPath(".stdf"), null, false));
        AssertCleanError(ExitCode.BadHeader);
        Assert.Contains("column header", _err.ToString());
    }

    [Fact]
    public void A_sheet_record_without_its_geometry_is_BadHeader()
    {
        string text = SyntheticSheet.ToCsv(SyntheticSheet.Create()).Replace(" cols=6", "");
        Assert.Equal(ExitCode.BadHeader, Commands().Summary(Temp(text), null));
        Assert.Contains("no 'cols='", _err.ToString());
    }

    [Fact]
    public void An_unknown_measurement_is_refused_before_reading_the_file()
    {
        Assert.Equal(ExitCode.UnknownMeasurement, Commands().Map("/nonexistent.csv", "capacity", TempPath(".png"), null, new MapOptions()));
        AssertCleanError(ExitCode.UnknownMeasurement);
        Assert.Contains("ocv", _err.ToString());
    }

    [Fact]
    public void A_sheet_with_every_cell_open_has_no_ocv_map_but_a_bin_map_a_summary_and_an_stdf_file()
    {
        string input = Temp(SyntheticSheet.ToCsv(SyntheticSheet.Create(allOpen: true)));
        string png = TempPath(".png");
        Assert.Equal(ExitCode.NoMeasuredData, Commands().Map(input, "ocv", png, null, new MapOptions()));
        AssertCleanError(ExitCode.NoMeasuredData);
        Assert.Contains("every cell is open", _err.ToString());
        Assert.False(File.Exists(png));

        Assert.Equal(ExitCode.Ok, Commands().Bins(input, png, null, new MapOptions { WidthPx = 400, HeightPx = 400 }));
        Assert.True(new FileInfo(png).Length > 1000);
        Assert.Equal(ExitCode.Ok, Commands().Summary(input, null));
        Assert.Contains("yield 0.00 %", _out.ToString());
        string stdf = TempPath(".stdf");
        Assert.Equal(ExitCode.Ok, Commands().Stdf(input, stdf, null, false));
        var (_, recs) = StdfV4Reader.Read(File.ReadAllBytes(stdf));
        Assert.All(recs.Where(r => r.Name == "PRR"), r => Assert.Equal((ushort)5, r["HARD_BIN"]));
    }

    [Fact]
    public void An_ocv_map_of_a_sheet_before_formation_says_why_there_is_nothing_to_draw()
    {
        string input = Temp(SyntheticSheet.ToCsv(SyntheticSheet.Create(formed: false)));
        Assert.Equal(ExitCode.NoMeasuredData, Commands().Map(input, "ocv", TempPath(".png"), null, new MapOptions()));
        Assert.Contains("before formation", _err.ToString());
        Assert.Equal(ExitCode.Ok, new SupervisorCommands(_out, new StringWriter()).Map(input, "leakage", TempPath(".png"), null, new MapOptions { WidthPx = 400, HeightPx = 400 }));
    }

    [Fact]
    public void Skipped_rows_give_CompletedWithSkips_after_writing_the_output()
    {
        var lines = SyntheticSheet.ToCsv(SyntheticSheet.Create()).Split('\n').ToList();
        int first = lines.IndexOf(ResultsCsv.ColumnHeader) + 1;
        lines[first] = "garbage";
        string out1 = TempPath(".csv");
        Assert.Equal(ExitCode.CompletedWithSkips, Commands().Csv(Temp(string.Join('\n', lines)), out1, null));
        string err = _err.ToString();
        Assert.Contains($"skipped: line {first + 1}: row skipped: 1 fields", err);
        Assert.Contains("end record says 24 sites", err);
        Assert.Contains("2 input record(s) skipped", err);
        var back = ResultsCsv.ReadFile(out1, new List<InputIssue>());
        Assert.Equal(23, back.Sheets[0].Sites.Count);
    }

    [Theory]
    [InlineData(5.0, null)]
    [InlineData(4.2, 4.1)]
    [InlineData(4.2, 4.2)]
    public void A_colour_range_with_one_end_or_min_not_below_max_is_Usage(double? lo, double? hi)
    {
        string input = Temp(SyntheticSheet.ToCsv(SyntheticSheet.Create()));
        Assert.Equal(ExitCode.Usage, Commands().Map(input, "ocv", TempPath(".png"), null, new MapOptions { RangeLo = lo, RangeHi = hi }));
        AssertCleanError(ExitCode.Usage);
    }

    [Fact]
    public void A_fixed_colour_range_is_used_as_given()
    {
        var map = SheetMaps.HeatMap(SyntheticSheet.Create(), Measurement.OcvV, new MapOptions { RangeLo = 4.0, RangeHi = 4.3 });
        Assert.Equal((4.0, 4.3), (map.ColorLo, map.ColorHi));
    }

    [Fact]
    public void Progress_bar_draws_in_place_only_when_enabled()
    {
        var on = new StringWriter();
        using (var bar = new ProgressBar("read", enabled: true, on))
        {
            bar.Report(0.5);
            bar.Report(0.5);   // same percentage: no redraw
            bar.Report(1.0);
        }
        Assert.Equal("\rread [###############...............]  50%\rread [##############################] 100%\n", on.ToString());
        var off = new StringWriter();
        using (var bar = new ProgressBar("read", enabled: false, off)) bar.Report(0.5);
        Assert.Equal("", off.ToString());
    }

    [Fact]
    public void An_unknown_sheet_is_SheetNotFound()
    {
        Assert.Equal(ExitCode.SheetNotFound, Commands().Summary(Temp(SyntheticSheet.ToCsv(SyntheticSheet.Create())), "S9999"));
        AssertCleanError(ExitCode.SheetNotFound);
        Assert.Contains("S0001", _err.ToString());
    }

    [Fact]
    public void An_unwritable_output_is_OutputFailed()
    {
        string input = Temp(SyntheticSheet.ToCsv(SyntheticSheet.Create()));
        string blocker = Temp("a file, not a folder");
        Assert.Equal(ExitCode.OutputFailed, Commands().Stdf(input, Path.Combine(blocker, "x.stdf"), null, false));
        AssertCleanError(ExitCode.OutputFailed);
    }

    [Fact]
    public void Stdf_of_a_file_with_two_rolls_writes_the_first_roll_and_says_what_it_left_out()
    {
        string input = Temp(SyntheticSheet.ToCsv(SyntheticSheet.Create(roll: "R1"), SyntheticSheet.Create(roll: "R2", sheetId: "S0002")));
        string stdf = TempPath(".stdf");
        Assert.Equal(ExitCode.CompletedWithSkips, Commands().Stdf(input, stdf, null, false));
        Assert.Contains("sheet S0002 of roll R2 left out", _err.ToString());
        var (_, recs) = StdfV4Reader.Read(File.ReadAllBytes(stdf));
        Assert.Equal("R1", recs.Single(r => r.Name == "MIR")["LOT_ID"]);
        Assert.Single(recs, r => r.Name == "WIR");
    }

    [Fact]
    public void Summary_reports_yield_bins_and_robust_statistics()
    {
        var sheet = SyntheticSheet.Create(cols: 4, rows: 2, shorts: new[] { (0, 0) }, opens: new[] { (3, 1) });
        Assert.Equal(ExitCode.Ok, Commands().Summary(Temp(SyntheticSheet.ToCsv(sheet)), null));
        string text = _out.ToString();
        Assert.Contains("sites 8 of 8  good 6  yield 75.00 %", text);
        Assert.Contains("  4 short                      1   12.50", text);
        Assert.Contains("  5 open/contact               1   12.50", text);
        // Z2 of the synthetic sheet is 150 + 2x + y (short 12, open NaN): values 12,152,154,156,151,153,155 -> median 153, IQR 3.
        var summary = SheetSummary.Of(sheet);
        var z2 = summary.Stats[Measurement.Z2Ohm];
        Assert.Equal((7, 1, 153.0, 3.0, 12.0, 156.0), (z2.Count, z2.Missing, z2.Median, z2.Iqr, z2.Min, z2.Max));
    }
}
