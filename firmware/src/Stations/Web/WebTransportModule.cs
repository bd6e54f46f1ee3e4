using Tfb.Codes;
using Tfb.Hal;
using Tfb.Runtime;
using Tfb.Scan;
using Tfb.Settings;

namespace Tfb.Stations.Web
{
    /// <summary>
    /// The web transport station on a board: binds the board's web I/O, runs <see cref="WebController"/> in the
    /// scan, turns its faults into alarms, accepts scan commands (codes <see cref="WebCommandCode"/>), publishes
    /// a snapshot for the console and MQTT, and declares the station's settings (<c>web.*</c>).
    /// </summary>
    /// <remarks>
    /// Board I/O (logical names, see docs/web-transport.md): <c>span1_tension</c>, <c>span2_tension</c> (N);
    /// <c>&lt;roller&gt;_enc_period</c>, <c>&lt;roller&gt;_enc_age</c> (us) for unwind, drum, rewind;
    /// <c>unwind_torque_ref</c>, <c>rewind_torque_ref</c> (bipolar fraction, 0.5 = 0 N m), <c>drum_speed_ref</c>
    /// (fraction of speed full scale); <c>&lt;roller&gt;_enable</c> outputs, <c>&lt;roller&gt;_ready</c> inputs;
    /// <c>web_ok_permit</c> (the hard-wired sputter permit). A missing item makes <see cref="Attach"/> throw.
    /// Scan task "web": every scan, budget <see cref="BudgetUs"/>, after the input monitor. Per-scan work is allocation-free.
    /// Settings are copied into the controller's parameters on the scan thread when the registry's version changes.
    /// </remarks>
    public sealed class WebTransportModule : IStationModule, IScanTask, IScanCommandHandler, IEdgeNodeModule
    {
        /// <summary>
        /// Budget of the scan task, us. Host: the whole web-board scan takes about 5 us mean (web-bench). nanoFramework
        /// estimate (6-20 us per managed call, about 250 calls): 1.5-5 ms; not measured on a device.
        /// </summary>
        public const int BudgetUs = 4000;

        private static readonly int[] s_alarmOfBit =
        {
            (int)AlarmCode.WebBreak, (int)AlarmCode.WebOverTension, (int)AlarmCode.WebUnderTension,
            (int)AlarmCode.WebRadiusDivergence, (int)AlarmCode.WebEncoderFault, (int)AlarmCode.WebTensionSensorFault,
            (int)AlarmCode.WebDriveFault, (int)AlarmCode.WebSpeedDeviation, (int)AlarmCode.WebTensionImplausible,
        };

        private readonly WebParameters _p = new WebParameters();
        private readonly WebController _c;
        private readonly object _copySync = new object();
        private BoardRuntime _runtime;
        private SettingsRegistry _settings;
        private int _settingsVersion = -1;
        private int _settingSpeed, _settingTension;
        private double _pendingSpeedMps, _pendingTensionN;
        private bool _setpointsPending;
        private int _s0;
        private int _sCount;

        private IAnalogInput _t1, _t2;
        private readonly IAnalogInput[] _encPeriod = new IAnalogInput[3];
        private readonly IAnalogInput[] _encAge = new IAnalogInput[3];
        private IAnalogOutput _unwindRef, _drumRef, _rewindRef;
        private readonly IDigitalOutput[] _enable = new IDigitalOutput[3];
        private readonly IDigitalInput[] _ready = new IDigitalInput[3];
        private IDigitalOutput _permit;
        private ScanSnapshotReader _reader;

        /// <summary>Snapshot field indices (doubles): see <see cref="DeclareSnapshot"/>.</summary>
        internal int FState, FSpeedRef, FLineSpeed, FSpeedSet, FTensionSet, FT1, FT2, FT1Sp, FT2Sp, FTorqueU, FTorqueR, FRadiusU, FRadiusR, FRvU, FRvR, FTuneTu, FTuneA, FTuneKp, FTuneTi, FDrumRef;
        /// <summary>Snapshot field indices (ints).</summary>
        internal int FFaults, FBlocked, FTuneRoll, FTuneFail;
        /// <summary>Snapshot field indices (bools).</summary>
        internal int FPermit, FEnabled, FStopped, FManual, FTuneActive, FTuneSane, FTuneDone;

