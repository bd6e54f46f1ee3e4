namespace Tfb.Hal
{
    /// <summary>
    /// Monotonic time source for the scan and every module (time is an input: nothing above the HAL
    /// reads DateTime or a platform timer directly).
    /// </summary>
    /// <remarks>
    /// Threading: safe to call from any thread. Resolution: whatever the board offers (1 us on ESP32
    /// HighResTimer, 1 ms on targets that only have Environment.TickCount64); the board definition names
    /// the source. The virtual line drives this from the lockstep runner, so values only change between scans.
    /// </remarks>
    public interface IClock
    {
        /// <summary>Microseconds since boot; never goes backwards, never wraps in the life of a board (Int64).</summary>
        long NowMicros { get; }

        /// <summary>
        /// Wall-clock UTC time in milliseconds since the Unix epoch, for timestamps of published data and logs only.
        /// Never use it for control: it jumps when SNTP syncs.
        /// </summary>
        long UtcUnixMillis { get; }

        /// <summary>True once the wall clock has been set from a trusted source (SNTP, RTC, host).</summary>
        bool WallClockValid { get; }
    }
}
