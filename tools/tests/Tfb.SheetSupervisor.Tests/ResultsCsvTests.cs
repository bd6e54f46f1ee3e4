using Tfb.SheetSupervisor;

namespace Tfb.SheetSupervisor.Tests;

public sealed class ResultsCsvTests
{
    [Fact]
    public void The_contract_example_lines_parse_to_the_values_they_state()
    {
        string text =
            "# sheet roll=R1 sheet=S0001 cols=20 rows=25 pitch_x_mm=10 pitch_y_mm=10 cell_w_mm=8 cell_h_mm=8 z1_hz=100000 z2_hz=1000 z3_hz=10 formed=1 program=default start_ms=1795000000000\n"
            + "# limit test=OCV_V lo=3.9 hi=4.25\n"
            + "# limit test=Z1_Ohm lo=nan hi=120\n"
            + ResultsCsv.ColumnHeader + "\n"
            + "R1,S0001,3,24,7,1795000001234,0.52,nan,4.1523,61.5,-20.25,155,-35.5,910,-70.25,1,100,9\n"
            + "# end sheet=S0001 sites=1 bins=1,0,0,0,0,0,0,0,0\n";
        var issues = new List<InputIssue>();
        var file = ResultsCsv.Read(new StringReader(text), issues);
        Assert.Empty(issues);
        var sheet = Assert.Single(file.Sheets);
        var h = sheet.Header;
        Assert.Equal(("R1", "S0001", 20, 25), (h.Roll, h.SheetId, h.Columns, h.Rows));
        Assert.Equal((10.0, 10.0, 8.0, 8.0), (h.PitchXMm, h.PitchYMm, h.CellWMm, h.CellHMm));
        Assert.Equal((100000.0, 1000.0, 10.0), (h.Z1Hz, h.Z2Hz, h.Z3Hz));
        Assert.True(h.Formed);
        Assert.Equal("default", h.Program);
        Assert.Equal(1795000000000L, h.StartMs);
        Assert.Equal(new TestLimit("OCV_V", 3.9, 4.25), sheet.LimitFor("OCV_V"));
        var z1 = sheet.LimitFor("Z1_Ohm")!;
        Assert.True(double.IsNaN(z1.Lo));
        Assert.Equal(120, z1.Hi);
        var s = Assert.Single(sheet.Sites);
        Assert.Equal((3, 24, 7L, 1795000001234L), (s.X, s.Y, s.Seq, s.TimeMs));
        Assert.Equal(0.52, s.ContactOhm);
        Assert.True(double.IsNaN(s.LeakageA));
        Assert.Equal(4.1523, s.OcvV);
        Assert.Equal((61.5, -20.25, 155.0, -35.5, 910.0, -70.25), (s.Z1Ohm, s.Z1Deg, s.Z2Ohm, s.Z2Deg, s.Z3Ohm, s.Z3Deg));
        Assert.Equal((1, 100, 9u), (s.HardBin, s.SoftBin, s.Flags));
        Assert.Equal(1, sheet.End!.Sites);
        Assert.Equal(new long[] { 1, 0, 0, 0, 0, 0, 0, 0, 0 }, sheet.End.BinCounts);
    }

    /// <summary>Lines as the sheet-test board's results writer on the virtual line prints them (float "R" text, E notation, a 1E+09 open).</summary>
    [Fact]
    public void Lines_in_the_style_of_the_boards_writer_parse()
    {
        string text =
            "# sheet roll=R1 sheet=S0001 cols=20 rows=25 pitch_x_mm=12 pitch_y_mm=12 cell_w_mm=10 cell_h_mm=10 z1_hz=100000 z2_hz=1000 z3_hz=10 formed=0 program=default start_ms=1798761602010\n"
            + "# limit test=Contact_Ohm lo=nan hi=20\n"
            + "# limit test=Leakage_A lo=nan hi=1E-06\n"
            + ResultsCsv.ColumnHeader + "\n"
            + "R1,S0001,15,0,15,1798761608890,1.6114751,0.0004003701,nan,60.79093,-14.447985,80.78866,-33.16674,1158.2871,-17.113802,4,401,0\n"
            + "R1,S0001,19,13,260,1798761713500,1E+09,nan,nan,nan,nan,nan,nan,nan,nan,5,501,1\n"
            + "R1,S0001,19,24,499,1798761815530,2.0499392,2.9802325E-09,nan,64.433975,-15.181284,85.901436,-35.05332,3923.1953,-84.53949,1,100,0\n"
            + "# end sheet=S0001 sites=3 bins=1,0,0,1,1,0,0,0,0\n";
        var issues = new List<InputIssue>();
        var sheet = Assert.Single(ResultsCsv.Read(new StringReader(text), issues).Sheets);
        Assert.Empty(issues);
        Assert.False(sheet.Header.Formed);
        Assert.Equal(1e-6, sheet.LimitFor("Leakage_A")!.Hi);
        Assert.Equal(1e9, sheet.Sites[1].ContactOhm);
        Assert.Equal(2.9802325e-9, sheet.Sites[2].LeakageA);
        Assert.Equal((4, 401), (sheet.Sites[0].HardBin, sheet.Sites[0].SoftBin));
    }