        /// <summary>Creates the module (settings and I/O come with DeclareSettings and Attach).</summary>
        public WebTransportModule()
        {
            _c = new WebController(_p);
        }

        /// <summary>Station name.</summary>
        public string Name { get { return "web-transport"; } }

        /// <summary>The controller (scan thread only; tests and benchmarks read it between scans).</summary>
        public WebController Controller { get { return _c; } }

        /// <summary>The parameters the controller runs with.</summary>
        public WebParameters Parameters { get { return _p; } }

        /// <summary>The board runtime (after Attach).</summary>
        public BoardRuntime Runtime { get { return _runtime; } }

        /// <summary>Alarm code of fault bit <paramref name="bit"/> (a single <see cref="WebFault"/> bit).</summary>
        public static int AlarmOf(int bit)
        {
            for (int i = 0; i < WebFault.Count; i++) if ((1 << i) == bit) return s_alarmOfBit[i];
            return 0;
        }

        /// <summary>Fault bit of alarm <paramref name="code"/>, or 0 when the code is not the module's.</summary>
        public static int BitOf(int code)
        {
            for (int i = 0; i < WebFault.Count; i++) if (s_alarmOfBit[i] == code) return 1 << i;
            return 0;
        }

        /// <summary>Declares the <c>web.*</c> settings (units and limits in each definition).</summary>
        public void DeclareSettings(SettingsRegistry settings)
        {
            _settings = settings;
            AccessLevel t = AccessLevel.Technician;
            AccessLevel e = AccessLevel.Engineer;
            _s0 = settings.Count;
            _settingSpeed = Add(settings, "web.speed.setMpm", "m/min", SettingType.Real, 0, 6, 1.0, t, "Line speed setpoint (applied in Run and Thread; never above web.speed.maxMpm)");
            Add(settings, "web.speed.maxMpm", "m/min", SettingType.Real, 0.001, 6, 1.0, e, "Highest line speed");
            Add(settings, "web.speed.accelMpmps", "m/min/s", SettingType.Real, 0.001, 6, 0.1, t, "Speed ramp acceleration");
            Add(settings, "web.speed.jerkMpmps2", "m/min/s2", SettingType.Real, 0.001, 60, 0.05, t, "Speed ramp jerk");
            Add(settings, "web.speed.faultDecelMpmps", "m/min/s", SettingType.Real, 0.01, 6, 1.0, e, "Deceleration of a fault stop");
            Add(settings, "web.speed.threadMaxMpm", "m/min", SettingType.Real, 0.001, 1, 0.1, e, "Highest jog speed while threading");
            _settingTension = Add(settings, "web.tension.setN", "N", SettingType.Real, 10, 1000, 300, t, "Running tension setpoint (within web.tension.minN..maxN)");
            Add(settings, "web.tension.minN", "N", SettingType.Real, 1, 1000, 50, e, "Lowest running tension setpoint");
            Add(settings, "web.tension.maxN", "N", SettingType.Real, 10, 1000, 500, e, "Highest running tension setpoint");
            Add(settings, "web.tension.threadN", "N", SettingType.Real, 5, 500, 100, t, "Threading tension");
            Add(settings, "web.tension.threadMaxN", "N", SettingType.Real, 10, 1000, 150, e, "Over-tension limit while threading");
            Add(settings, "web.tension.rampNps", "N/s", SettingType.Real, 1, 1000, 100, t, "Tension setpoint ramp");
            Add(settings, "web.drum.radiusMm", "mm", SettingType.Real, 10, 500, 100, e, "Process drum radius");
            Add(settings, "web.roll.coreRadiusMm", "mm", SettingType.Real, 5, 200, 38, e, "Core radius of both rolls");
            Add(settings, "web.roll.maxRadiusMm", "mm", SettingType.Real, 50, 600, 200, e, "Largest roll radius the stands take");
            Add(settings, "web.roll.unwindStartMm", "mm", SettingType.Real, 5, 600, 150, t, "Unwind radius of a new roll (web roll)");
            Add(settings, "web.roll.rewindStartMm", "mm", SettingType.Real, 5, 600, 40, t, "Rewind radius of a new roll (web roll)");
            Add(settings, "web.roll.baseInertiaKgm2", "kg m2", SettingType.Real, 0, 10, 0.01, e, "Motor + core inertia of each roll");
            Add(settings, "web.roll.viscousNms", "N m s/rad", SettingType.Real, 0, 10, 0.001, e, "Viscous friction of each roll");
            Add(settings, "web.roll.coulombNm", "N m", SettingType.Real, 0, 20, 0.02, e, "Coulomb friction of each roll");
            Add(settings, "web.web.thicknessUm", "um", SettingType.Real, 1, 20000, 20, t, "Web thickness (integrated radius)");
            Add(settings, "web.web.widthMm", "mm", SettingType.Real, 10, 2000, 300, t, "Web width");
            Add(settings, "web.web.densityKgm3", "kg/m3", SettingType.Real, 1000, 20000, 8000, e, "Web density");
            Add(settings, "web.drive.torqueFsNm", "N m", SettingType.Real, 1, 1000, 100, e, "Torque drive full scale (reference 0.5 +- 0.5)");
            Add(settings, "web.drive.speedFsMpm", "m/min", SettingType.Real, 0.1, 60, 6, e, "Speed drive full scale");
            Add(settings, "web.enc.countsPerRev", "", SettingType.Integer, 1, 1000000, 10000, e, "Encoder edges per revolution");
            Add(settings, "web.trim.kp", "N m/N", SettingType.Real, 0, 10, 0.005, t, "Tension trim gain at the reference radius");
            Add(settings, "web.trim.tiS", "s", SettingType.Real, 0.001, 100, 0.02, t, "Tension trim integral time");
            Add(settings, "web.trim.refRadiusMm", "mm", SettingType.Real, 10, 600, 100, e, "Radius the trim gain is given at");
            Add(settings, "web.trim.ff", "", SettingType.Boolean, 0, 1, 1, e, "Torque feed-forward on");
            Add(settings, "web.trim.gs", "", SettingType.Boolean, 0, 1, 1, e, "Gain scheduling on diameter on");
            Add(settings, "web.taper.mode", "", SettingType.Integer, 0, 2, 0, t, "Rewind taper: 0 none, 1 linear, 2 hyperbolic");
            Add(settings, "web.taper.startMm", "mm", SettingType.Real, 10, 1200, 200, t, "Taper start diameter");
            Add(settings, "web.taper.maxMm", "mm", SettingType.Real, 10, 1200, 400, t, "Linear taper end diameter");
            Add(settings, "web.taper.minPct", "%", SettingType.Real, 10, 100, 70, t, "Linear taper: tension at the end diameter");
            Add(settings, "web.taper.k", "", SettingType.Real, 0, 0.5, 0.3, t, "Hyperbolic taper factor");
            Add(settings, "web.fault.overPct", "%", SettingType.Real, 105, 300, 150, e, "Over-tension trip, % of setpoint");
            Add(settings, "web.fault.underPct", "%", SettingType.Real, 10, 95, 50, e, "Under-tension alarm, % of setpoint");
            Add(settings, "web.fault.hystPct", "%", SettingType.Real, 0, 20, 5, e, "Under-tension hysteresis, % of setpoint");
            Add(settings, "web.fault.underTimeoutS", "s", SettingType.Real, 0.1, 60, 2, e, "Under-tension timeout");
            Add(settings, "web.fault.graceS", "s", SettingType.Real, 0, 120, 8, e, "Start-up grace for under-tension");
            Add(settings, "web.fault.breakPct", "%", SettingType.Real, 5, 80, 20, e, "Web break: tension below this % of setpoint");
            Add(settings, "web.fault.breakMs", "ms", SettingType.Real, 10, 2000, 40, e, "Web break: for this long");
            Add(settings, "web.fault.radiusDivPct", "%", SettingType.Real, 2, 50, 12, e, "Radius divergence alarm");
            Add(settings, "web.fault.radiusDivS", "s", SettingType.Real, 0.1, 60, 1, e, "Radius divergence time");
            Add(settings, "web.fault.encMinPct", "%", SettingType.Real, 1, 100, 15, e, "Encoder pulse check above this % of max speed");
            Add(settings, "web.fault.speedDevPct", "%", SettingType.Real, 0.5, 50, 5, e, "Speed deviation alarm, % of max speed");
            Add(settings, "web.fault.speedDevS", "s", SettingType.Real, 0.1, 60, 2, e, "Speed deviation time");
            Add(settings, "web.permit.bandPct", "%", SettingType.Real, 1, 50, 10, e, "Sputter permit: tension within this % of setpoint");
            Add(settings, "web.tune.maxAmpN", "N", SettingType.Real, 1, 100, 20, e, "Largest autotune relay amplitude (as tension; torque = this x radius)");
            Add(settings, "web.fault.driftN", "N", SettingType.Real, 5, 500, 30, e, "Load-cell plausibility: |reading - torque-balance tension| above this, N");
            Add(settings, "web.fault.driftS", "s", SettingType.Real, 0.1, 60, 2, e, "Load-cell plausibility: for this long");
            _sCount = settings.Count - _s0;
        }

