namespace Tfb.Stations.Web
{
    /// <summary>
    /// Relay autotune of a tension trim, with an integrator after the relay (the relay sets the slope of the
    /// torque, not the torque): the loop settles into a limit cycle where the plant's phase is -90 degrees, below
    /// the lightly damped roll-web resonance that a plain relay would lock onto (a plain relay oscillates at the
    /// resonance, 30-60 Hz, which a 100 Hz scan cannot even measure). From the cycle's period Tu and the error
    /// and torque amplitudes the plant gain |P| at w = 2 pi / Tu follows; the integral gain that would put the
    /// loop at the stability limit is Ki_u = w / |P|.
    /// </summary>
    /// <remarks>
    /// Proposal: Ki = Ki_u / 8 (18 dB gain margin, for the resonance peak the test does not see), Ti = 0.6 / w,
    /// Kp = Ki * Ti (a little phase lead). Amplitude-limited: the torque excursion never exceeds
    /// 3 x <see cref="AmplitudeNm"/>; the run aborts when the error exceeds <see cref="AbortErrorN"/> or takes
    /// longer than <see cref="TimeoutS"/>. <see cref="Sane"/> (the only result that may be saved) needs
    /// <see cref="CyclesNeeded"/> cycles whose periods agree within 25 %, Tu and the amplitudes inside plausible
    /// windows and the gains inside the settings' limits. Allocation-free; time is an input.
    /// </remarks>
    public sealed class RelayAutotune
    {
        /// <summary>Full cycles measured before the result is computed.</summary>
        public const int CyclesNeeded = 4;
        private const int MaxSwitches = 2 * CyclesNeeded + 4;

        private readonly double[] _switchS = new double[MaxSwitches];
        private readonly double[] _peak = new double[MaxSwitches];
        private readonly double[] _outPeak = new double[MaxSwitches];
        private int _switches;
        private double _timeS;
        private double _halfPeak;
        private double _halfOutPeak;
        private double _out;
        private int _sign;

        /// <summary>Relay amplitude, output units (N m): the torque slope is 20 x this per second, the excursion at most 3 x this.</summary>
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
        /// <summary>True when a run finished (sane or not; not after a cancel).</summary>
        public bool Done { get; private set; }
        /// <summary>True when the result passed the sanity check and may be saved.</summary>
        public bool Sane { get; private set; }
        /// <summary>Why the last run ended without a sane result (0 = it did not): 1 error too large, 2 timeout, 3 inconsistent periods, 4 implausible values, 5 cancelled.</summary>
        public int FailReason { get; private set; }
        /// <summary>Limit-cycle period, s.</summary>
        public double TuS { get; private set; }
        /// <summary>Limit-cycle amplitude of the error, N.</summary>
        public double AmplitudeN { get; private set; }
        /// <summary>Integral gain at the stability limit, N m per N s (at the present radius).</summary>
        public double Ku { get; private set; }
        /// <summary>Proposed proportional gain at the gain reference radius, N m per N.</summary>
        public double KpProposed { get; private set; }
        /// <summary>Proposed integral time, s.</summary>
        public double TiProposed { get; private set; }
        /// <summary>Relay-integrator output now, N m (added to the trim's hold value).</summary>
        public double Output { get { return _out; } }

        /// <summary>Starts a run.</summary>
        public void Start(double amplitudeNm)
        {
            AmplitudeNm = amplitudeNm;
            _switches = 0;
            _timeS = 0;
            _halfPeak = 0;
            _halfOutPeak = 0;
            _out = 0;
            _sign = 1;
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

        /// <summary>Advances with the tension error (positive = more torque needed, N).</summary>
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
                    _outPeak[_switches] = _halfOutPeak;
                    _switches++;
                }
                _halfPeak = 0;
                _halfOutPeak = 0;
                if (_switches >= MaxSwitches) { Evaluate(); return 0; }
            }
            double limit = 3 * AmplitudeNm;
            _out += _sign * 20.0 * AmplitudeNm * dtS;
            if (_out > limit) _out = limit;
            if (_out < -limit) _out = -limit;
            double om = _out < 0 ? -_out : _out;
            if (om > _halfOutPeak) _halfOutPeak = om;
            return _out;
        }

        private void Evaluate()
        {
            // The first four switches are the transient; the rest are CyclesNeeded full cycles.
            int first = MaxSwitches - 2 * CyclesNeeded;
            double minP = double.MaxValue, maxP = 0, sumP = 0, sumA = 0, sumU = 0;
            for (int c = 0; c < CyclesNeeded; c++)
            {
                int i = first + 2 * c;
                // Period: from switch i-1 to switch i+1 (two half cycles); i+1 <= MaxSwitches-1 by construction.
                double p = _switchS[i + 1] - _switchS[i - 1];
                if (p < minP) minP = p;
                if (p > maxP) maxP = p;
                sumP += p;
            }
            for (int i = first; i < MaxSwitches; i++)
            {
                sumA += _peak[i];
                sumU += _outPeak[i];
            }
            int n = MaxSwitches - first;
            TuS = sumP / CyclesNeeded;
            AmplitudeN = sumA / n;
            double amplitudeU = sumU / n;
            if (!(AmplitudeN > 0) || !(TuS > 0) || !(amplitudeU > 0)) { Finish(4); return; }
            double w = 2.0 * System.Math.PI / TuS;
            // Fundamental of a triangle wave of peak A: 8 A / pi^2.
            double gain = AmplitudeN / (amplitudeU * 8.0 / (System.Math.PI * System.Math.PI));
            Ku = w / gain;
            double ki = Ku / 8.0;
            TiProposed = 0.6 / w;
            double gs = GainScale > 0 ? GainScale : 1;
            KpProposed = ki * TiProposed / gs;
            if (maxP - minP > 0.25 * TuS) { Finish(3); return; }
            if (TuS < 0.05 || TuS > 10 || AmplitudeN < 0.05 || AmplitudeN > AbortErrorN
                || KpProposed < 0.0002 || KpProposed > 1 || TiProposed < 0.002 || TiProposed > 20) { Finish(4); return; }
            Sane = true;
            Finish(0);
        }

        private void Finish(int reason)
        {
            FailReason = reason;
            Active = false;
            Done = reason != 5;
            _out = 0;
            if (reason != 0) Sane = false;
        }
    }
}
