using Tfb.Codes;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Scan;

namespace Tfb.Stations.Anneal
{
    /// <summary>Programmer states (published as an integer).</summary>
    public enum ProgramState
    {
        /// <summary>Not known (the scan snapshot could not be read): treated as active, never as idle.</summary>
        Unknown = -1,
        /// <summary>No program: heaters off unless a zone is in manual or autotune.</summary>
        Idle = 0,
        /// <summary>Delayed start: counting down, heaters off.</summary>
        Delayed = 1,
        /// <summary>Running: the program clock advances (unless holdback holds it).</summary>
        Running = 2,
        /// <summary>Held by an operator, a fault or power-fail recovery: control at the setpoint, clock stopped.</summary>
        Held = 3,
        /// <summary>End segment reached with end action hold or setpoint: control at the final setpoint.</summary>
        Ended = 4,
    }

    /// <summary>Command codes of the anneal module (scan command queue; the alarm range 4000-4999 by convention).</summary>
    public static class AnnealCommand
    {
        /// <summary>Start program Arg0 (1-based) after Value0 minutes (0 = now).</summary>
        public const int Start = 4001;
        /// <summary>Abort the program: heaters off.</summary>
        public const int Abort = 4002;
        /// <summary>Hold the program clock.</summary>
        public const int Hold = 4003;
        /// <summary>Resume a held program.</summary>
        public const int Resume = 4004;
        /// <summary>The event a <c>wait,event</c> segment waits for.</summary>
        public const int Continue = 4005;
        /// <summary>Zone Arg0 (0 = all) to manual at Value0 %.</summary>
        public const int Manual = 4006;
        /// <summary>Zone Arg0 (0 = all) back to automatic (bumpless).</summary>
        public const int Auto = 4007;
        /// <summary>Relay autotune of zone Arg0 at Value0 C with bias Value1 %.</summary>
        public const int Tune = 4008;
        /// <summary>Reset alarm Arg0 (an anneal alarm) if healthy.</summary>
        public const int ResetAlarm = 4009;
        /// <summary>End the current segment now (operator skip).</summary>
        public const int Skip = 4010;
        /// <summary>First code.</summary>
        public const int First = 4001;
        /// <summary>Last code.</summary>
        public const int Last = 4010;
    }

    /// <summary>
    /// The anneal station's scan work: programmer (segments, holdback, loops, end actions, delayed start,
    /// power-fail recovery), the zone loops and their time-proportioned SSRs, the door and O2 interlocks,
    /// the heater contactor. The independent <see cref="LimitChannel"/> runs as its own task before this one.
    /// </summary>
    /// <remarks>
    /// Every scan (10 ms): read the thermocouples into the error windows, time-proportion the SSRs, write outputs.
    /// Every <see cref="ControlDivisor"/> scans (0.5 s): programmer and PID. Allocation-free: programs are parsed
    /// from the settings' text by <see cref="AnnealProgram.TryParse"/> in place. Budget 1.5 ms per scan (task
    /// budget). Host figure: a whole lockstep step (furnace plant plus the board's scan) takes about 6.6 us
    /// (tools/Tfb.Benchmarks anneal: 14.9 s for 22 650 simulated seconds); not yet measured on a device.
    /// </remarks>
    public sealed class AnnealController : IScanTask, IScanCommandHandler
    {
        /// <summary>Scans per control step (0.5 s at the 10 ms scan).</summary>
        public const int ControlDivisor = 50;
        /// <summary>Program record save period while a program is active, s.</summary>
        public const double RecordPeriodS = 10;
        /// <summary>Most zones.</summary>
        public const int MaxZones = 3;
        /// <summary>A program's highest temperature must stay this far below the limit, C.</summary>
        public const double LimitMarginC = 20;

        private readonly IAnalogInput[] _tc;
        private readonly IDigitalOutput[] _ssr;
        private readonly IDigitalOutput _contactor;
        private readonly IDigitalOutput _o2Valve;
        private readonly IAnalogInput _o2Flow;
        private readonly IDigitalInput _door;
        private readonly AlarmLog _alarms;
        private readonly LogRing _events;
        private readonly IClock _clock;
        private readonly LimitChannel _limit;
        private readonly ProgramRecord _record;
        private readonly ZoneLoop[] _zones;
        private readonly int[] _loops = new int[AnnealProgram.MaxSegments];

        /// <summary>The program that runs (copied from the parsed text at start).</summary>
        public readonly AnnealProgram Program = new AnnealProgram();
        /// <summary>Working configuration (refreshed from settings by the module).</summary>
        public readonly AnnealConfig Config = new AnnealConfig();
        /// <summary>Program texts by number (1-based index; refreshed by the module, read at start).</summary>
        public readonly string[] ProgramTexts = new string[5];