        private static int Add(SettingsRegistry r, string name, string unit, SettingType type, double min, double max, double def, AccessLevel level, string help)
        {
            int i = r.Add(SettingDef.Number(name, unit, type, min, max, def, level, help));
            if (i < 0) throw new System.InvalidOperationException("setting " + name);
            return i;
        }

        private double N(string name) { return _settings.GetNumber(_settings.IndexOf(name)); }

        /// <summary>Copies the settings into the parameters (scan thread, when the settings version changed).</summary>
        private void ApplySettings()
        {
            // Scan thread; runs only when a setting changed (a console or MQTT write), not per scan.
            SettingsRegistry s = _settings;
            int b = _s0;
            double mpm = 1.0 / 60.0;
            _p.MaxSpeedMps = s.GetNumber(b + 1) * mpm;
            _p.AccelMps2 = s.GetNumber(b + 2) * mpm;
            _p.JerkMps3 = s.GetNumber(b + 3) * mpm;
            _p.FaultDecelMps2 = s.GetNumber(b + 4) * mpm;
            _p.ThreadMaxSpeedMps = s.GetNumber(b + 5) * mpm;
            _p.MinTensionN = s.GetNumber(b + 7);
            _p.MaxTensionN = s.GetNumber(b + 8);
            _p.ThreadTensionN = s.GetNumber(b + 9);
            _p.ThreadMaxTensionN = s.GetNumber(b + 10);
            _p.TensionRampNps = s.GetNumber(b + 11);
            _p.DrumRadiusM = s.GetNumber(b + 12) * 1e-3;
            _p.UnwindCoreRadiusM = s.GetNumber(b + 13) * 1e-3;
            _p.RewindCoreRadiusM = _p.UnwindCoreRadiusM;
            _p.MaxRollRadiusM = s.GetNumber(b + 14) * 1e-3;
            _p.RollBaseInertiaKgM2 = s.GetNumber(b + 17);
            _p.ViscousNmsPerRad = s.GetNumber(b + 18);
            _p.CoulombNm = s.GetNumber(b + 19);
            _p.ThicknessM = s.GetNumber(b + 20) * 1e-6;
            _p.WidthM = s.GetNumber(b + 21) * 1e-3;
            _p.DensityKgM3 = s.GetNumber(b + 22);
            _p.TorqueFullScaleNm = s.GetNumber(b + 23);
            _p.SpeedFullScaleMps = s.GetNumber(b + 24) * mpm;
            _p.EncoderCountsPerRev = (int)s.GetNumber(b + 25);
            _p.Kp = s.GetNumber(b + 26);
            _p.TiS = s.GetNumber(b + 27);
            _p.GainReferenceRadiusM = s.GetNumber(b + 28) * 1e-3;
            _p.FeedForward = s.GetNumber(b + 29) != 0;
            _p.GainScheduling = s.GetNumber(b + 30) != 0;
            _p.TaperMode = (int)s.GetNumber(b + 31);
            _p.TaperStartDiameterM = s.GetNumber(b + 32) * 1e-3;
            _p.TaperMaxDiameterM = s.GetNumber(b + 33) * 1e-3;
            _p.TaperMinFraction = s.GetNumber(b + 34) * 0.01;
            _p.TaperK = s.GetNumber(b + 35);
            _p.OverTensionFraction = s.GetNumber(b + 36) * 0.01;
            _p.UnderTensionFraction = s.GetNumber(b + 37) * 0.01;
            _p.HysteresisFraction = s.GetNumber(b + 38) * 0.01;
            _p.UnderTensionTimeoutS = s.GetNumber(b + 39);
            _p.StartupGraceS = s.GetNumber(b + 40);
            _p.BreakFraction = s.GetNumber(b + 41) * 0.01;
            _p.BreakTimeS = s.GetNumber(b + 42) * 1e-3;
            _p.RadiusDivergenceFraction = s.GetNumber(b + 43) * 0.01;
            _p.RadiusDivergenceTimeS = s.GetNumber(b + 44);
            _p.EncoderFaultFraction = s.GetNumber(b + 45) * 0.01;
            _p.SpeedDeviationFraction = s.GetNumber(b + 46) * 0.01;
            _p.SpeedDeviationTimeS = s.GetNumber(b + 47);
            _p.PermitBandFraction = s.GetNumber(b + 48) * 0.01;
            _p.AutotuneMaxAmplitudeN = s.GetNumber(b + 49);
            _p.PlausibilityToleranceN = s.GetNumber(b + 50);
            _p.PlausibilityTimeS = s.GetNumber(b + 51);

            // Setpoints: a changed setting is a setpoint command; refused in states that forbid it, it stays
            // pending and is applied once the state allows (never bypassing the controller's checks).
            double speed = s.GetNumber(_settingSpeed) * mpm;
            if (speed > _p.MaxSpeedMps) speed = _p.MaxSpeedMps;
            _pendingSpeedMps = speed;
            _pendingTensionN = s.GetNumber(_settingTension);
            _setpointsPending = true;
        }

