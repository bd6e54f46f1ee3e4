using Tfb.SheetSupervisor;

namespace Tfb.SheetSupervisor.Tests;

public sealed class SparkplugDecoderTests
{
    private readonly SparkplugPayloads _p = new();

    [Fact]
    public void A_sheet_sent_with_aliases_live_and_historical_comes_out_whole_and_a_replayed_duplicate_is_dropped()
    {
        var sheet = SyntheticSheet.Create(cols: 3, rows: 2, opens: new[] { (1, 1) });
        var d = new SparkplugSheetDecoder();
        SheetResults? completed = null;
        d.SheetCompleted += s => completed = s;

        Assert.Equal(DecodeOutcome.Birth, d.Accept(SparkplugPayloads.Topic("NBIRTH", null), _p.NodeBirth()));
        Assert.Equal(DecodeOutcome.Birth, d.Accept(SparkplugPayloads.Topic("DBIRTH"), _p.DeviceBirth()));
        Assert.Equal(DecodeOutcome.SheetStarted, d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Start(sheet, 10)));
        ulong sf = 11;
        for (int i = 0; i < sheet.Sites.Count; i++)
        {
            // The first three as a store-and-forward replay (historical), the rest live.
            Assert.Equal(DecodeOutcome.SiteAdded, d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(sheet.Sites[i], sf++, historical: i < 3)));
        }
        // The PUBACK of SF/Seq 12 was lost: the board sends the same record again after its rebirth.
        Assert.Equal(DecodeOutcome.Birth, d.Accept(SparkplugPayloads.Topic("NBIRTH", null), _p.NodeBirth()));
        Assert.Equal(DecodeOutcome.Birth, d.Accept(SparkplugPayloads.Topic("DBIRTH"), _p.DeviceBirth()));
        Assert.Equal(DecodeOutcome.Duplicate, d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(sheet.Sites[1], 12, historical: true)));
        Assert.Null(completed);
        Assert.Equal(DecodeOutcome.SheetEnded, d.Accept(SparkplugPayloads.Topic("DDATA"), _p.End(sheet, sf)));

        Assert.NotNull(completed);
        Assert.Equal(1, d.Duplicates);
        Assert.Equal(3, d.HistoricalRecords);
        Assert.Empty(d.Issues);
        var got = Assert.Single(d.CompletedSheets);
        Assert.Same(completed, got);
        Assert.Equal(("R1", "S0001", 3, 2, 10.0, 12.0, 8.0, 9.0), (got.Header.Roll, got.Header.SheetId, got.Header.Columns, got.Header.Rows,
            got.Header.PitchXMm, got.Header.PitchYMm, got.Header.CellWMm, got.Header.CellHMm));
        Assert.Equal((100000.0, 1000.0, 10.0, true, "default test", SyntheticSheet.StartMs),
            (got.Header.Z1Hz, got.Header.Z2Hz, got.Header.Z3Hz, got.Header.Formed, got.Header.Program, got.Header.StartMs));
        Assert.Equal(3, got.Limits.Count);
        Assert.Equal(4.25, got.LimitFor("OCV_V")!.Hi);
        Assert.True(double.IsNaN(got.LimitFor("Contact_Ohm")!.Lo));
        Assert.Equal(sheet.Sites.Count, got.Sites.Count);
        for (int i = 0; i < sheet.Sites.Count; i++)
        {
            var o = sheet.Sites[i];
            var r = got.Sites[i];
            Assert.Equal((o.X, o.Y, o.Seq, o.TimeMs, o.HardBin, o.SoftBin, o.Flags), (r.X, r.Y, r.Seq, r.TimeMs, r.HardBin, r.SoftBin, r.Flags));
            foreach (var m in Measurements.All)
            {
                // Values travel as Float: the decoder gives the float's shortest decimal back (4.15f -> 4.15).
                double expected = Measurements.Get(o, m);
                double actual = Measurements.Get(r, m);
                if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual), $"{m} of ({o.X},{o.Y})");
                else Assert.Equal(double.Parse(((float)expected).ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture), actual);
            }
        }
        Assert.Equal(sheet.CountBins(), got.End!.BinCounts);
    }

    [Fact]
    public void Data_whose_births_were_missed_waits_for_the_next_birth_and_then_decodes()
    {
        var sheet = SyntheticSheet.Create(cols: 2, rows: 1);
        var d = new SparkplugSheetDecoder();
        Assert.Equal(DecodeOutcome.UnknownAlias, d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Start(sheet, 1)));
        Assert.Equal(DecodeOutcome.UnknownAlias, d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(sheet.Sites[0], 2)));
        Assert.Equal(2, d.PendingRecords);
        Assert.Equal(0, d.Sites);

        // The rebirth the watcher asks for: NBIRTH then DBIRTH; the held records decode in their order.
        d.Accept(SparkplugPayloads.Topic("NBIRTH", null), _p.NodeBirth());
        d.Accept(SparkplugPayloads.Topic("DBIRTH"), _p.DeviceBirth());
        Assert.Equal(0, d.PendingRecords);
        Assert.Equal(1, d.Sites);
        Assert.Equal(DecodeOutcome.SiteAdded, d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(sheet.Sites[1], 3)));
        Assert.Equal(DecodeOutcome.SheetEnded, d.Accept(SparkplugPayloads.Topic("DDATA"), _p.End(sheet, 4)));
        Assert.Equal(2, Assert.Single(d.CompletedSheets).Sites.Count);
        Assert.Empty(d.Issues);
    }

    [Fact]
    public void Held_records_are_reported_when_the_node_dies_or_no_birth_ever_comes()
    {
        var sheet = SyntheticSheet.Create(cols: 2, rows: 1);
        var d = new SparkplugSheetDecoder();
        d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(sheet.Sites[0], 1));
        d.Accept(SparkplugPayloads.Topic("NDEATH", null), _p.NodeBirth());
        Assert.Equal(0, d.PendingRecords);
        Assert.Contains("never declared before the node died", Assert.Single(d.Issues).Message);

        d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(sheet.Sites[1], 2));
        Assert.Empty(d.AllSheets());
        Assert.Equal(1, d.PendingRecords); // writing the file meanwhile does not give up on held records
        d.ReportUnresolved();
        Assert.Equal(0, d.PendingRecords);
        Assert.Contains("1 record(s) not decoded", d.Issues[1].Message);
        var (topic, payload) = SparkplugSheetDecoder.RebirthRequest("line/virtual-sheettest");
        Assert.Equal("spBv1.0/line/NCMD/virtual-sheettest", topic);
        var m = Assert.Single(Tfb.SparkplugReference.Payload.Parser.ParseFrom(payload).Metrics);
        Assert.Equal(("Node Control/Rebirth", 11u, true), (m.Name, m.Datatype, m.BooleanValue));
    }

    [Fact]
    public void A_reused_SF_Seq_with_other_content_is_taken_as_new_and_reported()
    {
        var sheet = SyntheticSheet.Create(cols: 2, rows: 1);
        var d = new SparkplugSheetDecoder();
        d.Accept(SparkplugPayloads.Topic("DBIRTH"), _p.DeviceBirth());
        d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Start(sheet, 1));
        Assert.Equal(DecodeOutcome.SiteAdded, d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(sheet.Sites[0], 2)));
        Assert.Equal(DecodeOutcome.SiteAdded, d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(sheet.Sites[1], 2)));
        Assert.Contains("came again with other content", Assert.Single(d.Issues).Message);
        Assert.Equal(2, d.Sites);
    }

    [Fact]
    public void Other_devices_groups_and_broken_payloads_do_not_reach_the_sheets()
    {
        var sheet = SyntheticSheet.Create(cols: 2, rows: 1);
        var d = new SparkplugSheetDecoder(group: "line");
        d.Accept(SparkplugPayloads.Topic("DBIRTH"), _p.DeviceBirth());
        Assert.Equal(DecodeOutcome.Ignored, d.Accept(SparkplugPayloads.Topic("DDATA", "Furnace"), _p.Site(sheet.Sites[0], 1)));
        Assert.Equal(DecodeOutcome.Ignored, d.Accept(SparkplugPayloads.Topic("DDATA", group: "other"), _p.Site(sheet.Sites[0], 1)));
        Assert.Equal(DecodeOutcome.Ignored, d.Accept("some/other/topic", _p.Site(sheet.Sites[0], 1)));
        Assert.Equal(DecodeOutcome.Rejected, d.Accept(SparkplugPayloads.Topic("DDATA"), new byte[] { 0x0A, 0xFF, 0xFF }));
        Assert.Equal(0, d.Sites);
        Assert.Single(d.Issues);
    }

    [Fact]
    public void Results_before_the_start_record_wait_for_it_and_the_sheet_gets_its_geometry()
    {
        var sheet = SyntheticSheet.Create(cols: 3, rows: 1);
        var d = new SparkplugSheetDecoder();
        d.Accept(SparkplugPayloads.Topic("DBIRTH"), _p.DeviceBirth());
        d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(sheet.Sites[0], 5, historical: true));
        Assert.False(Assert.Single(d.OpenSheets).Header.GeometryKnown);
        d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Start(sheet, 4, historical: true));
        d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(sheet.Sites[1], 6));
        d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(sheet.Sites[2], 7));
        d.Accept(SparkplugPayloads.Topic("DDATA"), _p.End(sheet, 8));
        var got = Assert.Single(d.CompletedSheets);
        Assert.True(got.Header.GeometryKnown);
        Assert.Equal(10.0, got.Header.PitchXMm);
        Assert.Equal(3, got.Sites.Count);
    }

    [Fact]
    public void Decoded_sheets_written_as_a_results_file_read_back_equal()
    {
        var sheet = SyntheticSheet.Create(cols: 4, rows: 3, shorts: new[] { (2, 2) });
        var d = new SparkplugSheetDecoder();
        d.Accept(SparkplugPayloads.Topic("DBIRTH"), _p.DeviceBirth());
        d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Start(sheet, 1));
        ulong sf = 2;
        foreach (var s in sheet.Sites) d.Accept(SparkplugPayloads.Topic("DDATA"), _p.Site(s, sf++));
        d.Accept(SparkplugPayloads.Topic("DDATA"), _p.End(sheet, sf));
        var w = new StringWriter();
        ResultsCsv.Write(w, d.AllSheets());
        var issues = new List<InputIssue>();
        var back = ResultsCsv.Read(new StringReader(w.ToString()), issues);
        Assert.Empty(issues);
        Assert.Equal(12, back.Sheets[0].Sites.Count);
        Assert.Equal(4, back.Sheets[0].Sites.Single(s => s.X == 2 && s.Y == 2).HardBin);
        Assert.Contains("4.15", w.ToString()); // float-carried values are written short, not as 4.1500000953674316
        Assert.DoesNotContain("0000000953", w.ToString());
    }
}
