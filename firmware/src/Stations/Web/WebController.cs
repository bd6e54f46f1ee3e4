using Tfb.Codes;
using Tfb.Control;

namespace Tfb.Stations.Web
{
    /// <summary>
    /// The web transport controller: line-speed master with a jerk-limited ramp on the process drum (speed drive),
    /// torque feed-forward plus a gain-scheduled PI tension trim on the unwind (span 1) and the rewind (span 2)
    /// torque drives, fused radius estimation, rewind taper, the state machine with latched faults, and the
    /// sputter permit ("web moving and tension OK").
    /// </summary>
    /// <remarks>
    /// <para>Pure logic: the module writes the inputs (fields), calls <see cref="Step"/> once per scan, then writes
    /// the outputs to the drives. Commands (<see cref="Thread"/>, <see cref="Run"/>, ...) are called on the scan
    /// thread only (through the scan command queue); each validates everything and changes nothing when it refuses,
    /// returning an <see cref="ErrorCode"/> value (0 = applied).</para>
    /// <para>Torque feed-forward (sign: positive torque turns a roll forward):
    /// unwind u = J(R)*dw/dt - R*T1 + b*w + Fc, rewind u = J(R)*dw/dt + R*T2 + b*w + Fc, with w = v/R and
    /// dw/dt = a/R +- t*v^2/(2 pi R^3) from the line reference. The PI trim adds to it, its gains scaled with R/R_ref
    /// (constant loop crossover over the roll), back-calculation anti-windup on the total torque, bumpless manual.</para>
    /// <para>Safety order within <see cref="Step"/>: fault detection, then the permit (dropped in the same step a
    /// fault is found, before any drive output changes), then the drives. A dropped permit is never re-energized
    /// by the controller itself: it needs <see cref="Run"/> or <see cref="ArmPermit"/>.</para>
    /// Allocation-free.
    /// </remarks>
    public sealed class WebController
    {
        /// <summary>Roller index of the unwind.</summary>
        public const int Unwind = 0;
        /// <summary>Roller index of the process drum.</summary>
        public const int Drum = 1;
        /// <summary>Roller index of the rewind.</summary>
        public const int Rewind = 2;

        // ---- inputs (written by the caller before Step) ----
        /// <summary>Span 1 (unwind side) load cell, N.</summary>
        public double Span1TensionN;
        /// <summary>Span 1 reading valid.</summary>
        public bool Span1Valid;
        /// <summary>Span 2 (rewind side) load cell, N.</summary>
        public double Span2TensionN;
        /// <summary>Span 2 reading valid.</summary>
        public bool Span2Valid;
        /// <summary>Encoder mean edge period per roller, us.</summary>
        public readonly double[] EncPeriodUs = new double[3];
        /// <summary>Encoder time since the newest edge per roller, us.</summary>
        public readonly double[] EncAgeUs = new double[3];
        /// <summary>Encoder readings valid per roller.</summary>
        public readonly bool[] EncValid = new bool[3];
        /// <summary>Drive ready contacts per roller (read valid and closed).</summary>
        public readonly bool[] DriveReady = new bool[3];

        // ---- outputs ----
        /// <summary>Unwind torque command, N m.</summary>
        public double UnwindTorqueNm { get; private set; }
        /// <summary>Rewind torque command, N m.</summary>
        public double RewindTorqueNm { get; private set; }
        /// <summary>Drum (line) speed command, m/s.</summary>
        public double DrumSpeedMps { get; private set; }
        /// <summary>Drive enables.</summary>
        public bool DrivesEnabled { get; private set; }
        /// <summary>The hard-wired sputter permit.</summary>
        public bool Permit { get; private set; }

        private readonly WebParameters _p;
        private readonly JerkLimitedRamp _ramp = new JerkLimitedRamp();
        private readonly RateLimiter _tensionRamp = new RateLimiter();
        private readonly Pid _pidUnwind = new Pid();
        private readonly Pid _pidRewind = new Pid();
        private readonly LowPass _t1Filter = new LowPass();
        private readonly LowPass _t2Filter = new LowPass();
        private readonly EncoderSpeed[] _enc = new EncoderSpeed[3];
        private readonly RadiusEstimator _rUnwind = new RadiusEstimator();
        private readonly RadiusEstimator _rRewind = new RadiusEstimator();
        private readonly RelayAutotune _tune = new RelayAutotune();
        private readonly OnDelay _underDelay1 = new OnDelay();
        private readonly OnDelay _underDelay2 = new OnDelay();
        private readonly OnDelay _breakDelay1 = new OnDelay();
        private readonly OnDelay _breakDelay2 = new OnDelay();
        private readonly OnDelay _overDelay1 = new OnDelay();
        private readonly OnDelay _overDelay2 = new OnDelay();
        private readonly OnDelay _divergeDelay = new OnDelay();
        private readonly OnDelay _sensorDelay = new OnDelay();
        private readonly OnDelay _speedDevDelay = new OnDelay();
        private readonly OnDelay _stoppedDelay = new OnDelay();
        private readonly OnDelay[] _encDelay = new OnDelay[3];
        private readonly OnDelay _steadyDelay = new OnDelay();
        private readonly OnDelay _implausibleDelay1 = new OnDelay();
        private readonly OnDelay _implausibleDelay2 = new OnDelay();
        private readonly LowPass _resid1Filter = new LowPass();
        private readonly LowPass _resid2Filter = new LowPass();
        private bool _plausibilityArmed;
        private readonly OnDelay[] _readyDelay = new OnDelay[3];