        private void ApplyPendingSetpoints()
        {
            bool ok = true;
            if (_c.SpeedSetpointMps != _pendingSpeedMps && _c.SetSpeed(_pendingSpeedMps) != 0) ok = false;
            if (_c.TensionSetpointN != _pendingTensionN && _c.SetTension(_pendingTensionN) != 0) ok = false;
            _setpointsPending = !ok;
        }

        /// <summary>Binds the I/O, adds the scan task, command handler, console commands and status.</summary>
        public void Attach(BoardRuntime runtime)
        {
            _runtime = runtime;
            IBoardIo io = runtime.Io;
            _t1 = Ain(io, "span1_tension");
            _t2 = Ain(io, "span2_tension");
            string[] rollers = { "unwind", "drum", "rewind" };
            for (int i = 0; i < 3; i++)
            {
                _encPeriod[i] = Ain(io, rollers[i] + "_enc_period");
                _encAge[i] = Ain(io, rollers[i] + "_enc_age");
                _enable[i] = Dout(io, rollers[i] + "_enable");
                _ready[i] = io.DigitalInput(rollers[i] + "_ready");
                if (_ready[i] == null) throw new System.InvalidOperationException("web-transport: board has no din " + rollers[i] + "_ready");
            }
            _unwindRef = Aout(io, "unwind_torque_ref");
            _drumRef = Aout(io, "drum_speed_ref");
            _rewindRef = Aout(io, "rewind_torque_ref");
            _permit = Dout(io, "web_ok_permit");

            // Start radii from the settings (a roll change later with "web roll").
            _c.NewRolls(N("web.roll.unwindStartMm") * 1e-3, N("web.roll.rewindStartMm") * 1e-3);
            DeclareSnapshot(runtime.Scan.Snapshot);
            runtime.Scan.AddTask("web", this, 1, 0, BudgetUs, 300);
            runtime.Scan.AddCommandHandler(WebCommandCode.First, WebCommandCode.Last, this);
            _reader = new ScanSnapshotReader(runtime.Scan.Snapshot, _copySync);
            WebConsole.Register(this, runtime.Shell);
            runtime.Shell.AddStatusProvider(new WebConsole.Status(this));
        }

