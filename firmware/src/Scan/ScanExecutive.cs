using System;
using System.Threading;
using Tfb.Codes;
using Tfb.Hal;
using Tfb.Logging;

namespace Tfb.Scan
{
    /// <summary>
    /// The T1 scan executive: runs a fixed table of <see cref="IScanTask"/>s once per period against absolute
    /// deadlines, measures cycle and task times, applies the overrun policy, consumes queued commands, publishes
    /// the snapshot and kicks the watchdog.
    /// </summary>
    /// <remarks>
    /// One scan (<see cref="RunOnce"/>): consume stop/resume flags and queued commands; run the due tasks in
    /// order; publish the snapshot; measure; judge overrun; schedule the next release; kick the watchdog; publish
    /// statistics. Releases are absolute: scan k is released at epoch + k * period, so timing error never
    /// accumulates; a scan that ends past one or more boundaries makes the next release the first boundary not
    /// yet passed, and the skipped boundaries are counted in <see cref="ScanStatus.MissedPeriods"/>.
    ///
    /// Overrun policy: a scan that ends after its deadline (release + period) is an overrun: counted, blamed on
    /// the task furthest over its budget (else the longest) and raised as <see cref="AlarmCode.ScanOverrun"/>
    /// (detail: that task's index). <see cref="ScanConfig.TripOverrunCount"/> overruns within
    /// <see cref="ScanConfig.TripWindowScans"/> scans trip: every <see cref="ISafeState"/> hook is called,
    /// <see cref="AlarmCode.ScanOverrunTrip"/> is raised and the executive latches. While tripped only tasks
    /// registered to run when tripped are called (input acquisition, monitoring), the hooks are called again
    /// every scan, commands are still consumed and statistics and the snapshot still published. Only
    /// <see cref="ScanCommandCode.ResetScanFaults"/> clears the latch, and only after TripWindowScans scans
    /// without an overrun; it re-energizes nothing (the hooks' contract drops modules to a state that needs a
    /// fresh start).
    ///
    /// Watchdog: kicked once per completed scan, including while tripped: the trip is a deliberate, verified
    /// safe state with a live scan, and a reset would throw away the latched evidence and the console a
    /// technician needs to diagnose it. Not kicked once <see cref="Faulted"/> (a task or hook threw: the scan can
    /// no longer be trusted to hold anything), so the supervisor resets the board into its hardware safe state.
    ///
    /// Threading: composition (Add*, <see cref="Seal"/>, <see cref="Start"/>) on one thread before the scan
    /// runs; <see cref="RunOnce"/> from one thread only (the device runner's thread or the lockstep runner);
    /// T2 threads use <see cref="Commands"/>, <see cref="Snapshot"/> readers, <see cref="TryReadStatus"/>,
    /// <see cref="RequestStop"/> and <see cref="RequestResume"/>. Nothing in a scan allocates (host test: 0 bytes
    /// over 10,000 scans of a representative station).
    ///
    /// Cost: about 45 managed/native calls per scan plus 3 per task, 13 of them the statistics publication
    /// (thinned by <see cref="ScanConfig.StatusPublishDivisor"/>). At 6-20 us per call on an ESP32 that is an
    /// estimated 0.3-0.9 ms before task work: not measured on hardware; see docs/scan.md.
    /// </remarks>
    public sealed class ScanExecutive
    {
        private readonly IClock _clock;
        private readonly IWatchdog _watchdog;
        private readonly AlarmLog _alarms;
        private readonly LogRing _events;
        private readonly int _periodUs;
        private readonly int _tripWindowScans;
        private readonly int _statsWindow;
        private readonly int _statusDivisor;

        private readonly string[] _names;
        private readonly IScanTask[] _tasks;
        private readonly int[] _divisor;
        private readonly int[] _phase;
        private readonly int[] _budgetUs;
        private readonly int[] _order;
        private readonly bool[] _runWhenTripped;
        private readonly int[] _exec;
        private int _taskCount;

        private readonly ISafeState[] _safeStates;
        private int _safeCount;