        private WebState _state = WebState.Idle;
        private int _faults;
        private int _faultDetail;
        private int _newFaults;
        private double _speedSetMps;
        private double _jogMps;
        private double _tensionSetN = 300;
        private double _tensionTargetN;
        private bool _under1, _under2;
        private bool _armed1, _armed2;
        private long _tensionSinceUs;
        private long _faultSinceUs;
        private bool _breakMode;
        private bool _permitArmed;
        private bool _manual;
        private double _manualUnwindNm, _manualRewindNm;
        private int _tuneRoll = -1;
        private double _tuneBiasNm;
        private double _lineSpeedMps;
        private double _t1SpN, _t2SpN;
        private bool _stopped;
        private double _unwindFfNm, _rewindFfNm;

        /// <summary>Creates the controller over <paramref name="parameters"/> (read every step; change between steps only).</summary>
        public WebController(WebParameters parameters)
        {
            _p = parameters;
            for (int i = 0; i < 3; i++)
            {
                _enc[i] = new EncoderSpeed();
                _encDelay[i] = new OnDelay();
                _readyDelay[i] = new OnDelay();
            }
            _rUnwind.Unwind = true;
            _rRewind.Unwind = false;
            _rUnwind.Reset(0.150);
            _rRewind.Reset(0.040);
        }

        /// <summary>The parameters.</summary>
        public WebParameters Parameters { get { return _p; } }
        /// <summary>State.</summary>
        public WebState State { get { return _state; } }
        /// <summary>Latched fault bits (<see cref="WebFault"/>).</summary>
        public int Faults { get { return _faults; } }
        /// <summary>Fault bits latched in the last step (the module raises their alarms).</summary>
        public int NewFaults { get { return _newFaults; } }
        /// <summary>Detail of the newest fault (roller or span index).</summary>
        public int FaultDetail { get { return _faultDetail; } }
        /// <summary>Line speed setpoint, m/s.</summary>
        public double SpeedSetpointMps { get { return _speedSetMps; } }
        /// <summary>Running tension setpoint, N.</summary>
        public double TensionSetpointN { get { return _tensionSetN; } }
        /// <summary>Jog speed while threading, m/s.</summary>
        public double JogSpeedMps { get { return _jogMps; } }
        /// <summary>Line speed reference (ramp output), m/s.</summary>
        public double SpeedRefMps { get { return _ramp.Value; } }
        /// <summary>Line acceleration reference, m/s2.</summary>
        public double AccelRefMps2 { get { return _ramp.Accel; } }
        /// <summary>Measured line speed (drum encoder), m/s.</summary>
        public double LineSpeedMps { get { return _lineSpeedMps; } }
        /// <summary>Span 1 tension setpoint in effect (ramped), N.</summary>
        public double Span1SetpointN { get { return _t1SpN; } }
        /// <summary>Span 2 tension setpoint in effect (ramped, tapered), N.</summary>
        public double Span2SetpointN { get { return _t2SpN; } }
        /// <summary>Unwind radius estimate.</summary>
        public RadiusEstimator UnwindRadius { get { return _rUnwind; } }
        /// <summary>Rewind radius estimate.</summary>
        public RadiusEstimator RewindRadius { get { return _rRewind; } }
        /// <summary>Encoder speed of roller <paramref name="i"/>.</summary>
        public EncoderSpeed Encoder(int i) { return _enc[i]; }
        /// <summary>Unwind tension trim.</summary>
        public Pid UnwindPid { get { return _pidUnwind; } }
        /// <summary>Rewind tension trim.</summary>
        public Pid RewindPid { get { return _pidRewind; } }
        /// <summary>Unwind torque feed-forward of the last step, N m.</summary>
        public double UnwindFeedForwardNm { get { return _unwindFfNm; } }
        /// <summary>Rewind torque feed-forward of the last step, N m.</summary>
        public double RewindFeedForwardNm { get { return _rewindFfNm; } }
        /// <summary>True in manual (operator torque) mode.</summary>
        public bool Manual { get { return _manual; } }
        /// <summary>The relay autotune.</summary>
        public RelayAutotune Autotune { get { return _tune; } }
        /// <summary>Roll under autotune (0 unwind, 2 rewind), -1 none.</summary>
        public int AutotuneRoll { get { return _tuneRoll; } }
        /// <summary>Span 1 plausibility residual: filtered load-cell reading minus torque-balance tension, N (0 while not armed).</summary>
        public double Span1ResidualN { get { return _plausibilityArmed ? _resid1Filter.Value : 0; } }
        /// <summary>Span 2 plausibility residual: filtered load-cell reading minus torque-balance tension, N (0 while not armed).</summary>
        public double Span2ResidualN { get { return _plausibilityArmed ? _resid2Filter.Value : 0; } }
        /// <summary>True while the load-cell plausibility check is armed (Run, automatic, steady, after the grace).</summary>
        public bool PlausibilityArmed { get { return _plausibilityArmed; } }
        /// <summary>True when the drives stand still (speed reference zero and every encoder slow or timed out).</summary>
        public bool Stopped { get { return _stopped; } }

        // ---------------- commands (scan thread) ----------------