        private static IAnalogInput Ain(IBoardIo io, string name)
        {
            IAnalogInput a = io.AnalogInput(name);
            if (a == null) throw new System.InvalidOperationException("web-transport: board has no ain " + name);
            return a;
        }

        private static IAnalogOutput Aout(IBoardIo io, string name)
        {
            IAnalogOutput a = io.AnalogOutput(name);
            if (a == null) throw new System.InvalidOperationException("web-transport: board has no aout " + name);
            return a;
        }

        private static IDigitalOutput Dout(IBoardIo io, string name)
        {
            IDigitalOutput d = io.DigitalOutput(name);
            if (d == null) throw new System.InvalidOperationException("web-transport: board has no dout " + name);
            return d;
        }

        private void DeclareSnapshot(ScanSnapshot s)
        {
            FState = s.AddDouble("web.state");
            FSpeedRef = s.AddDouble("web.speedRefMps");
            FLineSpeed = s.AddDouble("web.lineSpeedMps");
            FSpeedSet = s.AddDouble("web.speedSetMps");
            FTensionSet = s.AddDouble("web.tensionSetN");
            FT1 = s.AddDouble("web.span1.tensionN");
            FT2 = s.AddDouble("web.span2.tensionN");
            FT1Sp = s.AddDouble("web.span1.setpointN");
            FT2Sp = s.AddDouble("web.span2.setpointN");
            FTorqueU = s.AddDouble("web.unwind.torqueNm");
            FTorqueR = s.AddDouble("web.rewind.torqueNm");
            FRadiusU = s.AddDouble("web.unwind.radiusM");
            FRadiusR = s.AddDouble("web.rewind.radiusM");
            FRvU = s.AddDouble("web.unwind.radiusVwM");
            FRvR = s.AddDouble("web.rewind.radiusVwM");
            FTuneTu = s.AddDouble("web.tune.tuS");
            FTuneA = s.AddDouble("web.tune.amplitudeN");
            FTuneKp = s.AddDouble("web.tune.kp");
            FTuneTi = s.AddDouble("web.tune.tiS");
            FDrumRef = s.AddDouble("web.drum.speedCmdMps");
            FFaults = s.AddInt("web.faults");
            FBlocked = s.AddInt("web.resetBlocked");
            FTuneRoll = s.AddInt("web.tune.roll");
            FTuneFail = s.AddInt("web.tune.fail");
            FPermit = s.AddBool("web.permit");
            FEnabled = s.AddBool("web.drivesEnabled");
            FStopped = s.AddBool("web.stopped");
            FManual = s.AddBool("web.manual");
            FTuneActive = s.AddBool("web.tune.active");
            FTuneSane = s.AddBool("web.tune.sane");
            FTuneDone = s.AddBool("web.tune.done");
        }

