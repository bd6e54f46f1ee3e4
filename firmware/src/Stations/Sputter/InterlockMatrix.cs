namespace Tfb.Stations.Sputter
{
    /// <summary>
    /// The sputter interlock matrix as data: every interlock condition (what it watches, its alarm code, whether
    /// it is a hard-wired input with a pin-change fast path) and, for every output, the conditions it requires and
    /// the states it may be energized in. <see cref="SputterModule"/> evaluates it every scan; docs/interlocks.md
    /// is generated from it (a test holds the two equal).
    /// </summary>
    /// <remarks>
    /// Conditions come in two scopes: station conditions (one each) and cathode conditions (one per cathode; the
    /// alarm code is <c>3010 + 10*cathode + offset</c>). Condition index on a board with N cathodes:
    /// station kinds first (0..<see cref="StationKinds"/>-1), then cathode k's kinds at
    /// <c>StationKinds + k*CathodeKinds</c>. Immutable after class initialisation; any thread may read.
    /// </remarks>
    public static class InterlockMatrix
    {
        /// <summary>Chamber door (and lid) closed: hard-wired, fast path.</summary>
        public const int Door = 0;
        /// <summary>Web permit from the web board (web moving and tension OK): hard-wired, fast path.</summary>
        public const int WebPermit = 1;
        /// <summary>Chamber pressure at or below the window maximum (and readable).</summary>
        public const int PressureHigh = 2;
        /// <summary>Chamber pressure at or above the window minimum (and readable).</summary>
        public const int PressureLow = 3;
        /// <summary>Every open gas line within the tolerance of its setpoint (after the settle time).</summary>
        public const int GasFlow = 4;
        /// <summary>Number of station condition kinds.</summary>
        public const int StationKinds = 5;

        /// <summary>Cathode cooling-water flow switch closed: hard-wired, fast path.</summary>
        public const int WaterFlow = 5;
        /// <summary>Generator interlock loop closed (status bit): hard-wired, fast path.</summary>
        public const int GenInterlock = 6;
        /// <summary>Generator not over temperature (status bit).</summary>
        public const int GenOvertemp = 7;
        /// <summary>Cooling-water return temperature below the trip limit (target and backing plate cooled).</summary>
        public const int WaterReturn = 8;
        /// <summary>Reflected power below the trip level (sustained), outside the strike/tune blanking window.</summary>
        public const int Reflected = 9;
        /// <summary>Fewer arcs than the lockout count within the window.</summary>
        public const int ArcLockout = 10;
        /// <summary>Fewer strike failures than the lockout count within the window.</summary>
        public const int StrikeLockout = 11;
        /// <summary>Forward and reflected readbacks readable and plausible.</summary>
        public const int Readback = 12;
        /// <summary>Number of condition kinds (station + cathode).</summary>
        public const int Kinds = 13;
        /// <summary>Number of cathode condition kinds.</summary>
        public const int CathodeKinds = Kinds - StationKinds;
        /// <summary>Most cathodes a board may have.</summary>
        public const int MaxCathodes = 2;
        /// <summary>Most conditions on a board.</summary>
        public const int MaxConditions = StationKinds + MaxCathodes * CathodeKinds;

        /// <summary>Output kind: RF enable of one cathode (and its power setpoint).</summary>
        public const int OutRfEnable = 0;
        /// <summary>Output kind: the shutter in front of one cathode.</summary>
        public const int OutShutter = 1;
        /// <summary>Output kind: one process-gas shut-off valve (and its MFC setpoint).</summary>
        public const int OutGasValve = 2;
        /// <summary>Number of output kinds.</summary>
        public const int OutputKinds = 3;

        private static readonly string[] s_kindName =
        {
            "door", "web-permit", "pressure-high", "pressure-low", "gas-flow",
            "water-flow", "gen-interlock", "gen-overtemp", "water-return", "reflected", "arc-lockout", "strike-lockout", "readback",
        };

        private static readonly string[] s_kindText =
        {
            "chamber door and lid closed (din door_closed)",
            "web moving and tension OK, hard-wired from the web board (din web_ok)",
            "chamber pressure <= sputter.pressureMaxPa (ain chamber_pressure; unreadable = unhealthy)",
            "chamber pressure >= sputter.pressureMinPa (RF only strikes and holds inside the window)",
            "every open gas line within +-sputter.gasTolerancePct of its setpoint for longer than sputter.gasDeviationS, after sputter.gasSettleS",
            "cooling-water flow switch closed (din <rf>_water_flow_ok or water_flow_ok)",
            "generator interlock loop closed (din <rf>_gen_interlock_ok or gen_interlock_ok)",
            "generator not over temperature (din <rf>_gen_overtemp_ok or gen_overtemp_ok)",
            "cooling-water return < sputter.returnTripC (ain <rf>_water_return or water_return_temp); pre-alarm at a rise > sputter.returnRiseWarnK",
            "reflected/forward <= sputter.reflTripPct, sustained sputter.reflTripS, outside sputter.blankingS after strike",
            "fewer than sputter.arcLockoutCount arcs within sputter.arcWindowS (an arc: reflected/forward spike > sputter.arcRatioPct shorter than 50 ms)",
            "fewer than sputter.strikeLockoutCount strike failures within sputter.strikeWindowS (no plasma sputter.strikeTimeoutS after reaching sputter.strikePowerW, or plasma lost)",
            "forward and reflected readbacks readable (ain <rf>_forward, <rf>_reflected)",
        };

        // Code of a station kind; cathode kinds: 3010 + 10*k + offset.
        private static readonly int[] s_code = { 3001, 3002, 3003, 3004, 3005, 1, 2, 3, 4, 5, 6, 7, 8 };

        // Hard-wired inputs: always monitored (a safety relay latches in every state) and, when the board
        // declares them irq=yes, dropped from the pin-change callback without waiting for the scan.
        private static readonly bool[] s_hard = { true, true, false, false, false, true, true, false, false, false, false, false, false };

        // Debounce (ms) of the scan-evaluated conditions; settings-driven ones carry -1.
        private static readonly int[] s_debounceMs = { 20, 20, 100, 100, -1, 100, 20, 100, 1000, -1, 0, 0, 0 };

        private static readonly string[] s_outName = { "rf enable", "shutter open", "gas valve" };
        private static readonly string[] s_outIo = { "<rf>_enable + <rf>_setpoint", "<rf>_shutter_open or shutter_open", "gas_<gas>_valve + gas_<gas>_setpoint" };

        // Required condition kinds per output kind (bit = kind).
        private static readonly int[] s_requires =
        {
            Bits(new int[] { Door, WebPermit, PressureHigh, PressureLow, GasFlow, WaterFlow, GenInterlock, GenOvertemp, WaterReturn, Reflected, ArcLockout, StrikeLockout, Readback }),
            Bits(new int[] { Door, WebPermit, PressureHigh, PressureLow, GasFlow, WaterFlow, GenInterlock, GenOvertemp, WaterReturn, Reflected, ArcLockout, StrikeLockout, Readback }),
            Bits(new int[] { Door, PressureHigh, GasFlow }),
        };

        // States each output kind may be energized in (bit = state).
        private static readonly int[] s_allowed =
        {
            Bits(new int[] { SputterState.Ramping, SputterState.PreSputter, SputterState.Sputtering, SputterState.RampingDown, SputterState.Maintenance }),
            Bits(new int[] { SputterState.Sputtering, SputterState.Maintenance }),
            Bits(new int[] { SputterState.Pumping, SputterState.Ramping, SputterState.PreSputter, SputterState.Sputtering, SputterState.RampingDown, SputterState.Maintenance }),
        };

        private static readonly string[] s_sequence =
        {
            "only the recipe's cathode; power ramps at the recipe rate per cm2 (held while reflected > sputter.reflWarnPct or after an arc); fast path drops it",
            "only while RF is at its setpoint (forward within 5 % + 2 W) and, in normal mode, after pre-sputter; fast path closes it",
            "only after base pressure (sputter.basePressurePa) was reached in pumping; only the recipe's gases",
        };

        private static int Bits(int[] items)
        {
            int m = 0;
            for (int i = 0; i < items.Length; i++) m |= 1 << items[i];
            return m;
        }

        /// <summary>True when <paramref name="kind"/> is a cathode condition.</summary>
        public static bool IsCathodeKind(int kind) { return kind >= StationKinds; }

        /// <summary>Short name of a condition kind (console, documents).</summary>
        public static string KindName(int kind) { return s_kindName[kind]; }

        /// <summary>What a condition kind watches and its limit settings.</summary>
        public static string KindText(int kind) { return s_kindText[kind]; }

        /// <summary>True for hard-wired inputs: monitored in every state, fast path when the input is irq=yes.</summary>
        public static bool IsHardWired(int kind) { return s_hard[kind]; }

        /// <summary>Debounce of a condition kind in ms, or -1 when a setting gives it.</summary>
        public static int DebounceMs(int kind) { return s_debounceMs[kind]; }

        /// <summary>Alarm code of condition <paramref name="kind"/> on cathode <paramref name="cathode"/> (ignored for station kinds).</summary>
        public static int CodeOf(int kind, int cathode)
        {
            return IsCathodeKind(kind) ? 3010 + 10 * cathode + s_code[kind] : s_code[kind];
        }

        /// <summary>Condition index of <paramref name="kind"/> (on <paramref name="cathode"/> for cathode kinds).</summary>
        public static int IndexOf(int kind, int cathode)
        {
            return IsCathodeKind(kind) ? StationKinds + cathode * CathodeKinds + (kind - StationKinds) : kind;
        }

        /// <summary>Kind of condition index <paramref name="index"/>.</summary>
        public static int KindOfIndex(int index)
        {
            return index < StationKinds ? index : StationKinds + (index - StationKinds) % CathodeKinds;
        }

        /// <summary>Cathode of condition index <paramref name="index"/> (-1 for station conditions).</summary>
        public static int CathodeOfIndex(int index)
        {
            return index < StationKinds ? -1 : (index - StationKinds) / CathodeKinds;
        }

        /// <summary>Name of an output kind.</summary>
        public static string OutputName(int outputKind) { return s_outName[outputKind]; }

        /// <summary>Board I/O behind an output kind.</summary>
        public static string OutputIo(int outputKind) { return s_outIo[outputKind]; }

        /// <summary>Sequence rules on top of the matrix for an output kind.</summary>
        public static string OutputSequence(int outputKind) { return s_sequence[outputKind]; }

        /// <summary>True when output kind <paramref name="outputKind"/> requires condition kind <paramref name="kind"/>.</summary>
        public static bool Requires(int outputKind, int kind) { return (s_requires[outputKind] & (1 << kind)) != 0; }

        /// <summary>True when output kind <paramref name="outputKind"/> may be energized in <paramref name="state"/>.</summary>
        public static bool AllowedIn(int outputKind, int state) { return (s_allowed[outputKind] & (1 << state)) != 0; }

        /// <summary>
        /// Required-condition mask (bit = condition index) of an output kind on a board: cathode kinds expand to
        /// <paramref name="cathode"/>'s conditions (for gas valves, which belong to no cathode, to none).
        /// </summary>
        public static int RequiredMask(int outputKind, int cathode)
        {
            int m = 0;
            for (int kind = 0; kind < Kinds; kind++)
            {
                if (!Requires(outputKind, kind)) continue;
                if (!IsCathodeKind(kind)) m |= 1 << kind;
                else if (cathode >= 0) m |= 1 << IndexOf(kind, cathode);
            }
            return m;
        }
    }
}
