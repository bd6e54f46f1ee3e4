namespace Tfb.Stations.Sputter
{
    /// <summary>States of the sputter station's sequence (stable numbers: published and logged).</summary>
    public static class SputterState
    {
        /// <summary>Nothing energized; a recipe may start.</summary>
        public const int Idle = 0;
        /// <summary>Pumping to base pressure, then gas on until pressure and flows are in the window.</summary>
        public const int Pumping = 1;
        /// <summary>RF on at the recipe power with the shutter closed (target conditioning).</summary>
        public const int PreSputter = 2;
        /// <summary>RF on, power rising at the configured rate, shutter closed.</summary>
        public const int Ramping = 3;
        /// <summary>At recipe power with the shutter open: depositing on the web.</summary>
        public const int Sputtering = 4;
        /// <summary>Shutter closed, power falling at the configured rate, then RF and gas off.</summary>
        public const int RampingDown = 5;
        /// <summary>Manual output control for maintenance: every interlock enforced, logged, times out.</summary>
        public const int Maintenance = 6;
        /// <summary>Number of states.</summary>
        public const int Count = 7;

        private static readonly string[] s_names = { "idle", "pumping", "pre-sputter", "ramping", "sputtering", "ramping-down", "maintenance" };

        /// <summary>Console and document name of <paramref name="state"/>.</summary>
        public static string Name(int state) { return state >= 0 && state < Count ? s_names[state] : "?"; }
    }

    /// <summary>Operating modes (stable numbers).</summary>
    public static class SputterMode
    {
        /// <summary>The recipe sequence advances by itself.</summary>
        public const int Normal = 0;
        /// <summary>The operator opens the shutter and sets the power; the sequence does not advance past pre-sputter alone.</summary>
        public const int Manual = 1;
        /// <summary>Maintenance: outputs under operator control (state <see cref="SputterState.Maintenance"/>).</summary>
        public const int Maintenance = 2;

        private static readonly string[] s_names = { "normal", "manual", "maintenance" };

        /// <summary>Name of <paramref name="mode"/>.</summary>
        public static string Name(int mode) { return mode >= 0 && mode < 3 ? s_names[mode] : "?"; }

        /// <summary>Mode by name, or -1.</summary>
        public static int Parse(string text)
        {
            for (int i = 0; i < s_names.Length; i++) if (s_names[i] == text) return i;
            return -1;
        }
    }
}
