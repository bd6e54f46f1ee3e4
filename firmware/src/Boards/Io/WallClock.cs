namespace Tfb.Boards.Io
{
    /// <summary>Wall-clock helpers for the clock adapters (timestamps of published data only, never control).</summary>
    public static class WallClock
    {
        /// <summary>DateTime ticks (100 ns) at 1970-01-01T00:00:00Z.</summary>
        public const long UnixEpochTicks = 621355968000000000L;

        /// <summary>2025-01-01T00:00:00Z in Unix milliseconds: an unsynchronised device clock reads earlier than this.</summary>
        public const long PlausibleAfterUnixMillis = 1735689600000L;

        /// <summary>Unix milliseconds of a UTC DateTime given as ticks.</summary>
        public static long ToUnixMillis(long utcTicks)
        {
            return (utcTicks - UnixEpochTicks) / 10000L;
        }

        /// <summary>True when a wall-clock reading can only come from a synchronised clock.</summary>
        public static bool IsPlausible(long unixMillis)
        {
            return unixMillis >= PlausibleAfterUnixMillis;
        }
    }
}
