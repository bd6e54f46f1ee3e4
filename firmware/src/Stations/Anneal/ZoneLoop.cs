using Tfb.Control;

namespace Tfb.Stations.Anneal
{
    /// <summary>Tuning of one zone: PID gains at two temperatures (linear in between, held outside) and ramp feed-forward.</summary>
    public sealed class ZoneTuning
    {
        /// <summary>Proportional gain at <see cref="AnnealConfig.ScheduleLowC"/>, % output per C.</summary>
        public double KpLow = 2.5;
        /// <summary>Integral time at the low breakpoint, s.</summary>
        public double TiLowS = 200;
        /// <summary>Proportional gain at <see cref="AnnealConfig.ScheduleHighC"/>, % per C.</summary>
        public double KpHigh = 3.0;
        /// <summary>Integral time at the high breakpoint, s.</summary>
        public double TiHighS = 180;
        /// <summary>Derivative time, s (on the measurement).</summary>
        public double TdS = 40;
        /// <summary>Ramp feed-forward, % output per C/min of setpoint rate.</summary>
        public double FeedForwardPctPerCpm = 1.7;
    }

    /// <summary>
    /// Thermocouple health by error rate: a ring of the last reads' verdicts; the channel is faulty when the share
    /// of bad reads in the window exceeds the threshold (one bad read is not a fault; a burnt-out TC is, within
    /// window * threshold). Allocation-free after construction.
    /// </summary>
    public sealed class TcErrorWindow
    {
        private readonly bool[] _bad;
        private int _length;
        private int _next;
        private int _filled;
        private int _badCount;

        /// <summary>Creates a window of at most <paramref name="capacity"/> reads.</summary>
        public TcErrorWindow(int capacity) { _bad = new bool[capacity]; _length = capacity; }

        /// <summary>Reads in the window (1..capacity); changing it clears the history.</summary>
        public int Length
        {
            get { return _length; }
            set
            {
                int v = value < 1 ? 1 : (value > _bad.Length ? _bad.Length : value);
                if (v == _length) return;
                _length = v;
                Clear();
            }
        }

        /// <summary>Bad reads in the window.</summary>
        public int BadCount { get { return _badCount; } }

        /// <summary>Forgets the history.</summary>
        public void Clear()
        {
            for (int i = 0; i < _bad.Length; i++) _bad[i] = false;
            _next = 0;
            _filled = 0;
            _badCount = 0;
        }

        /// <summary>Adds one read's verdict; true when the bad share now exceeds <paramref name="maxBadFraction"/>.</summary>
        public bool Add(bool bad, double maxBadFraction)
        {
            if (_filled == _length)
            {
                if (_bad[_next]) _badCount--;
            }
            else
            {
                _filled++;
            }
            _bad[_next] = bad;
            if (bad) _badCount++;
            _next++;
            if (_next >= _length) _next = 0;
            return _badCount > maxBadFraction * _length;
        }
    }

    /// <summary>
    /// One furnace zone: PV filter, gain-scheduled PID (derivative on measurement, back-calculation anti-windup,
    /// bumpless manual/auto through <see cref="Pid"/>), ramp feed-forward, relay autotune, and the
    /// time-proportioned SSR output. Scan thread only; allocation-free.
    /// </summary>
    public sealed class ZoneLoop
    {
        /// <summary>The PID block.</summary>
        public readonly Pid Pid = new Pid();
        /// <summary>Tuning (from settings).</summary>
        public readonly ZoneTuning Tuning = new ZoneTuning();
        /// <summary>Thermocouple health window.</summary>
        public readonly TcErrorWindow TcWindow;
        private readonly LowPass _pvFilter = new LowPass();

        private double _cycleStartS = -1;
        private double _cycleDuty;

        // Relay autotune state.
        private bool _tuneHigh;
        private int _tuneCrossings;
        private double _tuneMax;
        private double _tuneMin;
        private double _tuneLastRiseS;
        private double _tunePeriodSum;
        private double _tuneAmplitudeSum;
        private int _tuneCycles;
        private double _tunePrevPeriodS;
        private double _tunePeriodSpreadS;

        /// <summary>Creates a zone with a TC window of at most <paramref name="windowCapacity"/> reads.</summary>
        public ZoneLoop(int windowCapacity)
        {
            TcWindow = new TcErrorWindow(windowCapacity);
            Pid.OutMin = 0;
            Pid.OutMax = 100;
            Pid.SafeOutput = 0;
            Pid.DerivativeFilterN = 8;
        }

        /// <summary>Filtered process value, C (NaN until the first good read).</summary>
        public double PvC = double.NaN;
        /// <summary>Last good raw reading, C.</summary>
        public double RawC = double.NaN;
        /// <summary>True while the TC error rate is above the threshold (latched by the module).</summary>
        public bool TcFault;
        /// <summary>True in manual mode.</summary>
        public bool Manual;
        /// <summary>Manual output, %.</summary>
        public double ManualPct;
        /// <summary>Output demand, % (0..100).</summary>
        public double OutputPct;
        /// <summary>Feed-forward part of the last output, %.</summary>
        public double FeedForwardPct;
        /// <summary>The SSR state this scan.</summary>
        public bool SsrOn;

