#nullable enable
using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Tfb.Hal;
using Tfb.Plant.Models;
using Tfb.Stations.SheetTest;
using Tfb.VirtualLine;

namespace Tfb.Benchmarks;

/// <summary>
/// A converter in virtual time for the sampling-core measurements: frames appear at <see cref="RateHz"/> as
/// <see cref="Advance"/> moves time; a FIFO of <see cref="FifoFrames"/> overflows (an overrun) when nobody reads.
/// </summary>
public sealed class VirtualTimeAdc : IAdcBlockSource
{
    private readonly int[] _pattern;
    private long _produced;
    private long _read;
    private long _nowUs;
    private int _overruns;

    public VirtualTimeAdc(int rateHz, int fifoFrames)
    {
        RateHz = rateHz;
        FifoFrames = fifoFrames;
        _pattern = new int[2 * 1024];
        for (int i = 0; i < 1024; i++)
        {
            _pattern[2 * i] = (int)(1e6 * Math.Sin(2 * Math.PI * i / 32));
            _pattern[2 * i + 1] = (int)(3e5 * Math.Sin(2 * Math.PI * i / 32 - 0.3));
        }
    }

    public int RateHz { get; }
    public int FifoFrames { get; }
    public int SampleRateHz => RateHz;
    public int Channels => 2;
    public int OverrunCount => _overruns;

    /// <summary>Moves virtual time on by <paramref name="us"/>.</summary>
    public void Advance(long us)
    {
        _nowUs += us;
        long target = _nowUs * RateHz / 1_000_000;
        long backlog = target - _read;
        if (backlog > FifoFrames)
        {
            _overruns += (int)(backlog - FifoFrames);
            _read = target - FifoFrames;
        }
        _produced = target;
    }

    /// <summary>Makes <paramref name="frames"/> frames ready at once (the benchmark's steady feed).</summary>
    public void Feed(int frames) => _produced = _read + frames;

    public int ReadBlock(int[] samples, int offset, int maxCount, out long firstSampleMicros)
    {
        long frames = Math.Min(_produced - _read, maxCount / 2);
        firstSampleMicros = _read * 1_000_000 / RateHz;
        if (frames <= 0) return 0;
        int p = (int)(_read % 1024) * 2;
        for (int i = 0; i < 2 * frames; i++)
        {
            samples[offset + i] = _pattern[p++];
            if (p == _pattern.Length) p = 0;
        }
        _read += frames;
        return (int)(2 * frames);
    }
}

/// <summary>
/// BenchmarkDotNet: the sampling core per sample on the host (block read into the ring, then the consumer's
/// single-bin DFT of both channels, or the whole-mains-cycle average). Bytes allocated per operation must be 0.
/// </summary>
[MemoryDiagnoser]
public class SamplingCoreBenchmarks
{
    /// <summary>Samples per wake-up (both channels).</summary>
    [Params(128, 1024)]
    public int BlockSamples;

    private VirtualTimeAdc _adc = null!;
    private SamplingCore _core = null!;
    private ToneDft _dft = null!;
    private DcAverager _dc = null!;
    private const int SamplesPerOp = 65536;

    [GlobalSetup]
    public void Setup()
    {
        _adc = new VirtualTimeAdc(32000, 1 << 20);
        _core = new SamplingCore(_adc, new SampleRing(SheetTestModule.RingSamples, SheetTestModule.RingBlocks, 2));
        _dft = new ToneDft();
        _dft.Prepare(32, int.MaxValue);
        _dc = new DcAverager();
        _dc.Begin(int.MaxValue);
    }

    [Benchmark(OperationsPerInvoke = SamplesPerOp, Description = "pump + DFT, ns per sample")]
    public double PumpAndDft() => Run(true);

    [Benchmark(OperationsPerInvoke = SamplesPerOp, Description = "pump + mains-cycle average, ns per sample")]
    public double PumpAndAverage() => Run(false);

