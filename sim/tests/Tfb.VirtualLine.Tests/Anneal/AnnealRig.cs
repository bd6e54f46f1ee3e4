#nullable enable
using Tfb.Boards;
using Tfb.Boards.Virtual;
using Tfb.Hal;
using Tfb.Plant.Core;
using Tfb.Plant.Models;
using Tfb.Stations.Anneal;
using Tfb.VirtualLine;

namespace Tfb.Anneal.Rig;

/// <summary>
/// The anneal board alone on a furnace plant, in lockstep (the virtual line without the other stations, so hours of
/// furnace time run in seconds). A power failure de-energizes the board and the heaters for a given time while the
/// plant keeps cooling, then boots the firmware again on the same NV partitions (what Line.ResetBoard does, with
/// an off time). Shared by the anneal tests and the anneal benchmark.
/// </summary>
public sealed class AnnealRig
{
    private readonly string _boardFile;
    private readonly Dictionary<string, INvStore> _nv = new();

    public AnnealRig(string boardFile, ulong seed = 1, Action<VirtualBoard>? configure = null)
    {
        _boardFile = boardFile;
        Configure = configure;
        Clock = new SimulatedClock();
        Plant = new VirtualPlant(seed);
        Furnace = FurnaceModel.AddStation(Plant);
        Board = Boot();
    }

    public const int PeriodUs = 10_000;
    public SimulatedClock Clock { get; }
    public VirtualPlant Plant { get; }
    public FurnaceModel Furnace { get; }
    public VirtualBoard Board { get; private set; }
    public Action<VirtualBoard>? Configure { get; }
    public AnnealModule Module => (AnnealModule)Board.Runtime.Module(0);
    public AnnealController Ctl => Module.Controller;
    public double TimeS => Clock.NowMicros / 1e6;

    private VirtualBoard Boot()
    {
        var b = new VirtualBoard(_boardFile, Plant, Clock, (board, def) =>
        {
            if (!_nv.TryGetValue(def.Name, out var s)) _nv[def.Name] = s = new MemoryNvStore(def.SizeBytes);
            return s;
        });
        Configure?.Invoke(b);
        b.Runtime.Scan.Start(Clock.NowMicros + PeriodUs);
        return b;
    }

    public void Step()
    {
        Clock.Advance(PeriodUs);
        Plant.Step(PeriodUs / 1e6);
        Board.RunDueScans();
    }

    public void Run(double seconds, Action? each = null)
    {
        long n = (long)Math.Round(seconds * 1e6 / PeriodUs);
        for (long i = 0; i < n; i++) { Step(); each?.Invoke(); }
    }

    /// <summary>Supply lost for <paramref name="offS"/>: board and heaters off, the plant cools; then a fresh boot.</summary>
    public void PowerFail(double offS)
    {
        Board.Io.AllOutputsSafe();
        Plant.Faults.Inject("anneal", "powerfail", TimeS);
        long n = (long)Math.Round(offS * 1e6 / PeriodUs);
        for (long i = 0; i < n; i++) { Clock.Advance(PeriodUs); Plant.Step(PeriodUs / 1e6); }
        Plant.Faults.Clear("anneal", TimeS);
        Board = Boot();
    }

    /// <summary>Posts a scan command as the console does, and runs one scan so it is applied.</summary>
    public void Command(int code, int arg0 = 0, double v0 = 0, double v1 = 0)
    {
        if (!Module.Runtime.Scan.Commands.TryPost(code, AnnealModule.SourceAnneal, arg0, 0, v0, v1)) throw new InvalidOperationException("queue full");
        Step();
    }

    public void Set(string name, string value)
    {
        var s = Board.Runtime.Settings;
        if (!s.TrySetFromText(s.IndexOf(name), value, out var err)) throw new InvalidOperationException($"{name}={value}: {err}");
    }

    public string Console(string line)
    {
        int before = Board.ScenarioLink.Output.Length;
        Board.TypeLine(line);
        return Board.ScenarioLink.Output[before..];
    }
}