        private int _scanCount;
        private double _nowS;
        private double _controlDtS;
        private bool _recovered;
        private double _lastRecordS = -1;
        private bool _recordDirty;
        private bool _doorLatched;
        private bool _o2Latched;
        private double _o2StarvedS;
        private bool _holdAlarmed;
        private bool _continueEvent;
        private double _delayRemainingS;
        private bool _rampBack;
        private double _rampBackTargetC;
        private double _rampBackRateCpm;

        /// <summary>Creates the controller over the zones' I/O (arrays of equal length, 1..3 zones).</summary>
        public AnnealController(IAnalogInput[] tc, IDigitalOutput[] ssr, IDigitalOutput contactor, IDigitalOutput o2Valve,
            IAnalogInput o2Flow, IDigitalInput door, LimitChannel limit, ProgramRecord record, AlarmLog alarms, LogRing events, IClock clock)
        {
            _tc = tc;
            _ssr = ssr;
            _contactor = contactor;
            _o2Valve = o2Valve;
            _o2Flow = o2Flow;
            _door = door;
            _limit = limit;
            _record = record;
            _alarms = alarms;
            _events = events;
            _clock = clock;
            _zones = new ZoneLoop[tc.Length];
            // Window capacity: 60 s of 10 ms reads (the largest window the setting allows).
            for (int i = 0; i < _zones.Length; i++) _zones[i] = new ZoneLoop(6000);
        }

        /// <summary>Number of zones.</summary>
        public int ZoneCount { get { return _zones.Length; } }
        /// <summary>Zone loop <paramref name="i"/> (0-based).</summary>
        public ZoneLoop Zone(int i) { return _zones[i]; }
        /// <summary>The limit channel.</summary>
        public LimitChannel Limit { get { return _limit; } }

        /// <summary>Programmer state.</summary>
        public ProgramState State;
        /// <summary>Running program number (1-based; 0 none).</summary>
        public int ProgramNumber;
        /// <summary>Current segment index (0-based).</summary>
        public int Segment;
        /// <summary>Working setpoint, C (NaN when idle).</summary>
        public double SetpointC = double.NaN;
        /// <summary>Setpoint rate now, C/min (signed).</summary>
        public double RateCPerMin;
        /// <summary>Program-clock time spent in this segment, s.</summary>
        public double SegmentElapsedS;
        /// <summary>Time remaining in a timed segment (dwell, timed ramp), s; NaN otherwise.</summary>
        public double SegmentRemainingS = double.NaN;
        /// <summary>True while holdback (or O2 starvation) holds the program clock.</summary>
        public bool HoldbackActive;
        /// <summary>Continuous holdback time, s.</summary>
        public double HoldbackS;
        /// <summary>True when heaters may be and are asked to be on.</summary>
        public bool Heating;
        /// <summary>O2 flow, slpm (NaN when invalid).</summary>
        public double O2FlowSlpm = double.NaN;
        /// <summary>Door closed (true when the board has no door switch).</summary>
        public bool DoorClosed = true;
        /// <summary>Config changed: apply tuning and filters at the next control step.</summary>
        public bool ConfigChanged = true;

