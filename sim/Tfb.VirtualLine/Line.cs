using Tfb.Boards;
using Tfb.Boards.Virtual;
using Tfb.Hal;
using Tfb.Plant.Core;
using Tfb.Plant.Models;
using Tfb.Plant.Scenarios;

namespace Tfb.VirtualLine;

/// <summary>What a virtual line is made of.</summary>
public sealed record LineOptions
{
    /// <summary>Folder of host board definitions; every *.board in it becomes a board.</summary>
    public required string BoardsDir { get; init; }
    /// <summary>Plant seed: the same seed and inputs give the same run, bit for bit.</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Lockstep period (= every board's scan period), microseconds.</summary>
    public int PeriodUs { get; init; } = 10_000;
    /// <summary>Folder for the boards' NV partition files; null keeps them in RAM (scenarios, tests).</summary>
    public string? StateDir { get; init; }
}

/// <summary>
/// The virtual line in lockstep: each <see cref="Step"/> advances simulated time by one period, steps the plant,
/// and runs one scan of every board (which latches the plant's readings through its HAL and writes its commands
/// back for the next plant step). Nothing here reads the wall clock: pacing is the caller's (<see cref="Pacer"/>).
/// </summary>
public sealed class Line : IScenarioConsole, IScenarioAlarms, IScenarioBoards
{
    private readonly List<VirtualBoard> _boards = [];
    private readonly Dictionary<(string Board, string Partition), INvStore> _nv = new();

    /// <summary>Builds the plant and boots every board.</summary>
    public Line(LineOptions options)
    {
        Options = options;
        Clock = new SimulatedClock();
        Plant = VirtualLinePlant.Build(options.Seed);
        var files = Directory.GetFiles(options.BoardsDir, "*.board").OrderBy(f => StationOrder(f)).ThenBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new InvalidOperationException($"no *.board files in {options.BoardsDir}");
        foreach (var f in files) _boards.Add(new VirtualBoard(f, Plant, Clock, NvFor));
        _files = files;
        foreach (var b in _boards) b.Runtime.Scan.Start(options.PeriodUs);
    }

    // Boards in line order (web, sputter, anneal, sheet test) so consoles get stable ports.
    private static int StationOrder(string file)
    {
        string n = Path.GetFileNameWithoutExtension(file);
        return n switch { "web" => 0, "sputter" => 1, "anneal" => 2, "sheettest" => 3, _ => 9 };
    }

    private readonly List<string> _files;

    // One NV partition per board and name for the life of the line: a board reset finds what it stored.
    private INvStore NvFor(string board, NvPartitionDef def)
    {
        lock (_nv)
        {
            if (_nv.TryGetValue((board, def.Name), out var existing)) return existing;
            INvStore store;
            if (Options.StateDir == null) store = new MemoryNvStore(def.SizeBytes);
            else store = new FileNvStore(Path.Combine(Options.StateDir, board, Path.GetFileName(def.Path ?? def.Name + ".nv")), def.SizeBytes);
            _nv[(board, def.Name)] = store;
            return store;
        }
    }

    /// <summary>
    /// A power cycle of one board: its outputs de-energize, its RAM (logs, unsaved settings, sessions) is gone,
    /// and the firmware boots again on the same NV partitions and starts scanning at the next period. The MQTT
    /// side (<see cref="LineMqtt.ResetBoard"/>) also drops the old session without a DISCONNECT.
    /// </summary>
    public VirtualBoard ResetBoard(string name)
    {
        int i = _boards.FindIndex(b => b.Name == name);
        if (i < 0) throw new InvalidOperationException($"no board '{name}'");
        _boards[i].Io.AllOutputsSafe();
        var fresh = new VirtualBoard(_files[i], Plant, Clock, NvFor);
        fresh.Runtime.Scan.Start(Clock.NowMicros + Options.PeriodUs);
        _boards[i] = fresh;
        return fresh;
    }

    /// <summary>How the line was built.</summary>
    public LineOptions Options { get; }
    /// <summary>The simulated clock every board reads.</summary>
    public SimulatedClock Clock { get; }
    /// <summary>The plant.</summary>
    public VirtualPlant Plant { get; }
    /// <summary>The boards, in line order.</summary>
    public IReadOnlyList<VirtualBoard> Boards => _boards;
    /// <summary>Steps taken.</summary>
    public long Steps { get; private set; }
    /// <summary>Simulated seconds.</summary>
    public double TimeS => Clock.NowMicros / 1e6;

    /// <summary>The board called <paramref name="name"/>, or null.</summary>
    public VirtualBoard? Board(string name) => _boards.FirstOrDefault(b => b.Name == name);

    /// <summary>One lockstep period: time, plant, one scan of every board.</summary>
    public void Step()
    {
        Clock.Advance(Options.PeriodUs);
        Plant.Step(Options.PeriodUs / 1e6);
        // Pin-change interrupts happen within the plant step, before any board scans (the fast interlock path).
        foreach (var b in _boards) b.Io.FirePinChanges();
        foreach (var b in _boards) b.RunDueScans();
        Steps++;
    }

    /// <inheritdoc />
    public void SendLine(string board, string text) => Require(board).TypeLine(text);

    /// <inheritdoc />
    public bool OutputContains(string board, string text) => Require(board).ScenarioLink.Output.Contains(text, StringComparison.Ordinal);

    /// <inheritdoc />
    public bool IsAlarmActive(string board, int code) => Require(board).Runtime.Alarms.IsActive(code);

    /// <inheritdoc />
    public bool HasBoard(string board) => Board(board) != null;

    private VirtualBoard Require(string name) => Board(name) ?? throw new InvalidOperationException($"no board '{name}' on this line");
}