        /// <summary>Idle -> Thread: enables the drives and builds threading tension at standstill.</summary>
        public int Thread()
        {
            if (_state != WebState.Idle) return (int)ErrorCode.BadState;
            if (_faults != 0) return (int)ErrorCode.InterlockActive;
            if (!InputsHealthy()) return (int)ErrorCode.InterlockActive;
            _state = WebState.Thread;
            _ramp.Reset(0);
            _jogMps = 0;
            _tensionRamp.Reset(0);
            _pidUnwind.Reset();
            _pidRewind.Reset();
            _t1Filter.Reset(Span1TensionN);
            _t2Filter.Reset(Span2TensionN);
            _under1 = _under2 = _armed1 = _armed2 = false;
            _tensionSinceUs = _nowUs;
            _permitArmed = false;
            return 0;
        }

        /// <summary>Thread -> Run: tension to the running setpoint, speed ramps to the speed setpoint; arms the permit.</summary>
        public int Run()
        {
            if (_state != WebState.Thread && _state != WebState.Run) return (int)ErrorCode.BadState;
            if (_faults != 0) return (int)ErrorCode.InterlockActive;
            if (_tuneRoll >= 0) return (int)ErrorCode.Busy;
            if (!InputsHealthy()) return (int)ErrorCode.InterlockActive;
            if (_state == WebState.Thread && !(_armed1 && _armed2)) return (int)ErrorCode.ConditionPresent;
            _state = WebState.Run;
            _permitArmed = true;
            return 0;
        }

        /// <summary>Run or Thread -> Stopping: speed ramps to zero under tension, then threading hold.</summary>
        public int Stop()
        {
            if (_state == WebState.Run || (_state == WebState.Thread && _ramp.Value > 0))
            {
                _state = WebState.Stopping;
                _permitArmed = false;
                return 0;
            }
            if (_state == WebState.Stopping) return 0;
            return (int)ErrorCode.BadState;
        }

        /// <summary>Thread at standstill -> Idle: drives disabled (tension released).</summary>
        public int Off()
        {
            if (_state == WebState.Idle) return 0;
            if (_state != WebState.Thread || _ramp.Value != 0) return (int)ErrorCode.BadState;
            EnterIdle();
            return 0;
        }

        /// <summary>Sets the running line speed, m/s (Run: the ramp follows; Thread: preset for the next run).</summary>
        public int SetSpeed(double speedMps)
        {
            if (double.IsNaN(speedMps) || double.IsInfinity(speedMps)) return (int)ErrorCode.BadArgument;
            if (speedMps < 0 || speedMps > _p.MaxSpeedMps) return (int)ErrorCode.OutOfRange;
            if (_state != WebState.Run && _state != WebState.Thread && _state != WebState.Idle) return (int)ErrorCode.BadState;
            _speedSetMps = speedMps;
            return 0;
        }

        /// <summary>Sets the running tension, N (Idle, Thread or Run; refused while stopping or faulted).</summary>
        public int SetTension(double tensionN)
        {
            if (double.IsNaN(tensionN) || double.IsInfinity(tensionN)) return (int)ErrorCode.BadArgument;
            if (tensionN < _p.MinTensionN || tensionN > _p.MaxTensionN) return (int)ErrorCode.OutOfRange;
            if (_state == WebState.Stopping || _state == WebState.FaultStop) return (int)ErrorCode.BadState;
            _tensionSetN = tensionN;
            return 0;
        }

        /// <summary>Jog speed while threading, m/s (0 stops the jog).</summary>
        public int Jog(double speedMps)
        {
            if (double.IsNaN(speedMps) || double.IsInfinity(speedMps)) return (int)ErrorCode.BadArgument;
            if (speedMps < 0 || speedMps > _p.ThreadMaxSpeedMps) return (int)ErrorCode.OutOfRange;
            if (_state != WebState.Thread) return (int)ErrorCode.BadState;
            if (speedMps > 0 && !(_armed1 && _armed2)) return (int)ErrorCode.ConditionPresent;
            _jogMps = speedMps;
            return 0;
        }

        /// <summary>Manual (true) or automatic tension trim; the switch is bumpless both ways.</summary>
        public int SetManual(bool manual)
        {
            if (_state == WebState.FaultStop) return (int)ErrorCode.BadState;
            if (_tuneRoll >= 0) return (int)ErrorCode.Busy;
            if (manual && !_manual)
            {
                _manualUnwindNm = UnwindTorqueNm;
                _manualRewindNm = RewindTorqueNm;
            }
            _manual = manual;
            return 0;
        }

        /// <summary>Manual torques, N m (manual mode only, within +-50 % of drive full scale).</summary>
        public int SetManualTorque(double unwindNm, double rewindNm)
        {
            if (double.IsNaN(unwindNm) || double.IsInfinity(unwindNm) || double.IsNaN(rewindNm) || double.IsInfinity(rewindNm)) return (int)ErrorCode.BadArgument;
            double lim = 0.5 * _p.TorqueFullScaleNm;
            if (unwindNm < -lim || unwindNm > lim || rewindNm < -lim || rewindNm > lim) return (int)ErrorCode.OutOfRange;
            if (!_manual) return (int)ErrorCode.BadState;
            _manualUnwindNm = unwindNm;
            _manualRewindNm = rewindNm;
            return 0;
        }

        /// <summary>Re-arms the sputter permit after it dropped (Run, at speed, tension in band, no fault).</summary>
        public int ArmPermit()
        {
            if (_state != WebState.Run) return (int)ErrorCode.BadState;
            if (_faults != 0) return (int)ErrorCode.InterlockActive;
            if (!PermitConditions()) return (int)ErrorCode.ConditionPresent;
            _permitArmed = true;
            return 0;
        }