        /// <summary>Autotune running.</summary>
        public bool Tuning_Active;
        /// <summary>Autotune setpoint, C.</summary>
        public double TuneSetpointC;
        /// <summary>Autotune relay half-amplitude, %.</summary>
        public double TuneStepPct = 20;
        /// <summary>Autotune bias (output around which the relay switches), %.</summary>
        public double TuneBiasPct;
        /// <summary>Result: ultimate gain Ku (% per C), 0 until done.</summary>
        public double TuneKu;
        /// <summary>Result: ultimate period Pu, s.</summary>
        public double TunePuS;
        /// <summary>0 running or idle, 1 done and sane, 2 done but refused by the sanity check, 3 aborted.</summary>
        public int TuneResult;

        /// <summary>Feeds one TC reading (valid or not) into the filter and the error window; returns true on a TC fault.</summary>
        /// <param name="ok">The read succeeded and is finite.</param>
        /// <param name="valueC">The reading, C.</param>
        /// <param name="dtS">Time since the previous read.</param>
        /// <param name="maxBadFraction">Threshold of the error rate.</param>
        public bool FeedTc(bool ok, double valueC, double dtS, double maxBadFraction)
        {
            // A jump of more than 50 C in one scan is not a furnace: an intermittent junction. Count it as bad.
            if (ok && IsFinite(RawC) && System.Math.Abs(valueC - RawC) > 50) ok = false;
            bool fault = TcWindow.Add(!ok, maxBadFraction);
            if (ok)
            {
                RawC = valueC;
                if (!IsFinite(PvC)) { PvC = valueC; _pvFilter.Reset(valueC); }
                else PvC = _pvFilter.Step(valueC, dtS);
            }
            return fault;
        }

        /// <summary>Clears PID and TC history (program start, after a fault reset).</summary>
        public void ResetControl()
        {
            Pid.Reset();
            OutputPct = 0;
            FeedForwardPct = 0;
        }

        /// <summary>Sets the PV filter time constant, s.</summary>
        public void SetFilter(double tauS) { _pvFilter.TauS = tauS; }

        /// <summary>Applies the gain schedule for <paramref name="temperatureC"/> (fixed gains when <paramref name="scheduled"/> is false: the high breakpoint's).</summary>
        public void Schedule(double temperatureC, double lowC, double highC, bool scheduled)
        {
            double f = 1;
            if (scheduled)
            {
                f = highC > lowC ? (temperatureC - lowC) / (highC - lowC) : 1;
                if (!(f >= 0)) f = 0;
                if (f > 1) f = 1;
            }
            Pid.Kp = Tuning.KpLow + (Tuning.KpHigh - Tuning.KpLow) * f;
            Pid.TiS = Tuning.TiLowS + (Tuning.TiHighS - Tuning.TiLowS) * f;
            Pid.TdS = Tuning.TdS;
        }

        /// <summary>One control step: automatic (PID + feed-forward) or manual (bumpless). Returns the demand, %.</summary>
        public double Control(double setpointC, double rateCPerMin, bool feedForward, double dtS)
        {
            if (Tuning_Active) return StepTune(dtS);
            FeedForwardPct = feedForward ? Tuning.FeedForwardPctPerCpm * rateCPerMin : 0;
            if (Manual) OutputPct = Pid.StepManual(ManualPct, setpointC, PvC, FeedForwardPct);
            else OutputPct = Pid.Step(setpointC, PvC, FeedForwardPct, dtS);
            if (Pid.Fault) OutputPct = 0;
            return OutputPct;
        }

        /// <summary>Forces the demand to 0 and makes the next manual/auto transfer start from 0 (zone off).</summary>
        public void Off(double setpointC)
        {
            OutputPct = 0;
            if (IsFinite(PvC) && IsFinite(setpointC)) Pid.StepManual(0, setpointC, PvC, 0);
            SsrOn = false;
            _cycleStartS = -1;
        }

        /// <summary>Time-proportioned SSR: the demand latched at each cycle start, on for duty * cycle.</summary>
        /// <param name="nowS">Monotonic time, s.</param>
        /// <param name="cycleS">Cycle length, s.</param>
        /// <param name="phaseS">This zone's offset into the cycle (spreads the zones' current peaks).</param>
        public bool TimeProportion(double nowS, double cycleS, double phaseS)
        {
            double t = nowS - phaseS;
            if (_cycleStartS < 0 || t - _cycleStartS >= cycleS || t < _cycleStartS)
            {
                _cycleStartS = t - (_cycleStartS < 0 ? 0 : ((t - _cycleStartS) % cycleS));
                _cycleDuty = OutputPct / 100.0;
            }
            SsrOn = (t - _cycleStartS) < _cycleDuty * cycleS - 1e-9;
            return SsrOn;
        }

