namespace Tfb.Stations.Web
{
    /// <summary>
    /// Relay (Astrom-Hagglund) autotune of a tension trim: the trim output switches between +d and -d on the sign
    /// of the tension error (with hysteresis), the loop settles into a limit cycle, and its period Tu and amplitude
    /// a give the ultimate gain Ku = 4d / (pi a). PI by Ziegler-Nichols: Kp = 0.45 Ku, Ti = Tu / 1.2.
    /// </summary>
    /// <remarks>
    /// Amplitude-limited: d is capped by the caller's limit and the run aborts when the error exceeds
    /// <see cref="AbortErrorN"/> or no result arrives within <see cref="TimeoutS"/>. The result is only offered
    /// for saving when <see cref="Sane"/>: at least <see cref="CyclesNeeded"/> cycles, the last periods within
    /// 25 % of each other, Tu and a inside plausible windows, gains inside the settings' limits.
    /// Allocation-free; time is an input.
    /// </remarks>
    public sealed class RelayAutotune
    {
        /// <summary>Full cycles measured before the result is computed.</summary>
        public const int CyclesNeeded = 4;
        private const int MaxSwitches = 2 * CyclesNeeded + 4;

        private readonly double[] _switchS = new double[MaxSwitches];
        private readonly double[] _peak = new double[MaxSwitches];
        private int _switches;
        private double _timeS;
        private double _halfPeak;
        private int _sign;

        /// <summary>Relay amplitude, output units (N m).</summary>
        public double AmplitudeNm;
        /// <summary>Hysteresis on the error, N.</summary>
        public double HysteresisN = 1;
        /// <summary>Error beyond which the run aborts, N.</summary>
        public double AbortErrorN = 60;
        /// <summary>Longest run, s.</summary>
        public double TimeoutS = 60;
        /// <summary>Scheduling radius now over the gain reference radius: the stored gain is Kp / this.</summary>
        public double GainScale = 1;

        /// <summary>True while relaying.</summary>
        public bool Active { get; private set; }
        /// <summary>True when a run finished with a result (sane or not).</summary>
        public bool Done { get; private set; }
        /// <summary>True when the result passed the sanity check and may be saved.</summary>
        public bool Sane { get; private set; }
        /// <summary>Why the last run ended without a sane result (0 = it did not): 1 aborted on error, 2 timeout, 3 inconsistent periods, 4 implausible values, 5 cancelled.</summary>
        public int FailReason { get; private set; }
        /// <summary>Ultimate period, s.</summary>
        public double TuS { get; private set; }
        /// <summary>Limit-cycle amplitude of the error, N.</summary>
        public double AmplitudeN { get; private set; }
        /// <summary>Ultimate gain, N m per N.</summary>
        public double Ku { get; private set; }
        /// <summary>Proposed proportional gain at the gain reference radius, N m per N.</summary>
        public double KpProposed { get; private set; }
        /// <summary>Proposed integral time, s.</summary>
        public double TiProposed { get; private set; }
        /// <summary>Relay output now, N m (+d or -d; 0 when inactive).</summary>
        public double Output { get; private set; }

        /// <summary>Starts a run.</summary>
        public void Start(double amplitudeNm)
        {
            AmplitudeNm = amplitudeNm;
            _switches = 0;
            _timeS = 0;
            _halfPeak = 0;
            _sign = 1;
            Output = amplitudeNm;
            Active = true;
            Done = false;
            Sane = false;
            FailReason = 0;
            TuS = 0;
            AmplitudeN = 0;
            Ku = 0;
            KpProposed = 0;
            TiProposed = 0;
        }

        /// <summary>Stops a run without a result.</summary>
        public void Cancel()
        {
            if (!Active) return;
            Finish(5);
        }

        /// <summary>Advances with the tension error (setpoint - measured, N, sign as the loop sees it).</summary>
        public double Step(double errorN, double dtS)
        {
            if (!Active) return 0;
            if (double.IsNaN(errorN) || double.IsInfinity(errorN) || !(dtS > 0)) { Finish(4); return 0; }
            _timeS += dtS;
            double mag = errorN < 0 ? -errorN : errorN;
            if (mag > AbortErrorN) { Finish(1); return 0; }
            if (_timeS > TimeoutS) { Finish(2); return 0; }
            if (mag > _halfPeak) _halfPeak = mag;
            bool flip = (_sign > 0 && errorN < -HysteresisN) || (_sign < 0 && errorN > HysteresisN);
            if (flip)
            {
                _sign = -_sign;
                if (_switches < MaxSwitches)
                {
                    _switchS[_switches] = _timeS;
                    _peak[_switches] = _halfPeak;
                    _switches++;
                }
                _halfPeak = 0;
                if (_switches >= MaxSwitches) Evaluate();
            }
            Output = Active ? _sign * AmplitudeNm : 0;
            return Output;
        }

        private void Evaluate()
        {
            // The first four switches are the transient; the rest are CyclesNeeded full cycles.
            int first = MaxSwitches - 2 * CyclesNeeded;
            double minP = double.MaxValue, maxP = 0, sumP = 0, sumA = 0;
            for (int c = 0; c < CyclesNeeded; c++)
            {
                int i = first + 2 * c;
                // Period: from switch i-1 to switch i+1 (two half cycles); i+1 <= MaxSwitches-1 by construction.
                double p = _switchS[i + 1] - _switchS[i - 1];
                if (p < minP) minP = p;
                if (p > maxP) maxP = p;
                sumP += p;
            }
            for (int i = first; i < MaxSwitches; i++) sumA += _peak[i];
            TuS = sumP / CyclesNeeded;
            AmplitudeN = sumA / (MaxSwitches - first);
            if (!(AmplitudeN > 0) || !(TuS > 0)) { Finish(4); return; }
            Ku = 4.0 * AmplitudeNm / (System.Math.PI * AmplitudeN);
            double gs = GainScale > 0 ? GainScale : 1;
            KpProposed = 0.45 * Ku / gs;
            TiProposed = TuS / 1.2;
            if (maxP - minP > 0.25 * TuS) { Finish(3); return; }
            if (TuS < 0.02 || TuS > 10 || AmplitudeN < 0.05 || AmplitudeN > AbortErrorN
                || KpProposed < 0.0005 || KpProposed > 1 || TiProposed < 0.01 || TiProposed > 20) { Finish(4); return; }
            Sane = true;
            Finish(0);
        }

        private void Finish(int reason)
        {
            FailReason = reason;
            Active = false;
            Done = reason != 5;
            Output = 0;
            if (reason != 0) Sane = false;
        }
    }
}