        /// <summary>A new roll: start radii, m (Idle only; the radius estimates restart).</summary>
        public int NewRolls(double unwindRadiusM, double rewindRadiusM)
        {
            if (double.IsNaN(unwindRadiusM) || double.IsNaN(rewindRadiusM) || double.IsInfinity(unwindRadiusM) || double.IsInfinity(rewindRadiusM)) return (int)ErrorCode.BadArgument;
            if (unwindRadiusM < _p.UnwindCoreRadiusM || unwindRadiusM > _p.MaxRollRadiusM || rewindRadiusM < _p.RewindCoreRadiusM || rewindRadiusM > _p.MaxRollRadiusM) return (int)ErrorCode.OutOfRange;
            if (_state != WebState.Idle) return (int)ErrorCode.NotIdle;
            _rUnwind.Reset(unwindRadiusM);
            _rRewind.Reset(rewindRadiusM);
            return 0;
        }

        /// <summary>
        /// Starts a relay autotune of one roll's trim (Thread or Run, automatic, steady, no fault). The relay amplitude
        /// is given as tension, N: the torque step is that times the roll radius, so it means the same on any roll.
        /// </summary>
        public int StartAutotune(int roll, double amplitudeN)
        {
            if (roll != Unwind && roll != Rewind) return (int)ErrorCode.BadArgument;
            if (double.IsNaN(amplitudeN) || !(amplitudeN > 0) || amplitudeN > _p.AutotuneMaxAmplitudeN) return (int)ErrorCode.OutOfRange;
            if (_state != WebState.Thread && _state != WebState.Run) return (int)ErrorCode.BadState;
            if (_faults != 0) return (int)ErrorCode.InterlockActive;
            if (_manual || _tuneRoll >= 0 || _tensionRamp.Ramping || _ramp.Ramping) return (int)ErrorCode.Busy;
            if (!(_armed1 && _armed2)) return (int)ErrorCode.ConditionPresent;
            Pid pid = roll == Unwind ? _pidUnwind : _pidRewind;
            _tuneBiasNm = pid.Output - (roll == Unwind ? _unwindFfNm : _rewindFfNm);
            _tune.HysteresisN = 0.005 * _tensionTargetN + 0.3;
            _tune.AbortErrorN = 0.25 * _tensionTargetN;
            double r = roll == Unwind ? _rUnwind.RadiusM : _rRewind.RadiusM;
            _tune.GainScale = _p.GainScheduling ? r / _p.GainReferenceRadiusM : 1;
            _tune.Start(amplitudeN * r);
            _tuneRoll = roll;
            return 0;
        }

        /// <summary>Cancels a running autotune.</summary>
        public int CancelAutotune()
        {
            if (_tuneRoll < 0) return (int)ErrorCode.BadState;
            _tune.Cancel();
            _tuneRoll = -1;
            return 0;
        }

        /// <summary>Clears the latched fault bits in <paramref name="bits"/> whose condition is gone (drives must stand still).</summary>
        /// <returns>0, or ConditionPresent when a bit's condition persists (nothing cleared then).</returns>
        public int ResetFaults(int bits)
        {
            bits &= _faults;
            if (bits == 0) return (int)ErrorCode.BadState;
            if (ConditionPresent(bits)) return (int)ErrorCode.ConditionPresent;
            _faults &= ~bits;
            if (_faults == 0 && _state == WebState.FaultStop) EnterIdle();
            return 0;
        }

        /// <summary>True when a fault of <paramref name="bits"/> may not be reset now.</summary>
        public bool ConditionPresent(int bits)
        {
            if (!_stopped || DrivesEnabled) return true;
            if ((bits & (WebFault.TensionSensor | WebFault.Break | WebFault.TensionImplausible)) != 0 && !(Span1Valid && Span2Valid && IsFinite(Span1TensionN) && IsFinite(Span2TensionN))) return true;
            if ((bits & WebFault.OverTension) != 0 && (Span1TensionN > _p.ThreadMaxTensionN || Span2TensionN > _p.ThreadMaxTensionN)) return true;
            if ((bits & WebFault.Drive) != 0 && !(DriveReady[0] && DriveReady[1] && DriveReady[2])) return true;
            if ((bits & WebFault.Encoder) != 0 && !(EncValid[0] && EncValid[1] && EncValid[2])) return true;
            return false;
        }

        /// <summary>Latches a fault from outside the controller (scan stop request with a fault, tests).</summary>
        public void Trip(int bit, int detail)
        {
            Latch(bit, detail);
            if (_newFaults != 0) EnterFaultStop();
        }

        // ---------------- the scan step ----------------

        private long _nowUs;
        private double _lastDtS = 0.01;

