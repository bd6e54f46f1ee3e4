using Tfb.Boards.Virtual;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Scan;

namespace Tfb.Firmware.Tests.Scan;

/// <summary>Counts kicks, as the external supervisor chip would see them.</summary>
internal sealed class CountingWatchdog : IWatchdog
{
    public int Kicks;
    public SemaphoreSlim Signal;
    public int TimeoutMs => 100;

    public void Kick()
    {
        Kicks++;
        Signal?.Release();
    }
}

internal sealed class FakeDigitalOutput : IDigitalOutput
{
    public int SafeCalls;
    public int Writes;
    public bool State { get; private set; }
    public void Write(bool active) { State = active; Writes++; }
    public void SetSafe() { State = false; SafeCalls++; }
}

internal sealed class FakeAnalogOutput : IAnalogOutput
{
    public int SafeCalls;
    public double Value;
    public void Write(double fraction) => Value = fraction;
    public void SetSafe() { Value = 0.0; SafeCalls++; }
}

/// <summary>
/// A task that "works" by advancing the simulated clock by <see cref="WorkUs"/> (so the executive measures that
/// time) and records which scans it ran on and the dt it was given.
/// </summary>
internal sealed class WorkTask : IScanTask
{
    private readonly SimulatedClock _clock;
    public long WorkUs;
    public readonly List<long> Scans = new();
    public readonly List<double> Dts = new();
    public readonly List<long> Deadlines = new();
    public bool Record = true;
    public int Runs;
    public Action<ScanContext> OnRun;

    public WorkTask(SimulatedClock clock, long workUs)
    {
        _clock = clock;
        WorkUs = workUs;
    }

    public void Run(ScanContext ctx)
    {
        Runs++;
        if (Record)
        {
            Scans.Add(ctx.ScanNumber);
            Dts.Add(ctx.DtS);
            Deadlines.Add(ctx.DeadlineUs);
        }
        OnRun?.Invoke(ctx);
        if (WorkUs > 0) _clock.Advance(WorkUs);
    }
}

/// <summary>
/// A module that honours the ISafeState contract: it drives its output only while started by a command, and
/// the safe state both de-energizes the output and drops it back to stopped.
/// </summary>
internal sealed class HeaterModule : IScanTask, ISafeState, IScanCommandHandler
{
    public const int StartCommand = 4001;
    public readonly FakeDigitalOutput Output = new();
    public bool Running;
    public int SafeStateCalls;

    public void Run(ScanContext ctx) => Output.Write(Running);

    public void EnterSafeState()
    {
        SafeStateCalls++;
        Running = false;
        Output.SetSafe();
    }

    public int Execute(ScanCommand command, ScanContext ctx)
    {
        if (ctx.Tripped) return (int)Tfb.Codes.ErrorCode.InterlockActive;
        Running = true;
        return ScanCommand.Ok;
    }
}

internal sealed class ScanRig
{
    public readonly SimulatedClock Clock = new(startUs: 1_000_000);
    public readonly CountingWatchdog Watchdog = new();
    public readonly AlarmLog Alarms;
    public readonly LogRing Events;
    public readonly ScanExecutive Exec;

    public ScanRig(int periodUs = 1000, Action<ScanConfig> configure = null)
    {
        Alarms = new AlarmLog(64, 16, Clock);
        Events = new LogRing(64, Clock);
        var config = new ScanConfig(periodUs);
        configure?.Invoke(config);
        Exec = new ScanExecutive(config, Clock, Watchdog, Alarms, Events);
    }

    /// <summary>Lockstep step: advance to the next release (if not already past it) and run one scan.</summary>
    public void Step(long lateUs = 0)
    {
        if (Exec.Started)
        {
            long wait = Exec.NextReleaseUs - Clock.NowMicros;
            if (wait > 0) Clock.Advance(wait);
        }
        if (lateUs > 0) Clock.Advance(lateUs);
        Assert.True(Exec.RunOnce());
    }

    public void Steps(int n)
    {
        for (int i = 0; i < n; i++) Step();
    }

    public ScanStatus Status()
    {
        ScanStatus s = Exec.CreateStatus();
        Assert.True(Exec.TryReadStatus(s));
        return s;
    }

    public List<LogEntry> EventsOf(int code)
    {
        var list = new List<LogEntry>();
        for (int seq = Events.OldestSeq; seq < Events.NextSeq; seq++)
        {
            if (Events.TryGet(seq, out LogEntry e) && e.Code == code) list.Add(e);
        }
        return list;
    }
}