        private readonly ScanContext _ctx = new ScanContext();
        private readonly ScanCommandQueue _commands;
        private readonly ScanSnapshot _snapshot;
        private readonly long[] _overrunScans;
        private int _overrunNext;
        private int _overrunCount;

        // Per task, allocated at Seal.
        private long[] _lastReleaseUs;
        private long[] _sumUs;
        private int[] _windowRuns;
        private bool[] _avgDone;
        private long[] _runsSinceReset;

        private ScanStatus _work;
        private ScanStatus[] _published;
        private readonly SeqPair _statusSeq = new SeqPair();

        private long _cycleSumUs;
        private int _cycleWindowRuns;
        private bool _cycleAvgDone;
        private long _scansSinceReset;

        private bool _sealed;
        private bool _started;
        private bool _tripped;
        private bool _faulted;
        private long _nextReleaseUs;
        private long _scanNumber;
        private int _currentTask = -1;

        private int _stopRequest;
        private int _stopSource;
        private int _resumeRequest;
        private int _resumeSource;

        /// <summary>Creates an executive with an empty task table.</summary>
        /// <param name="config">Period, capacities and overrun policy (validated here).</param>
        /// <param name="clock">Monotonic time source (microseconds).</param>
        /// <param name="watchdog">The supervisor kicked once per completed scan.</param>
        /// <param name="alarms">Where ScanOverrun, ScanOverrunTrip and CommandQueueFull are raised.</param>
        /// <param name="events">Event log for stop/resume requests and alarm resets; may be null.</param>
        public ScanExecutive(ScanConfig config, IClock clock, IWatchdog watchdog, AlarmLog alarms, LogRing events)
        {
            if (config == null) throw new ArgumentNullException("config");
            if (clock == null) throw new ArgumentNullException("clock");
            if (watchdog == null) throw new ArgumentNullException("watchdog");
            if (alarms == null) throw new ArgumentNullException("alarms");
            config.Validate();
            _clock = clock;
            _watchdog = watchdog;
            _alarms = alarms;
            _events = events;
            _periodUs = config.PeriodUs;
            _tripWindowScans = config.TripWindowScans;
            _statsWindow = config.StatsWindowScans;
            _statusDivisor = config.StatusPublishDivisor;
            int n = config.MaxTasks;
            _names = new string[n];
            _tasks = new IScanTask[n];
            _divisor = new int[n];
            _phase = new int[n];
            _budgetUs = new int[n];
            _order = new int[n];
            _runWhenTripped = new bool[n];
            _exec = new int[n];
            _safeStates = new ISafeState[config.MaxSafeStates];
            _overrunScans = new long[config.TripOverrunCount];
            _commands = new ScanCommandQueue(config.CommandQueueCapacity, config.MaxCommandHandlers, alarms);
            _commands.AddHandler(ScanCommandCode.First, ScanCommandCode.Last, new OwnCommands(this));
            _snapshot = new ScanSnapshot(config.MaxSnapshotDoubles, config.MaxSnapshotInts, config.MaxSnapshotBools);
            _ctx._periodUs = _periodUs;
            _ctx._taskIndex = -1;
        }

        /// <summary>Scan period, us.</summary>
        public int PeriodUs { get { return _periodUs; } }

        /// <summary>Tasks registered.</summary>
        public int TaskCount { get { return _taskCount; } }

        /// <summary>The command queue into the scan (T2 producers submit here).</summary>
        public ScanCommandQueue Commands { get { return _commands; } }

        /// <summary>The snapshot the scan publishes (declare fields before <see cref="Seal"/>).</summary>
        public ScanSnapshot Snapshot { get { return _snapshot; } }

        /// <summary>Absolute release of the next scan, us (valid after <see cref="Start"/> or the first <see cref="RunOnce"/>).</summary>
        public long NextReleaseUs { get { return _nextReleaseUs; } }

        /// <summary>Number the next scan will get (= scans executed).</summary>
        public long ScanNumber { get { return _scanNumber; } }