        /// <summary>One control step: measurements, faults, permit, state machine, drives.</summary>
        /// <param name="dtS">Time since the previous step, s.</param>
        /// <param name="nowUs">Monotonic time, us.</param>
        public void Step(double dtS, long nowUs)
        {
            _nowUs = nowUs;
            _newFaults = 0;
            if (!(dtS > 0)) dtS = 0.01;
            _lastDtS = dtS;
            for (int i = 0; i < 3; i++)
            {
                _enc[i].CountsPerRev = _p.EncoderCountsPerRev;
                _enc[i].Update(EncPeriodUs[i], EncValid[i], EncAgeUs[i], EncValid[i]);
            }
            _lineSpeedMps = _enc[Drum].Valid ? _enc[Drum].OmegaRadps * _p.DrumRadiusM : _ramp.Value;
            ConfigureEstimators();
            // v/w only from fresh edges on both encoders (>= 20 edges/s): a period measurement lags by about one
            // period, and at creep speed the drum's and the roll's lags differ.
            bool drumFresh = Fresh(Drum);
            _rUnwind.Step(_lineSpeedMps, _enc[Unwind].OmegaRadps, drumFresh && Fresh(Unwind), dtS);
            _rRewind.Step(_lineSpeedMps, _enc[Rewind].OmegaRadps, drumFresh && Fresh(Rewind), dtS);

            if (_state != WebState.Idle && _state != WebState.FaultStop) DetectFaults(nowUs);
            if (_newFaults != 0) EnterFaultStop();

            // The permit first: it drops in the same step a fault is found, before the drives change.
            bool was = Permit;
            Permit = _permitArmed && _state == WebState.Run && _faults == 0 && PermitConditions();
            // Once energized, any drop disarms it: it comes back only by Run or ArmPermit, never on its own.
            if (was && !Permit) _permitArmed = false;

            switch (_state)
            {
                case WebState.Idle: StepIdle(); return;
                case WebState.FaultStop: StepFaultStop(dtS, nowUs); return;
                default: StepActive(dtS, nowUs); return;
            }
        }

        private void ConfigureEstimators()
        {
            _rUnwind.ThicknessM = _p.ThicknessM;
            _rUnwind.CoreRadiusM = _p.UnwindCoreRadiusM;
            _rUnwind.MaxRadiusM = _p.MaxRollRadiusM;
            _rRewind.ThicknessM = _p.ThicknessM;
            _rRewind.CoreRadiusM = _p.RewindCoreRadiusM;
            _rRewind.MaxRadiusM = _p.MaxRollRadiusM;
        }

        private void StepIdle()
        {
            _ramp.Reset(0);
            _tensionRamp.Reset(0);
            _t1SpN = _t2SpN = 0;
            DrivesEnabled = false;
            UnwindTorqueNm = 0;
            RewindTorqueNm = 0;
            DrumSpeedMps = 0;
            _stopped = IsStill();
            _pidUnwind.Reset();
            _pidRewind.Reset();
        }

        private void StepActive(double dtS, long nowUs)
        {
            double speedTarget;
            if (_state == WebState.Run)
            {
                _tensionTargetN = _tensionSetN;
                speedTarget = _speedSetMps;
            }
            else if (_state == WebState.Thread)
            {
                _tensionTargetN = _p.ThreadTensionN;
                speedTarget = _jogMps;
            }
            else
            {
                speedTarget = 0; // Stopping: tension target unchanged
                if (_tensionTargetN <= 0) _tensionTargetN = _p.ThreadTensionN;
            }
            _ramp.AccelPerS = _p.AccelMps2;
            _ramp.JerkPerS2 = _p.JerkMps3;
            _ramp.Step(speedTarget, dtS);
            if (_state == WebState.Stopping && _ramp.Value == 0 && !_ramp.Ramping)
            {
                _state = WebState.Thread;
                _jogMps = 0;
            }
            DrivesEnabled = true;
            DrumSpeedMps = _ramp.Value;
            TensionControl(dtS, _tensionTargetN, true);
            _stopped = _ramp.Value == 0 && IsStill();
        }

        private void StepFaultStop(double dtS, long nowUs)
        {
            _permitArmed = false;
            Permit = false;
            _ramp.AccelPerS = _p.FaultDecelMps2;
            _ramp.JerkPerS2 = _p.FaultDecelMps2 * 10;
            _ramp.Step(0, dtS);
            // The drum is the speed master: once it stands the web does not move (after a break the rolls coast
            // at zero torque and are not waited for).
            bool still = _ramp.Value == 0 && DrumStill();
            _stoppedDelay.PresetUs = 300000;
            bool timeout = nowUs - _faultSinceUs > 10000000;
            if (DrivesEnabled && (_stoppedDelay.Step(still, nowUs) || timeout))
            {
                DrivesEnabled = false;
                _ramp.Reset(0);
            }
            if (!DrivesEnabled)
            {
                UnwindTorqueNm = 0;
                RewindTorqueNm = 0;
                DrumSpeedMps = 0;
                _stopped = DrumStill() || timeout;
                _pidUnwind.Reset();
                _pidRewind.Reset();
                return;
            }
            DrumSpeedMps = _ramp.Value;
            if (_breakMode)
            {
                // No web to hold: zero torque at once (a magnitude-only encoder cannot brake a roll without
                // risking driving it backwards); the rolls coast to rest and the drives are disabled.
                UnwindTorqueNm = 0;
                RewindTorqueNm = 0;
                return;
            }
            // A failed or implausible load cell is not trusted for the stop: feed-forward only.
            TensionControl(dtS, _p.ThreadTensionN, (_faults & (WebFault.TensionSensor | WebFault.TensionImplausible)) == 0);
        }

