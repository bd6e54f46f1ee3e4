namespace Tfb.Stations.Web
{
    /// <summary>
    /// Roller angular speed from an encoder's capture timer: the mean period between edges and the time since
    /// the newest edge (both microseconds). Period measurement, not counts per gate: at 3 mm/min a 100 mm roller
    /// gives about one edge per second, so a 10 ms gate would see nothing.
    /// </summary>
    /// <remarks>
    /// speed = (2 pi / countsPerRev) / max(period, age): while no new edge arrives the speed can at most be one
    /// count per elapsed time, so the estimate falls smoothly as a roller stops. Age at or above
    /// <see cref="StandstillUs"/> is standstill (0). A non-finite or negative reading is invalid, never a number.
    /// Direction is not measured (rollers run forward; a reversal shows as speed).
    /// </remarks>
    public sealed class EncoderSpeed
    {
        /// <summary>Edges per revolution.</summary>
        public int CountsPerRev = 10000;
        /// <summary>Age at which the roller counts as standing, us (the capture timer saturates at 16.7 s).</summary>
        public double StandstillUs = 16000000;

        /// <summary>Last angular speed, rad/s (0 at standstill).</summary>
        public double OmegaRadps { get; private set; }
        /// <summary>False when the last readings were missing or implausible.</summary>
        public bool Valid { get; private set; }
        /// <summary>Last time since an edge, us.</summary>
        public double AgeUs { get; private set; }

        /// <summary>Computes the speed from the capture readings.</summary>
        public bool Update(double periodUs, bool periodValid, double ageUs, bool ageValid)
        {
            if (!periodValid || !ageValid || double.IsNaN(periodUs) || double.IsNaN(ageUs) || double.IsInfinity(periodUs)
                || double.IsInfinity(ageUs) || periodUs < 0 || ageUs < 0 || CountsPerRev < 1)
            {
                Valid = false;
                OmegaRadps = 0;
                return false;
            }
            Valid = true;
            AgeUs = ageUs;
            double t = periodUs > ageUs ? periodUs : ageUs;
            if (ageUs >= StandstillUs || t <= 0) OmegaRadps = 0;
            else OmegaRadps = 2.0 * System.Math.PI / CountsPerRev / (t * 1e-6);
            return true;
        }
    }
}