        /// <summary>Starts a relay autotune at <paramref name="setpointC"/> with bias and relay step, %.</summary>
        public void StartTune(double setpointC, double biasPct, double stepPct)
        {
            Tuning_Active = true;
            TuneSetpointC = setpointC;
            TuneBiasPct = biasPct;
            TuneStepPct = stepPct;
            TuneResult = 0;
            TuneKu = 0;
            TunePuS = 0;
            _tuneHigh = !(PvC > setpointC);
            _tuneCrossings = 0;
            _tuneMax = double.MinValue;
            _tuneMin = double.MaxValue;
            _tuneLastRiseS = -1;
            _tunePeriodSum = 0;
            _tuneAmplitudeSum = 0;
            _tuneCycles = 0;
            _tuneElapsedS = 0;
            _tunePrevPeriodS = 0;
            _tunePeriodSpreadS = 0;
        }

        /// <summary>Stops the autotune without a result.</summary>
        public void AbortTune()
        {
            if (!Tuning_Active) return;
            Tuning_Active = false;
            TuneResult = 3;
        }

        private double _tuneElapsedS;

        /// <summary>Relay cycles measured before the result is taken (the first two are discarded).</summary>
        public const int TuneCycles = 4;
        /// <summary>Relay hysteresis, C (above TC noise).</summary>
        public const double TuneHysteresisC = 1.0;
        /// <summary>Longest autotune, s.</summary>
        public const double TuneTimeoutS = 6 * 3600;

        private double StepTune(double dtS)
        {
            _tuneElapsedS += dtS;
            double pv = PvC;
            if (!IsFinite(pv) || _tuneElapsedS > TuneTimeoutS) { Tuning_Active = false; TuneResult = 3; OutputPct = 0; return 0; }
            if (pv > _tuneMax) _tuneMax = pv;
            if (pv < _tuneMin) _tuneMin = pv;
            if (_tuneHigh && pv > TuneSetpointC + TuneHysteresisC)
            {
                _tuneHigh = false;
            }
            else if (!_tuneHigh && pv < TuneSetpointC - TuneHysteresisC)
            {
                _tuneHigh = true;
                // One full cycle ends at each switch to high.
                _tuneCrossings++;
                if (_tuneLastRiseS >= 0 && _tuneCrossings > 2)
                {
                    double period = _tuneElapsedS - _tuneLastRiseS;
                    _tunePeriodSum += period;
                    _tuneAmplitudeSum += (_tuneMax - _tuneMin) / 2;
                    if (_tunePrevPeriodS > 0)
                    {
                        double spread = System.Math.Abs(period - _tunePrevPeriodS);
                        if (spread > _tunePeriodSpreadS) _tunePeriodSpreadS = spread;
                    }
                    _tunePrevPeriodS = period;
                    _tuneCycles++;
                }
                _tuneLastRiseS = _tuneElapsedS;
                _tuneMax = double.MinValue;
                _tuneMin = double.MaxValue;
                if (_tuneCycles >= TuneCycles) FinishTune();
            }
            double u = TuneBiasPct + (_tuneHigh ? TuneStepPct : -TuneStepPct);
            if (u < 0) u = 0;
            if (u > 100) u = 100;
            OutputPct = u;
            Pid.StepManual(u, TuneSetpointC, pv, 0);
            return u;
        }

        private void FinishTune()
        {
            Tuning_Active = false;
            double pu = _tunePeriodSum / _tuneCycles;
            double a = _tuneAmplitudeSum / _tuneCycles;
            TunePuS = pu;
            TuneKu = a > 0 ? 4 * TuneStepPct / (System.Math.PI * a) : 0;
            // Sanity: an oscillation at least twice the hysteresis, a period a furnace can have, and cycles that
            // repeat (period spread under 25 %). Anything else is a disturbed test, not a tuning.
            bool sane = a > 2 * TuneHysteresisC && pu >= 20 && pu <= 7200 && _tunePeriodSpreadS <= 0.25 * pu
                && TuneKu > 0.01 && TuneKu < 100;
            TuneResult = sane ? 1 : 2;
        }

        /// <summary>PI gains from the relay result (Tyreus-Luyben: Kp = Ku/3.2, Ti = 2.2 Pu; conservative for lagging plants).</summary>
        public void TuneGains(out double kp, out double tiS, out double tdS)
        {
            kp = TuneKu / 3.2;
            tiS = 2.2 * TunePuS;
            tdS = TunePuS / 6.3;
        }

        private static bool IsFinite(double v) { return !double.IsNaN(v) && !double.IsInfinity(v); }
    }
}