        /// <inheritdoc />
        public void Run(ScanContext ctx)
        {
            _nowS = ctx.StartUs / 1e6;
            double dt = ctx.DtS > 0 ? ctx.DtS : ctx.PeriodUs / 1e6;
            if (ConfigChanged) ApplyConfig(ctx.PeriodUs / 1e6);

            // Inputs: thermocouples every scan into the error windows (the fault is judged on every read).
            for (int i = 0; i < _zones.Length; i++)
            {
                double v = double.NaN;
                bool ok = _tc[i] != null && _tc[i].TryRead(out v) && !double.IsNaN(v) && !double.IsInfinity(v);
                if (!ok) v = double.NaN;
                bool fault = _zones[i].FeedTc(ok, v, dt, Config.TcMaxBadFraction);
                if (fault && ZoneInControl(i) && !_zones[i].TcFault)
                {
                    _zones[i].TcFault = true;
                    _zones[i].Off(SetpointC);
                    _zones[i].AbortTune();
                    _alarms.Raise((int)AlarmCode.AnnealZoneTcFault, i + 1);
                    if (State == ProgramState.Running) SetHeld(true);
                }
            }
            if (_o2Flow != null)
            {
                double f;
                O2FlowSlpm = _o2Flow.TryRead(out f) ? f : double.NaN;
            }
            if (_door != null)
            {
                bool closed;
                DoorClosed = _door.TryRead(out closed) && closed;
            }

            _scanCount++;
            if (_scanCount >= ControlDivisor)
            {
                _scanCount = 0;
                if (!_recovered) Recover();
                ControlStep(_controlDtS);
            }

            // Interlocks: door and limit gate all heat, every scan; a limit trip holds the program.
            if (_limit.Tripped && State == ProgramState.Running) SetHeld(true);
            bool wantHeat = WantsHeat();
            if (wantHeat && !DoorClosed && !_doorLatched)
            {
                _doorLatched = true;
                _alarms.Raise((int)AlarmCode.AnnealDoorOpen, 0);
                if (State == ProgramState.Running) SetHeld(true);
            }
            Heating = wantHeat && !_doorLatched && !_limit.Tripped && DoorClosed;
            double cycle = Config.CycleS;
            for (int i = 0; i < _zones.Length; i++)
            {
                bool on = Heating && ZoneInControl(i) && !_zones[i].TcFault
                    && _zones[i].TimeProportion(_nowS, cycle, cycle * i / _zones.Length);
                if (!on) _zones[i].SsrOn = false;
                _ssr[i].Write(on);
            }
            if (_contactor != null) _contactor.Write(Heating);
            if (_o2Valve != null) _o2Valve.Write(O2Wanted());

            if (_record != null && (_recordDirty || (IsActive() && _nowS - _lastRecordS >= RecordPeriodS))) SaveRecord();
        }

        /// <summary>True while a program is active (delayed, running, held, ended in hold/setpoint).</summary>
        public bool IsActive() { return State != ProgramState.Idle; }

        /// <summary>True when any zone is in manual or autotune.</summary>
        public bool AnyManual()
        {
            for (int i = 0; i < _zones.Length; i++) if (_zones[i].Manual || _zones[i].Tuning_Active) return true;
            return false;
        }

        private bool ZoneInControl(int i)
        {
            return State == ProgramState.Running || State == ProgramState.Held || State == ProgramState.Ended
                || _zones[i].Manual || _zones[i].Tuning_Active;
        }

        private bool WantsHeat()
        {
            if (State == ProgramState.Running || State == ProgramState.Held || State == ProgramState.Ended) return true;
            return AnyManual();
        }

        private bool O2Wanted()
        {
            if (State != ProgramState.Running && State != ProgramState.Held && State != ProgramState.Ended) return false;
            return Segment < Program.Count && Program.O2[Segment];
        }

        private void ApplyConfig(double periodS)
        {
            ConfigChanged = false;
            _controlDtS = periodS * ControlDivisor;
            _limit.LimitC = Config.LimitC;
            int window = (int)(Config.TcWindowS / periodS + 0.5);
            for (int i = 0; i < _zones.Length; i++)
            {
                _zones[i].TcWindow.Length = window;
                _zones[i].SetFilter(Config.PvFilterS);
            }
        }

        private void ControlStep(double dt)
        {
            // Delayed start.
            if (State == ProgramState.Delayed)
            {
                _delayRemainingS -= dt;
                if (_delayRemainingS <= 0) BeginRun();
            }
            if (State == ProgramState.Running) AdvanceProgram(dt);
            else RateCPerMin = 0;

            double lowC = Config.ScheduleLowC, highC = Config.ScheduleHighC;
            bool scheduled = !Config.Baseline;
            // Feed-forward follows the setpoint's rate; while holdback holds a ramp the plant is behind it, so the
            // ramp's own rate stays in (dropping it would cut the heat exactly when the zones lag).
            bool ff = !Config.Baseline && State == ProgramState.Running;
            double ffRate = RateCPerMin;
            if (ff && HoldbackActive && Segment < Program.Count
                && (Program.Kind[Segment] == SegmentKind.RampRate || Program.Kind[Segment] == SegmentKind.RampTime)
                && !double.IsNaN(SetpointC))
            {
                ffRate = Program.TargetC[Segment] >= SetpointC ? _segRateCpm : -_segRateCpm;
            }
            // Lead: the heater node (C_h*R_ho) and the thermocouple lag the setpoint, so the power must change
            // before the rate does: ff rate = r + T_lead * dr/dt (dr/dt filtered over 10 s, the lead part capped at r).
            if (ff && Config.LeadS > 0)
            {
                double accel = (ffRate - _lastFfRate) / dt;
                _lastFfRate = ffRate;
                _accelCpm2 += (accel - _accelCpm2) * (dt / (10.0 + dt));
                double lead = Config.LeadS * _accelCpm2;
                double cap = System.Math.Abs(ffRate);
                if (lead > cap) lead = cap;
                if (lead < -cap) lead = -cap;
                ffRate += lead;
            }
            else
            {
                _lastFfRate = 0;
                _accelCpm2 = 0;
            }
            // Heat blocked by an interlock: the loops track 0 % so nothing winds up and the restart is bumpless.
            bool blocked = _doorLatched || _limit.Tripped || !DoorClosed || State == ProgramState.Delayed;
            for (int i = 0; i < _zones.Length; i++)
            {
                ZoneLoop z = _zones[i];
                if (!z.Tuning_Active && z.TuneResult != 0) FinishTune(i);
                if (!ZoneInControl(i) || z.TcFault)
                {
                    z.Off(SetpointC);
                    continue;
                }
                double sp = IsActive() && !double.IsNaN(SetpointC) ? SetpointC : z.PvC;
                if (blocked)
                {
                    z.AbortTune();
                    z.Off(sp);
                    continue;
                }
                z.Schedule(sp, lowC, highC, scheduled);
                z.Control(sp, ff ? ffRate : 0, ff, dt);
            }
        }

