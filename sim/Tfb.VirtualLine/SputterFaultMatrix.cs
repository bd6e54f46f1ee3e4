using System.Globalization;
using System.Text;
using Tfb.Codes;
using Tfb.Stations.Sputter;

namespace Tfb.VirtualLine;

/// <summary>One cell of the sputter fault-injection matrix: a condition injected in a state.</summary>
public sealed record SputterMatrixCell
{
    /// <summary>Condition kind (<see cref="InterlockMatrix"/>).</summary>
    public required int Kind { get; init; }
    /// <summary>State the fault was injected in (<see cref="SputterState"/>).</summary>
    public required int State { get; init; }
    /// <summary>False when the matrix does not arm the condition in this state (no output that needs it is on).</summary>
    public bool Armed { get; init; }
    /// <summary>RF enable was on when the fault was injected.</summary>
    public bool RfWasOn { get; init; }
    /// <summary>RF enable (the plant's rfOnCmd) went off after the fault (or stayed off when it was off).</summary>
    public bool RfOff { get; init; }
    /// <summary>Scans the board ran between the fault and RF enable going off (0: the pin-change path, before any scan); -1 when RF was off.</summary>
    public int LatencyScans { get; init; } = -1;
    /// <summary>Simulated ms from the fault to RF enable off (quantised to the 10 ms lockstep period); NaN when RF was off.</summary>
    public double LatencyMs { get; init; } = double.NaN;
    /// <summary>The expected code latched.</summary>
    public bool Latched { get; init; }
    /// <summary>The trip record of the expected code came from the fast path.</summary>
    public bool FastPath { get; init; }
    /// <summary>Simulated ms from the fault to the trip latch; NaN when none.</summary>
    public double TripMs { get; init; } = double.NaN;
    /// <summary>After the fault was cleared: RF stayed off and the trip stayed latched until the reset; a start was refused.</summary>
    public bool HeldUntilReset { get; init; }
    /// <summary>A reset while the fault was present was refused, and one after it was cleared succeeded without re-energizing RF.</summary>
    public bool ResetBehaved { get; init; }
    /// <summary>RF enable was never on after the fault (for unarmed cells: the fault blocks or does not matter).</summary>
    public bool RfNeverOnAfter { get; init; }
    /// <summary>Codes latched by the end of the observation (consequences included).</summary>
    public string LatchedCodes { get; init; } = "";
    /// <summary>What went wrong, empty when the cell passed.</summary>
    public string Problem { get; init; } = "";

    /// <summary>True when the cell shows what the issue demands (armed: drop, latch, hold, reset; unarmed: RF stays off).</summary>
    public bool Pass => Problem.Length == 0;
}

/// <summary>
/// The sputter station's fault-injection matrix on the virtual line: every interlock condition of cathode rf1 (and
/// the station) x every state, each cell a fresh line from the same seed with time-compressed settings (fast ramps,
/// 1 s pre-sputter), the fault injected through the plant, RF enable watched on the plant side. Used by the test
/// (which asserts every cell) and the benchmark (which prints the table into docs/reports/sputter/report.md).
/// </summary>
public static class SputterFaultMatrix
{
    /// <summary>States in matrix order.</summary>
    public static readonly int[] States =
    {
        SputterState.Idle, SputterState.Pumping, SputterState.PreSputter, SputterState.Ramping,
        SputterState.Sputtering, SputterState.RampingDown, SputterState.Maintenance,
    };

