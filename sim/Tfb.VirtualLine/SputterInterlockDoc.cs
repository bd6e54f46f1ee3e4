using System.Text;
using Tfb.Stations.Sputter;

namespace Tfb.VirtualLine;

/// <summary>
/// docs/interlocks.md rendered from the firmware's own <see cref="InterlockMatrix"/> data (the benchmark's sputter
/// mode writes it; a test holds the file equal to this rendering, so the document cannot drift from the code).
/// </summary>
public static class SputterInterlockDoc
{
    /// <summary>The whole document.</summary>
    public static string Render()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Interlock matrix: sputter station");
        sb.AppendLine();
        sb.AppendLine("Generated from `firmware/src/Stations/Sputter/InterlockMatrix.cs` (the table the firmware evaluates every scan) by");
        sb.AppendLine("`dotnet run -c Release --project tools/Tfb.Benchmarks -- sputter`; `SputterInterlockDocTests` fails when this file and the");
        sb.AppendLine("data differ. Commissioning and the interlock test procedure: docs/sputter.md. Codes: docs/codes/alarms.csv.");
        sb.AppendLine();
        sb.AppendLine("How the firmware uses it, every 10 ms scan: each output is energized only when (1) the sequence requests it, (2) the");
        sb.AppendLine("current state is one it is allowed in, and (3) none of its required conditions is latched (nor a hard-wired one");
        sb.AppendLine("unhealthy). A condition is *armed* while an output that requires it is requested; hard-wired conditions are armed in");
        sb.AppendLine("every state once seen healthy since boot. An armed condition that stays unhealthy past its debounce (or is unreadable:");
        sb.AppendLine("at once) latches: alarm with its code and the value, a post-mortem record (code, value, time, state, fast path), the");
        sb.AppendLine("run ends and every output de-energizes. A hard-wired input declared `irq=yes` also drops the RF enable, setpoint and");
        sb.AppendLine("shutter of every cathode whose RF requires it from the pin-change callback, before the next scan. A latched trip");
        sb.AppendLine("clears only by an operator reset (console `alarms reset <code>`, technician) while its condition reads healthy (the");
        sb.AppendLine("window minimum counts as healthy while no RF is requested); a reset never re-energizes anything: a run needs a new");
        sb.AppendLine("start. Lockouts (arcs, strike failures) are cleared by that reset once RF is off. Nothing received over MQTT resets or bypasses a");
        sb.AppendLine("condition (no such binding exists; limits are engineer settings that MQTT cannot write, with ranges that cannot");
        sb.AppendLine("switch a condition off).");
        sb.AppendLine();
        sb.AppendLine("## Conditions");
        sb.AppendLine();
        sb.AppendLine("| condition | code (station / rf1 / rf2) | hard-wired, fast path | debounce | healthy when |");
        sb.AppendLine("|---|---|---|---|---|");
        for (int kind = 0; kind < InterlockMatrix.Kinds; kind++)
        {
            string codes = InterlockMatrix.IsCathodeKind(kind)
                ? $"{InterlockMatrix.CodeOf(kind, 0)} / {InterlockMatrix.CodeOf(kind, 1)}"
                : InterlockMatrix.CodeOf(kind, 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
            int d = InterlockMatrix.DebounceMs(kind);
            string deb = d < 0 ? "setting" : d == 0 ? "none (count or unreadable)" : d + " ms";
            sb.AppendLine($"| {InterlockMatrix.KindName(kind)} | {codes} | {(InterlockMatrix.IsHardWired(kind) ? "yes" : "no")} | {deb} | {InterlockMatrix.KindText(kind)} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Outputs: required conditions");
        sb.AppendLine();
        sb.Append("| output | I/O |");
        for (int kind = 0; kind < InterlockMatrix.Kinds; kind++) sb.Append(' ').Append(InterlockMatrix.KindName(kind)).Append(" |");
        sb.AppendLine();
        sb.Append("|---|---|");
        for (int kind = 0; kind < InterlockMatrix.Kinds; kind++) sb.Append("---|");
        sb.AppendLine();
        for (int o = 0; o < InterlockMatrix.OutputKinds; o++)
        {
            sb.Append($"| {InterlockMatrix.OutputName(o)} | `{InterlockMatrix.OutputIo(o)}` |");
            for (int kind = 0; kind < InterlockMatrix.Kinds; kind++) sb.Append(InterlockMatrix.Requires(o, kind) ? " X |" : " |");
            sb.AppendLine();
        }
        sb.AppendLine();
        sb.AppendLine("Cathode conditions of an RF enable or shutter are that cathode's own.");
        sb.AppendLine();
        sb.AppendLine("## Outputs: states they may be on in");
        sb.AppendLine();
        sb.Append("| output |");
        for (int s = 0; s < SputterState.Count; s++) sb.Append(' ').Append(SputterState.Name(s)).Append(" |");
        sb.AppendLine(" sequence rules on top |");
        sb.Append("|---|");
        for (int s = 0; s < SputterState.Count; s++) sb.Append("---|");
        sb.AppendLine("---|");
        for (int o = 0; o < InterlockMatrix.OutputKinds; o++)
        {
            sb.Append($"| {InterlockMatrix.OutputName(o)} |");
            for (int s = 0; s < SputterState.Count; s++) sb.Append(InterlockMatrix.AllowedIn(o, s) ? " allowed |" : " off |");
            sb.AppendLine($" {InterlockMatrix.OutputSequence(o)} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Proof on the virtual line");
        sb.AppendLine();
        sb.AppendLine("The fault-injection matrix (every condition x every state, same seed) is in docs/reports/sputter/report.md and is");
        sb.AppendLine("asserted cell by cell by `SputterFaultMatrixTests` in every CI run.");
        return sb.ToString();
    }
}
