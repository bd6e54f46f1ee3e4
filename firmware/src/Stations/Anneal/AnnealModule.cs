using Tfb.Codes;
using Tfb.Hal;
using Tfb.Runtime;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Shell;
using Tfb.Sparkplug;

namespace Tfb.Stations.Anneal
{
    /// <summary>
    /// The anneal station: a multi-zone furnace ramp/soak programmer with per-zone PID, an independent
    /// over-temperature limit channel, power-fail recovery, programs stored in settings. See docs/anneal.md.
    /// </summary>
    /// <remarks>
    /// I/O by logical name: per zone n (1..3, as many as the board has <c>heater_zn_ssr</c> outputs)
    /// <c>zonen_tc</c> (control TC, ain, C) or SPI device <c>tc_zonen</c> (a MAX31856), <c>heater_zn_ssr</c> (dout); <c>heater_contactor</c> (dout);
    /// limit: <c>zonen_limit_tc</c> (ain) and/or <c>overtemp_limit_ok</c> (din, an external limit relay) - at
    /// least one; optional <c>door_closed</c> (din), <c>o2_valve</c> (dout), <c>o2_flow</c> (ain, slpm), NV
    /// partition <c>anneal</c> (power-fail record; without it a power cycle aborts the program).
    /// Threading: the controller and limit channel run on the scan; console and MQTT (T2) read the snapshot and
    /// post scan commands; everything that changes control state happens on the scan thread.
    /// </remarks>
    public sealed class AnnealModule : IStationModule, IStatusProvider, ISettingValidator, IEdgeNodeModule
    {
        /// <summary>Number of stored programs.</summary>
        public const int ProgramSlots = 4;
        /// <summary>Longest program text, characters.</summary>
        public const int MaxProgramText = 240;
        /// <summary>The default LiCoO2 anneal: 5 C/min to 700 C, 120 min soak in O2 (holdback band 10 C), cool at 5 C/min to 200 C, off.</summary>
        public const string DefaultProgram = "ramp,5,700,band10,o2 dwell,120,band10,o2 ramp,5,200,o2 end,off";
        /// <summary>
        /// The rapid-thermal variant: 25 C/min to 750 C (what a kiln-sized furnace can follow near 750 C; a lamp RTA
        /// does 50-100 C/min), 15 min soak in O2, cool at 5 C/min to 200 C, off.
        /// </summary>
        public const string RapidProgram = "ramp,25,750,band10,o2 dwell,15,band10,o2 ramp,5,200,o2 end,off";
        /// <summary>Scan-command source id of the anneal console and MQTT requests.</summary>
        public const int SourceAnneal = 40;

        private readonly int[] _programSetting = new int[ProgramSlots + 1];
        private readonly int[] _zoneSetting = new int[AnnealController.MaxZones * 6];
        private readonly AnnealProgram _checkProgram = new AnnealProgram();
        private readonly ProgramLimits _checkLimits = new ProgramLimits();
        private readonly object _checkSync = new object();
        private int _sLimit, _sMaxTemp, _sMaxRate, _sMaxHold, _sPfMode, _sPfMaxOff, _sTcWindow, _sTcBad, _sCycle,
            _sO2Min, _sO2Delay, _sBaseline, _sSchedLow, _sSchedHigh, _sApproach, _sLead, _sSelect;
        private BoardRuntime _runtime;
        private AnnealController _ctl;
        private AnnealPublisher _publisher;
        private int _settingsVersion = -1;
        private ScanSnapshotReader _reader;
        private readonly object _copySync = new object();
        private AnnealMetrics _metrics;

        /// <summary>Station name.</summary>
        public string Name { get { return "anneal"; } }

        /// <summary>The controller (scan side; for tests and the benchmark).</summary>
        public AnnealController Controller { get { return _ctl; } }

        /// <summary>The runtime it is attached to.</summary>
        public BoardRuntime Runtime { get { return _runtime; } }

        /// <summary>The snapshot publisher (field indices).</summary>
        internal AnnealPublisher Publisher { get { return _publisher; } }