    /// <summary>Boards folder with only the sputter board (so nothing but the matrix drives <c>wire.web_ok</c>).</summary>
    public static string SputterOnlyBoards(string lineBoardsDir)
    {
        string dir = Path.Combine(Path.GetTempPath(), "tfb-sputter-only-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(lineBoardsDir, "sputter.board"), Path.Combine(dir, "sputter.board"), true);
        return dir;
    }

    /// <summary>A sputter-only line from <paramref name="seed"/>, web permit made, time-compressed settings.</summary>
    public static (Line Line, VirtualBoard Board, SputterModule Module) CreateLine(string boardsDir, ulong seed, bool compressed)
    {
        var line = new Line(new LineOptions { BoardsDir = boardsDir, Seed = seed });
        var board = line.Board("sputter") ?? throw new InvalidOperationException("no sputter board");
        var module = (SputterModule)board.Runtime.Module(0);
        line.Plant.Bus.Write("wire.web_ok", 1);
        if (compressed)
        {
            Set(board, "sputter.maxRampWPerCm2Min", 30);
            Set(board, "sputter.recipe.licoo2.rampWPerCm2Min", 10);
            Set(board, "sputter.recipe.licoo2.preSputterS", 1);
            Set(board, "sputter.recipe.licoo2.powerW", 60);
            Set(board, "sputter.maintenanceTimeoutS", 60);
        }
        for (int i = 0; i < 10; i++) line.Step();
        return (line, board, module);
    }

    /// <summary>Sets a numeric setting or throws.</summary>
    public static void Set(VirtualBoard board, string name, double value)
    {
        int i = board.Runtime.Settings.IndexOf(name);
        if (i < 0 || !board.Runtime.Settings.TrySetNumber(i, value, out ErrorCode e)) throw new InvalidOperationException($"setting {name}={value}");
    }

    private static bool Post(VirtualBoard b, int code, int arg0 = 0, double value0 = 0) =>
        b.Runtime.Scan.Commands.TryPost(code, 9, arg0, 0, value0, 0);

    private static bool StepUntil(Line line, Func<bool> done, int max)
    {
        for (int i = 0; i < max; i++)
        {
            if (done()) return true;
            line.Step();
        }
        return done();
    }

    /// <summary>Drives a fresh line to <paramref name="state"/> (LiCoO2 on rf1; maintenance: Ar 40 sccm and 45 W by hand).</summary>
    public static void DriveTo(Line line, VirtualBoard b, SputterModule m, int state)
    {
        if (state == SputterState.Idle) return;
        if (state == SputterState.Maintenance)
        {
            Post(b, SputterModule.CmdMode, SputterMode.Maintenance);
            line.Step(); line.Step();
            Post(b, SputterModule.CmdGas, SputterGas.Ar, 40);
            for (int i = 0; i < 600; i++) line.Step();
            Post(b, SputterModule.CmdPower, 0, 45);
            if (!StepUntil(line, () => m.Plasma(0) && m.SetpointW(0) >= 44.9, 3000)) throw new InvalidOperationException("maintenance RF did not light");
            for (int i = 0; i < 100; i++) line.Step();
            return;
        }
        Post(b, SputterModule.CmdStart, SputterRecipe.LiCoO2);
        if (state == SputterState.RampingDown)
        {
            if (!StepUntil(line, () => m.State == SputterState.Sputtering, 6000)) throw new InvalidOperationException("never sputtering");
            for (int i = 0; i < 20; i++) line.Step();
            Post(b, SputterModule.CmdStop);
        }
        if (!StepUntil(line, () => m.State == state, 6000)) throw new InvalidOperationException($"never reached {SputterState.Name(state)}");
        // Into the state a little (ramping: past the strike, so the plasma is lit).
        int settle = state == SputterState.Ramping ? 80 : state == SputterState.Pumping ? 50 : 20;
        for (int i = 0; i < settle && m.State == state; i++) line.Step();
    }

    /// <summary>Plant action that makes condition <paramref name="kind"/> of rf1 unhealthy, and the one that repairs it.</summary>
    public static (Action<Line> Inject, Action<Line> Clear, string Text) Fault(int kind, int state)
    {
        void F(Line l, string cmd) => l.Plant.Faults.Execute(cmd, l.Plant.TimeS);
        return kind switch
        {
            InterlockMatrix.Door => (l => F(l, "inject sputter.door open"), l => F(l, "clear sputter.door"), "sputter.door open"),
            InterlockMatrix.WebPermit => (l => l.Plant.Bus.Write("wire.web_ok", 0), l => l.Plant.Bus.Write("wire.web_ok", 1), "wire.web_ok = 0"),
            InterlockMatrix.PressureHigh => (l => F(l, "inject sputter.chamber leak 2"), l => F(l, "clear sputter.chamber"), "sputter.chamber leak 2"),
            InterlockMatrix.PressureLow => (l => F(l, "inject sputter.chamber throttleopen"), l => F(l, "clear sputter.chamber"), "sputter.chamber throttleopen"),
            InterlockMatrix.GasFlow => (l => F(l, "inject sputter.gas.ar drift 0.8"), l => F(l, "clear sputter.gas.ar"), "sputter.gas.ar drift 0.8"),
            InterlockMatrix.WaterFlow => (l => F(l, "inject sputter.rf1 coolingloss"), l => F(l, "clear sputter.rf1"), "sputter.rf1 coolingloss"),
            InterlockMatrix.GenInterlock => (l => F(l, "inject sputter.rf1 genloop"), l => F(l, "clear sputter.rf1"), "sputter.rf1 genloop"),
            InterlockMatrix.GenOvertemp => (l => F(l, "inject sputter.rf1 genovertemp"), l => F(l, "clear sputter.rf1"), "sputter.rf1 genovertemp"),
            InterlockMatrix.WaterReturn => (l => F(l, "inject sputter.rf1 chillerfail 20"), l => F(l, "clear sputter.rf1"), "sputter.rf1 chillerfail 20"),
            InterlockMatrix.Reflected => (l => F(l, "inject sputter.rf1 detune 0.4"), l => F(l, "clear sputter.rf1"), "sputter.rf1 detune 0.4"),
            InterlockMatrix.ArcLockout => (l => F(l, "inject sputter.rf1 arcstorm 30"), l => F(l, "clear sputter.rf1"), "sputter.rf1 arcstorm 30"),
            InterlockMatrix.StrikeLockout => (l => F(l, "inject sputter.rf1 nostrike"), l => F(l, "clear sputter.rf1"), "sputter.rf1 nostrike (lockout count 1)"),
            InterlockMatrix.Readback => (l => F(l, "inject sputter.rf1.forwardReadback dropout"), l => F(l, "clear sputter.rf1.forwardReadback"), "sputter.rf1.forwardReadback dropout"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>Runs one cell on a fresh line.</summary>
    public static SputterMatrixCell RunCell(string boardsDir, ulong seed, int kind, int state)
    {
        var (line, b, m) = CreateLine(boardsDir, seed, compressed: true);
        if (kind == InterlockMatrix.StrikeLockout) Set(b, "sputter.strikeLockoutCount", 1);
        DriveTo(line, b, m, state);
        int code = InterlockMatrix.CodeOf(kind, 0);
        int index = InterlockMatrix.IndexOf(kind, 0);
        var rfOn = line.Plant.Bus.Get("sputter.rf1.rfOnCmd");
        bool rfWasOn = rfOn.Value >= 0.5;
        var (inject, clear, _) = Fault(kind, state);
        int period = line.Options.PeriodUs;
        long t0 = line.Clock.NowMicros;
        int tripsBefore = m.Trips.Total;
        inject(line);

        // Step by hand (what Line.Step does) to see whether the pin-change path dropped RF before the scan ran.
        int scans = 0;
        int latencyScans = -1;
        double latencyMs = double.NaN;
        double tripMs = double.NaN;
        bool everOnAfter = false;
        bool armedSeen = false;
        const int observe = 2500; // 25 s: a latent fault waits for the ramp, the 5 s blanking and 3 s sustained
        for (int i = 0; i < observe; i++)
        {
            line.Clock.Advance(period);
            line.Plant.Step(period / 1e6);
            b.Io.FirePinChanges();
            if (rfWasOn && latencyScans < 0 && rfOn.Value < 0.5) { latencyScans = scans; latencyMs = (line.Clock.NowMicros - t0) / 1000.0; }
            scans += b.RunDueScans();
            if (rfWasOn && latencyScans < 0 && rfOn.Value < 0.5) { latencyScans = scans; latencyMs = (line.Clock.NowMicros - t0) / 1000.0; }
            if (rfOn.Value >= 0.5 && !rfWasOn) everOnAfter = true;
            if (rfOn.Value >= 0.5 && rfWasOn && latencyScans >= 0) everOnAfter = true;
            if ((m.LatchedMask & (1 << index)) != 0 && double.IsNaN(tripMs)) tripMs = (line.Clock.NowMicros - t0) / 1000.0;
            if (!double.IsNaN(tripMs) && (!rfWasOn || latencyScans >= 0) && i > 50) break;
        }
        bool latched = (m.LatchedMask & (1 << index)) != 0;
        bool armed = latched || InterlockMatrix.IsHardWired(kind);
        // A fault that only shows with RF on (reflected, arcs, strike) lets the run go on until RF is on: it must
        // then trip like an armed one.
        bool latent = !rfWasOn && everOnAfter;
        if (latent) everOnAfter = rfOn.Value >= 0.5;
        armedSeen = armed;
        bool fast = false;
        var rec = new TripRecord();
        for (int age = 0; age < m.Trips.Total - tripsBefore && m.Trips.TryGet(age, rec); age++)
        {
            if (rec.Code == code && rec.FastPath) fast = true;
        }

        bool held = true;
        bool resetOk = true;
        string problem = "";
        if (latched)
        {
            // While the fault is present a reset is refused (lockouts: they are cleared by the operator once RF is off).
            bool lockout = kind == InterlockMatrix.ArcLockout || kind == InterlockMatrix.StrikeLockout;
            if (!lockout && (m.UnhealthyMask & (1 << index)) != 0 && InterlockMatrix.IsHardWired(kind))
            {
                if (m.TryResetAlarm(code, out ErrorCode e1) || e1 != ErrorCode.ConditionPresent) resetOk = false;
            }
            clear(line);
            for (int i = 0; i < 300; i++)
            {
                line.Step();
                if (rfOn.Value >= 0.5) held = false;
            }
            if ((m.LatchedMask & (1 << index)) == 0) held = false;
            // A start while latched is refused by the scan: the station stays idle.
            Post(b, SputterModule.CmdStart, SputterRecipe.LiCoO2);
            for (int i = 0; i < 20; i++) line.Step();
            if (m.State != SputterState.Idle && m.State != SputterState.Maintenance) held = false;
            if (rfOn.Value >= 0.5) held = false;
            // A valid reset: accepted, unlatches, re-energizes nothing.
            if (!m.TryResetAlarm(code, out ErrorCode e2)) { resetOk = false; problem += $"reset refused ({e2}) after repair; "; }
            for (int i = 0; i < 100; i++)
            {
                line.Step();
                if (rfOn.Value >= 0.5) resetOk = false;
            }
            if ((m.LatchedMask & (1 << index)) != 0) resetOk = false;
        }

        string codes = "";
        int mask = m.LatchedMask;
        for (int i = 0; i < m.ConditionCount; i++) if ((mask & (1 << i)) != 0) codes += (codes.Length > 0 ? " " : "") + m.CodeOfCondition(i);

        bool rfOff = rfOn.Value < 0.5 || latencyScans >= 0;
        if (armed)
        {
            if (rfWasOn && latencyScans < 0) problem += "RF enable never dropped; ";
            if (!latched) problem += $"code {code} not latched; ";
            if (!held) problem += "RF re-energized or trip cleared before a reset; ";
            if (!resetOk) problem += "reset misbehaved; ";
            if (everOnAfter) problem += "RF came back on after the drop; ";
        }
        else if (everOnAfter && !rfWasOn) problem += "RF came on with the fault present; ";
        if (latent && !latched) problem += "RF came on with the fault present and never tripped; ";

        return new SputterMatrixCell
        {
            Kind = kind,
            State = state,
            Armed = armedSeen,
            RfWasOn = rfWasOn,
            RfOff = rfOff,
            LatencyScans = latencyScans,
            LatencyMs = latencyMs,
            Latched = latched,
            FastPath = fast,
            TripMs = tripMs,
            HeldUntilReset = latched && held,
            ResetBehaved = latched && resetOk,
            RfNeverOnAfter = !everOnAfter,
            LatchedCodes = codes,
            Problem = problem,
        };
    }

    /// <summary>Every condition kind x every state.</summary>
    public static List<SputterMatrixCell> RunAll(string boardsDir, ulong seed)
    {
        var cells = new List<SputterMatrixCell>();
        for (int kind = 0; kind < InterlockMatrix.Kinds; kind++)
        {
            foreach (int state in States) cells.Add(RunCell(boardsDir, seed, kind, state));
        }
        return cells;
    }

    /// <summary>The matrix as a Markdown table: rows conditions, columns states.</summary>
    public static string ToMarkdown(IReadOnlyList<SputterMatrixCell> cells)
    {
        var sb = new StringBuilder();
        sb.Append("| condition (code) | fault injected |");
        foreach (int s in States) sb.Append(' ').Append(SputterState.Name(s)).Append(" |");
        sb.AppendLine();
        sb.Append("|---|---|");
        foreach (int _ in States) sb.Append("---|");
        sb.AppendLine();
        for (int kind = 0; kind < InterlockMatrix.Kinds; kind++)
        {
            sb.Append("| ").Append(InterlockMatrix.KindName(kind)).Append(" (").Append(InterlockMatrix.CodeOf(kind, 0)).Append(") | `")
              .Append(Fault(kind, 0).Text).Append("` |");
            foreach (int s in States)
            {
                var c = cells.First(x => x.Kind == kind && x.State == s);
                sb.Append(' ').Append(CellText(c)).Append(" |");
            }
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>Short text of a cell: latency scans/ms, L (latched), F (fast path), H (held), R (reset ok), or n/a.</summary>
    public static string CellText(SputterMatrixCell c)
    {
        if (!c.Pass) return "**FAIL** " + c.Problem.Trim();
        if (!c.Latched) return c.RfNeverOnAfter ? "n/a (RF off, not armed)" : "n/a";
        string lat = c.RfWasOn ? $"{c.LatencyScans} sc/{c.LatencyMs.ToString("0", CultureInfo.InvariantCulture)} ms" : "RF off";
        return $"{lat} L{(c.FastPath ? " F" : "")} H R";
    }
}
