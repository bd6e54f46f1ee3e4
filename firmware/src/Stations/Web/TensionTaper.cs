namespace Tfb.Stations.Web
{
    /// <summary>Rewind taper: tension falls as the roll grows so inner wraps are not crushed.</summary>
    public static class TensionTaper
    {
        /// <summary>No taper.</summary>
        public const int None = 0;
        /// <summary>Linear: T = Tmax - (Tmax - Tmin)*(D - Dstart)/(Dmax - Dstart), clamped to Tmin..Tmax.</summary>
        public const int Linear = 1;
        /// <summary>Hyperbolic: T = T0*(1 - k*(D - D0)/D) for D &gt;= D0, k 0..0.5.</summary>
        public const int Hyperbolic = 2;

        /// <summary>Tapered tension, N.</summary>
        /// <param name="mode"><see cref="None"/>, <see cref="Linear"/> or <see cref="Hyperbolic"/>.</param>
        /// <param name="setpointN">T0 / Tmax, N.</param>
        /// <param name="diameterM">Present rewind diameter, m.</param>
        /// <param name="startDiameterM">Dstart / D0, m: below it there is no taper.</param>
        /// <param name="maxDiameterM">Dmax (linear), m.</param>
        /// <param name="minFraction">Tmin / Tmax (linear).</param>
        /// <param name="k">Hyperbolic taper factor 0..0.5.</param>
        public static double Apply(int mode, double setpointN, double diameterM, double startDiameterM, double maxDiameterM, double minFraction, double k)
        {
            if (diameterM <= startDiameterM || mode == None) return setpointN;
            if (mode == Linear)
            {
                double span = maxDiameterM - startDiameterM;
                if (!(span > 0)) return setpointN;
                double x = (diameterM - startDiameterM) / span;
                if (x > 1) x = 1;
                return setpointN - setpointN * (1.0 - minFraction) * x;
            }
            if (mode == Hyperbolic) return setpointN * (1.0 - k * (diameterM - startDiameterM) / diameterM);
            return setpointN;
        }
    }
}