        /// <inheritdoc />
        public void DeclareSettings(SettingsRegistry s)
        {
            AccessLevel tech = AccessLevel.Technician, eng = AccessLevel.Engineer;
            for (int p = 1; p <= ProgramSlots; p++)
            {
                string def = p == 1 ? DefaultProgram : (p == 2 ? RapidProgram : "");
                _programSetting[p] = s.Add(SettingDef.Text("anneal.program." + p, MaxProgramText, def, tech,
                    "Program " + p + ": segments (docs/anneal.md); refused while a program runs"));
                s.SetValidator(_programSetting[p], this);
            }
            _sSelect = s.Add(SettingDef.Number("anneal.program.select", "", SettingType.Integer, 1, ProgramSlots, 1, tech, "Program that Program/Start runs"));
            _sLimit = s.Add(SettingDef.Number("anneal.limit.tempC", "degC", SettingType.Real, 100, 1200, 760, eng, "Limit channel trip temperature (20-50 C above the highest program temperature)"));
            s.SetValidator(_sLimit, this);
            _sMaxTemp = s.Add(SettingDef.Number("anneal.program.maxTempC", "degC", SettingType.Real, 100, 1100, 900, eng, "Highest temperature a program may name"));
            _sMaxRate = s.Add(SettingDef.Number("anneal.program.maxRateCPerMin", "degC/min", SettingType.Real, 0.1, 200, 100, eng, "Fastest ramp a program may name"));
            _sMaxHold = s.Add(SettingDef.Number("anneal.holdback.maxHoldMin", "min", SettingType.Real, 1, 1440, 60, tech, "Holdback longer than this raises alarm 4020"));
            _sPfMode = s.Add(SettingDef.Number("anneal.powerfail.mode", "", SettingType.Integer, 0, 3, 1, tech, "Power-fail recovery: 0 continue, 1 ramp back, 2 hold, 3 abort"));
            _sPfMaxOff = s.Add(SettingDef.Number("anneal.powerfail.maxOffMin", "min", SettingType.Real, 0, 1440, 30, tech, "Longest power failure that is recovered; longer aborts"));
            _sTcWindow = s.Add(SettingDef.Number("anneal.tc.windowS", "s", SettingType.Real, 0.5, 60, 4, eng, "Thermocouple error-rate window (2 SSR cycles)"));
            _sTcBad = s.Add(SettingDef.Number("anneal.tc.maxBadPct", "%", SettingType.Real, 1, 100, 30, eng, "Bad-read share in the window that is a TC fault"));
            _sCycle = s.Add(SettingDef.Number("anneal.ssr.cycleS", "s", SettingType.Real, 0.5, 20, 2, eng, "SSR time-proportioning cycle"));
            _sO2Min = s.Add(SettingDef.Number("anneal.o2.minFlowSlpm", "slpm", SettingType.Real, 0, 10, 1, tech, "O2 flow below this starves an O2 segment"));
            _sO2Delay = s.Add(SettingDef.Number("anneal.o2.delayS", "s", SettingType.Real, 1, 600, 30, tech, "Time the O2 flow may take to establish"));
            _sBaseline = s.Add(SettingDef.Flag("anneal.ctl.baseline", false, eng, "Plain PID: fixed gains, no feed-forward, no holdback, no ramp rounding (comparison)"));
            _sSchedLow = s.Add(SettingDef.Number("anneal.ctl.scheduleLowC", "degC", SettingType.Real, 0, 1100, 100, eng, "Gain schedule low breakpoint"));
            _sSchedHigh = s.Add(SettingDef.Number("anneal.ctl.scheduleHighC", "degC", SettingType.Real, 0, 1100, 700, eng, "Gain schedule high breakpoint"));
            _sApproach = s.Add(SettingDef.Number("anneal.ctl.approachS", "s", SettingType.Real, 0, 1200, 150, eng, "Ramp rounding time constant into a soak (0 = sharp corner)"));
            _sLead = s.Add(SettingDef.Number("anneal.ctl.leadS", "s", SettingType.Real, 0, 600, 70, eng, "Feed-forward lead: heater and thermocouple lag (0 = none)"));
            ZoneTuning d = new ZoneTuning();
            for (int z = 0; z < AnnealController.MaxZones; z++)
            {
                string p = "anneal.z" + (z + 1) + ".";
                int b = z * 6;
                _zoneSetting[b] = s.Add(SettingDef.Number(p + "kpLow", "%/degC", SettingType.Real, 0.01, 100, d.KpLow, eng, "Proportional gain at the low breakpoint"));
                _zoneSetting[b + 1] = s.Add(SettingDef.Number(p + "tiLowS", "s", SettingType.Real, 0, 20000, d.TiLowS, eng, "Integral time at the low breakpoint (0 = none)"));
                _zoneSetting[b + 2] = s.Add(SettingDef.Number(p + "kpHigh", "%/degC", SettingType.Real, 0.01, 100, d.KpHigh, eng, "Proportional gain at the high breakpoint"));
                _zoneSetting[b + 3] = s.Add(SettingDef.Number(p + "tiHighS", "s", SettingType.Real, 0, 20000, d.TiHighS, eng, "Integral time at the high breakpoint (0 = none)"));
                _zoneSetting[b + 4] = s.Add(SettingDef.Number(p + "tdS", "s", SettingType.Real, 0, 1000, d.TdS, eng, "Derivative time (on the measurement)"));
                _zoneSetting[b + 5] = s.Add(SettingDef.Number(p + "ffPctPerCpm", "%/(degC/min)", SettingType.Real, 0, 50, d.FeedForwardPctPerCpm, eng, "Ramp feed-forward"));
            }
        }

