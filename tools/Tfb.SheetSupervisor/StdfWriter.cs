using System.Buffers.Binary;
using System.Text;

namespace Tfb.SheetSupervisor;

/// <summary>Options of <see cref="StdfWriter"/>.</summary>
public sealed class StdfOptions
{
    /// <summary>Byte order of the file, declared in FAR.CPU_TYPE: true = little-endian (2, PC), false = big-endian (1, Sun).</summary>
    public bool LittleEndian { get; set; } = true;

    /// <summary>MIR.NODE_NAM: the tester (edge node) name.</summary>
    public string NodeName { get; set; } = "sheettest";

    /// <summary>MIR.TSTR_TYP.</summary>
    public string TesterType { get; set; } = "TfbSheetTest";

    /// <summary>MIR.PART_TYP.</summary>
    public string PartType { get; set; } = "TFB-cell";

    /// <summary>MIR.EXEC_VER.</summary>
    public string ExecVersion { get; set; } = typeof(StdfWriter).Assembly.GetName().Version?.ToString() ?? "0";
}

/// <summary>
/// Writes an STDF V4 file for the sheets of one roll: FAR, MIR, then per sheet WIR, WCR (first sheet only),
/// PIR/PTR.../PRR per cell with X/Y, WRR; then TSR per test, PCR (required by the spec), HBR, SBR, MRR. Mapping (docs/supervisor.md):
/// roll = lot, sheet = wafer, cell pitch = WCR die size (mm), one PTR per measured value (not-measured values have
/// no PTR), limits and units only on the first PTR of each test (later PTRs end after ALARM_ID, the spec's
/// "defaults from the first PTR"). HEAD_NUM 1, SITE_NUM 1; summaries use HEAD_NUM 255 (all sites).
/// </summary>
public static class StdfWriter
{
    /// <summary>Writes the file. All sheets must have the same roll.</summary>
    /// <exception cref="ArgumentException">No sheet, or sheets of different rolls.</exception>
    public static void Write(Stream output, IReadOnlyList<SheetResults> sheets, StdfOptions? options = null, Action<double>? progress = null)
    {
        options ??= new StdfOptions();
        if (sheets.Count == 0) throw new ArgumentException("no sheet to write", nameof(sheets));
        string roll = sheets[0].Header.Roll;
        if (sheets.Any(s => s.Header.Roll != roll)) throw new ArgumentException("one STDF file holds one roll (lot)", nameof(sheets));

        var w = new RecordWriter(output, options.LittleEndian);
        var first = sheets[0].Header;
        uint start = Seconds(first.StartMs != 0 ? first.StartMs : sheets[0].Sites.Select(s => s.TimeMs).DefaultIfEmpty(0).Min());
        long lastMs = sheets.SelectMany(s => s.Sites).Select(s => s.TimeMs).DefaultIfEmpty(first.StartMs).Max();

        // FAR: CPU_TYPE (1 big-endian, 2 little-endian), STDF_VER 4.
        w.Begin(0, 10).U1((byte)(options.LittleEndian ? 2 : 1)).U1(4).End();

        // MIR.
        w.Begin(1, 10)
            .U4(start).U4(start).U1(1).C1('P').C1(' ').C1(' ').U2(65535).C1(' ')
            .Cn(roll).Cn(options.PartType).Cn(options.NodeName).Cn(options.TesterType).Cn(first.Program).Cn("")
            .Cn("").Cn("").Cn("Tfb.SheetSupervisor").Cn(options.ExecVersion).Cn(first.Formed ? "OCV" : "PRE").Cn("")
            // USER_TXT AUX_FILE PKG_TYP FAMLY_ID DATE_COD FACIL_ID FLOOR_ID PROC_ID OPER_FRQ SPEC_NAM SPEC_VER FLOW_ID SETUP_ID
            // DSGN_REV ENG_ID ROM_COD SERL_NUM SUPR_NAM: empty.
            .Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("").Cn("")
            .End();

        var tests = new Dictionary<Measurement, TestTally>();
        var softBins = new SortedDictionary<int, (long Count, int Hard)>();
        long[] hardCounts = new long[HardBins.Count];
        long total = Math.Max(1, sheets.Sum(s => (long)s.Sites.Count));
        long done = 0;
        bool wcrWritten = false;
        long lotParts = 0, lotRetested = 0, lotGood = 0, lotFunctional = 0;

        foreach (var sheet in sheets)
        {
            var h = sheet.Header;
            uint sheetStart = Seconds(h.StartMs != 0 ? h.StartMs : sheet.Sites.Select(s => s.TimeMs).DefaultIfEmpty(0).Min());
            w.Begin(2, 10).U1(1).U1(255).U4(sheetStart).Cn(h.SheetId).End();
            if (!wcrWritten)
            {
                // WCR: WAFR_SIZ 0 (a sheet has no diameter), DIE_HT/DIE_WID = pitch, units mm (3), flat 'U' = the
                // leading edge (row 0) is up, centre unknown (-32768), +X right, +Y down.
                w.Begin(2, 30).R4(0f).R4((float)h.PitchYMm).R4((float)h.PitchXMm).U1(3).C1('U').I2(short.MinValue).I2(short.MinValue).C1('R').C1('D').End();
                wcrWritten = true;
            }

            long good = 0, retested = 0, nonFunctional = 0;
            foreach (var site in sheet.Sites)
            {
                w.Begin(5, 10).U1(1).U1(1).End();
                ushort numTests = 0;
                foreach (var m in Measurements.All)
                {
                    double v = Measurements.Get(site, m);
                    if (double.IsNaN(v)) continue;
                    numTests++;
                    if (!tests.TryGetValue(m, out var tally)) tests[m] = tally = new TestTally();
                    var limit = sheet.LimitFor(Measurements.TestName(m));
                    double lo = limit?.Lo ?? double.NaN, hi = limit?.Hi ?? double.NaN;
                    bool hasLimits = !double.IsNaN(lo) || !double.IsNaN(hi);
                    bool fail = hasLimits && (!double.IsNaN(lo) && !(v >= lo) || !double.IsNaN(hi) && !(v <= hi));
                    tally.Add(v, fail);

                    // TEST_FLG: bit 6 = no pass/fail indication (no limits), bit 7 = failed.
                    byte testFlags = (byte)(hasLimits ? (fail ? 0x80 : 0x00) : 0x40);
                    byte parmFlags = 0;
                    if (hasLimits)
                    {
                        if (!double.IsNaN(hi) && v > hi) parmFlags |= 0x08; // bit 3: higher than the high limit
                        if (!double.IsNaN(lo) && v < lo) parmFlags |= 0x10; // bit 4: lower than the low limit
                    }
                    w.Begin(15, 10).U4(Measurements.StdfTestNumber(m)).U1(1).U1(1).U1(testFlags).U1(parmFlags).R4((float)v)
                        .Cn(TestText(m, h)).Cn("");
                    // Later PTRs omit OPT_FLAG onwards (defaults from the first PTR) unless this sheet's limits differ.
                    if (!tally.DefaultsWritten || !SameLimit(tally.DefaultLo, lo) || !SameLimit(tally.DefaultHi, hi))
                    {
                        // OPT_FLAG: bit 0 RES_SCAL invalid, bit 1 reserved (1), bits 2/3 no spec limits, bit 6/7 no low/high limit.
                        byte opt = 0x01 | 0x02 | 0x04 | 0x08;
                        if (double.IsNaN(lo)) opt |= 0x40;
                        if (double.IsNaN(hi)) opt |= 0x80;
                        w.U1(opt).I1(0).I1(0).I1(0).R4(double.IsNaN(lo) ? 0f : (float)lo).R4(double.IsNaN(hi) ? 0f : (float)hi)
                            .Cn(Measurements.Unit(m)).Cn("").Cn("").Cn("").R4(0f).R4(0f);
                        if (!tally.DefaultsWritten)
                        {
                            tally.DefaultsWritten = true;
                            tally.DefaultLo = lo;
                            tally.DefaultHi = hi;
                        }
                    }
                    w.End();
                }

                bool goodBin = HardBins.IsGood(site.HardBin);
                if (goodBin) good++;
                if ((site.Flags & 1) != 0) retested++;
                if (site.HardBin is 4 or 5) nonFunctional++; // the spec: parts with shorts or opens are not functional
                if (site.HardBin >= 1 && site.HardBin <= HardBins.Count) hardCounts[site.HardBin - 1]++;
                softBins[site.SoftBin] = softBins.TryGetValue(site.SoftBin, out var sb) ? (sb.Count + 1, sb.Hard) : (1, site.HardBin);

                // PRR: PART_FLG bit 3 = part failed (by its hard bin); X/Y = cell; TEST_T 0 = unknown; PART_ID = site seq.
                byte partFlags = (byte)(goodBin ? 0x00 : 0x08);
                w.Begin(5, 20).U1(1).U1(1).U1(partFlags).U2(numTests).U2((ushort)site.HardBin).U2(SoftBinField(site.SoftBin))
                    .I2((short)site.X).I2((short)site.Y).U4(0).Cn(site.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Cn($"x{site.X}y{site.Y}").Bn(Array.Empty<byte>()).End();
                if ((++done & 255) == 0) progress?.Invoke((double)done / total);
            }

            lotParts += sheet.Sites.Count;
            lotRetested += retested;
            lotGood += good;
            lotFunctional += sheet.Sites.Count - nonFunctional;
            long sheetEnd = sheet.Sites.Select(s => s.TimeMs).DefaultIfEmpty(h.StartMs).Max();
            // WRR: RTST_CNT = sites with a contact retest (flag bit 0), FUNC_CNT = sites not short (4) or open (5).
            w.Begin(2, 20).U1(1).U1(255).U4(Seconds(sheetEnd)).U4((uint)sheet.Sites.Count).U4((uint)retested).U4(0).U4((uint)good)
                .U4((uint)(sheet.Sites.Count - nonFunctional))
                .Cn(h.SheetId).Cn("").Cn("").Cn("").Cn("").Cn("").End();
        }

        foreach (var m in Measurements.All)
        {
            if (!tests.TryGetValue(m, out var t)) continue;
            // TSR over all sites (HEAD_NUM 255). OPT_FLAG: bits 3, 6, 7 reserved (must be 1); bit 2 = TEST_TIM invalid
            // (not measured); bits 0, 1, 4, 5 = min, max, sums, squares invalid (only when no finite result).
            bool stats = t.Finite > 0;
            byte opt = (byte)(0xCC | (stats ? 0 : 0x33));
            w.Begin(10, 30).U1(255).U1(1).C1('P').U4(Measurements.StdfTestNumber(m)).U4((uint)t.Count).U4((uint)t.Fails).U4(0)
                .Cn(Measurements.TestName(m)).Cn("").Cn("").U1(opt).R4(0f)
                .R4(stats ? (float)t.Min : 0f).R4(stats ? (float)t.Max : 0f).R4(stats ? (float)t.Sum : 0f).R4(stats ? (float)t.SumSq : 0f).End();
        }
        // PCR (the spec requires at least one): the part counts over all sites and wafers (HEAD_NUM 255).
        w.Begin(1, 30).U1(255).U1(1).U4((uint)lotParts).U4((uint)lotRetested).U4(0).U4((uint)lotGood).U4((uint)lotFunctional).End();
        for (int bin = 1; bin <= HardBins.Count; bin++)
        {
            w.Begin(1, 40).U1(255).U1(1).U2((ushort)bin).U4((uint)hardCounts[bin - 1]).C1(HardBins.IsGood(bin) ? 'P' : 'F').Cn(HardBins.Name(bin)).End();
        }
        foreach (var (soft, (count, hard)) in softBins)
        {
            w.Begin(1, 50).U1(255).U1(1).U2(SoftBinField(soft)).U4((uint)count).C1(HardBins.IsGood(hard) ? 'P' : 'F').Cn($"hard bin {hard} {HardBins.Name(hard)}").End();
        }
        w.Begin(1, 20).U4(Seconds(lastMs)).C1(' ').Cn("").Cn("").End();
        progress?.Invoke(1);
    }

    /// <summary>TEST_TXT of a measurement on a sheet, e.g. "Z2_Ohm 1000 Hz".</summary>
    public static string TestText(Measurement m, SheetHeader h) => m switch
    {
        Measurement.Z1Ohm or Measurement.Z1Deg => Measurements.TestName(m) + " " + NumberFormat.Format(h.Z1Hz) + " Hz",
        Measurement.Z2Ohm or Measurement.Z2Deg => Measurements.TestName(m) + " " + NumberFormat.Format(h.Z2Hz) + " Hz",
        Measurement.Z3Ohm or Measurement.Z3Deg => Measurements.TestName(m) + " " + NumberFormat.Format(h.Z3Hz) + " Hz",
        _ => Measurements.TestName(m),
    };

    /// <summary>SOFT_BIN/SBIN_NUM are legal 0..32767; a larger soft bin is written as 65535 (the spec's "missing").</summary>
    private static ushort SoftBinField(int soft) => soft is >= 0 and <= 32767 ? (ushort)soft : (ushort)65535;

    private static bool SameLimit(double a, double b) => double.IsNaN(a) ? double.IsNaN(b) : (float)a == (float)b;

    private static uint Seconds(long ms) => ms <= 0 ? 0 : (uint)Math.Min(uint.MaxValue, ms / 1000);

    private sealed class TestTally
    {
        public long Count, Fails, Finite;
        public double Min = double.PositiveInfinity, Max = double.NegativeInfinity, Sum, SumSq;
        public bool DefaultsWritten;
        public double DefaultLo, DefaultHi;

        public void Add(double v, bool fail)
        {
            Count++;
            if (fail) Fails++;
            if (!double.IsFinite(v)) return;
            Finite++;
            Min = Math.Min(Min, v);
            Max = Math.Max(Max, v);
            Sum += v;
            SumSq += v * v;
        }
    }

    /// <summary>Builds one record in memory (REC_LEN is known only at the end), then writes header + body.</summary>
    private sealed class RecordWriter
    {
        private readonly Stream _out;
        private readonly bool _little;
        private readonly MemoryStream _body = new();
        private readonly byte[] _scratch = new byte[8];
        private byte _type, _sub;

        public RecordWriter(Stream output, bool littleEndian)
        {
            _out = output;
            _little = littleEndian;
        }

        public RecordWriter Begin(byte type, byte sub)
        {
            _type = type;
            _sub = sub;
            _body.SetLength(0);
            return this;
        }

        public void End()
        {
            if (_body.Length > ushort.MaxValue) throw new InvalidOperationException("STDF record longer than 65535 bytes");
            var header = new byte[4];
            if (_little) BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)_body.Length);
            else BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)_body.Length);
            header[2] = _type;
            header[3] = _sub;
            _out.Write(header);
            _body.Position = 0;
            _body.CopyTo(_out);
        }

        public RecordWriter U1(byte v) { _body.WriteByte(v); return this; }

        public RecordWriter I1(sbyte v) { _body.WriteByte((byte)v); return this; }

        public RecordWriter C1(char c) { _body.WriteByte((byte)c); return this; }

        public RecordWriter U2(ushort v)
        {
            if (_little) BinaryPrimitives.WriteUInt16LittleEndian(_scratch, v);
            else BinaryPrimitives.WriteUInt16BigEndian(_scratch, v);
            _body.Write(_scratch, 0, 2);
            return this;
        }

        public RecordWriter I2(short v) => U2((ushort)v);

        public RecordWriter U4(uint v)
        {
            if (_little) BinaryPrimitives.WriteUInt32LittleEndian(_scratch, v);
            else BinaryPrimitives.WriteUInt32BigEndian(_scratch, v);
            _body.Write(_scratch, 0, 4);
            return this;
        }

        public RecordWriter R4(float v) => U4(BitConverter.SingleToUInt32Bits(v));

        public RecordWriter Cn(string s)
        {
            // Cn: count byte + ASCII; non-ASCII becomes '?', longer than 255 is cut.
            var bytes = Encoding.ASCII.GetBytes(s.Length > 255 ? s[..255] : s);
            _body.WriteByte((byte)bytes.Length);
            _body.Write(bytes);
            return this;
        }

        public RecordWriter Bn(byte[] b)
        {
            _body.WriteByte((byte)b.Length);
            _body.Write(b);
            return this;
        }
    }
}
