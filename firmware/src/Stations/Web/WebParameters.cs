namespace Tfb.Stations.Web
{
    /// <summary>
    /// Everything the web controller is configured with, in SI units inside (m, m/s, N, N m, s). The module copies
    /// the settings (operator units: m/min, mm, %) into it when the settings version changes; tests and the
    /// benchmark fill it directly. Defaults match the virtual line's plant.
    /// </summary>
    public sealed class WebParameters
    {
        /// <summary>Highest line speed setpoint, m/s (1 m/min).</summary>
        public double MaxSpeedMps = 1.0 / 60.0;
        /// <summary>Ramp acceleration limit, m/s2 (full speed in 10 s).</summary>
        public double AccelMps2 = 1.0 / 60.0 / 10.0;
        /// <summary>Ramp jerk limit, m/s3 (acceleration reached in 2 s).</summary>
        public double JerkMps3 = 1.0 / 60.0 / 20.0;
        /// <summary>Deceleration of a fault stop, m/s2 (full speed to rest in about 1 s).</summary>
        public double FaultDecelMps2 = 1.0 / 60.0;
        /// <summary>Highest jog speed while threading, m/s (0.1 m/min).</summary>
        public double ThreadMaxSpeedMps = 0.1 / 60.0;

        /// <summary>Lowest running tension setpoint, N.</summary>
        public double MinTensionN = 50;
        /// <summary>Highest running tension setpoint, N.</summary>
        public double MaxTensionN = 500;
        /// <summary>Threading tension, N.</summary>
        public double ThreadTensionN = 100;
        /// <summary>Highest tension while threading, N (over-tension trips at the lower of this and 150 % of setpoint).</summary>
        public double ThreadMaxTensionN = 150;
        /// <summary>Tension setpoint ramp, N/s.</summary>
        public double TensionRampNps = 100;

        /// <summary>Process drum radius, m.</summary>
        public double DrumRadiusM = 0.100;
        /// <summary>Unwind core radius, m.</summary>
        public double UnwindCoreRadiusM = 0.038;
        /// <summary>Rewind core radius, m.</summary>
        public double RewindCoreRadiusM = 0.038;
        /// <summary>Largest roll radius, m.</summary>
        public double MaxRollRadiusM = 0.200;
        /// <summary>Web thickness for the integrated radius, m (x roll-build scale on a time-compressed plant).</summary>
        public double ThicknessM = 20e-6;
        /// <summary>Web width, m.</summary>
        public double WidthM = 0.300;
        /// <summary>Web density, kg/m3.</summary>
        public double DensityKgM3 = 8000;
        /// <summary>Motor + core inertia of each roll, kg m2.</summary>
        public double RollBaseInertiaKgM2 = 0.010;
        /// <summary>Viscous friction of each roll, N m s/rad.</summary>
        public double ViscousNmsPerRad = 0.001;
        /// <summary>Coulomb friction of each roll, N m.</summary>
        public double CoulombNm = 0.02;

        /// <summary>Torque drive full scale, N m (reference fraction 0.5 +- 0.5).</summary>
        public double TorqueFullScaleNm = 100;
        /// <summary>Speed drive full scale, m/s.</summary>
        public double SpeedFullScaleMps = 0.1;
        /// <summary>Encoder edges per revolution.</summary>
        public int EncoderCountsPerRev = 10000;

        /// <summary>Tension trim proportional gain at <see cref="GainReferenceRadiusM"/>, N m per N.</summary>
        public double Kp = 0.005;
        /// <summary>Tension trim integral time, s.</summary>
        public double TiS = 0.02;
        /// <summary>Low-pass on the tension the trim sees, s (with the load cell's own lag it keeps the lightly damped roll-web resonance, 18-60 Hz, out of the loop).</summary>
        public double TensionFilterS = 0.01;
        /// <summary>Radius the gains are given at, m; scheduled gain = gain * R / this (constant loop crossover).</summary>
        public double GainReferenceRadiusM = 0.100;
        /// <summary>Torque feed-forward (tension x radius, inertia x acceleration, friction) on.</summary>
        public bool FeedForward = true;
        /// <summary>Gain scheduling on diameter on.</summary>
        public bool GainScheduling = true;

        /// <summary>Rewind taper mode (<see cref="TensionTaper"/>).</summary>
        public int TaperMode = TensionTaper.None;
        /// <summary>Taper start diameter, m.</summary>
        public double TaperStartDiameterM = 0.100;
        /// <summary>Linear taper end diameter, m.</summary>
        public double TaperMaxDiameterM = 0.400;
        /// <summary>Linear taper: tension at the end diameter as a fraction of setpoint.</summary>
        public double TaperMinFraction = 0.7;
        /// <summary>Hyperbolic taper factor 0..0.5.</summary>
        public double TaperK = 0.3;

        /// <summary>Over-tension trip, fraction of setpoint (1.5).</summary>
        public double OverTensionFraction = 1.5;
        /// <summary>Under-tension alarm, fraction of setpoint (0.5).</summary>
        public double UnderTensionFraction = 0.5;
        /// <summary>Hysteresis of the under-tension band, fraction of setpoint (0.05).</summary>
        public double HysteresisFraction = 0.05;
        /// <summary>Under-tension must persist this long, s.</summary>
        public double UnderTensionTimeoutS = 2;
        /// <summary>Start-up grace: under-tension is not checked this long after tension is first commanded, s.</summary>
        public double StartupGraceS = 8;
        /// <summary>Web break: tension below this fraction of setpoint ...</summary>
        public double BreakFraction = 0.2;
        /// <summary>... for this long, s (after the span was once at 80 % of setpoint).</summary>
        public double BreakTimeS = 0.04;
        /// <summary>Radius divergence alarm, fraction (0.12).</summary>
        public double RadiusDivergenceFraction = 0.12;
        /// <summary>Radius divergence must persist this long, s.</summary>
        public double RadiusDivergenceTimeS = 1;
        /// <summary>Encoder fault: speed reference above this fraction of the drive's full scale with no pulses.</summary>
        public double EncoderFaultFraction = 0.15;
        /// <summary>Speed deviation alarm: |measured - reference| above this fraction of the maximum speed ...</summary>
        public double SpeedDeviationFraction = 0.05;
        /// <summary>... for this long, s.</summary>
        public double SpeedDeviationTimeS = 2;
        /// <summary>Permit band: the sputter permit needs both tensions within this fraction of setpoint.</summary>
        public double PermitBandFraction = 0.1;
        /// <summary>Permit: the line must run at least this speed, m/s.</summary>
        public double PermitMinSpeedMps = 0.001 / 60.0;

        /// <summary>
        /// Load-cell plausibility: a span's filtered reading may differ from the tension its roll's torque balance
        /// gives (torque command minus modelled inertia and friction, over the radius) by at most this, N. It must
        /// exceed the largest unmodelled steady torque over the radius (bearing drag, friction error), else it trips
        /// falsely; a load-cell offset is detected once it exceeds it.
        /// </summary>
        public double PlausibilityToleranceN = 30;
        /// <summary>Load-cell plausibility: the disagreement must persist this long, s.</summary>
        public double PlausibilityTimeS = 2;
        /// <summary>Low-pass on the plausibility residual, s (averages the trim's ripple and the roll-web resonance).</summary>
        public double PlausibilityFilterS = 0.5;
        /// <summary>Plausibility is armed only after speed and tension have been steady (not ramping) this long, s.</summary>
        public double PlausibilitySettleS = 2;

        /// <summary>Largest relay amplitude the autotune may use, as tension (torque = this x roll radius), N.</summary>
        public double AutotuneMaxAmplitudeN = 20;
    }
}