        /// <inheritdoc />
        public void Attach(BoardRuntime runtime)
        {
            _runtime = runtime;
            IBoardIo io = runtime.Io;
            int zones = 0;
            while (zones < AnnealController.MaxZones && io.DigitalOutput("heater_z" + (zones + 1) + "_ssr") != null) zones++;
            if (zones == 0) throw new System.InvalidOperationException("anneal: no heater_z1_ssr output");
            IAnalogInput[] tc = new IAnalogInput[zones];
            IDigitalOutput[] ssr = new IDigitalOutput[zones];
            IAnalogInput[] limitTc = new IAnalogInput[zones];
            int limitInputs = 0;
            for (int i = 0; i < zones; i++)
            {
                tc[i] = io.AnalogInput("zone" + (i + 1) + "_tc");
                if (tc[i] == null)
                {
                    // Real boards read their control thermocouples through MAX31856 converters.
                    ISpiTransfer spi = io.SpiDevice("tc_zone" + (i + 1));
                    if (spi != null) tc[i] = new Max31856Thermocouple(spi);
                }
                if (tc[i] == null) throw new System.InvalidOperationException("anneal: no zone" + (i + 1) + "_tc input or tc_zone" + (i + 1) + " converter");
                ssr[i] = io.DigitalOutput("heater_z" + (i + 1) + "_ssr");
                limitTc[i] = io.AnalogInput("zone" + (i + 1) + "_limit_tc");
                if (limitTc[i] != null) limitInputs++;
            }
            IDigitalInput external = io.DigitalInput("overtemp_limit_ok");
            IDigitalOutput contactor = io.DigitalOutput("heater_contactor");
            if (contactor == null) throw new System.InvalidOperationException("anneal: no heater_contactor output");
            if (limitInputs == 0 && external == null) throw new System.InvalidOperationException("anneal: no limit channel input");
            LimitChannel limit = new LimitChannel(limitTc, external, contactor, runtime.Alarms);
            INvStore nv = io.NvStore("anneal");
            ProgramRecord record = nv != null ? new ProgramRecord(nv) : null;
            _ctl = new AnnealController(tc, ssr, contactor, io.DigitalOutput("o2_valve"), io.AnalogInput("o2_flow"),
                io.DigitalInput("door_closed"), limit, record, runtime.Alarms, runtime.Events, runtime.Clock);
            RefreshConfig();
            _publisher = new AnnealPublisher(this, runtime.Scan.Snapshot);

            // Limit first and even while the scan is tripped; then the controller; then the snapshot.
            runtime.Scan.AddTask("anneal.limit", limit, 1, 0, 500, 200, true);
            runtime.Scan.AddTask("anneal", _ctl, 1, 0, 1500, 300);
            runtime.Scan.AddTask("anneal.publish", _publisher, 1, 0, 500, 900, true);
            runtime.Scan.AddCommandHandler(AnnealCommand.First, AnnealCommand.Last, _ctl);
            runtime.Commissioning.AddForcePermit(new AnnealForcePermit(this));
            AnnealCommands.Register(this, runtime.Shell);
            runtime.Shell.AddStatusProvider(this);
            _reader = new ScanSnapshotReader(runtime.Scan.Snapshot, _copySync);
        }

