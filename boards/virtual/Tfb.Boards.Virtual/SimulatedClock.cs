using Tfb.Hal;

namespace Tfb.Boards.Virtual;

/// <summary>
/// A clock that moves only when told to: the lockstep runner and tests advance it one scan period at a time,
/// so every run with the same inputs is identical.
/// </summary>
public sealed class SimulatedClock : IClock
{
    private long _nowUs;

    /// <summary>Creates a clock at <paramref name="startUs"/> with the wall clock at <paramref name="utcEpochMs"/>.</summary>
    public SimulatedClock(long startUs = 0, long utcEpochMs = 1_798_761_600_000 /* 2027-01-01T00:00:00Z */)
    {
        _nowUs = startUs;
        UtcEpochMs = utcEpochMs;
        WallClockValid = true;
    }

    /// <summary>Wall-clock time that corresponds to NowMicros = 0.</summary>
    public long UtcEpochMs { get; set; }

    /// <inheritdoc />
    public long NowMicros => Interlocked.Read(ref _nowUs);

    /// <inheritdoc />
    public long UtcUnixMillis => UtcEpochMs + NowMicros / 1000;

    /// <inheritdoc />
    public bool WallClockValid { get; set; }

    /// <summary>Moves time forward; a negative step is refused (the clock is monotonic).</summary>
    public void Advance(long micros)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(micros);
        Interlocked.Add(ref _nowUs, micros);
    }
}