        /// <summary>True once <see cref="Start"/> ran (explicitly or from the first <see cref="RunOnce"/>).</summary>
        public bool Started { get { return _started; } }

        /// <summary>Latched in the overrun trip. Scan thread; T2 reads <see cref="ScanStatus.Tripped"/>.</summary>
        public bool Tripped { get { return _tripped; } }

        /// <summary>A task or safe-state hook threw: outputs held safe, watchdog no longer kicked. Until reboot.</summary>
        public bool Faulted { get { return _faulted; } }

        /// <summary>
        /// Adds a task to the table (composition time).
        /// </summary>
        /// <param name="name">Shown in statistics and overrun reports; unique.</param>
        /// <param name="task">The work.</param>
        /// <param name="rateDivisor">Runs every this many scans (1 = every scan).</param>
        /// <param name="phase">Runs on scans where scan number mod divisor == phase (0..divisor-1); spread slow tasks over phases.</param>
        /// <param name="budgetUs">Time allowed per run, us; a run over it is counted against the task.</param>
        /// <param name="order">Execution order within a scan, ascending; equal orders keep registration order.
        /// Convention: 100 inputs, 200 interlocks, 300 state machines, 400 controllers, 500 outputs, 600 publishing.</param>
        /// <returns>The task index used in statistics and alarm details.</returns>
        public int AddTask(string name, IScanTask task, int rateDivisor, int phase, int budgetUs, int order)
        {
            return AddTask(name, task, rateDivisor, phase, budgetUs, order, false);
        }

        /// <summary>Adds a task (see the other overload).</summary>
        /// <param name="name">Unique name.</param>
        /// <param name="task">The work.</param>
        /// <param name="rateDivisor">Runs every this many scans.</param>
        /// <param name="phase">0..divisor-1.</param>
        /// <param name="budgetUs">Budget per run, us.</param>
        /// <param name="order">Execution order, ascending.</param>
        /// <param name="runWhenTripped">True for tasks that must keep running while tripped (input acquisition,
        /// monitoring, publishing). They must not energize outputs.</param>
        /// <returns>The task index.</returns>
        public int AddTask(string name, IScanTask task, int rateDivisor, int phase, int budgetUs, int order, bool runWhenTripped)
        {
            CheckComposing();
            if (name == null || name.Length == 0) throw new ArgumentNullException("name");
            if (task == null) throw new ArgumentNullException("task");
            if (rateDivisor < 1) throw new ArgumentOutOfRangeException("rateDivisor");
            if (phase < 0 || phase >= rateDivisor) throw new ArgumentOutOfRangeException("phase");
            if (budgetUs < 1) throw new ArgumentOutOfRangeException("budgetUs");
            if (_taskCount == _tasks.Length) throw new InvalidOperationException("task table full");
            for (int i = 0; i < _taskCount; i++)
            {
                if (_names[i] == name) throw new ArgumentException("duplicate task name");
            }
            int t = _taskCount;
            _names[t] = name;
            _tasks[t] = task;
            _divisor[t] = rateDivisor;
            _phase[t] = phase;
            _budgetUs[t] = budgetUs;
            _order[t] = order;
            _runWhenTripped[t] = runWhenTripped;
            _taskCount++;
            return t;
        }

        /// <summary>Name of task <paramref name="index"/>.</summary>
        public string TaskName(int index)
        {
            if (index < 0 || index >= _taskCount) throw new ArgumentOutOfRangeException("index");
            return _names[index];
        }

        /// <summary>
        /// Registers the handler for command codes <paramref name="firstCode"/>..<paramref name="lastCode"/>
        /// (composition time; ranges may not overlap; 1-99 belong to the executive).
        /// </summary>
        public void AddCommandHandler(int firstCode, int lastCode, IScanCommandHandler handler)
        {
            CheckComposing();
            _commands.AddHandler(firstCode, lastCode, handler);
        }

