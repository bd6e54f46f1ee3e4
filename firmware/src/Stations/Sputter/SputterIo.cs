using Tfb.Hal;

namespace Tfb.Stations.Sputter
{
    /// <summary>One cathode's I/O and per-scan state (scan thread only, except the fast path's SetSafe calls).</summary>
    internal sealed class CathodeChannel
    {
        internal string Name;
        internal IDigitalOutput Enable;
        internal IAnalogOutput Setpoint;
        internal IDigitalOutput Shutter;
        internal IAnalogInput Forward;
        internal IAnalogInput Reflected;
        internal IAnalogInput ReturnTemp;
        internal IDigitalInput WaterOk;
        internal IDigitalInput GenOk;
        internal IDigitalInput GenOvertempOk;
        internal double FullScaleW;
        internal int RfMask;
        internal int ShutterMask;

        internal double SetpointW;
        internal double TargetW;
        internal double ForwardW;
        internal double ReflectedW;
        internal double RatioPct;
        internal bool ReadbackOk;
        internal double ReturnC;
        internal bool Lit;
        internal bool LitThisRun;
        internal long StrikeUs;
        internal long StrikeWaitSinceUs;
        internal bool RatioHigh;
        internal long RatioHighSinceUs;
        internal bool HighStartedLit;
        internal long LastArcUs;
        internal long[] ArcTimesUs;
        internal int ArcNext;
        internal int ArcsTotal;
        internal int ArcsInWindow;
        internal long[] StrikeFailTimesUs;
        internal int StrikeFailNext;
        internal int StrikeFailsTotal;
        internal int StrikeFailsInWindow;
        internal bool RfOn;
        internal bool ShutterOn;
        internal bool ReflWarn;
        internal bool RiseWarn;
        internal double MaxRiseWPerS;
        internal double LastSetpointW;
    }

    /// <summary>One process-gas line: shut-off valve, MFC setpoint and flow readback.</summary>
    internal sealed class GasLine
    {
        internal int Gas;
        internal IDigitalOutput Valve;
        internal IAnalogOutput Setpoint;
        internal IAnalogInput Flow;
        internal double FullScaleSccm;
        internal double SetSccm;
        internal double FlowSccm;
        internal bool FlowOk;
        internal bool Requested;
        internal bool Open;
        internal long OpenedUs;
    }

    /// <summary>Process gases (stable indices, <c>gas_&lt;name&gt;_*</c> I/O).</summary>
    public static class SputterGas
    {
        /// <summary>Argon.</summary>
        public const int Ar = 0;
        /// <summary>Oxygen (LiCoO2 reactive sputtering).</summary>
        public const int O2 = 1;
        /// <summary>Nitrogen (LiPON from Li3PO4).</summary>
        public const int N2 = 2;
        /// <summary>Number of gases.</summary>
        public const int Count = 3;

        private static readonly string[] s_names = { "ar", "o2", "n2" };

        /// <summary>Name of a gas.</summary>
        public static string Name(int gas) { return s_names[gas]; }

        /// <summary>Gas index by name, or -1 for a gas this station does not know.</summary>
        public static int Parse(string text)
        {
            for (int i = 0; i < s_names.Length; i++) if (s_names[i] == text) return i;
            return -1;
        }
    }

    /// <summary>The two recipes (stable indices).</summary>
    public static class SputterRecipe
    {
        /// <summary>LiCoO2 cathode layer in Ar/O2.</summary>
        public const int LiCoO2 = 0;
        /// <summary>LiPON electrolyte from Li3PO4 in N2.</summary>
        public const int LiPon = 1;
        /// <summary>Number of recipes.</summary>
        public const int Count = 2;

        private static readonly string[] s_names = { "licoo2", "lipon" };

        /// <summary>Name of a recipe.</summary>
        public static string Name(int recipe) { return recipe >= 0 && recipe < Count ? s_names[recipe] : "-"; }

        /// <summary>Recipe index by name, or -1.</summary>
        public static int Parse(string text)
        {
            for (int i = 0; i < s_names.Length; i++) if (s_names[i] == text) return i;
            return -1;
        }
    }
}
