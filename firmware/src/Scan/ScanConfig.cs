using System;

namespace Tfb.Scan
{
    /// <summary>Sizes and policy of a <see cref="ScanExecutive"/>, fixed at construction (from the board definition).</summary>
    public sealed class ScanConfig
    {
        /// <summary>Creates a configuration with the given period and the defaults of every other field.</summary>
        /// <param name="periodUs">Scan period, us (100 us .. 10 s).</param>
        public ScanConfig(int periodUs)
        {
            PeriodUs = periodUs;
            MaxTasks = 16;
            TripOverrunCount = 3;
            TripWindowScans = 100;
            StatsWindowScans = 1000;
            StatusPublishDivisor = 1;
            CommandQueueCapacity = 16;
            MaxCommandHandlers = 16;
            MaxSafeStates = 4;
            MaxSnapshotDoubles = 64;
            MaxSnapshotInts = 32;
            MaxSnapshotBools = 32;
        }

        /// <summary>Scan period, us.</summary>
        public int PeriodUs { get; set; }

        /// <summary>Task table capacity.</summary>
        public int MaxTasks { get; set; }

        /// <summary>Overrun trip policy: this many overruns ... (N, at least 1).</summary>
        public int TripOverrunCount { get; set; }

        /// <summary>
        /// ... within this many scans (M) trip the executive. Also the healthy time a trip reset needs: a reset is
        /// refused while an overrun happened within the last M scans.
        /// </summary>
        public int TripWindowScans { get; set; }

        /// <summary>Averages of cycle and task times are over blocks of this many runs.</summary>
        public int StatsWindowScans { get; set; }

        /// <summary>The statistics copy for T2 readers is refreshed every this many scans (1 = every scan).</summary>
        public int StatusPublishDivisor { get; set; }

        /// <summary>Command records preallocated; more outstanding commands than this are refused with Busy.</summary>
        public int CommandQueueCapacity { get; set; }

        /// <summary>Command handler (code range) table capacity, including the executive's own range.</summary>
        public int MaxCommandHandlers { get; set; }

        /// <summary>Safe-state hook table capacity.</summary>
        public int MaxSafeStates { get; set; }

        /// <summary>Snapshot capacity: double fields.</summary>
        public int MaxSnapshotDoubles { get; set; }

        /// <summary>Snapshot capacity: int fields.</summary>
        public int MaxSnapshotInts { get; set; }

        /// <summary>Snapshot capacity: bool fields.</summary>
        public int MaxSnapshotBools { get; set; }

        internal void Validate()
        {
            if (PeriodUs < 100 || PeriodUs > 10000000) throw new ArgumentOutOfRangeException("PeriodUs");
            if (MaxTasks < 1) throw new ArgumentOutOfRangeException("MaxTasks");
            if (TripOverrunCount < 1) throw new ArgumentOutOfRangeException("TripOverrunCount");
            if (TripWindowScans < 1) throw new ArgumentOutOfRangeException("TripWindowScans");
            if (StatsWindowScans < 1) throw new ArgumentOutOfRangeException("StatsWindowScans");
            if (StatusPublishDivisor < 1) throw new ArgumentOutOfRangeException("StatusPublishDivisor");
            if (CommandQueueCapacity < 1 || CommandQueueCapacity > ScanCommandQueue.MaxCapacity) throw new ArgumentOutOfRangeException("CommandQueueCapacity");
            if (MaxCommandHandlers < 1) throw new ArgumentOutOfRangeException("MaxCommandHandlers");
            if (MaxSafeStates < 1) throw new ArgumentOutOfRangeException("MaxSafeStates");
            if (MaxSnapshotDoubles < 0 || MaxSnapshotInts < 0 || MaxSnapshotBools < 0) throw new ArgumentOutOfRangeException("MaxSnapshot");
        }
    }
}
