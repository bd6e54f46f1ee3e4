namespace Tfb.Control
{
    /// <summary>
    /// Moves an output toward a target no faster than the given rates (ramps of RF power, temperature
    /// setpoints, line speed). Rates are in units per second; time is an input.
    /// </summary>
    public sealed class RateLimiter
    {
        /// <summary>Largest rise per second (must be &gt; 0).</summary>
        public double RiseRatePerS;
        /// <summary>Largest fall per second (must be &gt; 0).</summary>
        public double FallRatePerS;

        /// <summary>Current output.</summary>
        public double Value { get; private set; }

        /// <summary>True while the output has not reached the target.</summary>
        public bool Ramping { get; private set; }

        /// <summary>Sets the output immediately (e.g. to the measured value when a ramp starts from it).</summary>
        public void Reset(double value)
        {
            Value = value;
            Ramping = false;
        }

        /// <summary>Advances by dt seconds toward <paramref name="target"/>; a non-finite target holds the output.</summary>
        public double Step(double target, double dtS)
        {
            if (!Pid.IsFinite(target) || !(dtS > 0)) return Value;
            double up = RiseRatePerS * dtS;
            double down = FallRatePerS * dtS;
            double delta = target - Value;
            if (delta > up) { Value += up; Ramping = true; }
            else if (delta < -down) { Value -= down; Ramping = true; }
            else { Value = target; Ramping = false; }
            return Value;
        }
    }
}
