using Tfb.SheetSupervisor;

namespace Tfb.SheetSupervisor.Tests;

/// <summary>
/// The STDF file read back by <see cref="StdfV4Reader"/> (written from the spec's record layouts, not from the
/// writer): every record type in order, every field value, for a 3 x 2 sheet with one open and one short cell.
/// Expected values come from the synthetic sheet and the mapping in docs/supervisor.md.
/// </summary>
public sealed class StdfFileTests
{
    private static SheetResults SmallSheet() => SyntheticSheet.Create(cols: 3, rows: 2, opens: new[] { (2, 0) }, shorts: new[] { (0, 1) });

    private static (bool Little, List<StdfV4Reader.StdfRecord> Records) WriteAndRead(IReadOnlyList<SheetResults> sheets, bool little)
    {
        using var ms = new MemoryStream();
        StdfWriter.Write(ms, sheets, new StdfOptions { LittleEndian = little });
        return StdfV4Reader.Read(ms.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_record_and_field_of_a_small_sheet(bool little)
    {
        var sheet = SmallSheet();
        var (readLittle, recs) = WriteAndRead(new[] { sheet }, little);
        Assert.Equal(little, readLittle);

        // Record order: FAR MIR WIR WCR (PIR PTR* PRR) x 6 WRR TSR* PCR HBR x 9 SBR x 3 MRR.
        var names = recs.Select(r => r.Name).ToList();
        Assert.Equal(new[] { "FAR", "MIR", "WIR", "WCR" }, names.Take(4));
        Assert.Equal("MRR", names[^1]);
        Assert.Equal(6, names.Count(n => n == "PIR"));
        Assert.Equal(6, names.Count(n => n == "PRR"));
        Assert.Equal(9, names.Count(n => n == "HBR"));
        Assert.Equal(3, names.Count(n => n == "SBR"));
        int wrr = names.IndexOf("WRR");
        Assert.Equal(names.LastIndexOf("PRR") + 1, wrr);
        Assert.Equal(new[] { "TSR", "TSR", "TSR", "TSR", "TSR", "TSR", "TSR", "TSR" }, names.Skip(wrr + 1).Take(8));
        Assert.Equal("PCR", names[wrr + 9]);
        Assert.Equal("HBR", names[wrr + 10]);
        Assert.Single(names, n => n == "PCR");

        var far = recs[0];
        Assert.Equal(2, far.RecLen);
        Assert.Equal((byte)(little ? 2 : 1), far["CPU_TYPE"]);
        Assert.Equal((byte)4, far["STDF_VER"]);

        var mir = recs[1];
        uint start = (uint)(SyntheticSheet.StartMs / 1000);
        Assert.Equal(start, mir["SETUP_T"]);
        Assert.Equal(start, mir["START_T"]);
        Assert.Equal((byte)1, mir["STAT_NUM"]);
        Assert.Equal('P', mir["MODE_COD"]);
        Assert.Equal(' ', mir["RTST_COD"]);
        Assert.Equal(' ', mir["PROT_COD"]);
        Assert.Equal((ushort)65535, mir["BURN_TIM"]);
        Assert.Equal(' ', mir["CMOD_COD"]);
        Assert.Equal("R1", mir["LOT_ID"]);
        Assert.Equal("TFB-cell", mir["PART_TYP"]);
        Assert.Equal("sheettest", mir["NODE_NAM"]);
        Assert.Equal("TfbSheetTest", mir["TSTR_TYP"]);
        Assert.Equal("default test", mir["JOB_NAM"]);
        Assert.Equal("Tfb.SheetSupervisor", mir["EXEC_TYP"]);
        Assert.Equal("OCV", mir["TEST_COD"]);
        Assert.Equal("", mir["SUPR_NAM"]); // the last MIR field is present: nothing truncated

        var wir = recs[2];
        Assert.Equal((byte)1, wir["HEAD_NUM"]);
        Assert.Equal((byte)255, wir["SITE_GRP"]);
        Assert.Equal(start, wir["START_T"]);
        Assert.Equal("S0001", wir["WAFER_ID"]);

        var wcr = recs[3];
        Assert.Equal(0f, wcr["WAFR_SIZ"]);
        Assert.Equal(12f, wcr["DIE_HT"]);  // pitch y
        Assert.Equal(10f, wcr["DIE_WID"]); // pitch x
        Assert.Equal((byte)3, wcr["WF_UNITS"]); // mm
        Assert.Equal('U', wcr["WF_FLAT"]);
        Assert.Equal(short.MinValue, wcr["CENTER_X"]);
        Assert.Equal(short.MinValue, wcr["CENTER_Y"]);
        Assert.Equal('R', wcr["POS_X"]);
        Assert.Equal('D', wcr["POS_Y"]);

        // Parts: PIR, its PTRs, PRR; in site order.
        var seenTests = new HashSet<uint>();
        int r = 4;
        foreach (var site in sheet.Sites)
        {
            Assert.Equal("PIR", recs[r].Name);
            Assert.Equal((byte)1, recs[r]["HEAD_NUM"]);
            Assert.Equal((byte)1, recs[r]["SITE_NUM"]);
            r++;
            var expected = ExpectedPtrs(site);
            foreach (var (num, value, lo, hi, unit, text) in expected)
            {
                var ptr = recs[r++];
                Assert.Equal("PTR", ptr.Name);
                Assert.Equal(num, ptr["TEST_NUM"]);
                Assert.Equal((byte)1, ptr["HEAD_NUM"]);
                Assert.Equal((byte)1, ptr["SITE_NUM"]);
                Assert.Equal((float)value, ptr["RESULT"]);
                Assert.Equal(text, ptr["TEST_TXT"]);
                Assert.Equal("", ptr["ALARM_ID"]);
                bool hasLimits = !double.IsNaN(lo) || !double.IsNaN(hi);
                bool fail = hasLimits && (!double.IsNaN(lo) && !(value >= lo) || !double.IsNaN(hi) && !(value <= hi));
                Assert.Equal((byte)(hasLimits ? (fail ? 0x80 : 0) : 0x40), ptr["TEST_FLG"]);
                // PARM_FLG bit 3 = higher than the high limit, bit 4 = lower than the low limit.
                byte parm = (byte)((value > hi ? 0x08 : 0) | (value < lo ? 0x10 : 0));
                Assert.Equal(parm, ptr["PARM_FLG"]);
                if (seenTests.Add(num))
                {
                    // First PTR of the test: limits and units.
                    byte opt = (byte)(0x0F | (double.IsNaN(lo) ? 0x40 : 0) | (double.IsNaN(hi) ? 0x80 : 0));
                    Assert.Equal(opt, ptr["OPT_FLAG"]);
                    Assert.Equal((sbyte)0, ptr["RES_SCAL"]);
                    Assert.Equal(double.IsNaN(lo) ? 0f : (float)lo, ptr["LO_LIMIT"]);
                    Assert.Equal(double.IsNaN(hi) ? 0f : (float)hi, ptr["HI_LIMIT"]);
                    Assert.Equal(unit, ptr["UNITS"]);
                    Assert.Equal(0f, ptr["HI_SPEC"]);
                }
                else
                {
                    Assert.False(ptr.Has("OPT_FLAG"), "limits and units only on the first PTR of a test");
                }
            }
            var prr = recs[r++];
            Assert.Equal("PRR", prr.Name);
            Assert.Equal((byte)(site.HardBin is 1 or 2 ? 0 : 0x08), prr["PART_FLG"]);
            Assert.Equal((ushort)expected.Count, prr["NUM_TEST"]);
            Assert.Equal((ushort)site.HardBin, prr["HARD_BIN"]);
            Assert.Equal((ushort)site.SoftBin, prr["SOFT_BIN"]);
            Assert.Equal((short)site.X, prr["X_COORD"]);
            Assert.Equal((short)site.Y, prr["Y_COORD"]);
            Assert.Equal(0u, prr["TEST_T"]);
            Assert.Equal(site.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), prr["PART_ID"]);
            Assert.Equal($"x{site.X}y{site.Y}", prr["PART_TXT"]);
            Assert.Empty((byte[])prr["PART_FIX"]);
        }

        // Concrete flags: the short's OCV is under its low limit, the open cell's contact resistance over its high limit.
        var ptrs = recs.Where(x => x.Name == "PTR").ToList();
        var shortOcv = ptrs.Single(x => (uint)x["TEST_NUM"] == 300 && (float)x["RESULT"] == 0.05f);
        Assert.Equal(((byte)0x80, (byte)0x10), ((byte)shortOcv["TEST_FLG"], (byte)shortOcv["PARM_FLG"]));
        var openContact = ptrs.Single(x => (uint)x["TEST_NUM"] == 100 && float.IsPositiveInfinity((float)x["RESULT"]));
        Assert.Equal(((byte)0x80, (byte)0x08), ((byte)openContact["TEST_FLG"], (byte)openContact["PARM_FLG"]));

        // The open cell (2,0) has only its contact PTR; the short (0,1) fails OCV and Z2.
        var open = recs.Where(x => x.Name == "PRR").Single(x => (short)x["X_COORD"] == 2 && (short)x["Y_COORD"] == 0);
        Assert.Equal((ushort)1, open["NUM_TEST"]);
        Assert.Equal((ushort)5, open["HARD_BIN"]);

        var w = recs[wrr];
        Assert.Equal((byte)1, w["HEAD_NUM"]);
        Assert.Equal((uint)(sheet.Sites.Max(s => s.TimeMs) / 1000), w["FINISH_T"]);
        Assert.Equal(6u, w["PART_CNT"]);
        Assert.Equal(1u, w["RTST_CNT"]);
        Assert.Equal(0u, w["ABRT_CNT"]);
        Assert.Equal(4u, w["GOOD_CNT"]);
        Assert.Equal(4u, w["FUNC_CNT"]); // the short and the open are not functional
        Assert.Equal("S0001", w["WAFER_ID"]);
        Assert.Equal("", w["EXC_DESC"]);

        // TSR per test over all sites (HEAD_NUM 255).
        var tsr = recs.Where(x => x.Name == "TSR").ToDictionary(x => (uint)x["TEST_NUM"]);
        Assert.Equal(new uint[] { 100, 300, 410, 411, 420, 421, 430, 431 }, tsr.Keys.Order());
        var ocv = tsr[300];
        Assert.Equal((byte)255, ocv["HEAD_NUM"]);
        Assert.Equal('P', ocv["TEST_TYP"]);
        Assert.Equal(5u, ocv["EXEC_CNT"]);
        Assert.Equal(1u, ocv["FAIL_CNT"]); // the short's 0.05 V
        Assert.Equal("OCV_V", ocv["TEST_NAM"]);
        Assert.Equal((byte)0xCC, ocv["OPT_FLAG"]); // reserved bits 3, 6, 7 set; bit 2: no test time
        Assert.Equal(0f, ocv["TEST_TIM"]);
        var ocvs = sheet.Sites.Select(s => s.OcvV).Where(double.IsFinite).ToList();
        Assert.Equal((float)ocvs.Min(), ocv["TEST_MIN"]);
        Assert.Equal((float)ocvs.Max(), ocv["TEST_MAX"]);
        Assert.Equal((float)ocvs.Sum(), (float)ocv["TST_SUMS"], 4);
        Assert.Equal((float)ocvs.Sum(v => v * v), (float)ocv["TST_SQRS"], 3);
        Assert.Equal(6u, tsr[100]["EXEC_CNT"]);
        Assert.Equal(1u, tsr[100]["FAIL_CNT"]); // the open cell's infinite contact resistance
        Assert.Equal(1u, tsr[420]["FAIL_CNT"]); // the short's 12 ohm < 20
        Assert.Equal(0u, tsr[410]["FAIL_CNT"]); // no limits

        var pcr = recs.Single(x => x.Name == "PCR");
        Assert.Equal(((byte)255, (byte)1, 6u, 1u, 0u, 4u, 4u), ((byte)pcr["HEAD_NUM"], (byte)pcr["SITE_NUM"], (uint)pcr["PART_CNT"],
            (uint)pcr["RTST_CNT"], (uint)pcr["ABRT_CNT"], (uint)pcr["GOOD_CNT"], (uint)pcr["FUNC_CNT"]));

        var hbr = recs.Where(x => x.Name == "HBR").ToList();
        uint[] hardCounts = { 4, 0, 0, 1, 1, 0, 0, 0, 0 };
        string[] names9 = { "good A", "good B", "re-form", "short", "open/contact", "high impedance", "low OCV/K-value", "EIS shape", "edge/excluded" };
        for (int b = 0; b < 9; b++)
        {
            Assert.Equal((byte)255, hbr[b]["HEAD_NUM"]);
            Assert.Equal((ushort)(b + 1), hbr[b]["HBIN_NUM"]);
            Assert.Equal(hardCounts[b], hbr[b]["HBIN_CNT"]);
            Assert.Equal(b < 2 ? 'P' : 'F', hbr[b]["HBIN_PF"]);
            Assert.Equal(names9[b], hbr[b]["HBIN_NAM"]);
        }
        var sbr = recs.Where(x => x.Name == "SBR").ToList();
        Assert.Equal(new ushort[] { 100, 400, 500 }, sbr.Select(x => (ushort)x["SBIN_NUM"]));
        Assert.Equal(new uint[] { 4, 1, 1 }, sbr.Select(x => (uint)x["SBIN_CNT"]));
        Assert.Equal(new[] { 'P', 'F', 'F' }, sbr.Select(x => (char)x["SBIN_PF"]));

        var mrr = recs[^1];
        Assert.Equal((uint)(sheet.Sites.Max(s => s.TimeMs) / 1000), mrr["FINISH_T"]);
        Assert.Equal(' ', mrr["DISP_COD"]);
    }

    private static List<(uint Num, double Value, double Lo, double Hi, string Unit, string Text)> ExpectedPtrs(SiteResult s)
    {
        var list = new List<(uint, double, double, double, string, string)>();
        void Add(uint num, double v, double lo, double hi, string unit, string text)
        {
            if (!double.IsNaN(v)) list.Add((num, v, lo, hi, unit, text));
        }
        Add(100, s.ContactOhm, double.NaN, 5, "Ohm", "Contact_Ohm");
        Add(200, s.LeakageA, double.NaN, double.NaN, "A", "Leakage_A");
        Add(300, s.OcvV, 3.9, 4.25, "V", "OCV_V");
        Add(410, s.Z1Ohm, double.NaN, double.NaN, "Ohm", "Z1_Ohm 100000 Hz");
        Add(411, s.Z1Deg, double.NaN, double.NaN, "deg", "Z1_Deg 100000 Hz");
        Add(420, s.Z2Ohm, 20, 400, "Ohm", "Z2_Ohm 1000 Hz");
        Add(421, s.Z2Deg, double.NaN, double.NaN, "deg", "Z2_Deg 1000 Hz");
        Add(430, s.Z3Ohm, double.NaN, double.NaN, "Ohm", "Z3_Ohm 10 Hz");
        Add(431, s.Z3Deg, double.NaN, double.NaN, "deg", "Z3_Deg 10 Hz");
        return list;
    }

    [Fact]
    public void Two_sheets_of_a_roll_are_two_wafers_under_one_lot_and_changed_limits_are_written_again()
    {
        var a = SyntheticSheet.Create(cols: 2, rows: 2, sheetId: "S0001");
        var b = SyntheticSheet.Create(cols: 2, rows: 2, sheetId: "S0002", seed: 2);
        b.Limits.RemoveAll(l => l.Test == "OCV_V");
        b.Limits.Add(new TestLimit("OCV_V", 4.0, 4.2));
        var (_, recs) = WriteAndRead(new[] { a, b }, little: true);
        Assert.Single(recs, x => x.Name == "MIR");
        Assert.Single(recs, x => x.Name == "WCR");
        Assert.Equal(new[] { "S0001", "S0002" }, recs.Where(x => x.Name == "WIR").Select(x => (string)x["WAFER_ID"]));
        Assert.Equal(new[] { "S0001", "S0002" }, recs.Where(x => x.Name == "WRR").Select(x => (string)x["WAFER_ID"]));
        var ocvPtrs = recs.Where(x => x.Name == "PTR" && (uint)x["TEST_NUM"] == 300).ToList();
        Assert.Equal(8, ocvPtrs.Count);
        Assert.Equal(new[] { true, false, false, false, true, true, true, true }, ocvPtrs.Select(p => p.Has("LO_LIMIT")));
        Assert.Equal(4.0f, ocvPtrs[4]["LO_LIMIT"]);
        Assert.Equal(4.2f, ocvPtrs[7]["HI_LIMIT"]);
        Assert.Equal(8u, recs.Single(x => x.Name == "TSR" && (uint)x["TEST_NUM"] == 300)["EXEC_CNT"]);
    }

    [Fact]
    public void Sheets_of_two_rolls_are_refused_by_the_writer()
    {
        var a = SyntheticSheet.Create(roll: "R1");
        var b = SyntheticSheet.Create(roll: "R2", sheetId: "S0002");
        Assert.Throws<ArgumentException>(() => StdfWriter.Write(new MemoryStream(), new[] { a, b }));
    }
}
