namespace Tfb.Scan
{
    /// <summary>
    /// Command codes the <see cref="ScanExecutive"/> handles itself (range <see cref="First"/>..<see cref="Last"/>).
    /// Modules register their own ranges outside it (by convention the alarm-code ranges of their area:
    /// 1000-1999 board and platform, 2000-2999 web transport, 3000-3999 sputter, 4000-4999 anneal,
    /// 5000-5999 sheet test). Stable: a code never changes meaning.
    /// </summary>
    public static class ScanCommandCode
    {
        /// <summary>First code of the executive's range.</summary>
        public const int First = 1;

        /// <summary>
        /// Operator reset of the scan's alarms and trip latch: resets ScanOverrun, CommandQueueFull (when the queue
        /// is no longer full) and, when tripped, the trip (refused with ConditionPresent while an overrun happened
        /// within the last TripWindowScans scans). Re-energizes nothing. Arg0: unused.
        /// </summary>
        public const int ResetScanFaults = 1;

        /// <summary>Clears min/max/average times and per-task budget-overrun counters (not the trip or overrun counts).</summary>
        public const int ResetStatistics = 2;

        /// <summary>Last code of the executive's range.</summary>
        public const int Last = 99;
    }
}
