namespace Tfb.Stations.Web
{
    /// <summary>
    /// Line-speed reference generator: moves toward a target with limited acceleration and limited jerk
    /// (an S-curve), so the drives never see a step of torque and the web never sees a step of strain.
    /// </summary>
    /// <remarks>
    /// Each step the wanted acceleration is sign(e)*min(A, sqrt(2*J*|e|)) for the remaining speed error e (the
    /// largest acceleration that can still be brought to zero by the jerk limit on arrival); the acceleration
    /// moves toward it by at most J*dt. Arrival snaps to the target. Units are the caller's (m/s here).
    /// Allocation-free; time is an input.
    /// </remarks>
    public sealed class JerkLimitedRamp
    {
        /// <summary>Acceleration limit, units/s (&gt; 0).</summary>
        public double AccelPerS = 1;
        /// <summary>Jerk limit, units/s2 (&gt; 0).</summary>
        public double JerkPerS2 = 1;

        /// <summary>Current reference.</summary>
        public double Value { get; private set; }

        /// <summary>Current acceleration, units/s.</summary>
        public double Accel { get; private set; }

        /// <summary>True while the reference has not reached the target.</summary>
        public bool Ramping { get; private set; }

        /// <summary>Sets the reference immediately, at zero acceleration.</summary>
        public void Reset(double value)
        {
            Value = value;
            Accel = 0;
            Ramping = false;
        }

        /// <summary>Advances by <paramref name="dtS"/> toward <paramref name="target"/>; non-finite input holds.</summary>
        public double Step(double target, double dtS)
        {
            if (double.IsNaN(target) || double.IsInfinity(target) || !(dtS > 0) || !(AccelPerS > 0) || !(JerkPerS2 > 0)) return Value;
            double e = target - Value;
            double mag = e < 0 ? -e : e;
            double want = System.Math.Sqrt(2.0 * JerkPerS2 * mag);
            if (want > AccelPerS) want = AccelPerS;
            if (e < 0) want = -want;
            double dA = JerkPerS2 * dtS;
            double a = Accel;
            if (want > a + dA) a += dA;
            else if (want < a - dA) a -= dA;
            else a = want;
            double next = Value + a * dtS;
            // Arrival (or passing the target within a step): snap, no overshoot.
            if ((e >= 0 && next >= target) || (e <= 0 && next <= target) || (mag < 1e-12 && (a < dA && a > -dA)))
            {
                Value = target;
                Accel = 0;
                Ramping = false;
                return Value;
            }
            Value = next;
            Accel = a;
            Ramping = true;
            return Value;
        }
    }
}