        /// <summary>Registers a safe-state hook (composition time), e.g. the board's <see cref="OutputBank"/>.</summary>
        public void AddSafeState(ISafeState hook)
        {
            CheckComposing();
            if (hook == null) throw new ArgumentNullException("hook");
            if (_safeCount == _safeStates.Length) throw new InvalidOperationException("safe-state table full");
            _safeStates[_safeCount++] = hook;
        }

        /// <summary>
        /// Ends composition: fixes the task order, the snapshot fields and the statistics layout. Called by
        /// <see cref="Start"/> when not called before; after it nothing can be added.
        /// </summary>
        public void Seal()
        {
            if (_sealed) return;
            int n = _taskCount;
            for (int i = 0; i < n; i++) _exec[i] = i;
            // Insertion sort by order (stable: registration order breaks ties); n is small and this runs once.
            for (int i = 1; i < n; i++)
            {
                int v = _exec[i];
                int j = i - 1;
                while (j >= 0 && _order[_exec[j]] > _order[v])
                {
                    _exec[j + 1] = _exec[j];
                    j--;
                }
                _exec[j + 1] = v;
            }
            _lastReleaseUs = new long[n];
            _sumUs = new long[n];
            _windowRuns = new int[n];
            _avgDone = new bool[n];
            _runsSinceReset = new long[n];
            for (int i = 0; i < n; i++) _lastReleaseUs[i] = -1;
            _work = NewStatusTemplate(n);
            _published = new ScanStatus[2];
            for (int b = 0; b < 2; b++)
            {
                _published[b] = new ScanStatus(n);
                _published[b].CopyConstantsFrom(_work);
            }
            _snapshot.Seal();
            _sealed = true;
        }

        /// <summary>Seals and sets the absolute release of scan 0 (us on the executive's clock).</summary>
        public void Start(long firstReleaseUs)
        {
            if (_started) throw new InvalidOperationException("already started");
            Seal();
            _nextReleaseUs = firstReleaseUs;
            _started = true;
        }

        /// <summary>T2, at start-up (after <see cref="Seal"/>): a status copy to refresh with <see cref="TryReadStatus"/>.</summary>
        public ScanStatus CreateStatus()
        {
            if (!_sealed) throw new InvalidOperationException("seal the executive first");
            ScanStatus s = new ScanStatus(_taskCount);
            s.CopyConstantsFrom(_work);
            return s;
        }

        /// <summary>Any thread: copies the latest published statistics into <paramref name="status"/> (lock-free).</summary>
        /// <returns>False before the first scan or when the scan kept overwriting during every attempt.</returns>
        public bool TryReadStatus(ScanStatus status)
        {
            if (status == null) throw new ArgumentNullException("status");
            if (!_sealed || status.TaskCount != _taskCount) throw new ArgumentException("status from CreateStatus required");
            for (int attempt = 0; attempt < 16; attempt++)
            {
                int seq;
                int b = _statusSeq.BeginRead(out seq);
                if (b < 0) return false;
                if ((seq & 1) != 0) continue;
                status.CopyFrom(_published[b]);
                if (_statusSeq.EndRead(b, seq)) return true;
            }
            return false;
        }

        /// <summary>
        /// Any thread (the console's real-time stop byte, a stop command): sets a flag the next scan consumes;
        /// that scan sees <see cref="ScanContext.StopRequested"/> and logs <see cref="EventCode.StopRequested"/>
        /// (detail: <paramref name="sourceId"/>). Works when the command queue is full.
        /// </summary>
        public void RequestStop(int sourceId)
        {
            Interlocked.Exchange(ref _stopSource, sourceId);
            Interlocked.Exchange(ref _stopRequest, 1);
        }

        /// <summary>Any thread: like <see cref="RequestStop"/> for <see cref="ScanContext.ResumeRequested"/>.</summary>
        public void RequestResume(int sourceId)
        {
            Interlocked.Exchange(ref _resumeSource, sourceId);
            Interlocked.Exchange(ref _resumeRequest, 1);
        }