        /// <summary>The scan step: inputs, controller, permit first, then the drives, then alarms and snapshot.</summary>
        public void Run(ScanContext ctx)
        {
            int version = _settings.Version;
            if (version != _settingsVersion)
            {
                _settingsVersion = version;
                ApplySettings();
            }
            if (_setpointsPending) ApplyPendingSetpoints();
            WebController c = _c;
            double v;
            c.Span1Valid = _t1.TryRead(out v);
            c.Span1TensionN = v;
            c.Span2Valid = _t2.TryRead(out v);
            c.Span2TensionN = v;
            for (int i = 0; i < 3; i++)
            {
                double period, age;
                bool ok = _encPeriod[i].TryRead(out period);
                ok = _encAge[i].TryRead(out age) && ok;
                c.EncPeriodUs[i] = period;
                c.EncAgeUs[i] = age;
                c.EncValid[i] = ok;
                bool ready;
                c.DriveReady[i] = _ready[i].TryRead(out ready) && ready;
            }
            if (ctx.StopRequested && (c.State == WebState.Run || c.State == WebState.Thread)) c.Stop();
            c.Step(ctx.DtS, ctx.StartUs);

            // Permit first (it must drop before the drives begin their stop), then the drives.
            _permit.Write(c.Permit);
            if (c.DrivesEnabled)
            {
                double fs = _p.TorqueFullScaleNm;
                _unwindRef.Write(0.5 + 0.5 * c.UnwindTorqueNm / fs);
                _rewindRef.Write(0.5 + 0.5 * c.RewindTorqueNm / fs);
                _drumRef.Write(c.DrumSpeedMps / _p.SpeedFullScaleMps);
                for (int i = 0; i < 3; i++) _enable[i].Write(true);
            }
            else
            {
                for (int i = 0; i < 3; i++) _enable[i].Write(false);
                _unwindRef.SetSafe();
                _rewindRef.SetSafe();
                _drumRef.SetSafe();
            }

            int fresh = c.NewFaults;
            if (fresh != 0)
            {
                for (int i = 0; i < WebFault.Count; i++)
                {
                    if ((fresh & (1 << i)) != 0 && !_runtime.Alarms.IsActive(s_alarmOfBit[i])) _runtime.Alarms.Raise(s_alarmOfBit[i], c.FaultDetail);
                }
            }
            Publish();
        }

