using System;

namespace Tfb.Scan
{
    /// <summary>
    /// Timing statistics and state of the scan executive, as a T2 reader sees them. Create one with
    /// <see cref="ScanExecutive.CreateStatus"/> at start-up and refresh it with
    /// <see cref="ScanExecutive.TryReadStatus"/> (lock-free, no allocation, consistent as of one scan).
    /// </summary>
    /// <remarks>
    /// Times are integer microseconds. Averages are over blocks of <see cref="ScanConfig.StatsWindowScans"/>
    /// runs (the last complete block; the running block until the first one completes). Min/max and counters are
    /// since boot or the last statistics reset. Task arrays are indexed by the value
    /// <c>ScanExecutive.AddTask</c> returned.
    /// </remarks>
    public sealed class ScanStatus
    {
        internal ScanStatus(int taskCount)
        {
            TaskNames = new string[taskCount];
            TaskRateDivisors = new int[taskCount];
            TaskPhases = new int[taskCount];
            TaskBudgetUs = new int[taskCount];
            TaskRuns = new long[taskCount];
            TaskLastUs = new int[taskCount];
            TaskMinUs = new int[taskCount];
            TaskMaxUs = new int[taskCount];
            TaskAvgUs = new int[taskCount];
            TaskBudgetOverruns = new int[taskCount];
        }

        /// <summary>Scan period, us.</summary>
        public int PeriodUs { get; internal set; }
        /// <summary>Scans executed.</summary>
        public long ScanCount { get; internal set; }
        /// <summary>Start (release) of the last scan, us.</summary>
        public long LastReleaseUs { get; internal set; }
        /// <summary>Cycle time of the last scan (start to end of tasks and snapshot), us.</summary>
        public int LastCycleUs { get; internal set; }
        /// <summary>Shortest cycle time, us.</summary>
        public int MinCycleUs { get; internal set; }
        /// <summary>Longest cycle time, us.</summary>
        public int MaxCycleUs { get; internal set; }
        /// <summary>Average cycle time, us.</summary>
        public int AvgCycleUs { get; internal set; }
        /// <summary>How late the last scan started after its release, us.</summary>
        public int LastLatencyUs { get; internal set; }
        /// <summary>Largest start latency, us.</summary>
        public int MaxLatencyUs { get; internal set; }
        /// <summary>Scans that ended after their deadline.</summary>
        public int OverrunCount { get; internal set; }
        /// <summary>Period boundaries skipped because a scan ended after them.</summary>
        public long MissedPeriods { get; internal set; }
        /// <summary>Task index blamed for the last overrun (-1: none yet): the task furthest over its budget, else the one that ran longest.</summary>
        public int LastOverrunTaskIndex { get; internal set; }
        /// <summary>Scan number of the last overrun (-1: none yet).</summary>
        public long LastOverrunScan { get; internal set; }
        /// <summary>Task that last exceeded its own budget (-1: none yet).</summary>
        public int LastBudgetOverrunTaskIndex { get; internal set; }
        /// <summary>True while latched in the overrun trip (outputs held safe until an explicit reset).</summary>
        public bool Tripped { get; internal set; }
        /// <summary>Overrun trips since boot.</summary>
        public int TripCount { get; internal set; }
        /// <summary>True once a task or safe-state hook threw: outputs held safe, watchdog no longer kicked.</summary>
        public bool Faulted { get; internal set; }
        /// <summary>Task index that threw (-1: none, or a safe-state hook).</summary>
        public int FaultTaskIndex { get; internal set; }
        /// <summary>Watchdog kicks (one per completed scan).</summary>
        public long WatchdogKicks { get; internal set; }
        /// <summary>Queued commands run by the scan.</summary>
        public int CommandsExecuted { get; internal set; }
        /// <summary>Submissions refused with Busy because the command queue was full.</summary>
        public int CommandQueueFullCount { get; internal set; }