        /// <summary>
        /// Runs exactly one scan if it is due (clock at or past <see cref="NextReleaseUs"/>). The lockstep runner
        /// advances the simulated clock and calls this; the device runner calls it at the release.
        /// Before <see cref="Start"/>, the first call starts the executive with scan 0 released now.
        /// </summary>
        /// <returns>True when a scan ran; false when called before the release (nothing happens).</returns>
        /// <exception cref="Exception">Whatever a task threw, after the executive drove the safe state and latched <see cref="Faulted"/>.</exception>
        public bool RunOnce()
        {
            long startUs = _clock.NowMicros;
            if (!_started) Start(startUs);
            if (startUs < _nextReleaseUs) return false;

            long releaseUs = _nextReleaseUs;
            long deadlineUs = releaseUs + _periodUs;
            ScanContext ctx = _ctx;
            ScanStatus w = _work;
            ctx._scanNumber = _scanNumber;
            ctx._releaseUs = releaseUs;
            ctx._deadlineUs = deadlineUs;
            ctx._startUs = startUs;
            ctx._taskStartUs = startUs;
            ctx._taskIndex = -1;
            ctx._dtS = _periodUs * 1e-6;
            ConsumeFlags(ctx);

            int latencyUs = ToInt(startUs - releaseUs);
            w._lastLatencyUs = latencyUs;
            if (latencyUs > w._maxLatencyUs) w._maxLatencyUs = latencyUs;
            w._lastReleaseUs = releaseUs;

            if (_faulted)
            {
                EnterSafeState();
                FinishScan(releaseUs, _clock.NowMicros, false);
                return true;
            }

            ctx._tripped = _tripped;
            _commands.Drain(ctx);
            ctx._tripped = _tripped;          // a reset command may have cleared it

            int culprit;
            try
            {
                culprit = RunTasks(ctx, releaseUs);
            }
            catch (Exception)
            {
                _faulted = true;
                w._faulted = true;
                w._faultTaskIndex = _currentTask;
                _currentTask = -1;
                EnterSafeState();
                FinishScan(releaseUs, _clock.NowMicros, true);
                throw;
            }
            if (_tripped) EnterSafeState();

            _snapshot.Publish(_scanNumber, startUs, _clock.WallClockValid ? _clock.UtcUnixMillis : 0);

            long endUs = _clock.NowMicros;
            int cycleUs = ToInt(endUs - startUs);
            w._lastCycleUs = cycleUs;
            if (_scansSinceReset == 0 || cycleUs < w._minCycleUs) w._minCycleUs = cycleUs;
            if (cycleUs > w._maxCycleUs) w._maxCycleUs = cycleUs;
            _scansSinceReset++;
            _cycleSumUs += cycleUs;
            _cycleWindowRuns++;
            if (_cycleWindowRuns == _statsWindow)
            {
                w._avgCycleUs = (int)(_cycleSumUs / _cycleWindowRuns);
                _cycleSumUs = 0;
                _cycleWindowRuns = 0;
                _cycleAvgDone = true;
            }
            else if (!_cycleAvgDone)
            {
                w._avgCycleUs = (int)(_cycleSumUs / _cycleWindowRuns);
            }

            bool overrun = endUs > deadlineUs;
            if (overrun) OnOverrun(culprit);
            FinishScan(releaseUs, endUs, overrun);
            return true;
        }