        private void Publish()
        {
            ScanSnapshot s = _runtime.Scan.Snapshot;
            WebController c = _c;
            s.SetDouble(FState, (int)c.State);
            s.SetDouble(FSpeedRef, c.SpeedRefMps);
            s.SetDouble(FLineSpeed, c.LineSpeedMps);
            s.SetDouble(FSpeedSet, c.SpeedSetpointMps);
            s.SetDouble(FTensionSet, c.TensionSetpointN);
            s.SetDouble(FT1, c.Span1Valid ? c.Span1TensionN : double.NaN);
            s.SetDouble(FT2, c.Span2Valid ? c.Span2TensionN : double.NaN);
            s.SetDouble(FT1Sp, c.Span1SetpointN);
            s.SetDouble(FT2Sp, c.Span2SetpointN);
            s.SetDouble(FTorqueU, c.UnwindTorqueNm);
            s.SetDouble(FTorqueR, c.RewindTorqueNm);
            s.SetDouble(FRadiusU, c.UnwindRadius.RadiusM);
            s.SetDouble(FRadiusR, c.RewindRadius.RadiusM);
            s.SetDouble(FRvU, c.UnwindRadius.VelocityValid ? c.UnwindRadius.VelocityRadiusM : double.NaN);
            s.SetDouble(FRvR, c.RewindRadius.VelocityValid ? c.RewindRadius.VelocityRadiusM : double.NaN);
            RelayAutotune t = c.Autotune;
            s.SetDouble(FTuneTu, t.TuS);
            s.SetDouble(FTuneA, t.AmplitudeN);
            s.SetDouble(FTuneKp, t.KpProposed);
            s.SetDouble(FTuneTi, t.TiProposed);
            s.SetDouble(FDrumRef, c.DrumSpeedMps);
            int faults = c.Faults;
            int blocked = 0;
            for (int i = 0; i < WebFault.Count; i++)
            {
                int bit = 1 << i;
                if ((faults & bit) != 0 && c.ConditionPresent(bit)) blocked |= bit;
            }
            s.SetInt(FFaults, faults);
            s.SetInt(FBlocked, blocked);
            s.SetInt(FTuneRoll, c.AutotuneRoll);
            s.SetInt(FTuneFail, t.FailReason);
            s.SetBool(FPermit, c.Permit);
            s.SetBool(FEnabled, c.DrivesEnabled);
            s.SetBool(FStopped, c.Stopped);
            s.SetBool(FManual, c.Manual);
            s.SetBool(FTuneActive, t.Active);
            s.SetBool(FTuneSane, t.Sane);
            s.SetBool(FTuneDone, t.Done);
        }