        private void FinishTune(int i)
        {
            ZoneLoop z = _zones[i];
            if (z.TuneResult == 1) TuneDone = i + 1;
            else if (z.TuneResult == 2) _alarms.Raise((int)AlarmCode.AnnealAutotuneFailed, i + 1);
            TuneFinishedZone = i + 1;
            TuneFinishedResult = z.TuneResult;
            z.TuneResult = 0;
            if (State == ProgramState.Idle) { z.Manual = false; z.Off(SetpointC); }
        }

        /// <summary>Zone (1-based) whose autotune finished with a sane result; the module stores its gains and clears it.</summary>
        public int TuneDone;
        /// <summary>Zone (1-based) of the last finished autotune.</summary>
        public int TuneFinishedZone;
        /// <summary>Result code of the last finished autotune (1 sane, 2 refused, 3 aborted).</summary>
        public int TuneFinishedResult;

        // ---- programmer ----

        private double MeanPv()
        {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < _zones.Length; i++)
            {
                if (!_zones[i].TcFault && !double.IsNaN(_zones[i].PvC)) { sum += _zones[i].PvC; n++; }
            }
            return n > 0 ? sum / n : double.NaN;
        }

        private void BeginRun()
        {
            State = ProgramState.Running;
            for (int i = 0; i < _loops.Length; i++) _loops[i] = 0;
            // The first ramp starts from the measured temperature (no jump of the setpoint).
            SetpointC = MeanPv();
            for (int i = 0; i < _zones.Length; i++) _zones[i].ResetControl();
            EnterSegment(0);
        }

        private void EnterSegment(int index)
        {
            Segment = index;
            SegmentElapsedS = 0;
            HoldbackS = 0;
            _holdAlarmed = false;
            _o2StarvedS = 0;
            _recordDirty = true;
            _events.Add((int)EventCode.AnnealSegmentStarted, index + 1);
            SegmentKind k = Program.Kind[index];
            if (k == SegmentKind.RampTime)
            {
                double span = Program.TargetC[index] - SetpointC;
                _segRateCpm = System.Math.Abs(span) / Program.TimeMin[index];
                if (_segRateCpm <= 0) _segRateCpm = 1e-6;
            }
            else if (k == SegmentKind.RampRate)
            {
                _segRateCpm = Program.RateCPerMin[index];
            }
            else if (k == SegmentKind.WaitPv)
            {
                // The zones are heading up to the temperature if they are below it now, down otherwise.
                double pv = MeanPv();
                _waitRising = double.IsNaN(pv) || Program.TargetC[index] >= pv;
            }
        }

        private double _segRateCpm;
        private bool _waitRising;
        private double _lastFfRate;
        private double _accelCpm2;

        private void NextSegment()
        {
            if (Segment + 1 < Program.Count) EnterSegment(Segment + 1);
        }

        private bool Deviates(HoldbackMode mode, double band)
        {
            if (mode == HoldbackMode.Off || Config.Baseline) return false;
            for (int i = 0; i < _zones.Length; i++)
            {
                double pv = _zones[i].PvC;
                if (_zones[i].TcFault || double.IsNaN(pv)) return true;
                if ((mode == HoldbackMode.Low || mode == HoldbackMode.Band) && pv < SetpointC - band) return true;
                if ((mode == HoldbackMode.High || mode == HoldbackMode.Band) && pv > SetpointC + band) return true;
            }
            return false;
        }

