using System;
using Tfb.Boards.Io;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary>
    /// IClock from <c>Environment.TickCount64</c> (nanoFramework.Runtime.Native): 1 ms resolution, the
    /// finest monotonic source on targets without a microsecond timer (STM32 here; clock tickcount64-ms).
    /// </summary>
    /// <remarks>Threading: any thread. NowMicros advances in 1000 us steps.</remarks>
    public sealed class TickCountClock : IClock
    {
        /// <inheritdoc />
        public long NowMicros { get { return Environment.TickCount64 * 1000L; } }

        /// <inheritdoc />
        public long UtcUnixMillis { get { return WallClock.ToUnixMillis(DateTime.UtcNow.Ticks); } }

        /// <inheritdoc />
        public bool WallClockValid { get { return WallClock.IsPlausible(UtcUnixMillis); } }
    }
}
