namespace Tfb.Stations.Web
{
    /// <summary>
    /// Radius of an unwind or rewind roll, fused from two independent estimates: R_v = v/w (line speed over the
    /// roll's angular speed, valid when the roll turns fast enough) and R_int = sqrt(R0^2 -/+ t*L/pi) (the start
    /// radius and the web length paid out or wound in, times the web thickness).
    /// </summary>
    /// <remarks>
    /// Fusion: R = R_int + b, where the bias b follows R_v - R_int with time constant <see cref="FuseTauS"/>
    /// (thickness tolerance, a wrong start radius); R_v is first low-passed over <see cref="VelocityTauS"/>
    /// (out-of-round rolls ripple it once per turn). Divergence = |R_v - R| / R; above the caller's limit the
    /// bias freezes (a slipping or broken web must not pull the estimate) and the caller raises the alarm.
    /// All lengths in metres. Allocation-free.
    /// </remarks>
    public sealed class RadiusEstimator
    {
        private double _r0;
        private double _lengthM;
        private double _bias;
        private double _rvFiltered;
        private bool _rvValid;

        /// <summary>True for an unwind (radius shrinks), false for a rewind (grows).</summary>
        public bool Unwind;
        /// <summary>Web thickness, m (times the roll-build scale on a time-compressed test plant).</summary>
        public double ThicknessM = 20e-6;
        /// <summary>Core radius, m: the estimate never goes below it.</summary>
        public double CoreRadiusM = 0.038;
        /// <summary>Largest radius the stand takes, m.</summary>
        public double MaxRadiusM = 0.4;
        /// <summary>Time constant of the R_v filter, s.</summary>
        public double VelocityTauS = 2;
        /// <summary>Time constant with which R_int is corrected toward R_v, s.</summary>
        public double FuseTauS = 30;
        /// <summary>Fractional divergence above which the bias freezes.</summary>
        public double FreezeFraction = 0.05;
        /// <summary>Smallest angular speed at which R_v is trusted, rad/s.</summary>
        public double MinOmegaRadps = 1e-4;

        /// <summary>Fused radius, m.</summary>
        public double RadiusM { get; private set; }
        /// <summary>Integrated-thickness radius (without the fusion bias), m.</summary>
        public double IntegratedRadiusM { get; private set; }
        /// <summary>Filtered v/w radius, m (valid only when <see cref="VelocityValid"/>).</summary>
        public double VelocityRadiusM { get { return _rvFiltered; } }
        /// <summary>True when R_v was computed this step.</summary>
        public bool VelocityValid { get { return _rvValid; } }
        /// <summary>|R_v - R| / R, or 0 when R_v is not valid.</summary>
        public double Divergence { get; private set; }

        /// <summary>Starts a new roll of radius <paramref name="startRadiusM"/>.</summary>
        public void Reset(double startRadiusM)
        {
            _r0 = startRadiusM;
            _lengthM = 0;
            _bias = 0;
            _rvValid = false;
            _rvFiltered = startRadiusM;
            IntegratedRadiusM = startRadiusM;
            RadiusM = startRadiusM;
            Divergence = 0;
        }

        /// <summary>
        /// Advances with the line speed (m/s, measured at the drum) and the roll's angular speed (rad/s);
        /// <paramref name="omegaValid"/> false when either encoder is too slow to trust (the caller's call).
        /// </summary>
        public void Step(double lineSpeedMps, double omegaRadps, bool omegaValid, double dtS)
        {
            if (!(dtS > 0) || double.IsNaN(lineSpeedMps) || double.IsInfinity(lineSpeedMps)) return;
            if (lineSpeedMps > 0) _lengthM += lineSpeedMps * dtS;
            double area = _r0 * _r0 + (Unwind ? -1.0 : 1.0) * ThicknessM * _lengthM / System.Math.PI;
            double rc = CoreRadiusM;
            double ri = area > rc * rc ? System.Math.Sqrt(area) : rc;
            if (ri > MaxRadiusM) ri = MaxRadiusM;
            IntegratedRadiusM = ri;
            double r = ri + _bias;
            bool wasValid = _rvValid;
            _rvValid = omegaValid && omegaRadps > MinOmegaRadps && lineSpeedMps > 0;
            if (_rvValid)
            {
                // A fresh start of R_v (after standstill or slow running) starts from the estimate, not from the
                // filter's memory of a time when the encoders lagged.
                if (!wasValid) _rvFiltered = r;
                double rv = lineSpeedMps / omegaRadps;
                double a = dtS / (VelocityTauS + dtS);
                _rvFiltered += a * (rv - _rvFiltered);
                double d = (_rvFiltered - r) / r;
                Divergence = d < 0 ? -d : d;
                if (Divergence < FreezeFraction) _bias += (_rvFiltered - r) * dtS / (FuseTauS + dtS);
            }
            else
            {
                Divergence = 0;
            }
            r = ri + _bias;
            if (r < rc) r = rc;
            if (r > MaxRadiusM) r = MaxRadiusM;
            RadiusM = r;
        }
    }
}
