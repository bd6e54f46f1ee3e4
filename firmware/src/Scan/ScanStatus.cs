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
    /// Readers get properties; the executive writes the internal fields directly, because the nanoFramework
    /// interpreter pays a call per property accessor and the scan updates these every cycle.
    /// </remarks>
    public sealed class ScanStatus
    {
        internal ScanStatus(int taskCount)
        {
            _taskNames = new string[taskCount];
            _taskRateDivisors = new int[taskCount];
            _taskPhases = new int[taskCount];
            _taskBudgetUs = new int[taskCount];
            _taskRuns = new long[taskCount];
            _taskLastUs = new int[taskCount];
            _taskMinUs = new int[taskCount];
            _taskMaxUs = new int[taskCount];
            _taskAvgUs = new int[taskCount];
            _taskBudgetOverruns = new int[taskCount];
        }

        /// <summary>Scan period, us.</summary>
        public int PeriodUs { get { return _periodUs; } }
        internal int _periodUs;
        /// <summary>Scans executed.</summary>
        public long ScanCount { get { return _scanCount; } }
        internal long _scanCount;
        /// <summary>Start (release) of the last scan, us.</summary>
        public long LastReleaseUs { get { return _lastReleaseUs; } }
        internal long _lastReleaseUs;
        /// <summary>Cycle time of the last scan (start to end of tasks and snapshot), us.</summary>
        public int LastCycleUs { get { return _lastCycleUs; } }
        internal int _lastCycleUs;
        /// <summary>Shortest cycle time, us.</summary>
        public int MinCycleUs { get { return _minCycleUs; } }
        internal int _minCycleUs;
        /// <summary>Longest cycle time, us.</summary>
        public int MaxCycleUs { get { return _maxCycleUs; } }
        internal int _maxCycleUs;
        /// <summary>Average cycle time, us.</summary>
        public int AvgCycleUs { get { return _avgCycleUs; } }
        internal int _avgCycleUs;
        /// <summary>How late the last scan started after its release, us.</summary>
        public int LastLatencyUs { get { return _lastLatencyUs; } }
        internal int _lastLatencyUs;
        /// <summary>Largest start latency, us.</summary>
        public int MaxLatencyUs { get { return _maxLatencyUs; } }
        internal int _maxLatencyUs;
        /// <summary>Scans that ended after their deadline.</summary>
        public int OverrunCount { get { return _overrunCount; } }
        internal int _overrunCount;
        /// <summary>Period boundaries skipped because a scan ended after them.</summary>
        public long MissedPeriods { get { return _missedPeriods; } }
        internal long _missedPeriods;
        /// <summary>Task index blamed for the last overrun (-1: none yet): the task furthest over its budget, else the one that ran longest.</summary>
        public int LastOverrunTaskIndex { get { return _lastOverrunTaskIndex; } }
        internal int _lastOverrunTaskIndex;
        /// <summary>Scan number of the last overrun (-1: none yet).</summary>
        public long LastOverrunScan { get { return _lastOverrunScan; } }
        internal long _lastOverrunScan;
        /// <summary>Task that last exceeded its own budget (-1: none yet).</summary>
        public int LastBudgetOverrunTaskIndex { get { return _lastBudgetOverrunTaskIndex; } }
        internal int _lastBudgetOverrunTaskIndex;
        /// <summary>True while latched in the overrun trip (outputs held safe until an explicit reset).</summary>
        public bool Tripped { get { return _tripped; } }
        internal bool _tripped;
        /// <summary>Overrun trips since boot.</summary>
        public int TripCount { get { return _tripCount; } }
        internal int _tripCount;
        /// <summary>True once a task or safe-state hook threw: outputs held safe, watchdog no longer kicked.</summary>
        public bool Faulted { get { return _faulted; } }
        internal bool _faulted;
        /// <summary>Task index that threw (-1: none, or a safe-state hook).</summary>
        public int FaultTaskIndex { get { return _faultTaskIndex; } }
        internal int _faultTaskIndex;
        /// <summary>Watchdog kicks (one per completed scan).</summary>
        public long WatchdogKicks { get { return _watchdogKicks; } }
        internal long _watchdogKicks;
        /// <summary>Queued commands run by the scan.</summary>
        public int CommandsExecuted { get { return _commandsExecuted; } }
        internal int _commandsExecuted;
        /// <summary>Submissions refused with Busy because the command queue was full.</summary>
        public int CommandQueueFullCount { get { return _commandQueueFullCount; } }
        internal int _commandQueueFullCount;

        /// <summary>Tasks in the table.</summary>
        public int TaskCount { get { return _taskNames.Length; } }
        /// <summary>Task names.</summary>
        public string[] TaskNames { get { return _taskNames; } }
        internal string[] _taskNames;
        /// <summary>Rate divisors (a task runs every N scans).</summary>
        public int[] TaskRateDivisors { get { return _taskRateDivisors; } }
        internal int[] _taskRateDivisors;
        /// <summary>Phases (a task runs on scans where scan number mod divisor == phase).</summary>
        public int[] TaskPhases { get { return _taskPhases; } }
        internal int[] _taskPhases;
        /// <summary>Budgets, us.</summary>
        public int[] TaskBudgetUs { get { return _taskBudgetUs; } }
        internal int[] _taskBudgetUs;
        /// <summary>Runs per task.</summary>
        public long[] TaskRuns { get { return _taskRuns; } }
        internal long[] _taskRuns;
        /// <summary>Last run time per task, us.</summary>
        public int[] TaskLastUs { get { return _taskLastUs; } }
        internal int[] _taskLastUs;
        /// <summary>Shortest run time per task, us.</summary>
        public int[] TaskMinUs { get { return _taskMinUs; } }
        internal int[] _taskMinUs;
        /// <summary>Longest run time per task, us.</summary>
        public int[] TaskMaxUs { get { return _taskMaxUs; } }
        internal int[] _taskMaxUs;
        /// <summary>Average run time per task, us.</summary>
        public int[] TaskAvgUs { get { return _taskAvgUs; } }
        internal int[] _taskAvgUs;
        /// <summary>Runs over budget per task.</summary>
        public int[] TaskBudgetOverruns { get { return _taskBudgetOverruns; } }
        internal int[] _taskBudgetOverruns;

        /// <summary>Name of the task blamed for the last overrun, or "" when none.</summary>
        public string LastOverrunTaskName { get { return NameOf(LastOverrunTaskIndex); } }

        /// <summary>Name of the task that last exceeded its budget, or "".</summary>
        public string LastBudgetOverrunTaskName { get { return NameOf(LastBudgetOverrunTaskIndex); } }

        private string NameOf(int index)
        {
            return index >= 0 && index < _taskNames.Length ? _taskNames[index] : "";
        }

        /// <summary>Copies the task table's fixed columns (once, when a copy is created).</summary>
        internal void CopyConstantsFrom(ScanStatus s)
        {
            int n = _taskNames.Length;
            Array.Copy(s._taskNames, _taskNames, n);
            Array.Copy(s._taskRateDivisors, _taskRateDivisors, n);
            Array.Copy(s._taskPhases, _taskPhases, n);
            Array.Copy(s._taskBudgetUs, _taskBudgetUs, n);
        }

        /// <summary>Copies everything that changes per scan.</summary>
        internal void CopyFrom(ScanStatus s)
        {
            _periodUs = s._periodUs;
            _scanCount = s._scanCount;
            _lastReleaseUs = s._lastReleaseUs;
            _lastCycleUs = s._lastCycleUs;
            _minCycleUs = s._minCycleUs;
            _maxCycleUs = s._maxCycleUs;
            _avgCycleUs = s._avgCycleUs;
            _lastLatencyUs = s._lastLatencyUs;
            _maxLatencyUs = s._maxLatencyUs;
            _overrunCount = s._overrunCount;
            _missedPeriods = s._missedPeriods;
            _lastOverrunTaskIndex = s._lastOverrunTaskIndex;
            _lastOverrunScan = s._lastOverrunScan;
            _lastBudgetOverrunTaskIndex = s._lastBudgetOverrunTaskIndex;
            _tripped = s._tripped;
            _tripCount = s._tripCount;
            _faulted = s._faulted;
            _faultTaskIndex = s._faultTaskIndex;
            _watchdogKicks = s._watchdogKicks;
            _commandsExecuted = s._commandsExecuted;
            _commandQueueFullCount = s._commandQueueFullCount;
            int n = _taskNames.Length;
            Array.Copy(s._taskRuns, _taskRuns, n);
            Array.Copy(s._taskLastUs, _taskLastUs, n);
            Array.Copy(s._taskMinUs, _taskMinUs, n);
            Array.Copy(s._taskMaxUs, _taskMaxUs, n);
            Array.Copy(s._taskAvgUs, _taskAvgUs, n);
            Array.Copy(s._taskBudgetOverruns, _taskBudgetOverruns, n);
        }
    }
}