        private void AdvanceProgram(double dt)
        {
            int seg = Segment;
            // Loops and steps take no time: at most MaxSegments of them per control step (no loop can spin).
            for (int guard = 0; guard < AnnealProgram.MaxSegments; guard++)
            {
                SegmentKind k = Program.Kind[seg];
                if (k == SegmentKind.Step)
                {
                    SetpointC = Program.TargetC[seg];
                    NextSegment();
                    seg = Segment;
                    continue;
                }
                if (k == SegmentKind.Jump)
                {
                    if (_loops[seg] < Program.LoopCount[seg])
                    {
                        _loops[seg]++;
                        EnterSegment(Program.JumpTo[seg]);
                    }
                    else
                    {
                        _loops[seg] = 0;
                        NextSegment();
                    }
                    seg = Segment;
                    continue;
                }
                if (k == SegmentKind.End)
                {
                    EndProgram(Program.End[seg], Program.TargetC[seg]);
                    return;
                }
                break;
            }

            SegmentKind kind = Program.Kind[seg];
            bool o2Starved = false;
            if (Program.O2[seg] && !Config.Baseline)
            {
                bool low = !(O2FlowSlpm >= Config.O2MinSlpm);
                _o2StarvedS = low ? _o2StarvedS + dt : 0;
                if (_o2StarvedS > Config.O2DelayS)
                {
                    o2Starved = true;
                    if (!_o2Latched)
                    {
                        _o2Latched = true;
                        _alarms.Raise((int)AlarmCode.AnnealO2FlowLow, double.IsNaN(O2FlowSlpm) ? -1 : (int)(O2FlowSlpm * 10));
                    }
                }
            }

            HoldbackActive = o2Starved || Deviates(Program.Holdback[seg], Program.BandC[seg]);
            if (HoldbackActive)
            {
                HoldbackS += dt;
                RateCPerMin = 0;
                if (HoldbackS > Config.MaxHoldS && !_holdAlarmed)
                {
                    _holdAlarmed = true;
                    _alarms.Raise((int)AlarmCode.AnnealHoldbackTimeout, seg + 1);
                }
                SegmentRemainingS = kind == SegmentKind.Dwell ? Program.TimeMin[seg] * 60 - SegmentElapsedS : double.NaN;
                return;
            }
            HoldbackS = 0;

            if (_rampBack)
            {
                // Power-fail ramp back: from the measured temperature to the saved setpoint, then on as before.
                RampToward(_rampBackTargetC, _rampBackRateCpm, dt, false);
                if (SetpointC == _rampBackTargetC) _rampBack = false;
                return;
            }

            SegmentElapsedS += dt;
            switch (kind)
            {
                case SegmentKind.RampRate:
                case SegmentKind.RampTime:
                    RampToward(Program.TargetC[seg], _segRateCpm, dt, !Config.Baseline && Config.ApproachS > 0);
                    SegmentRemainingS = kind == SegmentKind.RampTime ? Program.TimeMin[seg] * 60 - SegmentElapsedS : double.NaN;
                    if (SetpointC == Program.TargetC[seg]) NextSegment();
                    break;
                case SegmentKind.Dwell:
                    RateCPerMin = 0;
                    SegmentRemainingS = Program.TimeMin[seg] * 60 - SegmentElapsedS;
                    if (SegmentRemainingS <= 1e-9) { SegmentRemainingS = 0; NextSegment(); }
                    break;
                case SegmentKind.WaitPv:
                    RateCPerMin = 0;
                    if (AllReached(Program.TargetC[seg])) NextSegment();
                    break;
                case SegmentKind.WaitO2:
                    RateCPerMin = 0;
                    if (O2FlowSlpm >= Config.O2MinSlpm) NextSegment();
                    break;
                case SegmentKind.WaitEvent:
                    RateCPerMin = 0;
                    if (_continueEvent) { _continueEvent = false; NextSegment(); }
                    break;
            }
        }

        private bool AllReached(double targetC)
        {
            bool rising = _waitRising;
            for (int i = 0; i < _zones.Length; i++)
            {
                double pv = _zones[i].PvC;
                if (double.IsNaN(pv)) return false;
                if (rising ? pv < targetC : pv > targetC) return false;
            }
            return true;
        }

