using System.Diagnostics;

namespace Tfb.VirtualLine;

/// <summary>
/// Paces simulated time against the wall clock with absolute deadlines: step k is released at
/// start + k * period / speed, so waiting errors never accumulate. Speed 0 means "as fast as possible".
/// </summary>
public sealed class Pacer
{
    private readonly long _periodTicks;
    private readonly double _speed;
    private long _startTicks = -1;
    private long _step;

    /// <param name="periodUs">Simulated time per step in microseconds.</param>
    /// <param name="speed">Simulated seconds per wall second (1 = real time; 0 = unpaced).</param>
    public Pacer(long periodUs, double speed)
    {
        if (speed < 0 || double.IsNaN(speed)) throw new ArgumentOutOfRangeException(nameof(speed));
        _speed = speed;
        _periodTicks = speed == 0 ? 0 : (long)(periodUs * (Stopwatch.Frequency / 1e6) / speed);
    }

    /// <summary>Steps released so far.</summary>
    public long Steps => _step;

    /// <summary>Steps that were released after their deadline had already passed by more than a period.</summary>
    public long LateSteps { get; private set; }

    /// <summary>Wall-clock seconds since the first step.</summary>
    public double WallSeconds => _startTicks < 0 ? 0 : (Stopwatch.GetTimestamp() - _startTicks) / (double)Stopwatch.Frequency;

    /// <summary>Blocks until the next step's release time (returns at once when unpaced) and counts it.</summary>
    public void WaitForNextStep(CancellationToken cancel)
    {
        if (_startTicks < 0) _startTicks = Stopwatch.GetTimestamp();
        _step++;
        if (_periodTicks == 0) return;
        long release = _startTicks + _step * _periodTicks;
        while (true)
        {
            long now = Stopwatch.GetTimestamp();
            long remaining = release - now;
            if (remaining <= 0)
            {
                if (-remaining > _periodTicks) LateSteps++;
                return;
            }
            // Sleep for the bulk (the OS timer is coarse), then yield for the last 2 ms.
            double ms = remaining * 1000.0 / Stopwatch.Frequency;
            if (ms > 2.5) cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(ms - 2));
            else Thread.Yield();
            if (cancel.IsCancellationRequested) return;
        }
    }
}
