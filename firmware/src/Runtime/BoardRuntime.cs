using System.Collections;
using Tfb.Boards;
using Tfb.Codes;
using Tfb.Commissioning;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Runtime
{
    /// <summary>Sizes of a board runtime's fixed tables.</summary>
    public sealed class RuntimeOptions
    {
        /// <summary>Scan period in microseconds (10 ms: the 100 Hz the interlock scan needs).</summary>
        public int ScanPeriodUs = 10000;
        /// <summary>Settings the registry holds.</summary>
        public int SettingsCapacity = 160;
        /// <summary>Alarm raise/reset history kept.</summary>
        public int AlarmHistory = 256;
        /// <summary>Alarms active at once.</summary>
        public int MaxActiveAlarms = 64;
        /// <summary>Events kept.</summary>
        public int EventCapacity = 256;
        /// <summary>Maximum console line length.</summary>
        public int ConsoleLineLength = ShellSession.DefaultMaxLineLength;
    }

    /// <summary>
    /// The composition root shared by every board: real boards construct it in Program.Main over nanoFramework
    /// adapters, the virtual line over plant signals. It owns the logs, the settings, the scan executive, the
    /// board input monitor, the console core and the station modules, and implements the console's hooks.
    /// </summary>
    /// <remarks>
    /// Construct, <see cref="AddModule"/> for each station the board definition names, then <see cref="Boot"/>.
    /// After Boot the scan is ready: a board starts <see cref="ScanThreadRunner"/>, the virtual line calls
    /// <see cref="ScanExecutive.RunOnce"/> in lockstep. Console sessions come from <see cref="OpenConsole"/>.
    /// </remarks>
    public sealed class BoardRuntime : ILineControl, IAlarmResetter, IStatusProvider
    {
        /// <summary>Source id of console requests in the scan's event log.</summary>
        public const int SourceConsole = 1;

        private readonly ArrayList _modules = new ArrayList();
        private readonly object _resetSync = new object();
        private ScanSnapshotCopy _resetCopy;
        private ScanStatus _status;
        private bool _booted;

        /// <summary>Creates the runtime; nothing runs until <see cref="Boot"/>.</summary>
        public BoardRuntime(BoardDefinition board, IBoardIo io, IClock clock, BoardIdentity identity, RuntimeOptions options)
        {
            if (options == null) options = new RuntimeOptions();
            Board = board;
            // Station modules and the safe state see the forcing view, so a commissioning force and a module
            // never both drive a pin.
            ForcingIo = new ForcingBoardIo(io, board);
            Io = ForcingIo;
            Clock = clock;
            Identity = identity;
            Options = options;
            Alarms = new AlarmLog(options.AlarmHistory, options.MaxActiveAlarms, clock);
            Events = new LogRing(options.EventCapacity, clock);
            Settings = new SettingsRegistry(options.SettingsCapacity);
            ScanConfig config = new ScanConfig(options.ScanPeriodUs);
            config.MaxSnapshotDoubles = 128;
            config.MaxSnapshotBools = 128;
            config.MaxSnapshotInts = 64;
            Scan = new ScanExecutive(config, clock, io.Watchdog, Alarms, Events);
            Scan.AddSafeState(new BoardSafeState(Io));
            Inputs = new InputMonitor(board, Io, Scan.Snapshot, Alarms);
        }

        /// <summary>The board definition.</summary>
        public BoardDefinition Board { get; private set; }
        /// <summary>The board's HAL objects as modules see them (outputs through the commissioning forces).</summary>
        public IBoardIo Io { get; private set; }
        /// <summary>The same, typed: the commissioning commands hold forces here.</summary>
        public ForcingBoardIo ForcingIo { get; private set; }
        /// <summary>Where analog calibrations go (set before <see cref="Boot"/>; null: <c>cal</c> refuses).</summary>
        public ICalibrationSink CalibrationSink { get; set; }
        /// <summary>The broker test behind <c>net test</c> (set before <see cref="Boot"/>; null: not supported).</summary>
        public IConnectionTester ConnectionTester { get; set; }
        /// <summary>The commissioning commands (after <see cref="Boot"/>).</summary>
        public CommissioningModule Commissioning { get; private set; }
        /// <summary>The monotonic clock.</summary>
        public IClock Clock { get; private set; }
        /// <summary>Who the board is.</summary>
        public BoardIdentity Identity { get; private set; }
        /// <summary>Table sizes.</summary>
        public RuntimeOptions Options { get; private set; }
        /// <summary>The alarm log.</summary>
        public AlarmLog Alarms { get; private set; }
        /// <summary>The event log.</summary>
        public LogRing Events { get; private set; }
        /// <summary>The settings registry.</summary>
        public SettingsRegistry Settings { get; private set; }
        /// <summary>Settings persistence (null when the board declares no <c>settings</c> partition).</summary>
        public SettingsStore SettingsStore { get; private set; }
        /// <summary>What <see cref="SettingsStore"/> found at boot.</summary>
        public SettingsLoadOutcome SettingsOutcome { get; private set; }
        /// <summary>The scan executive.</summary>
        public ScanExecutive Scan { get; private set; }
        /// <summary>The board input task.</summary>
        public InputMonitor Inputs { get; private set; }
        /// <summary>The console core (after <see cref="Boot"/>).</summary>
        public ShellCore Shell { get; private set; }
        /// <summary>Number of station modules.</summary>
        public int ModuleCount { get { return _modules.Count; } }

        /// <summary>The station module at <paramref name="index"/>.</summary>
        public IStationModule Module(int index) { return (IStationModule)_modules[index]; }

        /// <summary>Adds a station module (before <see cref="Boot"/>).</summary>
        public void AddModule(IStationModule module)
        {
            if (_booted) throw new System.InvalidOperationException("modules are added before Boot");
            _modules.Add(module);
        }

        /// <summary>
        /// Declares settings, loads the stored ones (corrupt or unknown images boot with defaults and an alarm),
        /// builds the console, attaches the modules and seals the scan. Logs <see cref="EventCode.Boot"/>.
        /// </summary>
        public void Boot()
        {
            if (_booted) return;
            for (int i = 0; i < _modules.Count; i++) Module(i).DeclareSettings(Settings);
            INvStore settingsPartition = Io.NvStore("settings");
            if (settingsPartition != null) SettingsStore = new SettingsStore(settingsPartition, Settings, Alarms, Events);
            // The console declares its own settings (idle timeout, credentials): before the load.
            Shell = new ShellCore(Settings, SettingsStore, Alarms, Events, Clock, Identity, this, this);
            Commissioning = CommissioningModule.Register(Shell, Board, ForcingIo, CalibrationSink, ConnectionTester);
            SettingsOutcome = SettingsStore != null ? SettingsStore.Load() : SettingsLoadOutcome.Blank;
            Commissioning.AfterSettingsLoaded();

            Scan.AddTask("inputs", Inputs, 1, 0, 2000, 100, true);
            // Forces, their timeouts and calibration changes: every 100 ms at the 10 ms scan; runs while tripped
            // so a trip releases every force.
            int commissioningDivisor = 100000 / Options.ScanPeriodUs;
            if (commissioningDivisor < 1) commissioningDivisor = 1;
            Scan.AddTask("commissioning", Commissioning.ScanTask, commissioningDivisor, commissioningDivisor / 2, 2000, 550, true);
            for (int i = 0; i < _modules.Count; i++) Module(i).Attach(this);
            Shell.AddStatusProvider(this);
            Scan.Seal();
            _resetCopy = Scan.Snapshot.CreateCopy();
            _status = Scan.CreateStatus();
            Events.Add((int)EventCode.Boot, (int)SettingsOutcome);
            _booted = true;
        }

        /// <summary>A console session over <paramref name="link"/> (each has its own access level).</summary>
        public ShellSession OpenConsole(ISerialLink link, bool echo)
        {
            return new ShellSession(Shell, link, echo, Options.ConsoleLineLength);
        }

        /// <summary>True when every station module is idle (a board without modules is always idle).</summary>
        public bool IsIdle
        {
            get
            {
                for (int i = 0; i < _modules.Count; i++)
                {
                    if (!Module(i).IsIdle) return false;
                }
                return true;
            }
        }

        /// <summary>Controlled stop: a flag the scan consumes at its next start (works even with a full queue).</summary>
        public bool RequestStop(out ErrorCode error)
        {
            Scan.RequestStop(SourceConsole);
            error = ErrorCode.BadArgument;
            return true;
        }

        /// <summary>Resume: the modules check their interlocks when they see the flag.</summary>
        public bool RequestResume(out ErrorCode error)
        {
            if (Scan.Tripped)
            {
                error = ErrorCode.BadState;
                return false;
            }
            Scan.RequestResume(SourceConsole);
            error = ErrorCode.BadArgument;
            return true;
        }

        /// <summary>Controlled stop, then a reset of the board-level alarms whose condition is healthy.</summary>
        public bool RequestReset(out ErrorCode error)
        {
            Scan.RequestStop(SourceConsole);
            ErrorCode ignored;
            TryReset((int)AlarmCode.SensorFault, out ignored);
            TryReset((int)AlarmCode.InputReadFailed, out ignored);
            error = ErrorCode.BadArgument;
            return true;
        }

        /// <summary>
        /// Resets an alarm through its owner: the input monitor for sensor faults, the modules for theirs, the scan
        /// executive for its trip; alarms nobody owns (settings, storage, broker: reports of an event that is over)
        /// are acknowledged directly.
        /// </summary>
        public bool TryReset(int code, out ErrorCode error)
        {
            if (!Alarms.IsActive(code))
            {
                error = ErrorCode.BadState;
                return false;
            }
            if (code == (int)AlarmCode.SensorFault || code == (int)AlarmCode.InputReadFailed)
            {
                lock (_resetSync)
                {
                    if (!Scan.Snapshot.TryRead(_resetCopy))
                    {
                        error = ErrorCode.Busy;
                        return false;
                    }
                    return Inputs.TryReset(code, _resetCopy, out error);
                }
            }
            for (int i = 0; i < _modules.Count; i++)
            {
                if (Module(i).TryResetAlarm(code, out error)) return true;
                if (error != ErrorCode.BadArgument) return false;
            }
            if (code == (int)AlarmCode.ScanOverrunTrip)
            {
                // The executive decides (refused while overruns continue); the reply comes from the scan thread.
                int ticket;
                if (!Scan.Commands.TrySubmit(ScanCommandCode.ResetScanFaults, SourceConsole, 0, 0, 0, 0, out ticket))
                {
                    error = ErrorCode.Busy;
                    return false;
                }
                ScanCommandReply reply;
                if (!Scan.Commands.TryWait(ticket, 2000, out reply) || reply.Status != ScanReplyStatus.Completed)
                {
                    error = ErrorCode.Busy;
                    return false;
                }
                if (reply.Error != 0)
                {
                    error = (ErrorCode)reply.Error;
                    return false;
                }
                error = ErrorCode.BadArgument;
                return true;
            }
            Alarms.Reset(code);
            error = ErrorCode.BadArgument;
            return true;
        }

        /// <summary>Status provider name.</summary>
        public string Name { get { return "board"; } }

        /// <summary>One status line: scan statistics and alarm count.</summary>
        public string GetStatus()
        {
            lock (_resetSync)
            {
                if (_status == null || !Scan.TryReadStatus(_status)) return "scan=unavailable";
                return "scans=" + _status.ScanCount
                    + " cycleUs=" + _status.MinCycleUs + "/" + _status.AvgCycleUs + "/" + _status.MaxCycleUs
                    + " overruns=" + _status.OverrunCount
                    + (_status.Tripped ? " TRIPPED" : "")
                    + (_status.Faulted ? " FAULTED" : "")
                    + " alarms=" + Alarms.ActiveCount;
            }
        }

        private sealed class BoardSafeState : ISafeState
        {
            private readonly IBoardIo _io;

            public BoardSafeState(IBoardIo io) { _io = io; }

            public void EnterSafeState() { _io.AllOutputsSafe(); }
        }
    }
}
