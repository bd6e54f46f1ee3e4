namespace Tfb.Logging
{
    /// <summary>One record of an alarm or event log.</summary>
    public struct LogEntry
    {
        /// <summary>Sequence number, +1 per record over the life of the log (wraps after 2^31).</summary>
        public int Seq;
        /// <summary>The alarm or event code (Tfb.Codes.AlarmCode / EventCode).</summary>
        public int Code;
        /// <summary>Code-specific detail number (see docs/codes).</summary>
        public int Detail;
        /// <summary>Monotonic time of the record, microseconds since boot.</summary>
        public long TimeUs;
        /// <summary>Wall-clock UTC milliseconds since the Unix epoch, or 0 when the wall clock was not yet valid.</summary>
        public long UtcMs;
    }
}