        // Feed-forward + PI trim on both rolls toward `target` (N); `closedLoop` false = feed-forward only.
        private void TensionControl(double dtS, double target, bool closedLoop)
        {
            _tensionRamp.RiseRatePerS = _p.TensionRampNps;
            _tensionRamp.FallRatePerS = _p.TensionRampNps;
            double t1 = _tensionRamp.Step(target, dtS);
            double dRew = 2.0 * _rRewind.RadiusM;
            double t2 = TensionTaper.Apply(_p.TaperMode, t1, dRew, _p.TaperStartDiameterM, _p.TaperMaxDiameterM, _p.TaperMinFraction, _p.TaperK);
            _t1SpN = t1;
            _t2SpN = t2;

            double v = _ramp.Value;
            double a = _ramp.Accel;
            double ru = _rUnwind.RadiusM;
            double rr = _rRewind.RadiusM;
            double lim = _p.TorqueFullScaleNm;
            if (_p.FeedForward)
            {
                _unwindFfNm = RollInertia(ru, _p.UnwindCoreRadiusM) * (a / ru + _p.ThicknessM * v * v / (2.0 * System.Math.PI * ru * ru * ru)) - ru * t1 + Friction(v / ru);
                _rewindFfNm = RollInertia(rr, _p.RewindCoreRadiusM) * (a / rr - _p.ThicknessM * v * v / (2.0 * System.Math.PI * rr * rr * rr)) + rr * t2 + Friction(v / rr);
            }
            else
            {
                _unwindFfNm = 0;
                _rewindFfNm = 0;
            }
            ScheduleGains(_pidUnwind, ru);
            ScheduleGains(_pidRewind, rr);
            _pidUnwind.OutMin = -lim;
            _pidUnwind.OutMax = lim;
            _pidRewind.OutMin = -lim;
            _pidRewind.OutMax = lim;

            _t1Filter.TauS = _p.TensionFilterS;
            _t2Filter.TauS = _p.TensionFilterS;
            double m1 = Span1Valid ? _t1Filter.Step(Span1TensionN, dtS) : double.NaN;
            double m2 = Span2Valid ? _t2Filter.Step(Span2TensionN, dtS) : double.NaN;
            if (!closedLoop || !IsFinite(m1) || !IsFinite(m2))
            {
                UnwindTorqueNm = Clamp(_unwindFfNm, lim);
                RewindTorqueNm = Clamp(_rewindFfNm, lim);
                return;
            }
            if (_manual)
            {
                // Unwind: more tension needs more braking, so its loop sees the error negated.
                UnwindTorqueNm = _pidUnwind.StepManual(_manualUnwindNm, -t1, -m1, _unwindFfNm);
                RewindTorqueNm = _pidRewind.StepManual(_manualRewindNm, t2, m2, _rewindFfNm);
                return;
            }
            if (_tuneRoll == Unwind)
            {
                double relay = _tune.Step(m1 - t1, dtS);
                UnwindTorqueNm = _pidUnwind.StepManual(Clamp(_unwindFfNm + _tuneBiasNm + relay, lim), -t1, -m1, _unwindFfNm);
                RewindTorqueNm = _pidRewind.Step(t2, m2, _rewindFfNm, dtS);
                if (!_tune.Active) _tuneRoll = -1;
                return;
            }
            if (_tuneRoll == Rewind)
            {
                double relay = _tune.Step(t2 - m2, dtS);
                UnwindTorqueNm = _pidUnwind.Step(-t1, -m1, _unwindFfNm, dtS);
                RewindTorqueNm = _pidRewind.StepManual(Clamp(_rewindFfNm + _tuneBiasNm + relay, lim), t2, m2, _rewindFfNm);
                if (!_tune.Active) _tuneRoll = -1;
                return;
            }
            UnwindTorqueNm = _pidUnwind.Step(-t1, -m1, _unwindFfNm, dtS);
            RewindTorqueNm = _pidRewind.Step(t2, m2, _rewindFfNm, dtS);
        }

        private void ScheduleGains(Pid pid, double radiusM)
        {
            double scale = _p.GainScheduling ? radiusM / _p.GainReferenceRadiusM : 1.0;
            pid.Kp = _p.Kp * scale;
            pid.TiS = _p.TiS;
        }

        private double RollInertia(double radiusM, double coreM)
        {
            double r2 = radiusM * radiusM;
            double c2 = coreM * coreM;
            return _p.RollBaseInertiaKgM2 + System.Math.PI * _p.DensityKgM3 * _p.WidthM / 2.0 * (r2 * r2 - c2 * c2);
        }

        private double Friction(double omegaRadps)
        {
            if (!(omegaRadps > 1e-6)) return 0;
            return _p.ViscousNmsPerRad * omegaRadps + _p.CoulombNm;
        }

