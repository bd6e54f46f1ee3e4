#nullable enable
using System.Globalization;
using System.Text;
using ScottPlot;
using Tfb.Boards.Virtual;
using Tfb.Plant.Core;
using Tfb.Plant.Models;
using Tfb.Stations.Web;
using Tfb.VirtualLine;

namespace Tfb.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project tools/Tfb.Benchmarks -- web-bench [seed]`: the web transport controller against
/// the baseline (plain PI tension loop, no feed-forward, no gain scheduling, the same PI gains) on the same plant
/// and seed, on the virtual web board (the firmware's own scan, board file and HAL over the plant). Cases: 0 to full
/// speed ramp, a full 3:1 roll (time-compressed), a bearing-drag step, a tension setpoint step, and a web break.
/// Writes docs/reports/web/report.md and PNG plots there.
/// </summary>
public static class WebBench
{
    private const double FullMpm = 1.0;
    private const double TensionN = 300;

    public static int Run(string[] args)
    {
        ulong seed = args.Length > 1 ? ulong.Parse(args[1], CultureInfo.InvariantCulture) : 1;
        string outDir = Path.Combine(RepoPaths.FindRoot(), "docs", "reports", "web");
        Directory.CreateDirectory(outDir);
        var results = new List<(string Case, string Description, Metrics Ours, Metrics Base)>();
        var wall = System.Diagnostics.Stopwatch.StartNew();

        foreach (var c in Cases())
        {
            var ours = RunCase(c, seed, baseline: false);
            var bas = RunCase(c, seed, baseline: true);
            Plot(c, ours, bas, Path.Combine(outDir, c.Name + ".png"));
            results.Add((c.Name, c.Description, ours.M, bas.M));
            Console.WriteLine($"{c.Name}: ours {ours.M} | baseline {bas.M}");
        }

        var brk = BreakCase(seed);
        Console.WriteLine($"break: permit drop {brk.PermitMs:F0} ms, drum reference falls at {brk.DecelMs:F0} ms, drum at rest {brk.RestMs:F0} ms, drives disabled {brk.DisabledMs:F0} ms");
        string report = Report(results, brk, seed, wall.Elapsed.TotalSeconds);
        File.WriteAllText(Path.Combine(outDir, "report.md"), report);
        Console.WriteLine(report);
        return 0;
    }

    private sealed record Case(string Name, string Description, double DurationS, Action<Rig, double> Event, double MeasureFromS, double MeasureToS, bool FullRoll = false);

    private sealed record Metrics(double Span1PeakPct, double Span1RmsPct, double Span2PeakPct, double Span2RmsPct, double SpeedPeakPct, double SpeedRmsPct, double SpeedSteadyPct)
    {
        public double PeakPct => Math.Max(Span1PeakPct, Span2PeakPct);
        public double RmsPct => Math.Max(Span1RmsPct, Span2RmsPct);
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"tension peak {PeakPct:F3} % rms {RmsPct:F3} %, speed peak {SpeedPeakPct:F4} % steady {SpeedSteadyPct:F4} %");
    }

    private sealed class Series
    {
        public readonly List<double> T = new(), T1 = new(), T2 = new(), Sp1 = new(), Sp2 = new(), V = new(), VRef = new();
        public Metrics M = null!;
    }

    // Time-compressed roll: the radius moves 314x faster than 20 um would move it, so a 3:1 unwind (150 -> 50 mm)
    // empties in about 10 simulated minutes at 1 m/min instead of 52 hours.
    private const double RollScale = 314.2;

    private static IEnumerable<Case> Cases()
    {
        // Every case: thread, run at 0 m/min until tension settles (t = 0..8 s), then its event.
        yield return new Case("ramp", "0 to full speed (1 m/min) with the jerk-limited ramp (10 s), then 10 s at speed",
            30, (r, t) => { if (Near(t, 8)) r.SetSpeed(FullMpm); }, 8, 30);
        yield return new Case("roll", "a full roll at 1 m/min: unwind 150 -> 50 mm, rewind 40 -> 147 mm radius (time-compressed x314)",
            650, (r, t) => { if (Near(t, 8)) r.SetSpeed(FullMpm); if (r.Plant.Bus.Read("web.unwind.radiusM") <= 0.050 && !r.Stopped) r.Stop(); }, 25, 645, FullRoll: true);
        yield return new Case("drag", "bearing-drag step of 1.5 N m on the unwind (10 N at 150 mm, 3.3 % of setpoint) at full speed",
            45, (r, t) => { if (Near(t, 8)) r.SetSpeed(FullMpm); if (Near(t, 30)) r.Plant.Faults.Inject("web.unwind", "drag", r.Plant.TimeS, 1.5); }, 30, 45);
        yield return new Case("setpoint", "splice-like tension setpoint step 300 -> 270 N (ramped at 100 N/s) at full speed",
            45, (r, t) => { if (Near(t, 8)) r.SetSpeed(FullMpm); if (Near(t, 30)) r.SetTension(270); }, 30, 45);
    }

    private static bool Near(double t, double at) => t >= at && t < at + 0.005;

    private sealed class Rig
    {
        public readonly VirtualPlant Plant;
        public readonly SimulatedClock Clock = new();
        public readonly VirtualBoard Board;
        public readonly WebTransportModule Module;
        public bool Stopped;

        public Rig(ulong seed, bool baseline, bool fullRoll)
        {
            Plant = new VirtualPlant(seed);
            var config = WebTransportConfig.Default();
            if (fullRoll) config = config with { RollBuildScale = RollScale };
            WebStation.Add(Plant, config);
            string file = Path.Combine(RepoPaths.FindRoot(), "boards", "virtual", "line", "web.board");
            Board = new VirtualBoard(file, Plant, Clock, (b, def) => new MemoryNvStore(def.SizeBytes));
            Module = (WebTransportModule)Board.Runtime.Module(0);
            Set("web.trim.ff", baseline ? 0 : 1);
            Set("web.trim.gs", baseline ? 0 : 1);
            Set("web.tension.threadN", TensionN);
            Set("web.tension.threadMaxN", 1.5 * TensionN);
            Set("web.speed.setMpm", 0);
            if (fullRoll) Set("web.web.thicknessUm", 20 * RollScale);
            Board.Runtime.Scan.Start(10_000);
        }

        public void Set(string name, double value)
        {
            var s = Board.Runtime.Settings;
            if (!s.TrySetNumber(s.IndexOf(name), value, out var err)) throw new InvalidOperationException($"{name}={value}: {err}");
        }

        public void Post(int code, double v0 = 0)
        {
            if (!Board.Runtime.Scan.Commands.TryPost(code, 9, 0, 0, v0, 0)) throw new InvalidOperationException("queue full");
        }

        public void SetSpeed(double mpm) => Set("web.speed.setMpm", mpm);
        public void SetTension(double n) => Set("web.tension.setN", n);
        public void Stop() { Post(WebCommandCode.Stop); Stopped = true; }

        public static long ScanTicks, ScanCount, ScanMaxTicks;

        public void Step()
        {
            Clock.Advance(10_000);
            Plant.Step(0.01);
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            Board.RunDueScans();
            long dt = System.Diagnostics.Stopwatch.GetTimestamp() - t0;
            ScanTicks += dt;
            ScanCount++;
            if (dt > ScanMaxTicks) ScanMaxTicks = dt;
        }
    }

    private static (Series S, Metrics M) RunCase(Case c, ulong seed, bool baseline)
    {
        var rig = new Rig(seed, baseline, c.FullRoll);
        var s = new Series();
        var c2 = rig.Module.Controller;
        for (int i = 0; i < 20; i++) rig.Step();
        rig.Post(WebCommandCode.Thread);
        for (int i = 0; i < 500; i++) rig.Step(); // 5 s: threading tension (= running tension here)
        rig.Post(WebCommandCode.Run);
        int steps = (int)Math.Round(c.DurationS * 100);
        double e1Max = 0, e2Max = 0, e1Sq = 0, e2Sq = 0, vMax = 0, vSq = 0, steadySum = 0;
        int n = 0, steadyN = 0;
        double residMax = 0, armedS = 0;
        for (int k = 0; k < steps; k++)
        {
            double t = k * 0.01;
            c.Event(rig, t);
            rig.Step();
            if (c2.PlausibilityArmed)
            {
                residMax = Math.Max(residMax, Math.Max(Math.Abs(c2.Span1ResidualN), Math.Abs(c2.Span2ResidualN)));
                armedS += 0.01;
            }
            double t1 = rig.Plant.Bus.Read("web.span1.tensionN");
            double t2 = rig.Plant.Bus.Read("web.span2.tensionN");
            double v = rig.Plant.Bus.Read("web.drum.speedMps");
            if (k % 5 == 0)
            {
                s.T.Add(t); s.T1.Add(t1); s.T2.Add(t2); s.Sp1.Add(c2.Span1SetpointN); s.Sp2.Add(c2.Span2SetpointN);
                s.V.Add(v * 60); s.VRef.Add(c2.SpeedRefMps * 60);
            }
            if (t >= c.MeasureFromS && t <= c.MeasureToS && c2.State == WebState.Run)
            {
                // Tension error against the setpoint in effect (the ramped one during a setpoint change), in % of it.
                double e1 = Math.Abs(t1 - c2.Span1SetpointN) / c2.Span1SetpointN * 100;
                double e2 = Math.Abs(t2 - c2.Span2SetpointN) / c2.Span2SetpointN * 100;
                // Speed: the drum surface against the firmware's reference, in % of full speed.
                double ev = Math.Abs(v - c2.SpeedRefMps) / (FullMpm / 60) * 100;
                e1Max = Math.Max(e1Max, e1); e2Max = Math.Max(e2Max, e2); vMax = Math.Max(vMax, ev);
                e1Sq += e1 * e1; e2Sq += e2 * e2; vSq += ev * ev; n++;
                if (c2.SpeedRefMps == c2.SpeedSetpointMps && c2.SpeedSetpointMps > 0)
                {
                    steadySum = Math.Max(steadySum, Math.Abs(v - c2.SpeedSetpointMps) / c2.SpeedSetpointMps * 100);
                    steadyN++;
                }
            }
        }
        if (c2.Faults != 0) Console.WriteLine($"  {c.Name} {(baseline ? "baseline" : "ours")}: faults 0x{c2.Faults:x} state {c2.State}");
        if (!baseline)
        {
            string line = $"{c.Name}: armed {armedS:F1} s, largest filtered residual {residMax:F1} N, faults 0x{c2.Faults:x}";
            Console.WriteLine("  load-cell plausibility " + line);
            PlausibilityLines.Add(line);
        }
        s.M = new Metrics(e1Max, Math.Sqrt(e1Sq / Math.Max(1, n)), e2Max, Math.Sqrt(e2Sq / Math.Max(1, n)), vMax, Math.Sqrt(vSq / Math.Max(1, n)), steadyN > 0 ? steadySum : double.NaN);
        return (s, s.M);
    }

    private static readonly List<string> PlausibilityLines = new();

    private sealed record BreakResult(double PermitMs, double DecelMs, double RestMs, double DisabledMs, string FinalState, bool Alarm);

    private static BreakResult BreakCase(ulong seed)
    {
        var rig = new Rig(seed, false, false);
        var c = rig.Module.Controller;
        for (int i = 0; i < 20; i++) rig.Step();
        rig.Post(WebCommandCode.Thread);
        for (int i = 0; i < 500; i++) rig.Step();
        rig.Post(WebCommandCode.Run);
        rig.SetSpeed(FullMpm);
        for (int i = 0; i < 2500; i++) rig.Step();
        if (!c.Permit) throw new InvalidOperationException($"no permit at speed: state {c.State} faults 0x{c.Faults:x} ref {c.SpeedRefMps * 60} set {c.SpeedSetpointMps * 60} t1 {c.Span1TensionN} sp {c.Span1SetpointN}");
        rig.Plant.Faults.Inject("web.span1", "break", rig.Plant.TimeS);
        double permit = double.NaN, decel = double.NaN, rest = double.NaN, disabled = double.NaN;
        double last = c.DrumSpeedMps;
        for (int k = 1; k <= 1500; k++)
        {
            rig.Step();
            double ms = k * 10.0;
            if (double.IsNaN(permit) && rig.Plant.Bus.Read("wire.web_ok") == 0) permit = ms;
            if (double.IsNaN(decel) && c.DrumSpeedMps < last) decel = ms;
            if (double.IsNaN(rest) && rig.Plant.Bus.Read("web.drum.speedMps") <= 1e-9) rest = ms;
            if (double.IsNaN(disabled) && rig.Plant.Bus.Read("web.drum.enableCmd") == 0) disabled = ms;
            last = c.DrumSpeedMps;
        }
        return new BreakResult(permit, decel, rest, disabled, c.State.ToString(), rig.Board.Runtime.Alarms.IsActive((int)Tfb.Codes.AlarmCode.WebBreak));
    }

    private static void Plot(Case c, (Series S, Metrics M) ours, (Series S, Metrics M) bas, string path)
    {
        var mp = new Multiplot();
        mp.AddPlots(3);
        void Panel(int i, string label, List<double> a, List<double> b, List<double>? sp, string unit)
        {
            Plot p = mp.GetPlot(i);
            var lb = p.Add.ScatterLine(bas.S.T.ToArray(), b.ToArray());
            lb.LegendText = "baseline (plain PI)";
            lb.LineWidth = 1.2f;
            var la = p.Add.ScatterLine(ours.S.T.ToArray(), a.ToArray());
            la.LegendText = "feed-forward + scheduled PI";
            la.LineWidth = 1.5f;
            if (sp != null)
            {
                var ls = p.Add.ScatterLine(ours.S.T.ToArray(), sp.ToArray());
                ls.LegendText = "setpoint";
                ls.LinePattern = LinePattern.Dashed;
            }
            p.YLabel(unit);
            p.Title(label);
            p.ShowLegend(Alignment.LowerRight);
            if (i == 2) p.XLabel("time after Run (s)");
        }
        Panel(0, $"{c.Name}: span 1 tension (unwind side)", ours.S.T1, bas.S.T1, ours.S.Sp1, "N");
        Panel(1, "span 2 tension (rewind side)", ours.S.T2, bas.S.T2, ours.S.Sp2, "N");
        Panel(2, "line speed (drum surface)", ours.S.V, bas.S.V, ours.S.VRef, "m/min");
        mp.SavePng(path, 1200, 3 * 260);
    }

    private static string F(double v, int d = 3) => double.IsNaN(v) ? "-" : v.ToString("F" + d, CultureInfo.InvariantCulture);

    private static string Report(List<(string Case, string Description, Metrics Ours, Metrics Base)> rs, BreakResult brk, ulong seed, double wallS)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Web transport: controller vs baseline");
        sb.AppendLine();
        sb.AppendLine("Written by `dotnet run -c Release --project tools/Tfb.Benchmarks -- web-bench " + seed + "` (seed " + seed + "); the figures below are what that run printed.");
        sb.AppendLine("Each case runs twice on the same plant and seed: the station's controller (torque feed-forward + PI trim with");
        sb.AppendLine("gains scheduled on diameter) and the baseline (the same PI, fixed gains, no feed-forward). Both run as the");
        sb.AppendLine("firmware on the virtual web board (boards/virtual/line/web.board): 10 ms scan, 24-bit load cells with 12 ms lag");
        sb.AppendLine("and 0.2 N noise, encoder periods from a 1 us capture timer, drives with slew limits and lags.");
        sb.AppendLine("Tension error: |true span tension - setpoint in effect| / setpoint; speed error: |drum surface speed - ramp");
        sb.AppendLine("reference| / full speed (1 m/min); steady speed: |speed - setpoint| / setpoint once the ramp is at the setpoint.");
        sb.AppendLine("Measured only while in Run, over the window each case names.");
        sb.AppendLine();
        sb.AppendLine("| case | controller | span 1 peak % | span 1 RMS % | span 2 peak % | span 2 RMS % | speed peak % | steady speed % |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rs)
        {
            sb.AppendLine($"| {r.Case} | ours | {F(r.Ours.Span1PeakPct)} | {F(r.Ours.Span1RmsPct)} | {F(r.Ours.Span2PeakPct)} | {F(r.Ours.Span2RmsPct)} | {F(r.Ours.SpeedPeakPct, 4)} | {F(r.Ours.SpeedSteadyPct, 4)} |");
            sb.AppendLine($"| {r.Case} | baseline | {F(r.Base.Span1PeakPct)} | {F(r.Base.Span1RmsPct)} | {F(r.Base.Span2PeakPct)} | {F(r.Base.Span2RmsPct)} | {F(r.Base.SpeedPeakPct, 4)} | {F(r.Base.SpeedSteadyPct, 4)} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Ratio to the baseline and goals");
        sb.AppendLine();
        sb.AppendLine("Goals: tension peak <= 2 %, RMS <= 0.5 %, steady speed within +-0.1 %. Ratio = ours / baseline (worse span).");
        sb.AppendLine();
        sb.AppendLine("| case | what | peak % (ratio) | RMS % (ratio) | peak goal | RMS goal | speed goal |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in rs)
        {
            string speedGoal = double.IsNaN(r.Ours.SpeedSteadyPct) ? "-" : (r.Ours.SpeedSteadyPct <= 0.1 ? "met" : "NOT met");
            sb.AppendLine($"| {r.Case} | {r.Description} | {F(r.Ours.PeakPct)} ({F(r.Ours.PeakPct / r.Base.PeakPct, 2)}) | {F(r.Ours.RmsPct)} ({F(r.Ours.RmsPct / r.Base.RmsPct, 2)}) | {(r.Ours.PeakPct <= 2 ? "met" : "NOT met")} | {(r.Ours.RmsPct <= 0.5 ? "met" : "NOT met")} | {speedGoal} |");
        }
        sb.AppendLine();
        sb.AppendLine("Plots: " + string.Join(", ", rs.Select(r => $"[{r.Case}]({r.Case}.png)")) + " (tension of both spans and line speed, both controllers).");
        sb.AppendLine();
        sb.AppendLine("## Web break at full speed");
        sb.AppendLine();
        sb.AppendLine($"Span 1 breaks at t = 0 (300 N, 1 m/min). Sputter permit (wire.web_ok) off after {F(brk.PermitMs, 0)} ms; drum reference starts");
        sb.AppendLine($"down at {F(brk.DecelMs, 0)} ms; drum at rest after {F(brk.RestMs, 0)} ms; drives disabled after {F(brk.DisabledMs, 0)} ms. Final state {brk.FinalState},");
        sb.AppendLine($"WebBreak (2001) active: {(brk.Alarm ? "yes" : "NO")}. The permit needs the tension within +-10 % of setpoint, so it drops as soon as");
        sb.AppendLine("the collapsing tension leaves that band, before the break is confirmed (40 ms filter) and the drives begin their stop;");
        sb.AppendLine("in the scan a fault latches, the permit output is written before the drive outputs. It never comes back by itself.");
        sb.AppendLine();
        sb.AppendLine("## Load-cell plausibility (alarm 2009) on healthy runs");
        sb.AppendLine();
        sb.AppendLine("The residual (filtered load-cell reading minus the roll's torque-balance tension, the larger of both spans) while");
        sb.AppendLine("the check is armed, per case of the station's controller; it trips above web.fault.driftN (30 N) for 2 s:");
        sb.AppendLine();
        foreach (var l in PlausibilityLines) sb.AppendLine("- " + l);
        sb.AppendLine();
        sb.AppendLine("## Reading these figures");
        sb.AppendLine();
        sb.AppendLine("- The process drum is a speed-mode drive in the plant (its kHz loop holds w = v_ref / R exactly, after a 5 ms lag and a");
        sb.AppendLine("  0.05 m/s2 slew), so the speed error is the drive's lag during the ramp and is the same for both controllers; the");
        sb.AppendLine("  firmware's own speed measurement (encoder periods) is not what is scored.");
        sb.AppendLine("- The drag step is a torque disturbance that reaches the web within the roll-web resonance (about 18 Hz on a full");
        sb.AppendLine("  roll) and the load cell's 12 ms lag: no tension loop on a 10 ms scan can catch its first peak, so both controllers");
        sb.AppendLine("  show about twice the static 10 N. The peak goal is not met for a step of this size; the trim removes the offset within");
        sb.AppendLine("  about a second. Feed-forward cannot know an unmodelled drag, so the ratio is near 1.");
        sb.AppendLine("- Both controllers use the same PI gains (web.trim.kp 0.005 N m/N at 100 mm, web.trim.tiS 0.02 s): the gain is kept low");
        sb.AppendLine("  because the roll-web resonance is lightly damped; the baseline at a full roll therefore has a lower crossover.");
        sb.AppendLine();
        double meanUs = Rig.ScanTicks * 1e6 / System.Diagnostics.Stopwatch.Frequency / Math.Max(1, Rig.ScanCount);
        double maxUs = Rig.ScanMaxTicks * 1e6 / System.Diagnostics.Stopwatch.Frequency;
        sb.AppendLine($"Host time of one whole web-board scan (inputs, web task, snapshot, watchdog) over {Rig.ScanCount} scans of this run:");
        sb.AppendLine($"mean {F(meanUs, 1)} us, max {F(maxUs, 0)} us (the max includes JIT and GC pauses of the host). On nanoFramework, at 6-20 us");
        sb.AppendLine("per managed call (the architecture's figure for nanoFramework) and roughly 250 calls per run of the web task, expect 1.5-5 ms: the task's budget");
        sb.AppendLine("is 4000 us of the 10 ms scan. An estimate, not measured on a device.");
        sb.AppendLine();
        sb.AppendLine($"Host wall time of the whole run: {F(wallS, 1)} s.");
        return sb.ToString();
    }
}