    [Fact]
    public void Write_then_read_gives_every_value_back_and_writing_again_gives_the_same_text()
    {
        var a = SyntheticSheet.Create(cols: 5, rows: 4, opens: new[] { (1, 1) }, shorts: new[] { (4, 3) }, hot: (2, 2));
        var b = SyntheticSheet.Create(cols: 3, rows: 3, sheetId: "S 0002", seed: 7, formed: false);
        b.Header.Program = "pre formation%";
        string text = SyntheticSheet.ToCsv(a, b);
        Assert.DoesNotContain("\r", text);
        Assert.Contains("program=default%20test", text);

        var issues = new List<InputIssue>();
        var back = ResultsCsv.Read(new StringReader(text), issues);
        Assert.Empty(issues);
        Assert.Equal(2, back.Sheets.Count);
        for (int k = 0; k < 2; k++)
        {
            var original = k == 0 ? a : b;
            var read = back.Sheets[k];
            Assert.Equivalent(original.Header, read.Header, strict: true);
            Assert.Equal(original.Limits.Count, read.Limits.Count);
            for (int i = 0; i < original.Limits.Count; i++)
            {
                Assert.Equal(original.Limits[i].Test, read.Limits[i].Test);
                Assert.Equal(original.Limits[i].Lo, read.Limits[i].Lo);
                Assert.Equal(original.Limits[i].Hi, read.Limits[i].Hi);
            }
            Assert.Equal(original.Sites.Count, read.Sites.Count);
            for (int i = 0; i < original.Sites.Count; i++)
            {
                var o = original.Sites[i];
                var r = read.Sites[i];
                Assert.Equal((o.Roll, o.Sheet, o.X, o.Y, o.Seq, o.TimeMs, o.HardBin, o.SoftBin, o.Flags), (r.Roll, r.Sheet, r.X, r.Y, r.Seq, r.TimeMs, r.HardBin, r.SoftBin, r.Flags));
                foreach (var m in Measurements.All)
                {
                    // Bit-exact, NaN and infinity included.
                    Assert.Equal(BitConverter.DoubleToInt64Bits(Measurements.Get(o, m)), BitConverter.DoubleToInt64Bits(Measurements.Get(r, m)));
                }
            }
            Assert.Equal(original.End!.BinCounts, read.End!.BinCounts);
        }
        Assert.Equal("pre formation%", back.Sheets[1].Header.Program);
        Assert.Equal(text, SyntheticSheet.ToCsv(back.Sheets.ToArray()));
    }

    [Fact]
    public void Numbers_are_culture_free_and_round_trip_exactly()
    {
        foreach (double v in new[] { 0.1, 4.1523, -70.25, 1e-12, 123456789.125, double.Epsilon, double.MaxValue })
        {
            Assert.True(NumberFormat.TryParse(NumberFormat.Format(v), out double back));
            Assert.Equal(v, back);
        }
        Assert.Equal("nan", NumberFormat.Format(double.NaN));
        Assert.Equal("inf", NumberFormat.Format(double.PositiveInfinity));
        Assert.True(NumberFormat.TryParse("NaN", out double n) && double.IsNaN(n));
        Assert.False(NumberFormat.TryParse("4,15", out _));
        Assert.False(NumberFormat.TryParse("1,000.5", out _));
        Assert.False(NumberFormat.TryParse("", out _));
        Assert.Equal(4.15, NumberFormat.FromFloat(4.15f));
    }

    [Fact]
    public void Bad_rows_are_skipped_with_their_line_and_reason_and_the_good_rows_kept()
    {
        var sheet = SyntheticSheet.Create(cols: 3, rows: 2);
        var lines = SyntheticSheet.ToCsv(sheet).Split('\n').ToList();
        int first = lines.IndexOf(ResultsCsv.ColumnHeader) + 1;
        lines[first + 1] = lines[first + 1].Replace(",4.1", ",4;1");                    // not a number
        lines[first + 2] = string.Join(',', lines[first + 2].Split(',').Take(10));       // too few fields
        lines.Insert(first + 3, lines[first]);                                          // same cell twice
        lines.Insert(first + 4, lines[first].Replace("R1,S0001,0,0", "R1,S0001,7,0"));  // outside the 3 x 2 sheet
        var issues = new List<InputIssue>();
        var file = ResultsCsv.Read(new StringReader(string.Join('\n', lines)), issues);
        Assert.Equal(4, file.Sheets[0].Sites.Count); // 6 rows, 2 bad; the 2 inserted rows skipped
        Assert.Contains(issues, i => i.Line == first + 2 && i.Message.Contains("ocv_v"));
        Assert.Contains(issues, i => i.Line == first + 3 && i.Message.Contains("10 fields"));
        Assert.Contains(issues, i => i.Line == first + 4 && i.Message.Contains("already has a result"));
        Assert.Contains(issues, i => i.Line == first + 5 && i.Message.Contains("not on the 3 x 2 sheet"));
        Assert.Contains(issues, i => i.Message.Contains("end record says 6 sites"));
    }
}
