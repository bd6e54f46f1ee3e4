using System;
using nanoFramework.Hardware.Esp32;
using Tfb.Boards.Io;
using Tfb.Hal;

namespace Tfb.Boards.Nano.Esp32
{
    /// <summary>
    /// IClock from the ESP32 high-resolution timer (<c>HighResTimer.GetCurrent()</c>, microseconds since boot,
    /// 64-bit: no wrap in the life of a board). Board definition: <c>clock esp32-highres-us</c>.
    /// </summary>
    /// <remarks>Threading: any thread.</remarks>
    public sealed class Esp32Clock : IClock
    {
        /// <inheritdoc />
        public long NowMicros { get { return (long)HighResTimer.GetCurrent(); } }

        /// <inheritdoc />
        public long UtcUnixMillis { get { return WallClock.ToUnixMillis(DateTime.UtcNow.Ticks); } }

        /// <inheritdoc />
        public bool WallClockValid { get { return WallClock.IsPlausible(UtcUnixMillis); } }
    }
}