        // Moves the setpoint toward the target at the rate; with rounding, the last rate*ApproachS degrees are an
        // exponential approach (time constant ApproachS, ends 0.05 C short with a snap) so the heater's stored heat
        // (C_h * R_ho * C_o * rate) is not dumped into the soak as overshoot. It costs about ApproachS * ln(rate *
        // ApproachS / 0.05 C) of program time: 9 min at 5 C/min and 150 s.
        private void RampToward(double targetC, double rateCpm, double dt, bool round)
        {
            if (double.IsNaN(SetpointC)) SetpointC = MeanPv();
            double remaining = targetC - SetpointC;
            double dir = remaining >= 0 ? 1 : -1;
            double rate = rateCpm / 60.0;
            if (round)
            {
                double approach = System.Math.Abs(remaining) / Config.ApproachS;
                if (approach < rate) rate = approach;
                if (System.Math.Abs(remaining) < 0.05) rate = System.Math.Abs(remaining) / dt;
            }
            double stepC = rate * dt;
            if (stepC >= System.Math.Abs(remaining))
            {
                SetpointC = targetC;
                RateCPerMin = 0;
            }
            else
            {
                SetpointC += dir * stepC;
                RateCPerMin = dir * rate * 60.0;
            }
        }

        private void EndProgram(EndAction action, double targetC)
        {
            RateCPerMin = 0;
            HoldbackActive = false;
            _events.Add((int)EventCode.AnnealProgramEnded, ProgramNumber);
            _recordDirty = true;
            if (action == EndAction.Off)
            {
                GoIdle();
                return;
            }
            if (action == EndAction.Setpoint) SetpointC = targetC;
            State = ProgramState.Ended;
        }

        private void GoIdle()
        {
            State = ProgramState.Idle;
            ProgramNumber = 0;
            SetpointC = double.NaN;
            RateCPerMin = 0;
            HoldbackActive = false;
            _rampBack = false;
            SegmentRemainingS = double.NaN;
            _recordDirty = true;
            for (int i = 0; i < _zones.Length; i++) if (!_zones[i].Manual) _zones[i].Off(double.NaN);
        }

        private void SetHeld(bool held)
        {
            if (held && State == ProgramState.Running) { State = ProgramState.Held; RateCPerMin = 0; }
            else if (!held && State == ProgramState.Held) State = ProgramState.Running;
            else return;
            _events.Add((int)EventCode.AnnealProgramHeld, held ? 1 : 0);
            _recordDirty = true;
        }

        // ---- power-fail recovery (first control step after boot, with the thermocouples read) ----

        private void Recover()
        {
            _recovered = true;
            if (_record == null || !_record.Load()) return;
            if (_record.LimitTripped) _limit.Trip(_limit.TripCause != 0 ? _limit.TripCause : 9);
            ProgramState saved = (ProgramState)_record.State;
            if (saved == ProgramState.Idle) return;
            long offMs = -1;
            long nowUtc = _clock.WallClockValid ? _clock.UtcUnixMillis : 0;
            if (_record.UtcMs > 0 && nowUtc > 0 && nowUtc >= _record.UtcMs) offMs = nowUtc - _record.UtcMs;
            int offS = offMs < 0 ? -1 : (offMs / 1000 > 1000000 ? 1000000 : (int)(offMs / 1000));
            string text = _record.Program >= 1 && _record.Program < ProgramTexts.Length ? ProgramTexts[_record.Program] : null;
            ErrorCode err;
            bool programOk = text != null && Program.TryParse(text, Config.Limits, out err) && _record.Segment < Program.Count;
            if (!programOk || offS < 0 || offS > Config.MaxOffS || Config.PowerFail == PowerFailMode.Abort || saved == ProgramState.Delayed)
            {
                _alarms.Raise((int)AlarmCode.AnnealPowerFailAborted, offS);
                _events.Add((int)EventCode.AnnealProgramAborted, 3);
                GoIdle();
                return;
            }
            ProgramNumber = _record.Program;
            Segment = _record.Segment;
            SegmentElapsedS = _record.SegmentElapsedS;
            for (int i = 0; i < _loops.Length; i++) _loops[i] = _record.Loops[i];
            if (Program.Kind[Segment] == SegmentKind.RampRate) _segRateCpm = Program.RateCPerMin[Segment];
            else if (Program.Kind[Segment] == SegmentKind.RampTime) _segRateCpm = Config.RampBackRateCPerMin;
            State = saved == ProgramState.Ended ? ProgramState.Ended : ProgramState.Running;
            for (int i = 0; i < _zones.Length; i++) _zones[i].ResetControl();
            switch (Config.PowerFail)
            {
                case PowerFailMode.Continue:
                    SetpointC = _record.SetpointC;
                    break;
                case PowerFailMode.RampBack:
                    double pv = MeanPv();
                    SetpointC = double.IsNaN(pv) ? _record.SetpointC : pv;
                    _rampBack = State == ProgramState.Running;
                    _rampBackTargetC = _record.SetpointC;
                    _rampBackRateCpm = Program.Kind[Segment] == SegmentKind.RampRate ? Program.RateCPerMin[Segment] : Config.RampBackRateCPerMin;
                    if (!_rampBack) SetpointC = _record.SetpointC;
                    break;
                case PowerFailMode.Hold:
                    SetpointC = _record.SetpointC;
                    if (State == ProgramState.Running) State = ProgramState.Held;
                    break;
            }
            if (saved == ProgramState.Held && State == ProgramState.Running) State = ProgramState.Held;
            _alarms.Raise((int)AlarmCode.AnnealPowerFailRecovered, offS);
            _recordDirty = true;
        }

