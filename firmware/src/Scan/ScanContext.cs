namespace Tfb.Scan
{
    /// <summary>
    /// What a task knows about the scan it runs in. One instance, owned by the executive and rewritten
    /// before each task runs (no allocation per scan); tasks read it during <see cref="IScanTask.Run"/> only.
    /// </summary>
    /// <remarks>The executive writes the internal fields directly (no accessor calls on the interpreter).</remarks>
    public sealed class ScanContext
    {
        /// <summary>Number of the current scan: 0 for the first, +1 per executed scan (missed periods do not count).</summary>
        public long ScanNumber { get { return _scanNumber; } }
        internal long _scanNumber;

        /// <summary>Absolute scheduled start of this scan, us on the executive's clock (epoch + k * period).</summary>
        public long ReleaseUs { get { return _releaseUs; } }
        internal long _releaseUs;

        /// <summary>Absolute deadline of this scan, us: <see cref="ReleaseUs"/> + <see cref="PeriodUs"/>.</summary>
        public long DeadlineUs { get { return _deadlineUs; } }
        internal long _deadlineUs;

        /// <summary>Clock reading when the scan actually started, us (at or after <see cref="ReleaseUs"/>).</summary>
        public long StartUs { get { return _startUs; } }
        internal long _startUs;

        /// <summary>Clock reading just before the current task was called, us.</summary>
        public long TaskStartUs { get { return _taskStartUs; } }
        internal long _taskStartUs;

        /// <summary>Scan period, us.</summary>
        public int PeriodUs { get { return _periodUs; } }
        internal int _periodUs;

        /// <summary>
        /// Seconds since the current task's previous run, from scheduled releases (so it is exact and
        /// jitter-free): period * rate divisor normally, more when periods were missed. On a task's first run:
        /// period * rate divisor.
        /// </summary>
        public double DtS { get { return _dtS; } }
        internal double _dtS;

        /// <summary>Index of the task being run (the value <c>ScanExecutive.AddTask</c> returned); -1 outside tasks.</summary>
        public int TaskIndex { get { return _taskIndex; } }
        internal int _taskIndex;

        /// <summary>
        /// True while the executive is latched in the overrun trip: outputs are held safe and only tasks
        /// registered to run when tripped are called.
        /// </summary>
        public bool Tripped { get { return _tripped; } }
        internal bool _tripped;

        /// <summary>True for exactly one scan after a stop request (real-time console byte or command).</summary>
        public bool StopRequested { get { return _stopRequested; } }
        internal bool _stopRequested;

        /// <summary>True for exactly one scan after a resume request.</summary>
        public bool ResumeRequested { get { return _resumeRequested; } }
        internal bool _resumeRequested;
    }
}
