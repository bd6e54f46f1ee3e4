using System.Threading;

namespace Tfb.Scan
{
    /// <summary>
    /// One preallocated command record of the <see cref="ScanCommandQueue"/>: a code, a few arguments, who sent
    /// it, and the scan's verdict. Records are reused; handlers must not keep a reference.
    /// </summary>
    public sealed class ScanCommand
    {
        /// <summary>The verdict value meaning "applied".</summary>
        public const int Ok = 0;

        internal const int StateFree = 0;
        internal const int StateQueued = 1;
        internal const int StateRunning = 2;
        internal const int StateDone = 3;

        internal readonly AutoResetEvent DoneEvent = new AutoResetEvent(false);
        internal int State;
        internal int Generation;
        internal bool WantsReply;
        internal bool Abandoned;
        internal int Error;
        internal long AppliedScan;

        /// <summary>Command code; selects the handler by range.</summary>
        public int Code { get; internal set; }

        /// <summary>Who sent it (console session, MQTT, scenario), for the event log and for handlers that check access.</summary>
        public int SourceId { get; internal set; }

        /// <summary>First integer argument (meaning per command code).</summary>
        public int Arg0 { get; internal set; }

        /// <summary>Second integer argument.</summary>
        public int Arg1 { get; internal set; }

        /// <summary>First real argument (unit per command code; NaN must be refused by the handler).</summary>
        public double Value0 { get; internal set; }

        /// <summary>Second real argument.</summary>
        public double Value1 { get; internal set; }

        /// <summary>Integer result the handler may return to the submitter.</summary>
        public int ResultInt { get; set; }

        /// <summary>Real result the handler may return to the submitter.</summary>
        public double ResultDouble { get; set; }
    }
}