        private void SaveRecord()
        {
            _recordDirty = false;
            _lastRecordS = _nowS;
            _record.State = (int)State;
            _record.Program = ProgramNumber;
            _record.Segment = Segment;
            _record.LimitTripped = _limit.Tripped;
            _record.SegmentElapsedS = SegmentElapsedS;
            // During a ramp-back the setpoint that matters is the one the program had reached.
            _record.SetpointC = _rampBack ? _rampBackTargetC : SetpointC;
            _record.UtcMs = _clock.WallClockValid ? _clock.UtcUnixMillis : 0;
            for (int i = 0; i < _loops.Length; i++) _record.Loops[i] = (byte)_loops[i];
            if (!_record.Save() && !_alarms.IsActive((int)AlarmCode.AnnealProgramStoreFailed))
            {
                _alarms.Raise((int)AlarmCode.AnnealProgramStoreFailed, 0);
            }
        }

        // ---- commands (scan thread) ----

        /// <inheritdoc />
        public int Execute(ScanCommand command, ScanContext ctx)
        {
            switch (command.Code)
            {
                case AnnealCommand.Start: return DoStart(command.Arg0, command.Value0);
                case AnnealCommand.Abort:
                    if (State == ProgramState.Idle) return (int)ErrorCode.BadState;
                    _events.Add((int)EventCode.AnnealProgramAborted, 1);
                    GoIdle();
                    return ScanCommand.Ok;
                case AnnealCommand.Hold:
                    if (State != ProgramState.Running) return (int)ErrorCode.BadState;
                    SetHeld(true);
                    return ScanCommand.Ok;
                case AnnealCommand.Resume:
                    if (State != ProgramState.Held) return (int)ErrorCode.BadState;
                    if (_limit.Tripped || _doorLatched || AnyTcFault()) return (int)ErrorCode.InterlockActive;
                    SetHeld(false);
                    return ScanCommand.Ok;
                case AnnealCommand.Continue:
                    if (State != ProgramState.Running || Program.Kind[Segment] != SegmentKind.WaitEvent) return (int)ErrorCode.BadState;
                    _continueEvent = true;
                    return ScanCommand.Ok;
                case AnnealCommand.Skip:
                    if (State != ProgramState.Running && State != ProgramState.Held) return (int)ErrorCode.BadState;
                    if (Program.Kind[Segment] == SegmentKind.RampRate || Program.Kind[Segment] == SegmentKind.RampTime) SetpointC = Program.TargetC[Segment];
                    NextSegment();
                    return ScanCommand.Ok;
                case AnnealCommand.Manual: return DoManual(command.Arg0, command.Value0, true);
                case AnnealCommand.Auto: return DoManual(command.Arg0, 0, false);
                case AnnealCommand.Tune: return DoTune(command.Arg0, command.Value0, command.Value1);
                case AnnealCommand.ResetAlarm: return DoReset(command.Arg0);
                default: return (int)ErrorCode.NotSupported;
            }
        }

        private bool AnyTcFault()
        {
            for (int i = 0; i < _zones.Length; i++) if (_zones[i].TcFault) return true;
            return false;
        }

        private int DoStart(int program, double delayMin)
        {
            if (State != ProgramState.Idle) return (int)ErrorCode.NotIdle;
            if (AnyManual()) return (int)ErrorCode.NotIdle;
            if (program < 1 || program >= ProgramTexts.Length) return (int)ErrorCode.OutOfRange;
            if (!(delayMin >= 0 && delayMin <= 10080)) return (int)ErrorCode.OutOfRange;
            if (_limit.Tripped || _doorLatched || AnyTcFault() || !DoorClosed) return (int)ErrorCode.InterlockActive;
            for (int i = 0; i < _zones.Length; i++) if (double.IsNaN(_zones[i].PvC)) return (int)ErrorCode.InterlockActive;
            ErrorCode err;
            string text = ProgramTexts[program];
            if (text == null || !Program.TryParse(text, Config.Limits, out err)) return (int)ErrorCode.InvalidRecipe;
            // The limit must sit above everything the program asks for.
            if (Program.MaxTempC > Config.LimitC - LimitMarginC) return (int)ErrorCode.InterlockActive;
            ProgramNumber = program;
            _events.Add((int)EventCode.AnnealProgramStarted, program);
            _o2Latched = _alarms.IsActive((int)AlarmCode.AnnealO2FlowLow);
            if (delayMin > 0)
            {
                State = ProgramState.Delayed;
                _delayRemainingS = delayMin * 60;
                _recordDirty = true;
            }
            else
            {
                BeginRun();
            }
            return ScanCommand.Ok;
        }

