#nullable enable
using System.Globalization;
using System.Text;
using Tfb.Anneal.Rig;
using ScottPlot;
using Tfb.Stations.Anneal;

namespace Tfb.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tools/Tfb.Benchmarks -- anneal [outDir]`: the default LiCoO2 program
/// (5 C/min to 700 C, 120 min soak, cool at 5 C/min) on the simulated three-zone furnace, unpaced, twice in the
/// same run: the anneal module as shipped, and the baseline (anneal.ctl.baseline: one PID per zone with fixed
/// gains, no feed-forward, no holdback, no ramp rounding). Writes docs/reports/anneal/report.md and PNG plots.
/// </summary>
public static class AnnealBenchmark
{
    public sealed class Result
    {
        public string Name = "";
        public double HoldbackS, RampMaxAllErr, RampMaxAtMin, OvershootAtMin, RampMaxErr, RampRms, CoolMaxErr, CoolRms, Overshoot, SpreadMax, SoakIn2Min, SoakIn10Min, DwellMin, TotalMin;
        public double HostSeconds, AllocPerScan;
        public Series Trace = new();
    }

    public static int Run(string[] args)
    {
        string root = FindRoot();
        string outDir = args.Length > 1 ? args[1] : Path.Combine(root, "docs", "reports", "anneal");
        Directory.CreateDirectory(outDir);
        string board = Path.Combine(root, "boards", "virtual", "line", "anneal.board");
        var shipped = RunOnce(board, "anneal module", baseline: false);
        var baseline = RunOnce(board, "baseline PID", baseline: true);
        Plot(shipped.Trace, Path.Combine(outDir, "anneal-module.png"), "anneal module: default LiCoO2 program");
        Plot(baseline.Trace, Path.Combine(outDir, "anneal-baseline.png"), "baseline: one PID per zone, fixed gains, no holdback");
        string report = Report(shipped, baseline);
        File.WriteAllText(Path.Combine(outDir, "report.md"), report);
        Console.WriteLine(report);
        return 0;
    }

    public static Result RunOnce(string boardFile, string name, bool baseline)
    {
        var rig = new AnnealRig(boardFile, 1);
        if (baseline) rig.Set("anneal.ctl.baseline", "true");
        rig.Run(5);
        var r = new Result { Name = name };
        var trace = r.Trace;
        r.Trace = trace;
        var ctl = rig.Ctl;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        rig.Command(AnnealCommand.Start, 1);
        if (ctl.State != ProgramState.Running) throw new InvalidOperationException("program did not start");
        double sq = 0, cq = 0; int n = 0, cn = 0;
        double dwellStart = -1, dwellEnd = -1;
        long steps = 0;
        long allocBefore = 0;
        double tStart = rig.TimeS;
        while (ctl.State != ProgramState.Idle && rig.TimeS - tStart < 12 * 3600)
        {
            rig.Step();
            steps++;
            if (steps == 1000) allocBefore = GC.GetAllocatedBytesForCurrentThread();
            if (steps % 100 != 0) continue;
            double t = rig.TimeS - tStart;
            double sp = ctl.SetpointC;
            int seg = ctl.Segment;
            if (ctl.HoldbackActive) r.HoldbackS += 1;
            double max = double.MinValue, min = double.MaxValue;
            for (int z = 0; z < ctl.ZoneCount; z++)
            {
                double pv = ctl.Zone(z).PvC;
                max = Math.Max(max, pv);
                min = Math.Min(min, pv);
                double e = pv - sp;
                if (seg == 0 && !ctl.HoldbackActive) r.RampMaxAllErr = Math.Max(r.RampMaxAllErr, Math.Abs(e));
                if (seg == 0 && !ctl.HoldbackActive && sp > 60)
                {
                    if (Math.Abs(e) > r.RampMaxErr) { r.RampMaxErr = Math.Abs(e); r.RampMaxAtMin = t / 60; }
                    sq += e * e; n++;
                }
                if (seg == 2 && sp > 250)
                {
                    r.CoolMaxErr = Math.Max(r.CoolMaxErr, Math.Abs(e));
                    cq += e * e; cn++;
                }
            }
            if (seg == 1)
            {
                if (dwellStart < 0) dwellStart = t;
                dwellEnd = t;
                if (max - 700 > r.Overshoot) { r.Overshoot = max - 700; r.OvershootAtMin = t / 60; }
                r.SpreadMax = Math.Max(r.SpreadMax, max - min);
                if (max <= 702 && min >= 698) r.SoakIn2Min += 1.0 / 60;
                if (max <= 710 && min >= 690) r.SoakIn10Min += 1.0 / 60;
            }
            trace.Add(t / 60, "setpoint C", sp);
            for (int z = 0; z < ctl.ZoneCount; z++) trace.Add(t / 60, "zone" + (z + 1) + " C", ctl.Zone(z).PvC);
            for (int z = 0; z < ctl.ZoneCount; z++) trace.Add(t / 60, "zone" + (z + 1) + " - setpoint C", ctl.Zone(z).PvC - sp);
            for (int z = 0; z < ctl.ZoneCount; z++) trace.Add(t / 60, "zone" + (z + 1) + " output %", ctl.Zone(z).OutputPct);
        }
        long alloc = GC.GetAllocatedBytesForCurrentThread() - allocBefore;
        r.AllocPerScan = (double)alloc / Math.Max(1, steps - 1000);
        r.HostSeconds = sw.Elapsed.TotalSeconds;
        r.RampRms = n > 0 ? Math.Sqrt(sq / n) : double.NaN;
        r.CoolRms = cn > 0 ? Math.Sqrt(cq / cn) : double.NaN;
        r.DwellMin = (dwellEnd - dwellStart) / 60;
        r.TotalMin = (rig.TimeS - tStart) / 60;
        return r;
    }

    /// <summary>Named series sampled at common times (minutes).</summary>
    public sealed class Series
    {
        public readonly Dictionary<string, List<double>> Values = new();
        public readonly List<string> Order = new();
        public readonly List<double> Times = new();
        public void Add(double tMin, string name, double v)
        {
            if (!Values.TryGetValue(name, out var l)) { Values[name] = l = new List<double>(); Order.Add(name); }
            if (Order[0] == name) Times.Add(tMin);
            l.Add(v);
        }
    }

    // Three panels: setpoint and zone temperatures; zone minus setpoint; zone outputs.
    private static void Plot(Series t, string path, string title)
    {
        var multi = new Multiplot();
        multi.AddPlots(3);
        double[] xs = t.Times.ToArray();
        string[] panels = { " C", " - setpoint C", " output %" };
        for (int p = 0; p < 3; p++)
        {
            var plot = multi.GetPlot(p);
            foreach (var name in t.Order)
            {
                bool mine = p == 0 ? (name == "setpoint C" || (name.EndsWith(" C") && !name.Contains(" - "))) : name.EndsWith(panels[p]);
                if (!mine) continue;
                double[] ys = t.Values[name].ToArray();
                var line = plot.Add.ScatterLine(xs[..Math.Min(xs.Length, ys.Length)], ys[..Math.Min(xs.Length, ys.Length)]);
                line.LegendText = name;
                line.LineWidth = 1.2f;
            }
            if (p == 1) plot.Axes.SetLimitsY(-6, 6);
            plot.ShowLegend(Alignment.UpperRight);
            plot.XLabel(p == 2 ? "time (min)" : string.Empty);
            if (p == 0) plot.Title(title);
        }
        multi.SavePng(path, 1400, 900);
    }

    private static string F(double v, int d = 2) => v.ToString("F" + d, CultureInfo.InvariantCulture);
    private static string Ratio(double a, double b) => b > 0 ? F(a / b, 2) : "-";

    private static string Report(Result a, Result b)
    {
        var s = new StringBuilder();
        s.AppendLine("# Anneal benchmark: default LiCoO2 program, anneal module vs baseline PID");
        s.AppendLine();
        s.AppendLine("Command: `dotnet run -c Release --project tools/Tfb.Benchmarks -- anneal` (writes this file and the PNGs).");
        s.AppendLine("Plant: three-zone kiln-sized furnace (sim/Tfb.Plant/Models/FurnaceModel.cs defaults: C_h 500 J/K, C_o 5000 J/K,");
        s.AppendLine("5450 W per zone, R_ho 0.1 K/W, R_o 0.45/0.55/0.5 K/W, radiation eps*A 0.02 m2, TC lag 20 s + 2 s delay,");
        s.AppendLine("0.3 C rms TC noise, 2 s SSR cycle), the firmware on the virtual anneal board at its 10 ms scan, unpaced, seed 1.");
        s.AppendLine("Program 1: `" + AnnealModule.DefaultProgram + "`.");
        s.AppendLine("Baseline: the same board with `anneal.ctl.baseline true`: one PID per zone with fixed gains (the high-temperature");
        s.AppendLine("gains), no gain schedule, no ramp feed-forward, no holdback, no ramp rounding. Errors are zone PV (filtered control");
        s.AppendLine("TC) minus the programmer setpoint, sampled every second. The ramp goal is judged from 60 C on: the first minutes");
        s.AppendLine("start from a cold furnace whose heater must first warm up (that error is in its own row, not hidden). Holdback");
        s.AppendLine("(+-10 C) held the program clock for " + F(a.HoldbackS, 0) + " s in this run (baseline: no holdback). The cooling ramp ends near 200 C, where natural cooling is slower than 5 C/min.");
        s.AppendLine();
        s.AppendLine("| measure | goal | anneal module | baseline | module / baseline |");
        s.AppendLine("|---|---|---|---|---|");
        void Row(string m, string goal, double x, double y, int d = 2) => s.AppendLine($"| {m} | {goal} | {F(x, d)} | {F(y, d)} | {Ratio(x, y)} |");
        Row("heating ramp above 60 C: max abs tracking error, C", "<= 2", a.RampMaxErr, b.RampMaxErr);
        Row("heating ramp incl. the cold start (first 7 min): max abs error, C", "", a.RampMaxAllErr, b.RampMaxAllErr);
        Row("heating ramp: minute of the max error", "", a.RampMaxAtMin, b.RampMaxAtMin, 1);
        Row("heating ramp above 60 C: RMS tracking error, C", "", a.RampRms, b.RampRms);
        Row("overshoot above 700 C in the soak, C", "<= 1", a.Overshoot, b.Overshoot);
        Row("minute of the highest soak temperature", "", a.OvershootAtMin, b.OvershootAtMin, 1);
        Row("zone spread (max - min) in the soak, C", "<= 4 (+-2)", a.SpreadMax, b.SpreadMax);
        Row("soak minutes with every zone within 700 +-2 C", "120", a.SoakIn2Min, b.SoakIn2Min, 1);
        Row("soak minutes with every zone within 700 +-10 C (holdback band)", "120", a.SoakIn10Min, b.SoakIn10Min, 1);
        Row("soak segment length, min", "", a.DwellMin, b.DwellMin, 1);
        Row("cooling ramp above 250 C: max abs tracking error, C", "", a.CoolMaxErr, b.CoolMaxErr);
        Row("cooling ramp above 250 C: RMS error, C", "", a.CoolRms, b.CoolRms);
        Row("program length, min", "", a.TotalMin, b.TotalMin, 1);
        Row("host seconds for the run", "", a.HostSeconds, b.HostSeconds, 1);
        Row("bytes allocated per step, plant + scan (the plant is host code; the scan alone: 0, see AnnealAllocationTests)", "", a.AllocPerScan, b.AllocPerScan, 3);
        s.AppendLine();
        s.AppendLine("Goals are judged on the anneal module only; the ratio column is module / baseline (below 1: the module is better).");
        bool ramp = a.RampMaxErr <= 2, over = a.Overshoot <= 1, spread = a.SpreadMax <= 4;
        s.AppendLine("Goals (anneal module): ramp tracking within +-2 C: " + (ramp ? "met" : "NOT met") + "; overshoot <= 1 C: "
            + (over ? "met" : "NOT met") + "; zone spread <= +-2 C: " + (spread ? "met" : "NOT met") + ".");
        s.AppendLine();
        s.AppendLine("![anneal module](anneal-module.png)");
        s.AppendLine();
        s.AppendLine("![baseline](anneal-baseline.png)");
        return s.ToString();
    }

    private static string FindRoot()
    {
        string? d = AppContext.BaseDirectory;
        while (d != null && !File.Exists(Path.Combine(d, "TfbFirmware.sln"))) d = Path.GetDirectoryName(d);
        return d ?? Directory.GetCurrentDirectory();
    }
}