        /// <summary>Runs a queued command on the scan thread (all checks in the controller).</summary>
        public int Execute(ScanCommand command, ScanContext ctx)
        {
            WebController c = _c;
            switch (command.Code)
            {
                case WebCommandCode.Thread: return c.Thread();
                case WebCommandCode.Run: return c.Run();
                case WebCommandCode.Stop: return c.Stop();
                case WebCommandCode.Off: return c.Off();
                case WebCommandCode.Jog: return c.Jog(command.Value0);
                case WebCommandCode.Manual: return c.SetManual(command.Arg0 != 0);
                case WebCommandCode.ManualTorque: return c.SetManualTorque(command.Value0, command.Value1);
                case WebCommandCode.ArmPermit: return c.ArmPermit();
                case WebCommandCode.NewRolls: return c.NewRolls(command.Value0, command.Value1);
                case WebCommandCode.AutotuneStart: return c.StartAutotune(command.Arg0, command.Value0);
                case WebCommandCode.AutotuneCancel: return c.CancelAutotune();
                case WebCommandCode.ResetFaults:
                    {
                        int before = c.Faults;
                        int r = c.ResetFaults(command.Arg0);
                        if (r == 0)
                        {
                            int cleared = before & ~c.Faults;
                            for (int i = 0; i < WebFault.Count; i++)
                            {
                                if ((cleared & (1 << i)) != 0) _runtime.Alarms.Reset(s_alarmOfBit[i]);
                            }
                        }
                        return r;
                    }
                default: return (int)ErrorCode.UnknownCommand;
            }
        }

        private WebSparkplug _sparkplug;

        /// <summary>Declares the <c>web-transport</c> device (see <see cref="WebSparkplug"/>).</summary>
        public void AttachEdgeNode(Tfb.Sparkplug.EdgeNodeSession session, Tfb.Sparkplug.SettingsCommandSink commands)
        {
            _sparkplug = new WebSparkplug(this);
            _sparkplug.Declare(session, commands);
        }

        /// <summary>Refreshes the device's metrics from the snapshot (MQTT thread).</summary>
        public void RefreshMetrics()
        {
            if (_sparkplug != null) _sparkplug.Refresh();
        }

        /// <summary>Web faults go out through the board's alarm log (forwarded by the edge node): no records of its own.</summary>
        public void AttachStoreForward(Tfb.Sparkplug.StoreForwardQueue queue) { }

        /// <summary>Nothing to forward (see <see cref="AttachStoreForward"/>).</summary>
        public void ForwardRecords() { }

        /// <summary>True when the snapshot says Idle with the drives disabled (any thread).</summary>
        public bool IsIdle
        {
            get
            {
                if (_reader == null) return true;
                lock (_copySync)
                {
                    // Unknown is not idle: a snapshot that cannot be read must not permit a force or a board action
                    // that needs a still web. Before the first scan nothing has moved.
                    SnapshotRead r = _reader.Read();
                    if (r != SnapshotRead.Read) return r == SnapshotRead.NotYetPublished;
                    return _reader.Copy.Doubles[FState] == (int)WebState.Idle && !_reader.Copy.Bools[FEnabled];
                }
            }
        }

        /// <summary>Reads the latest snapshot into <paramref name="copy"/> (console thread).</summary>
        internal bool ReadSnapshot(ScanSnapshotCopy copy)
        {
            return _runtime.Scan.Snapshot.TryRead(copy) && copy.PublishCount > 0;
        }

        /// <summary>
        /// Requests the reset of one of the module's alarms (console thread): refused with ConditionPresent while its
        /// condition persists (drives moving or enabled, the sensor still bad); otherwise the scan clears the latch and
        /// the alarm at its next run. Never restarts anything: a reset fault stop goes to Idle.
        /// </summary>
        public bool TryResetAlarm(int code, out ErrorCode error)
        {
            int bit = BitOf(code);
            if (bit == 0) { error = ErrorCode.BadArgument; return false; }
            lock (_copySync)
            {
                ScanSnapshotCopy c = _reader == null ? null : _reader.Latest();
                if (c == null) { error = ErrorCode.Busy; return false; }
                if ((c.Ints[FFaults] & bit) == 0)
                {
                    // Latch already cleared: only the log entry is left.
                    _runtime.Alarms.Reset(code);
                    error = ErrorCode.BadArgument;
                    return true;
                }
                if ((c.Ints[FBlocked] & bit) != 0) { error = ErrorCode.ConditionPresent; return false; }
            }
            if (!_runtime.Scan.Commands.TryPost(WebCommandCode.ResetFaults, BoardRuntime.SourceConsole, bit, 0, 0, 0)) { error = ErrorCode.Busy; return false; }
            error = ErrorCode.BadArgument;
            return true;
        }
    }
}