        /// <summary>Delayed-start time left, s.</summary>
        public double DelayRemainingS { get { return State == ProgramState.Delayed ? _delayRemainingS : 0; } }

        private int DoManual(int zone, double pct, bool manual)
        {
            if (zone < 0 || zone > _zones.Length) return (int)ErrorCode.OutOfRange;
            if (manual && !(pct >= 0 && pct <= 100)) return (int)ErrorCode.OutOfRange;
            for (int i = 0; i < _zones.Length; i++)
            {
                if (zone != 0 && zone != i + 1) continue;
                if (manual && (_zones[i].TcFault || _limit.Tripped || _doorLatched)) return (int)ErrorCode.InterlockActive;
            }
            for (int i = 0; i < _zones.Length; i++)
            {
                if (zone != 0 && zone != i + 1) continue;
                ZoneLoop z = _zones[i];
                if (manual)
                {
                    // Bumpless: entering manual at the present output unless a value is given.
                    z.ManualPct = pct;
                    z.Manual = true;
                }
                else
                {
                    z.Manual = false;
                    if (State == ProgramState.Idle) z.Off(double.NaN);
                }
                z.AbortTune();
            }
            return ScanCommand.Ok;
        }

        private int DoTune(int zone, double setpointC, double biasPct)
        {
            if (zone < 1 || zone > _zones.Length) return (int)ErrorCode.OutOfRange;
            if (State != ProgramState.Idle) return (int)ErrorCode.NotIdle;
            if (!(setpointC >= Config.Limits.MinTempC && setpointC <= Config.LimitC - LimitMarginC)) return (int)ErrorCode.OutOfRange;
            if (!(biasPct >= 0 && biasPct <= 80)) return (int)ErrorCode.OutOfRange;
            ZoneLoop z = _zones[zone - 1];
            if (z.TcFault || _limit.Tripped || _doorLatched || double.IsNaN(z.PvC)) return (int)ErrorCode.InterlockActive;
            z.StartTune(setpointC, biasPct, biasPct < 20 ? biasPct : 20);
            return ScanCommand.Ok;
        }

        private int DoReset(int code)
        {
            ErrorCode error;
            switch (code)
            {
                case (int)AlarmCode.AnnealOverTemperatureTrip:
                case (int)AlarmCode.AnnealLimitSensorFault:
                    if (!_limit.TryReset(out error)) return (int)error;
                    if (State != ProgramState.Idle) { _events.Add((int)EventCode.AnnealProgramAborted, 2); GoIdle(); }
                    _recordDirty = true;
                    return ScanCommand.Ok;
                case (int)AlarmCode.AnnealZoneTcFault:
                    for (int i = 0; i < _zones.Length; i++)
                    {
                        if (_zones[i].TcFault && _zones[i].TcWindow.BadCount > 0) return (int)ErrorCode.ConditionPresent;
                    }
                    for (int i = 0; i < _zones.Length; i++) _zones[i].TcFault = false;
                    _alarms.Reset(code);
                    return ScanCommand.Ok;
                case (int)AlarmCode.AnnealDoorOpen:
                    if (!DoorClosed) return (int)ErrorCode.ConditionPresent;
                    _doorLatched = false;
                    _alarms.Reset(code);
                    return ScanCommand.Ok;
                case (int)AlarmCode.AnnealO2FlowLow:
                    if (O2Wanted() && !(O2FlowSlpm >= Config.O2MinSlpm)) return (int)ErrorCode.ConditionPresent;
                    _o2Latched = false;
                    _alarms.Reset(code);
                    return ScanCommand.Ok;
                case (int)AlarmCode.AnnealHoldbackTimeout:
                case (int)AlarmCode.AnnealPowerFailRecovered:
                case (int)AlarmCode.AnnealPowerFailAborted:
                case (int)AlarmCode.AnnealAutotuneFailed:
                case (int)AlarmCode.AnnealProgramStoreFailed:
                    // Reports of something that happened: acknowledged.
                    _alarms.Reset(code);
                    return ScanCommand.Ok;
                default:
                    return (int)ErrorCode.BadArgument;
            }
        }
    }
}
