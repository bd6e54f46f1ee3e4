namespace Tfb.Control
{
    /// <summary>First-order low-pass filter y' = (x - y) / tau, discretised exactly for any dt.</summary>
    /// <remarks>Non-finite samples are not absorbed: the output holds and <see cref="Fault"/> is set.</remarks>
    public sealed class LowPass
    {
        private bool _initialised;

        /// <summary>Time constant in seconds (0 = pass-through).</summary>
        public double TauS;

        /// <summary>Filtered value.</summary>
        public double Value { get; private set; }

        /// <summary>True when the last sample was non-finite or dt was not positive.</summary>
        public bool Fault { get; private set; }

        /// <summary>Starts from <paramref name="value"/> on the next step instead of the first sample.</summary>
        public void Reset(double value)
        {
            Value = value;
            _initialised = true;
        }

        /// <summary>Filters one sample taken dt seconds after the previous one.</summary>
        public double Step(double sample, double dtS)
        {
            if (!Pid.IsFinite(sample) || !(dtS > 0))
            {
                Fault = true;
                return Value;
            }
            Fault = false;
            if (!_initialised || TauS <= 0)
            {
                Value = sample;
                _initialised = true;
                return Value;
            }
            double alpha = 1 - System.Math.Exp(-dtS / TauS);
            Value += alpha * (sample - Value);
            return Value;
        }
    }
}