        /// <summary>Tasks in the table.</summary>
        public int TaskCount { get { return TaskNames.Length; } }
        /// <summary>Task names.</summary>
        public string[] TaskNames { get; private set; }
        /// <summary>Rate divisors (a task runs every N scans).</summary>
        public int[] TaskRateDivisors { get; private set; }
        /// <summary>Phases (a task runs on scans where scan number mod divisor == phase).</summary>
        public int[] TaskPhases { get; private set; }
        /// <summary>Budgets, us.</summary>
        public int[] TaskBudgetUs { get; private set; }
        /// <summary>Runs per task.</summary>
        public long[] TaskRuns { get; private set; }
        /// <summary>Last run time per task, us.</summary>
        public int[] TaskLastUs { get; private set; }
        /// <summary>Shortest run time per task, us.</summary>
        public int[] TaskMinUs { get; private set; }
        /// <summary>Longest run time per task, us.</summary>
        public int[] TaskMaxUs { get; private set; }
        /// <summary>Average run time per task, us.</summary>
        public int[] TaskAvgUs { get; private set; }
        /// <summary>Runs over budget per task.</summary>
        public int[] TaskBudgetOverruns { get; private set; }

        /// <summary>Name of the task blamed for the last overrun, or "" when none.</summary>
        public string LastOverrunTaskName { get { return NameOf(LastOverrunTaskIndex); } }

        /// <summary>Name of the task that last exceeded its budget, or "".</summary>
        public string LastBudgetOverrunTaskName { get { return NameOf(LastBudgetOverrunTaskIndex); } }

        private string NameOf(int index)
        {
            return index >= 0 && index < TaskNames.Length ? TaskNames[index] : "";
        }

        /// <summary>Copies the task table's fixed columns (once, when a copy is created).</summary>
        internal void CopyConstantsFrom(ScanStatus s)
        {
            int n = TaskNames.Length;
            Array.Copy(s.TaskNames, TaskNames, n);
            Array.Copy(s.TaskRateDivisors, TaskRateDivisors, n);
            Array.Copy(s.TaskPhases, TaskPhases, n);
            Array.Copy(s.TaskBudgetUs, TaskBudgetUs, n);
        }

        /// <summary>Copies everything that changes per scan.</summary>
        internal void CopyFrom(ScanStatus s)
        {
            PeriodUs = s.PeriodUs;
            ScanCount = s.ScanCount;
            LastReleaseUs = s.LastReleaseUs;
            LastCycleUs = s.LastCycleUs;
            MinCycleUs = s.MinCycleUs;
            MaxCycleUs = s.MaxCycleUs;
            AvgCycleUs = s.AvgCycleUs;
            LastLatencyUs = s.LastLatencyUs;
            MaxLatencyUs = s.MaxLatencyUs;
            OverrunCount = s.OverrunCount;
            MissedPeriods = s.MissedPeriods;
            LastOverrunTaskIndex = s.LastOverrunTaskIndex;
            LastOverrunScan = s.LastOverrunScan;
            LastBudgetOverrunTaskIndex = s.LastBudgetOverrunTaskIndex;
            Tripped = s.Tripped;
            TripCount = s.TripCount;
            Faulted = s.Faulted;
            FaultTaskIndex = s.FaultTaskIndex;
            WatchdogKicks = s.WatchdogKicks;
            CommandsExecuted = s.CommandsExecuted;
            CommandQueueFullCount = s.CommandQueueFullCount;
            int n = TaskNames.Length;
            Array.Copy(s.TaskRuns, TaskRuns, n);
            Array.Copy(s.TaskLastUs, TaskLastUs, n);
            Array.Copy(s.TaskMinUs, TaskMinUs, n);
            Array.Copy(s.TaskMaxUs, TaskMaxUs, n);
            Array.Copy(s.TaskAvgUs, TaskAvgUs, n);
            Array.Copy(s.TaskBudgetOverruns, TaskBudgetOverruns, n);
        }
    }
}
