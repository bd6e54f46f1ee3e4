namespace Tfb.Scan
{
    /// <summary>How a wait for a queued command ended.</summary>
    public enum ScanReplyStatus
    {
        /// <summary>The scan ran the command; see <see cref="ScanCommandReply.Error"/> for its verdict.</summary>
        Completed = 0,
        /// <summary>Timed out before the scan took the command: it was withdrawn and will never run.</summary>
        Withdrawn = 1,
        /// <summary>Timed out while the scan was running it: it may have been applied; the verdict is discarded.</summary>
        TimedOut = 2,
        /// <summary>The ticket does not name an outstanding command that wants a reply (already collected, or never issued).</summary>
        InvalidTicket = 3,
    }

    /// <summary>The scan's answer to a submitted command, filled by <see cref="ScanCommandQueue.TryWait"/>.</summary>
    public struct ScanCommandReply
    {
        /// <summary>How the wait ended.</summary>
        public ScanReplyStatus Status;
        /// <summary>When completed: <see cref="ScanCommand.Ok"/> (0) or the refusing <see cref="Tfb.Codes.ErrorCode"/> value.</summary>
        public int Error;
        /// <summary>Integer result written by the handler.</summary>
        public int ResultInt;
        /// <summary>Real result written by the handler.</summary>
        public double ResultDouble;
        /// <summary>Number of the scan that applied the command.</summary>
        public long ScanNumber;
    }
}