        private int RunTasks(ScanContext ctx, long releaseUs)
        {
            ScanStatus w = _work;
            long scan = _scanNumber;
            bool tripped = _tripped;
            int worstExcessUs = 0;
            int worstExcessTask = -1;
            int longestUs = -1;
            int longestTask = -1;
            long t0 = _clock.NowMicros;
            for (int k = 0; k < _taskCount; k++)
            {
                int i = _exec[k];
                if (tripped && !_runWhenTripped[i]) continue;
                if (scan % _divisor[i] != _phase[i]) continue;
                long last = _lastReleaseUs[i];
                ctx._dtS = last < 0 ? _divisor[i] * _periodUs * 1e-6 : (releaseUs - last) * 1e-6;
                _lastReleaseUs[i] = releaseUs;
                ctx._taskIndex = i;
                ctx._taskStartUs = t0;
                _currentTask = i;
                _tasks[i].Run(ctx);
                long t1 = _clock.NowMicros;
                int us = ToInt(t1 - t0);
                t0 = t1;

                w._taskRuns[i]++;
                w._taskLastUs[i] = us;
                if (_runsSinceReset[i] == 0 || us < w._taskMinUs[i]) w._taskMinUs[i] = us;
                if (us > w._taskMaxUs[i]) w._taskMaxUs[i] = us;
                _runsSinceReset[i]++;
                _sumUs[i] += us;
                _windowRuns[i]++;
                if (_windowRuns[i] == _statsWindow)
                {
                    w._taskAvgUs[i] = (int)(_sumUs[i] / _windowRuns[i]);
                    _sumUs[i] = 0;
                    _windowRuns[i] = 0;
                    _avgDone[i] = true;
                }
                else if (!_avgDone[i])
                {
                    w._taskAvgUs[i] = (int)(_sumUs[i] / _windowRuns[i]);
                }
                int excessUs = us - _budgetUs[i];
                if (excessUs > 0)
                {
                    w._taskBudgetOverruns[i]++;
                    w._lastBudgetOverrunTaskIndex = i;
                    if (excessUs > worstExcessUs)
                    {
                        worstExcessUs = excessUs;
                        worstExcessTask = i;
                    }
                }
                if (us > longestUs)
                {
                    longestUs = us;
                    longestTask = i;
                }
            }
            _currentTask = -1;
            ctx._taskIndex = -1;
            return worstExcessTask >= 0 ? worstExcessTask : longestTask;
        }

        private void OnOverrun(int culprit)
        {
            ScanStatus w = _work;
            long scan = _scanNumber;
            w._overrunCount++;
            w._lastOverrunTaskIndex = culprit;
            w._lastOverrunScan = scan;
            _alarms.Raise((int)AlarmCode.ScanOverrun, culprit);

            // Ring of the scan numbers of the last N overruns: N within M scans trips.
            int n = _overrunScans.Length;
            _overrunScans[_overrunNext] = scan;
            _overrunNext = _overrunNext + 1 == n ? 0 : _overrunNext + 1;
            if (_overrunCount < n) _overrunCount++;
            if (_tripped || _overrunCount < n) return;
            long oldest = _overrunScans[_overrunNext];
            if (scan - oldest < _tripWindowScans)
            {
                _tripped = true;
                w._tripped = true;
                w._tripCount++;
                EnterSafeState();
                _alarms.Raise((int)AlarmCode.ScanOverrunTrip, culprit);
            }
        }

        /// <summary>Schedules the next release, kicks, publishes statistics, advances the scan number.</summary>
        private void FinishScan(long releaseUs, long endUs, bool publishNow)
        {
            ScanStatus w = _work;
            long next = releaseUs + _periodUs;
            if (endUs > next)
            {
                // First boundary not yet passed: ceil((end - release) / period) periods after this release.
                long periods = (endUs - releaseUs + _periodUs - 1) / _periodUs;
                next = releaseUs + periods * _periodUs;
                w._missedPeriods += periods - 1;
            }
            _nextReleaseUs = next;
            w._scanCount = _scanNumber + 1;
            w._commandsExecuted = _commands.ExecutedCountScanSide;
            w._commandQueueFullCount = _commands.FullCountRelaxed;
            if (!_faulted)
            {
                _watchdog.Kick();
                w._watchdogKicks++;
            }
            if (publishNow || _faulted || _scanNumber % _statusDivisor == 0)
            {
                int b = _statusSeq.BeginWrite();
                _published[b].CopyFrom(w);
                _statusSeq.EndWrite(b);
            }
            _scanNumber++;
        }

        private void EnterSafeState()
        {
            for (int i = 0; i < _safeCount; i++)
            {
                try
                {
                    _safeStates[i].EnterSafeState();
                }
                catch (Exception)
                {
                    // A hook that cannot de-energize leaves only the hardware path: stop kicking.
                    _faulted = true;
                    _work._faulted = true;
                }
            }
        }