        /// <summary>Copies settings into the controller's configuration (scan thread, when the settings version changed).</summary>
        internal void RefreshConfig()
        {
            SettingsRegistry s = _runtime.Settings;
            int version = s.Version;
            if (version == _settingsVersion) return;
            _settingsVersion = version;
            AnnealConfig c = _ctl.Config;
            c.LimitC = s.GetNumber(_sLimit);
            c.Limits.MaxTempC = s.GetNumber(_sMaxTemp);
            c.Limits.MaxRateCPerMin = s.GetNumber(_sMaxRate);
            c.MaxHoldS = s.GetNumber(_sMaxHold) * 60;
            c.PowerFail = (PowerFailMode)s.GetInt(_sPfMode);
            c.MaxOffS = s.GetNumber(_sPfMaxOff) * 60;
            c.TcWindowS = s.GetNumber(_sTcWindow);
            c.TcMaxBadFraction = s.GetNumber(_sTcBad) / 100.0;
            c.CycleS = s.GetNumber(_sCycle);
            c.O2MinSlpm = s.GetNumber(_sO2Min);
            c.O2DelayS = s.GetNumber(_sO2Delay);
            c.Baseline = s.GetBool(_sBaseline);
            c.ScheduleLowC = s.GetNumber(_sSchedLow);
            c.ScheduleHighC = s.GetNumber(_sSchedHigh);
            c.ApproachS = s.GetNumber(_sApproach);
            c.LeadS = s.GetNumber(_sLead);
            for (int p = 1; p <= ProgramSlots; p++) _ctl.ProgramTexts[p] = s.GetText(_programSetting[p]);
            for (int z = 0; z < _ctl.ZoneCount; z++)
            {
                ZoneTuning t = _ctl.Zone(z).Tuning;
                int b = z * 6;
                t.KpLow = s.GetNumber(_zoneSetting[b]);
                t.TiLowS = s.GetNumber(_zoneSetting[b + 1]);
                t.KpHigh = s.GetNumber(_zoneSetting[b + 2]);
                t.TiHighS = s.GetNumber(_zoneSetting[b + 3]);
                t.TdS = s.GetNumber(_zoneSetting[b + 4]);
                t.FeedForwardPctPerCpm = s.GetNumber(_zoneSetting[b + 5]);
            }
            _ctl.ConfigChanged = true;
        }

        /// <summary>Stores a sane autotune result as the zone's gains at the breakpoint nearer the tune temperature (scan thread).</summary>
        internal void StoreTune(int zone)
        {
            ZoneLoop z = _ctl.Zone(zone - 1);
            double kp, ti, td;
            z.TuneGains(out kp, out ti, out td);
            SettingsRegistry s = _runtime.Settings;
            bool high = System.Math.Abs(z.TuneSetpointC - _ctl.Config.ScheduleHighC) < System.Math.Abs(z.TuneSetpointC - _ctl.Config.ScheduleLowC);
            int b = (zone - 1) * 6;
            ErrorCode err;
            bool ok = s.TrySetNumber(_zoneSetting[b + (high ? 2 : 0)], kp, out err)
                & s.TrySetNumber(_zoneSetting[b + (high ? 3 : 1)], ti, out err)
                & s.TrySetNumber(_zoneSetting[b + 4], td, out err);
            if (ok) _runtime.Events.Add((int)EventCode.AnnealAutotuneDone, zone);
            else _runtime.Alarms.Raise((int)AlarmCode.AnnealAutotuneFailed, zone);
        }

        /// <summary>Setting index of program <paramref name="number"/> (1-based).</summary>
        public int ProgramSetting(int number) { return _programSetting[number]; }

        /// <summary>Setting index of the program Program/Start runs.</summary>
        public int SelectSetting { get { return _sSelect; } }

        /// <summary>Reads the latest snapshot into the module's shared copy (T2; null before the first publication).</summary>
        internal ScanSnapshotCopy ReadSnapshot()
        {
            return _reader == null ? null : _reader.Latest();
        }

        /// <summary>Programmer state from the latest snapshot (T2).</summary>
        internal ProgramState SnapshotState()
        {
            if (_reader == null) return ProgramState.Idle;
            lock (_copySync)
            {
                // Unknown is not idle: edits and idle-only commands are refused until the state can be read.
                SnapshotRead r = _reader.Read();
                if (r == SnapshotRead.NotYetPublished) return ProgramState.Idle;
                if (r == SnapshotRead.Unreadable) return ProgramState.Unknown;
                return (ProgramState)_reader.Copy.Ints[_publisher.State];
            }
        }

