namespace Tfb.Control
{
    /// <summary>
    /// PID control block with the composition of OSCAT's CTRL_PID: input (error = setpoint - process value,
    /// derivative on the process value through a first-order filter) -> P + I + D -> output stage (manual mode
    /// with bumpless transfer, offset/feed-forward, limits and a "limited" flag), with anti-windup by
    /// back-calculation: while the output is limited the integrator is pulled back by (u_limited - u) / Tt.
    /// </summary>
    /// <remarks>
    /// Time is an input: <see cref="Step"/> takes dt in seconds. Non-finite inputs or dt &lt;= 0 do not
    /// integrate: the block holds its state, raises <see cref="Fault"/>, and returns the safe output. Allocation-free.
    /// Units are the caller's (e.g. error in N, output as a fraction of full torque).
    /// </remarks>
    public sealed class Pid
    {
        private double _integral;
        private double _derivFiltered;
        private double _lastPv;
        private bool _hasLastPv;

        /// <summary>Proportional gain (output units per error unit).</summary>
        public double Kp;
        /// <summary>Integral time Ti in seconds (0 = no integral action).</summary>
        public double TiS;
        /// <summary>Derivative time Td in seconds (0 = no derivative action).</summary>
        public double TdS;
        /// <summary>Derivative filter: time constant = Td / N (typically 8-20).</summary>
        public double DerivativeFilterN = 10;
        /// <summary>Anti-windup tracking time Tt in seconds (0 = sqrt(Ti*Td) or Ti when Td is 0).</summary>
        public double TrackingTimeS;
        /// <summary>Lower output limit.</summary>
        public double OutMin = double.MinValue;
        /// <summary>Upper output limit.</summary>
        public double OutMax = double.MaxValue;
        /// <summary>Output when a fault stops the block.</summary>
        public double SafeOutput;

        /// <summary>True while the last output was clamped at a limit.</summary>
        public bool Limited { get; private set; }

        /// <summary>True when the last step saw non-finite data or dt &lt;= 0 (the output was the safe output).</summary>
        public bool Fault { get; private set; }

        /// <summary>Last output.</summary>
        public double Output { get; private set; }

        /// <summary>Integral term, in output units.</summary>
        public double Integral { get { return _integral; } }

        /// <summary>Clears the state (integrator, derivative filter).</summary>
        public void Reset()
        {
            _integral = 0;
            _derivFiltered = 0;
            _hasLastPv = false;
            Limited = false;
            Fault = false;
        }

        /// <summary>Automatic mode step.</summary>
        /// <param name="setpoint">Desired process value.</param>
        /// <param name="pv">Measured process value.</param>
        /// <param name="feedForward">Added to the PID output before limiting (offset or model feed-forward).</param>
        /// <param name="dtS">Time since the previous step, seconds.</param>
        /// <returns>The limited output.</returns>
        public double Step(double setpoint, double pv, double feedForward, double dtS)
        {
            if (!IsFinite(setpoint) || !IsFinite(pv) || !IsFinite(feedForward) || !(dtS > 0) || !IsFinite(dtS))
            {
                Fault = true;
                Output = SafeOutput;
                return Output;
            }
            Fault = false;
            double error = setpoint - pv;
            double p = Kp * error;

            double d = 0;
            if (TdS > 0 && _hasLastPv)
            {
                // Derivative on measurement (no kick on setpoint steps), filtered: tau = Td / N.
                double raw = -Kp * TdS * (pv - _lastPv) / dtS;
                double tau = TdS / (DerivativeFilterN > 0 ? DerivativeFilterN : 10);
                double a = dtS / (tau + dtS);
                _derivFiltered += a * (raw - _derivFiltered);
                d = _derivFiltered;
            }
            _lastPv = pv;
            _hasLastPv = true;

            double unclamped = p + _integral + d + feedForward;
            double u = unclamped;
            if (u > OutMax) u = OutMax;
            if (u < OutMin) u = OutMin;
            Limited = u != unclamped;

            if (TiS > 0)
            {
                double tt = TrackingTimeS > 0 ? TrackingTimeS : (TdS > 0 ? System.Math.Sqrt(TiS * TdS) : TiS);
                _integral += (Kp * error / TiS + (u - unclamped) / tt) * dtS;
            }
            Output = u;
            return u;
        }

        /// <summary>
        /// Manual mode: the output follows <paramref name="manualOutput"/> (limited) and the integrator tracks it,
        /// so switching back to automatic is bumpless.
        /// </summary>
        public double StepManual(double manualOutput, double setpoint, double pv, double feedForward)
        {
            if (!IsFinite(manualOutput))
            {
                Fault = true;
                Output = SafeOutput;
                return Output;
            }
            double u = manualOutput;
            if (u > OutMax) u = OutMax;
            if (u < OutMin) u = OutMin;
            Limited = u != manualOutput;
            Fault = false;
            if (IsFinite(setpoint) && IsFinite(pv) && IsFinite(feedForward))
            {
                _integral = u - Kp * (setpoint - pv) - feedForward;
                _lastPv = pv;
                _hasLastPv = true;
                _derivFiltered = 0;
            }
            Output = u;
            return u;
        }

        internal static bool IsFinite(double v)
        {
            return !double.IsNaN(v) && !double.IsInfinity(v);
        }
    }
}