        private void DetectFaults(long nowUs)
        {
            // Missing data is a fault, never a default.
            bool sensorsOk = Span1Valid && Span2Valid && IsFinite(Span1TensionN) && IsFinite(Span2TensionN);
            _sensorDelay.PresetUs = 30000;
            if (_sensorDelay.Step(!sensorsOk, nowUs)) Latch(WebFault.TensionSensor, Span1Valid && IsFinite(Span1TensionN) ? 2 : 1);
            for (int i = 0; i < 3; i++)
            {
                _readyDelay[i].PresetUs = 50000;
                if (_readyDelay[i].Step(!DriveReady[i], nowUs)) Latch(WebFault.Drive, i);
                _encDelay[i].PresetUs = 50000;
                if (_encDelay[i].Step(!_enc[i].Valid, nowUs)) Latch(WebFault.Encoder, i);
            }
            if (!sensorsOk) return;

            double target = _tensionTargetN;
            double t2Target = TensionTaper.Apply(_p.TaperMode, target, 2.0 * _rRewind.RadiusM, _p.TaperStartDiameterM, _p.TaperMaxDiameterM, _p.TaperMinFraction, _p.TaperK);
            double over1 = _p.OverTensionFraction * Max(target, _t1SpN);
            double over2 = _p.OverTensionFraction * Max(t2Target, _t2SpN);
            // Threading limits once the tension has come down to the threading level (a stop ends in Thread and
            // ramps down from the running tension).
            if (_state == WebState.Thread && _t1SpN <= _p.ThreadTensionN && over1 > _p.ThreadMaxTensionN) over1 = _p.ThreadMaxTensionN;
            if (_state == WebState.Thread && _t2SpN <= _p.ThreadTensionN && over2 > _p.ThreadMaxTensionN) over2 = _p.ThreadMaxTensionN;
            _overDelay1.PresetUs = 20000;
            _overDelay2.PresetUs = 20000;
            if (_overDelay1.Step(Span1TensionN > over1, nowUs)) Latch(WebFault.OverTension, 1);
            if (_overDelay2.Step(Span2TensionN > over2, nowUs)) Latch(WebFault.OverTension, 2);

            if (Span1TensionN >= 0.8 * _t1SpN && _t1SpN >= 0.8 * target && target > 0) _armed1 = true;
            if (Span2TensionN >= 0.8 * _t2SpN && _t2SpN >= 0.8 * t2Target && t2Target > 0) _armed2 = true;
            long breakUs = (long)(_p.BreakTimeS * 1e6);
            _breakDelay1.PresetUs = breakUs;
            _breakDelay2.PresetUs = breakUs;
            if (_breakDelay1.Step(_armed1 && Span1TensionN < _p.BreakFraction * _t1SpN, nowUs)) { _breakMode = true; Latch(WebFault.Break, 1); }
            if (_breakDelay2.Step(_armed2 && Span2TensionN < _p.BreakFraction * _t2SpN, nowUs)) { _breakMode = true; Latch(WebFault.Break, 2); }

            bool grace = nowUs - _tensionSinceUs < (long)(_p.StartupGraceS * 1e6) || _tensionRamp.Ramping;
            double lo = _p.UnderTensionFraction;
            double hi = _p.UnderTensionFraction + _p.HysteresisFraction;
            if (Span1TensionN < lo * _t1SpN) _under1 = true; else if (Span1TensionN > hi * _t1SpN) _under1 = false;
            if (Span2TensionN < lo * _t2SpN) _under2 = true; else if (Span2TensionN > hi * _t2SpN) _under2 = false;
            long underUs = (long)(_p.UnderTensionTimeoutS * 1e6);
            _underDelay1.PresetUs = underUs;
            _underDelay2.PresetUs = underUs;
            if (_underDelay1.Step(!grace && _under1, nowUs)) Latch(WebFault.UnderTension, 1);
            if (_underDelay2.Step(!grace && _under2, nowUs)) Latch(WebFault.UnderTension, 2);

            // Radius divergence and encoder pulses: only while the line is really moving.
            double vMin = _p.EncoderFaultFraction * _p.MaxSpeedMps;
            bool moving = _ramp.Value >= vMin;
            _divergeDelay.PresetUs = (long)(_p.RadiusDivergenceTimeS * 1e6);
            bool diverged = moving && ((_rUnwind.VelocityValid && _rUnwind.Divergence > _p.RadiusDivergenceFraction)
                || (_rRewind.VelocityValid && _rRewind.Divergence > _p.RadiusDivergenceFraction));
            if (_divergeDelay.Step(diverged, nowUs)) Latch(WebFault.RadiusDivergence, _rUnwind.Divergence > _p.RadiusDivergenceFraction ? 0 : 2);
            if (moving)
            {
                for (int i = 0; i < 3; i++)
                {
                    double r = i == Drum ? _p.DrumRadiusM : (i == Unwind ? _rUnwind.RadiusM : _rRewind.RadiusM);
                    double expectedUs = 2.0 * System.Math.PI / _p.EncoderCountsPerRev / (_ramp.Value / r) * 1e6;
                    double limitUs = 4 * expectedUs;
                    if (limitUs < 500000) limitUs = 500000;
                    if (_enc[i].Valid && _enc[i].AgeUs > limitUs) Latch(WebFault.Encoder, i);
                }
            }
            CheckPlausibility(nowUs, grace);

            _speedDevDelay.PresetUs = (long)(_p.SpeedDeviationTimeS * 1e6);
            double dev = _lineSpeedMps - _ramp.Value;
            if (dev < 0) dev = -dev;
            if (_speedDevDelay.Step(dev > _p.SpeedDeviationFraction * _p.MaxSpeedMps, nowUs)) Latch(WebFault.SpeedDeviation, Drum);
        }