        /// <summary>Checks a program text against the current limits (T2; serialized).</summary>
        public bool CheckProgram(string text, out ErrorCode error, out int position, out double maxTempC)
        {
            lock (_checkSync)
            {
                SettingsRegistry s = _runtime != null ? _runtime.Settings : null;
                if (s != null)
                {
                    _checkLimits.MaxTempC = s.GetNumber(_sMaxTemp);
                    _checkLimits.MaxRateCPerMin = s.GetNumber(_sMaxRate);
                }
                bool ok = _checkProgram.TryParse(text, _checkLimits, out error);
                position = _checkProgram.ErrorPosition;
                maxTempC = ok ? _checkProgram.MaxTempC : double.NaN;
                return ok;
            }
        }

        /// <summary>Setting validation: programs must parse and may not change while a program is active; the limit may not change then.</summary>
        public bool Check(int index, double number, string text, out ErrorCode error)
        {
            error = ErrorCode.BadArgument;
            // Before Attach (stored settings loading at boot) nothing runs: only the syntax is checked.
            bool active = _runtime != null && _publisher != null && SnapshotState() != ProgramState.Idle;
            if (index == _sLimit)
            {
                if (active) { error = ErrorCode.NotIdle; return false; }
                return true;
            }
            if (active) { error = ErrorCode.NotIdle; return false; }
            if (text == null) { error = ErrorCode.BadArgument; return false; }
            if (text.Length == 0) return true; // an empty slot: no program (refused at start)
            int pos;
            double max;
            return CheckProgram(text, out error, out pos, out max);
        }

        /// <inheritdoc />
        public bool IsIdle
        {
            get
            {
                if (_publisher == null) return true;
                if (_reader == null) return true;
                lock (_copySync)
                {
                    SnapshotRead r = _reader.Read();
                    if (r != SnapshotRead.Read) return r == SnapshotRead.NotYetPublished;
                    ScanSnapshotCopy c = _reader.Copy;
                    return (ProgramState)c.Ints[_publisher.State] == ProgramState.Idle && !c.Bools[_publisher.Heating] && !c.Bools[_publisher.Manual];
                }
            }
        }

        /// <summary>Posts a scan command (T2); false with Busy when the queue is full.</summary>
        internal bool Post(int code, int arg0, double value0, double value1, out ErrorCode error)
        {
            error = ErrorCode.BadArgument;
            if (_runtime.Scan.Commands.TryPost(code, SourceAnneal, arg0, 0, value0, value1)) return true;
            error = ErrorCode.Busy;
            return false;
        }

        /// <inheritdoc />
        public bool TryResetAlarm(int code, out ErrorCode error)
        {
            if (code < 4000 || code > 4999) { error = ErrorCode.BadArgument; return false; }
            ScanSnapshotCopy c = ReadSnapshot();
            if (c == null) { error = ErrorCode.Busy; return false; }
            bool healthy;
            lock (_copySync)
            {
                switch (code)
                {
                    case (int)AlarmCode.AnnealOverTemperatureTrip:
                    case (int)AlarmCode.AnnealLimitSensorFault:
                        healthy = c.Bools[_publisher.LimitResetAllowed];
                        break;
                    case (int)AlarmCode.AnnealZoneTcFault:
                        healthy = c.Bools[_publisher.TcClean];
                        break;
                    case (int)AlarmCode.AnnealDoorOpen:
                        healthy = c.Bools[_publisher.DoorClosed];
                        break;
                    default:
                        healthy = true;
                        break;
                }
            }
            if (!healthy) { error = ErrorCode.ConditionPresent; return false; }
            // The scan resets it at its next start (and re-checks the condition there).
            return Post(AnnealCommand.ResetAlarm, code, 0, 0, out error);
        }

        /// <inheritdoc />
        public string GetStatus()
        {
            ScanSnapshotCopy c = ReadSnapshot();
            if (c == null) return "state=unavailable";
            lock (_copySync) { return _publisher.Format(c); }
        }

        /// <inheritdoc />
        public void AttachEdgeNode(EdgeNodeSession session, SettingsCommandSink commands)
        {
            _metrics = new AnnealMetrics(this, session, commands);
        }

        /// <inheritdoc />
        public void RefreshMetrics()
        {
            if (_metrics == null) return;
            ScanSnapshotCopy c = ReadSnapshot();
            if (c == null) return;
            lock (_copySync) { _metrics.Refresh(c); }
        }

        /// <summary>The anneal board keeps no records of its own beyond the board's alarm and event logs.</summary>
        public void AttachStoreForward(StoreForwardQueue queue) { }

        /// <summary>Nothing to forward (see <see cref="AttachStoreForward"/>).</summary>
        public void ForwardRecords() { }
    }
}