        private void ConsumeFlags(ScanContext ctx)
        {
            ctx._stopRequested = Interlocked.Exchange(ref _stopRequest, 0) != 0;
            if (ctx._stopRequested && _events != null)
            {
                _events.Add((int)EventCode.StopRequested, Interlocked.CompareExchange(ref _stopSource, 0, 0));
            }
            ctx._resumeRequested = Interlocked.Exchange(ref _resumeRequest, 0) != 0;
            if (ctx._resumeRequested && _events != null)
            {
                _events.Add((int)EventCode.ResumeRequested, Interlocked.CompareExchange(ref _resumeSource, 0, 0));
            }
        }

        private int ResetScanFaults(ScanContext ctx)
        {
            ScanStatus w = _work;
            if (_tripped)
            {
                if (w._lastOverrunScan >= 0 && ctx._scanNumber - w._lastOverrunScan < _tripWindowScans)
                {
                    return (int)ErrorCode.ConditionPresent;
                }
                _tripped = false;
                w._tripped = false;
                _overrunCount = 0;
                _overrunNext = 0;
                ResetAlarm((int)AlarmCode.ScanOverrunTrip);
            }
            ResetAlarm((int)AlarmCode.ScanOverrun);
            if (!_commands.IsFull) ResetAlarm((int)AlarmCode.CommandQueueFull);
            return ScanCommand.Ok;
        }

        private int ResetStatistics()
        {
            ScanStatus w = _work;
            w._minCycleUs = 0;
            w._maxCycleUs = 0;
            w._avgCycleUs = 0;
            w._maxLatencyUs = 0;
            w._lastBudgetOverrunTaskIndex = -1;
            _scansSinceReset = 0;
            _cycleSumUs = 0;
            _cycleWindowRuns = 0;
            _cycleAvgDone = false;
            for (int i = 0; i < _taskCount; i++)
            {
                w._taskMinUs[i] = 0;
                w._taskMaxUs[i] = 0;
                w._taskAvgUs[i] = 0;
                w._taskBudgetOverruns[i] = 0;
                _runsSinceReset[i] = 0;
                _sumUs[i] = 0;
                _windowRuns[i] = 0;
                _avgDone[i] = false;
            }
            return ScanCommand.Ok;
        }

        private void ResetAlarm(int code)
        {
            if (_alarms.Reset(code) && _events != null) _events.Add((int)EventCode.AlarmReset, code);
        }

        private ScanStatus NewStatusTemplate(int n)
        {
            ScanStatus s = new ScanStatus(n);
            s._periodUs = _periodUs;
            s._lastOverrunTaskIndex = -1;
            s._lastOverrunScan = -1;
            s._lastBudgetOverrunTaskIndex = -1;
            s._faultTaskIndex = -1;
            for (int i = 0; i < n; i++)
            {
                s._taskNames[i] = _names[i];
                s._taskRateDivisors[i] = _divisor[i];
                s._taskPhases[i] = _phase[i];
                s._taskBudgetUs[i] = _budgetUs[i];
            }
            return s;
        }

        private void CheckComposing()
        {
            if (_sealed) throw new InvalidOperationException("the task table is fixed once the scan is sealed");
        }

        private static int ToInt(long us)
        {
            if (us < 0) return 0;
            return us > int.MaxValue ? int.MaxValue : (int)us;
        }

        /// <summary>The executive's own command range (kept off its public surface).</summary>
        private sealed class OwnCommands : IScanCommandHandler
        {
            private readonly ScanExecutive _owner;

            internal OwnCommands(ScanExecutive owner) { _owner = owner; }

            public int Execute(ScanCommand command, ScanContext ctx)
            {
                switch (command.Code)
                {
                    case ScanCommandCode.ResetScanFaults: return _owner.ResetScanFaults(ctx);
                    case ScanCommandCode.ResetStatistics: return _owner.ResetStatistics();
                    default: return (int)ErrorCode.UnknownCommand;
                }
            }
        }
    }
}