        // Load-cell plausibility (offset drift): the closed trim drives the reading to the setpoint, so a drifting
        // reading moves the true tension and with it the steady torque. The torque balance of each roll gives the
        // tension independently of the load cell: T_est = (torque - J dw/dt - b w - Fc) / R on the rewind and
        // (-torque + J dw/dt + b w + Fc) / R on the unwind, i.e. the feed-forward's own model without its tension
        // term, applied to the torque of the previous step. The residual reading - T_est is filtered and must stay
        // within the tolerance; armed only in Run, automatic, no autotune, speed and tension not ramping for the
        // settle time, and not within the start-up grace.
        private void CheckPlausibility(long nowUs, bool grace)
        {
            bool steady = _state == WebState.Run && !_manual && _tuneRoll < 0 && _p.FeedForward
                && !_ramp.Ramping && !_tensionRamp.Ramping && _t1SpN > 0;
            _steadyDelay.PresetUs = (long)(_p.PlausibilitySettleS * 1e6);
            bool armed = _steadyDelay.Step(steady, nowUs) && !grace;
            double ru = _rUnwind.RadiusM;
            double rr = _rRewind.RadiusM;
            double est1 = (_unwindFfNm + ru * _t1SpN - UnwindTorqueNm) / ru;
            double est2 = (RewindTorqueNm - _rewindFfNm + rr * _t2SpN) / rr;
            double r1 = Span1TensionN - est1;
            double r2 = Span2TensionN - est2;
            if (!armed || !IsFinite(r1) || !IsFinite(r2))
            {
                _plausibilityArmed = false;
                _implausibleDelay1.Step(false, nowUs);
                _implausibleDelay2.Step(false, nowUs);
                return;
            }
            _resid1Filter.TauS = _p.PlausibilityFilterS;
            _resid2Filter.TauS = _p.PlausibilityFilterS;
            if (!_plausibilityArmed)
            {
                _resid1Filter.Reset(r1);
                _resid2Filter.Reset(r2);
                _plausibilityArmed = true;
            }
            double dtS = _lastDtS;
            double f1 = _resid1Filter.Step(r1, dtS);
            double f2 = _resid2Filter.Step(r2, dtS);
            double tol = _p.PlausibilityToleranceN;
            long delayUs = (long)(_p.PlausibilityTimeS * 1e6);
            _implausibleDelay1.PresetUs = delayUs;
            _implausibleDelay2.PresetUs = delayUs;
            if (_implausibleDelay1.Step(f1 > tol || f1 < -tol, nowUs)) Latch(WebFault.TensionImplausible, 1);
            if (_implausibleDelay2.Step(f2 > tol || f2 < -tol, nowUs)) Latch(WebFault.TensionImplausible, 2);
        }

        private void Latch(int bit, int detail)
        {
            if ((_faults & bit) != 0) return;
            _faults |= bit;
            _newFaults |= bit;
            _faultDetail = detail;
        }

        private void EnterFaultStop()
        {
            Permit = false;
            _permitArmed = false;
            if (_tuneRoll >= 0) { _tune.Cancel(); _tuneRoll = -1; }
            if (_state == WebState.Idle)
            {
                // Nothing moves: the fault stays latched, the drives stay disabled.
                _state = WebState.FaultStop;
                DrivesEnabled = false;
                _breakMode = false;
                _faultSinceUs = _nowUs;
                return;
            }
            if (_state != WebState.FaultStop)
            {
                _state = WebState.FaultStop;
                _faultSinceUs = _nowUs;
                _stoppedDelay.Step(false, _nowUs);
            }
            if ((_faults & WebFault.Break) == 0) _breakMode = false;
        }

        private void EnterIdle()
        {
            _state = WebState.Idle;
            _breakMode = false;
            _manual = false;
            _permitArmed = false;
            _jogMps = 0;
            DrivesEnabled = false;
            StepIdle();
        }

        private bool InputsHealthy()
        {
            if (!(Span1Valid && Span2Valid && IsFinite(Span1TensionN) && IsFinite(Span2TensionN))) return false;
            for (int i = 0; i < 3; i++)
            {
                if (!DriveReady[i] || !EncValid[i]) return false;
            }
            return true;
        }

        private bool TensionInBand()
        {
            double b = _p.PermitBandFraction;
            double e1 = Span1TensionN - _t1SpN;
            double e2 = Span2TensionN - _t2SpN;
            if (e1 < 0) e1 = -e1;
            if (e2 < 0) e2 = -e2;
            return Span1Valid && Span2Valid && e1 <= b * _t1SpN && e2 <= b * _t2SpN && _t1SpN > 0;
        }

        private bool PermitConditions()
        {
            return _lineSpeedMps >= _p.PermitMinSpeedMps && _ramp.Value >= _p.PermitMinSpeedMps && TensionInBand();
        }

        private bool Fresh(int i)
        {
            return _enc[i].Valid && EncPeriodUs[i] < FreshEdgeUs && EncAgeUs[i] < FreshEdgeUs;
        }

        /// <summary>Longest edge period at which v/w is trusted, us.</summary>
        public const double FreshEdgeUs = 50000;

        private bool DrumStill()
        {
            return !_enc[Drum].Valid || _enc[Drum].OmegaRadps * _p.DrumRadiusM <= 0.01 * _p.MaxSpeedMps;
        }

        private bool IsStill()
        {
            double vSmall = 0.01 * _p.MaxSpeedMps;
            if (_enc[Drum].Valid && _enc[Drum].OmegaRadps * _p.DrumRadiusM > vSmall) return false;
            if (_enc[Unwind].Valid && _enc[Unwind].OmegaRadps * _rUnwind.RadiusM > vSmall) return false;
            if (_enc[Rewind].Valid && _enc[Rewind].OmegaRadps * _rRewind.RadiusM > vSmall) return false;
            return true;
        }

        private static double Clamp(double v, double lim)
        {
            if (v > lim) return lim;
            if (v < -lim) return -lim;
            return v;
        }

        private static double Max(double a, double b) { return a > b ? a : b; }

        private static bool IsFinite(double v) { return !double.IsNaN(v) && !double.IsInfinity(v); }
    }
}