    private double Run(bool tone)
    {
        SampleRing ring = _core.Ring;
        for (int done = 0; done < SamplesPerOp; done += BlockSamples)
        {
            _adc.Feed(BlockSamples / 2);
            _core.Pump();
            while (ring.TryPeek(out int offset, out int count, out _, out _))
            {
                if (tone) _dft.Add(ring.Samples, offset, count / 2);
                else _dc.Add(ring.Samples, offset, count / 2);
                ring.Advance(count);
            }
        }
        return tone ? _dft.Re0 : _dc.Mean0;
    }
}

/// <summary>
/// <c>sheet-test</c>: full default sheets on the virtual line (unformed and formed) against the plant's ground
/// truth, throughput with the per-site budget and its physical floor, and the sampling core under modelled
/// consumer stalls; writes docs/reports/sheet/report.md, the plots and the results files.
/// </summary>
public static class SheetTestReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        string repo = RepoPaths.FindRoot();
        string outDir = Path.Combine(repo, "docs", "reports", "sheet");
        Directory.CreateDirectory(outDir);
        var md = new StringBuilder();
        var o = Console.Out;
        md.AppendLine("# Sheet test: accuracy, throughput, sampling core");
        md.AppendLine();
        md.AppendLine("Written by `dotnet run -c Release --project tools/Tfb.Benchmarks -- sheet-test` (every figure below is what that run printed;");
        md.AppendLine("BenchmarkDotNet figures come from `-- --filter '*SamplingCore*'`, pasted in the last section with the date of the run).");
        md.AppendLine();

        var unformed = RunSheet(repo, formed: false, seed: 11, Path.Combine(outDir, "sheet-unformed.csv"));
        var formed = RunSheet(repo, formed: true, seed: 12, Path.Combine(outDir, "sheet-formed.csv"));
        foreach (var r in new[] { unformed, formed }) Accuracy(md, r);
        Throughput(md, unformed);
        Throughput(md, formed);
        Stalls(md);
        MainsRejection(md);
        Plots(outDir, formed, unformed);
        md.AppendLine("## Plots");
        md.AppendLine();
        md.AppendLine("![OCV map, formed sheet](sheet-ocv-map.png)");
        md.AppendLine();
        md.AppendLine("![Hard bins, unformed sheet](sheet-bins-unformed.png)");
        md.AppendLine();
        md.AppendLine("Results files (results contract CSV, read by the supervisor tool): `sheet-unformed.csv`, `sheet-formed.csv`.");
        md.AppendLine();
        string bdn = Path.Combine(outDir, "bdn-sampling-core.md");
        if (File.Exists(bdn)) md.Append(File.ReadAllText(bdn));
        File.WriteAllText(Path.Combine(outDir, "report.md"), md.ToString());
        o.Write(md.ToString());
        o.WriteLine($"report: {Path.Combine(outDir, "report.md")}");
        return 0;
    }

    private sealed record SheetRun(bool Formed, SheetTable Table, Sheet Truth, double SimSeconds, double WallSeconds, SheetParameters Parameters, double StartS, double EndS);

    private static SheetRun RunSheet(string repo, bool formed, ulong seed, string csv)
    {
        var line = new Line(new LineOptions { BoardsDir = Path.Combine(repo, "boards", "virtual", "line"), Seed = seed });
        var board = line.Board("sheettest")!;
        var module = (SheetTestModule)board.Runtime.Module(0);
        var plant = (SheetTestModel)line.Plant.Components.First(c => c is SheetTestModel);
        plant.LoadSheet(new SheetConfig { Formed = formed });
        void Set(string n, string v) { if (!board.Runtime.Settings.TrySetFromText(board.Runtime.Settings.IndexOf(n), v, out var e)) throw new InvalidOperationException(n + " " + e); }
        Set("sheet.formed", formed ? "true" : "false");
        if (formed)
        {
            Set("sheet.lim.z3OhmLo", "50");
            Set("sheet.lim.z3OhmHi", "2000");
        }
        SheetResultsCsv.Attach(line, csv);
        var csvHandler = module.Sequencer.SheetCompleted!;
        SheetTable? done = null;
        double startS = double.NaN;
        module.Sequencer.SheetCompleted = t => { done = t; csvHandler(t); };
        if (!module.TryStart(1, null, null, null, null, out var error, out var text)) throw new InvalidOperationException($"{error} {text}");
        var sw = Stopwatch.StartNew();
        while (done == null && line.TimeS < 2000)
        {
            line.Step();
            if (double.IsNaN(startS) && module.Sequencer.State == SequencerState.Testing) startS = line.TimeS;
        }
        sw.Stop();
        if (done == null) throw new InvalidOperationException("sheet did not finish: " + module.GetStatus());
        Console.WriteLine($"{(formed ? "formed" : "unformed")} sheet: {done.SitesTested} sites in {line.TimeS:0.0} s simulated, {sw.Elapsed.TotalSeconds:0.0} s wall");
        return new SheetRun(formed, done, plant.CurrentSheet, line.TimeS, sw.Elapsed.TotalSeconds, module.Sequencer.Parameters, startS, line.TimeS);
    }

    private static void Accuracy(StringBuilder md, SheetRun r)
    {
        var t = r.Table;
        var truth = r.Truth;
        string name = r.Formed ? "formed" : "unformed (as made)";
        md.AppendLine($"## Accuracy against the plant's ground truth: full default sheet, {name}");
        md.AppendLine();
        md.AppendLine($"Sheet {t.Columns} x {t.Rows} = {t.SitesTested} sites, seed {(r.Formed ? 12 : 11)}. Errors over the cells whose probes touch (no open or high-contact defect); " +
            "OCV over the healthy cells (a shorted formed cell discharges by volts per hour during its own measurement: it has no static truth, it is caught by binning below).");
        md.AppendLine();
        md.AppendLine("| quantity | max abs error | rms error | goal | met |");
        md.AppendLine("|---|---|---|---|---|");
        var zErr = new List<double>[3] { new(), new(), new() };
        var pErr = new List<double>[3] { new(), new(), new() };
        var ocvErr = new List<double>();
        for (int c = 0; c < t.Columns * t.Rows; c++)
        {
            var cell = truth.Cells[c];
            if (cell.Defect is SheetDefect.Open or SheetDefect.HighContact || !t.Tested[c]) continue;
            for (int k = 0; k < 3; k++)
            {
                var z = truth.Impedance(cell, t.FrequencyHz[k]);
                zErr[k].Add((t.ZOhm[c * 3 + k] / z.Magnitude - 1) * 100);
                pErr[k].Add(t.ZDeg[c * 3 + k] - z.Phase * 180 / Math.PI);
            }
            if (r.Formed && cell.Defect == SheetDefect.None) ocvErr.Add((t.OcvV[c] - truth.Ocv(cell, (t.TimeMs[c] - t.StartMs) / 3.6e6)) * 1000);
        }
        if (r.Formed) Row(md, "OCV (mV)", ocvErr, 0.1);
        for (int k = 0; k < 3; k++) Row(md, $"\\|Z\\| at {t.FrequencyHz[k]} Hz (%)", zErr[k], 0.5);
        for (int k = 0; k < 3; k++) Row(md, $"phase at {t.FrequencyHz[k]} Hz (deg)", pErr[k], double.NaN);
        md.AppendLine();

        // Confusion: injected defect x hard bin.
        md.AppendLine("Binning against the injected defects (rows: truth; columns: hard bin):");
        md.AppendLine();
        md.AppendLine("| truth | n | " + string.Join(" | ", Enumerable.Range(1, 9)) + " |");
        md.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---|", 9)));
        int healthy = 0, falseFails = 0, shorts = 0, shortsCaught = 0, opens = 0, opensCaught = 0;
        foreach (SheetDefect d in Enum.GetValues<SheetDefect>())
        {
            var counts = new int[10];
            int n = 0;
            for (int c = 0; c < t.Columns * t.Rows; c++)
            {
                if (truth.Cells[c].Defect != d) continue;
                n++;
                counts[t.HardBin[c]]++;
                bool good = t.HardBin[c] is 1 or 2;
                if (d == SheetDefect.None) { healthy++; if (!good && t.HardBin[c] != 9) falseFails++; }
                if (d == SheetDefect.Short) { shorts++; if (!good) shortsCaught++; }
                if (d == SheetDefect.Open) { opens++; if (t.HardBin[c] == 5) opensCaught++; }
            }
            md.AppendLine($"| {d} | {n} | " + string.Join(" | ", counts.Skip(1)) + " |");
        }
        md.AppendLine();
        double ff = healthy == 0 ? 0 : 100.0 * falseFails / healthy;
        md.AppendLine($"Shorts caught (not binned good): {shortsCaught} of {shorts}; opens binned 5: {opensCaught} of {opens}; " +
                      $"false fails of healthy cells: {falseFails} of {healthy} = {ff.ToString("0.00", Inv)} % (goal < 0.5 %: {(ff < 0.5 ? "met" : "NOT met")}; " +
                      $"every short and open caught: {(shortsCaught == shorts && opensCaught == opens ? "met" : "NOT met")}).");
        md.AppendLine($"Bin counts 1..9: {SheetResultPublisher.BinCounts(t)}.");
        md.AppendLine();
    }

    private static void Row(StringBuilder md, string q, List<double> e, double goal)
    {
        double max = e.Count == 0 ? double.NaN : e.Max(Math.Abs);
        double rms = e.Count == 0 ? double.NaN : Math.Sqrt(e.Average(x => x * x));
        string g = double.IsNaN(goal) ? "-" : "<= " + goal.ToString(Inv);
        string met = double.IsNaN(goal) ? "-" : max <= goal ? "met" : "NOT met";
        md.AppendLine($"| {q} | {max.ToString("0.0000", Inv)} | {rms.ToString("0.0000", Inv)} | {g} | {met} |");
    }

    private static void Throughput(StringBuilder md, SheetRun r)
    {
        var p = r.Parameters;
        var t = r.Table;
        double simS = r.EndS - r.StartS;
        double perSite = simS / t.SitesTested;
        double settle = p.SettleUs / 1e3, contact = p.ContactUs / 1e3;
        double dc = r.Formed ? 1000.0 * p.OcvCycles / p.MainsHz : p.LeakSettleUs / 1e3 + 1000.0 * p.LeakCycles / p.MainsHz;
        var z = new double[3];
        for (int k = 0; k < 3; k++)
        {
            double period = 1000.0 / p.FrequencyHz[k];
            z[k] = Math.Max(period, 1.0) + period * p.Periods[k];
        }
        double floor = settle + contact + dc + z.Sum();
        md.AppendLine($"## Throughput: default test list, default sheet, {(r.Formed ? "formed" : "unformed")} (simulated time)");
        md.AppendLine();
        md.AppendLine($"{t.SitesTested} sites in {simS.ToString("0.0", Inv)} s from the first select to the last site: **{(t.SitesTested / simS).ToString("0.00", Inv)} sites/s**, " +
                      $"{(perSite * 1000).ToString("0.0", Inv)} ms per site (binning and the sheet swap excluded; wall time of the unpaced run {r.WallSeconds.ToString("0.0", Inv)} s).");
        md.AppendLine();
        md.AppendLine("| per-site step | time (ms) | set by |");
        md.AppendLine("|---|---|---|");
        md.AppendLine($"| settle after select | {settle.ToString("0.0", Inv)} | sense anti-alias RC: 17.3 tau for 24 bit (tau 1 ms) |");
        md.AppendLine($"| contact check | {contact.ToString("0.0", Inv)} | integration |");
        md.AppendLine(r.Formed
            ? $"| OCV | {dc.ToString("0.0", Inv)} | {p.OcvCycles} mains cycles (mains rejection) |"
            : $"| leakage | {dc.ToString("0.0", Inv)} | charging tail {p.LeakSettleUs / 1000} ms + {p.LeakCycles} mains cycle |");
        for (int k = 0; k < 3; k++)
            md.AppendLine($"| impedance {p.FrequencyHz[k]} Hz | {z[k].ToString("0.0", Inv)} | 1 discarded period (>= 1 ms) + {p.Periods[k]} periods |");
        md.AppendLine($"| **physical floor** | **{floor.ToString("0.0", Inv)}** | sum of settling and integration |");
        md.AppendLine($"| overheads (measured - floor) | {(perSite * 1000 - floor).ToString("0.0", Inv)} | each step starts on a 10 ms scan boundary; commands take effect at the next plant step |");
        md.AppendLine($"| measured per site | {(perSite * 1000).ToString("0.0", Inv)} | ratio to the floor **{(perSite * 1000 / floor).ToString("0.00", Inv)}** |");
        md.AppendLine();
    }

    private static void Stalls(StringBuilder md)
    {
        md.AppendLine("## Sampling core under consumer stalls (modelled, deterministic)");
        md.AppendLine();
        md.AppendLine($"Ring depth {SheetTestModule.RingSamples} samples ({SheetTestModule.RingSamples / 2} frames of 2 channels), {SheetTestModule.RingBlocks} blocks; converter FIFO 64 frames " +
                      "(the data-ready reader takes a block every 64 frames and never stalls: highest priority). The consumer (the scan) drains the ring every 10 ms " +
                      "but stops for garbage-collection-like pauses (one per second of the stated length, 10 s simulated). Overrun = a frame lost anywhere; the real SampleRing and SamplingCore run.");
        md.AppendLine();
        md.AppendLine("| rate (frames/s) | stall (ms) | frames consumed | frames lost (overruns) | ring-full events | ring depth in time (ms) |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (int rate in new[] { 3200, 32000, 500000 })
        {
            foreach (int stallMs in new[] { 10, 50, 200, 500 })
            {
                var adc = new VirtualTimeAdc(rate, 64);
                var core = new SamplingCore(adc, new SampleRing(SheetTestModule.RingSamples, SheetTestModule.RingBlocks, 2));
                long wakeUs = Math.Max(1, 64L * 1_000_000 / rate);
                long now = 0, nextScan = 0, stallUntil = -1, nextStall = 1_000_000;
                long frames = 0;
                while (now < 10_000_000)
                {
                    now += wakeUs;
                    adc.Advance(wakeUs);
                    core.Pump();
                    if (now >= nextStall) { stallUntil = now + stallMs * 1000L; nextStall += 1_000_000; }
                    if (now >= nextScan && now >= stallUntil)
                    {
                        nextScan = now + 10_000;
                        var ring = core.Ring;
                        while (ring.TryPeek(out _, out int count, out _, out _)) { frames += count / 2; ring.Advance(count); }
                    }
                }
                double depthMs = SheetTestModule.RingSamples / 2 * 1000.0 / rate;
                md.AppendLine($"| {rate} | {stallMs} | {frames} | {core.OverrunCount} | {core.RingFullCount} | {depthMs.ToString("0.0", Inv)} |");
            }
        }
        md.AppendLine();
        md.AppendLine("Stated depth and result: with the 32768-sample ring there is no overrun while a stall plus one scan period fits in the ring's depth in time: " +
                      "stalls up to 500 ms at 32 kSPS and below (every DC and 1 kHz-and-lower measurement), up to about 20 ms at 500 kSPS (the 100 kHz point, 21 ms per site). " +
                      "Longer stalls at 500 kSPS lose frames (counted; the step then times out and the site is binned 9/903, never silently wrong); riding out a 100 ms stall there needs 110 ms x 1 MS/s = 110k samples (440 kB).");
        md.AppendLine();
    }

    private static void MainsRejection(StringBuilder md)
    {
        md.AppendLine("## Mains rejection of the OCV decimation (DcAverager, 2 cycles of 64 samples at 3200 SPS)");
        md.AppendLine();
        md.AppendLine("Worst case over 64 pickup phases of |mean| / pickup amplitude, through the firmware's own averager on 24-bit codes. " +
                      "Baseline: the plain mean over the 2 cycles (one null per harmonic); station: the triangular weighting the sequencer uses " +
                      "(two 1-cycle boxcars in cascade, double nulls), the same 40 ms window.");
        md.AppendLine();
        md.AppendLine("| mains (Hz) | baseline, plain mean (dB) | station, triangular (dB) | improvement (dB) |");
        md.AppendLine("|---|---|---|---|");
        var s = new int[2 * 128];
        double worstStation = 0;
        foreach (double f in new[] { 49.5, 49.9, 50.0, 50.1, 50.5 })
        {
            double plain = 0, tri = 0;
            for (int ph = 0; ph < 64; ph++)
            {
                for (int k = 0; k < 128; k++) { s[2 * k] = (int)Math.Round(1e6 * Math.Sin(2 * Math.PI * f * k / 3200 + ph * Math.PI / 32)); s[2 * k + 1] = 0; }
                var dc = new DcAverager();
                dc.Begin(128);
                dc.Add(s, 0, 128);
                plain = Math.Max(plain, Math.Abs(dc.Mean0) / 1e6);
                dc.BeginMains(2, 64);
                dc.Add(s, 0, 128);
                tri = Math.Max(tri, Math.Abs(dc.Mean0) / 1e6);
            }
            if (f != 50.0) worstStation = Math.Max(worstStation, tri);
            md.AppendLine($"| {f.ToString("0.0", Inv)} | {Db(plain)} | {Db(tri)} | {(plain == 0 || tri == 0 ? "-" : (20 * Math.Log10(plain / tri)).ToString("0.0", Inv))} |");
        }
        md.AppendLine();
        md.AppendLine($"Off-nominal mains from 49.5 to 50.5 Hz: the station's worst case is {Db(worstStation)} dB " +
                      $"(goal >= 60 dB of rejection: {(worstStation < 1e-3 ? "met" : "not met")}); at 50.0 Hz both nulls are exact. " +
                      "A 1-cycle leakage measurement (odd cycle count) keeps the plain mean over the whole cycle.");
        md.AppendLine();
    }

    private static string Db(double ratio) => ratio == 0 ? "< -120 (residual below one code)" : (20 * Math.Log10(ratio)).ToString("0.0", Inv);

    private static void Plots(string outDir, SheetRun formed, SheetRun unformed)
    {
        var t = formed.Table;
        var ocv = new double[t.Rows, t.Columns];
        for (int y = 0; y < t.Rows; y++)
            for (int x = 0; x < t.Columns; x++)
            {
                double v = t.OcvV[y * t.Columns + x];
                ocv[t.Rows - 1 - y, x] = double.IsNaN(v) || v < 3.9 ? double.NaN : v;
            }
        var plot = new ScottPlot.Plot();
        var hm = plot.Add.Heatmap(ocv);
        hm.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(hm).Label = "OCV (V)";
        plot.Title("Formed sheet: OCV per cell (x across, y along; low cells blank)");
        plot.SavePng(Path.Combine(outDir, "sheet-ocv-map.png"), 700, 800);

        var u = unformed.Table;
        var bins = new double[u.Rows, u.Columns];
        for (int y = 0; y < u.Rows; y++)
            for (int x = 0; x < u.Columns; x++) bins[u.Rows - 1 - y, x] = u.HardBin[y * u.Columns + x];
        var p2 = new ScottPlot.Plot();
        var h2 = p2.Add.Heatmap(bins);
        h2.Colormap = new ScottPlot.Colormaps.Turbo();
        p2.Add.ColorBar(h2).Label = "hard bin";
        p2.Title("Unformed sheet: hard bin per cell");
        p2.SavePng(Path.Combine(outDir, "sheet-bins-unformed.png"), 700, 800);
    }
}
