using System.Threading;
using Tfb.Boards;
using Tfb.Codes;
using Tfb.Commissioning;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Runtime;
using Tfb.Scan;
using Tfb.Settings;

namespace Tfb.Stations.Sputter
{
    /// <summary>
    /// The RF sputter station: interlock matrix (<see cref="InterlockMatrix"/>) evaluated every scan, latching
    /// trips with code, value and time, a post-mortem ring, the pin-change fast path, power ramps per cm2 of target,
    /// the recipe sequence (pumping, ramping, pre-sputter, sputtering, ramping down), manual and maintenance modes.
    /// </summary>
    /// <remarks>
    /// I/O by logical name (docs/sputter.md): <c>door_closed</c>, <c>web_ok</c>, <c>chamber_pressure</c> (Pa or
    /// mTorr); per cathode <c>&lt;rf&gt;_enable</c>, <c>&lt;rf&gt;_setpoint</c>, <c>&lt;rf&gt;_forward</c>,
    /// <c>&lt;rf&gt;_reflected</c> and the cathode's water flow, return temperature, generator interlock and
    /// over-temperature inputs and its shutter (<c>&lt;rf&gt;_</c>-prefixed, or unprefixed on a one-cathode board);
    /// cathodes are <c>rf1</c>, <c>rf2</c> when the board has <c>rf1_enable</c>, else <c>rf</c>. Gas lines
    /// <c>gas_&lt;ar|o2|n2&gt;_valve</c> + <c>_setpoint</c> + <c>_flow</c> (sccm) are optional per gas; a recipe
    /// that needs a gas the board lacks is refused. A board that lacks a required input does not boot the module
    /// (Attach throws).
    /// Threading: the scan task, command handler and fast path are allocation-free. Operator commands arrive from
    /// the console and MQTT threads: they are checked against the latest snapshot (for an immediate error code)
    /// and posted to the scan's queue, where the scan checks them again and is the only one that acts.
    /// </remarks>
    public sealed partial class SputterModule : IStationModule, IScanTask, IScanCommandHandler, IPinChangeListener, IForcePermit
    {
        /// <summary>First scan-command code of this module.</summary>
        public const int CmdFirst = 3001;
        /// <summary>Start a recipe (arg0 = recipe).</summary>
        public const int CmdStart = 3001;
        /// <summary>Operator stop: ramp down and go idle (or leave maintenance outputs off).</summary>
        public const int CmdStop = 3002;
        /// <summary>Change mode (arg0 = mode).</summary>
        public const int CmdMode = 3003;
        /// <summary>Reset a latched trip (arg0 = alarm code, 0 = all healthy ones).</summary>
        public const int CmdReset = 3004;
        /// <summary>Shutter (arg0 = 1 open, 0 close): manual and maintenance.</summary>
        public const int CmdShutter = 3005;
        /// <summary>Power target (arg0 = cathode, value0 = W): manual and maintenance.</summary>
        public const int CmdPower = 3006;
        /// <summary>Gas line (arg0 = gas, value0 = sccm, 0 closes): maintenance.</summary>
        public const int CmdGas = 3007;
        /// <summary>Last scan-command code of this module.</summary>
        public const int CmdLast = 3099;

        /// <summary>Post-mortem records kept.</summary>
        public const int TripRingCapacity = 16;
        /// <summary>Arc or strike-failure times kept per cathode (the lockout count cannot exceed it).</summary>
        public const int EventWindowCapacity = 16;

        private BoardRuntime _runtime;
        private IClock _clock;
        private AlarmLog _alarms;
        private LogRing _events;
        private SettingsRegistry _settings;
        private readonly TripRing _trips = new TripRing(TripRingCapacity);

        private CathodeChannel[] _cathodes;
        private GasLine[] _gas;
        private IDigitalInput _door;
        private IDigitalInput _web;
        private IAnalogInput _pressure;
        private double _pressureToPa;
        private int _gasMask;

        // Conditions (index per InterlockMatrix).
        private int _conditionCount;
        private readonly bool[] _present = new bool[InterlockMatrix.MaxConditions];
        private readonly bool[] _known = new bool[InterlockMatrix.MaxConditions];
        private readonly bool[] _healthy = new bool[InterlockMatrix.MaxConditions];
        private readonly bool[] _latched = new bool[InterlockMatrix.MaxConditions];
        private readonly bool[] _bad = new bool[InterlockMatrix.MaxConditions];
        private readonly long[] _badSinceUs = new long[InterlockMatrix.MaxConditions];
        private readonly double[] _value = new double[InterlockMatrix.MaxConditions];
        private readonly int[] _code = new int[InterlockMatrix.MaxConditions];
        private readonly int[] _tripCount = new int[InterlockMatrix.MaxConditions];
        private int _hardMask;
        private int _seenHealthyMask;
        private string[] _owned;
        private int _latchedMask;
        private int _unhealthyMask;
        private int _armedMask;

        // Fast path: bits of hard conditions whose input dropped, the time it happened, and which cathodes each drops.
        private int _fastBits;
        private readonly long[] _fastTimeUs = new long[InterlockMatrix.MaxConditions];
        private readonly int[] _fastCathodes = new int[InterlockMatrix.MaxConditions];
        private int _fastTrips;

        // Sequence.
        private int _state;
        private int _mode;
        private int _recipe = -1;
        private int _active = -1;
        private long _stateSinceUs;
        private bool _baseReached;
        private long _stableSinceUs;
        private bool _stable;
        private bool _shutterCmd;
        private long _maintLastUs;
        private bool _maintClosing;
        private double _pressurePa;
        private bool _pressureOk;

        // Settings cache (reloaded when the registry's version changes).
        private int _settingsVersion = -1;
        private readonly double[] _set = new double[S_Count];
        private readonly int[] _setIndex = new int[S_Count];
        private readonly double[] _recipePowerW = new double[SputterRecipe.Count];
        private readonly double[] _recipeRamp = new double[SputterRecipe.Count];
        private readonly double[] _recipePreS = new double[SputterRecipe.Count];
        private readonly int[] _recipeCathode = new int[SputterRecipe.Count];
        private readonly double[][] _recipeGas = new double[SputterRecipe.Count][];
        private readonly int[][] _recipeIndex = new int[SputterRecipe.Count][];
        private readonly double[] _areaCm2 = new double[InterlockMatrix.MaxCathodes];
        private readonly int[] _areaIndex = new int[InterlockMatrix.MaxCathodes];

        /// <summary>Creates the module (nothing runs until <see cref="Attach"/>).</summary>
        public SputterModule()
        {
            for (int r = 0; r < SputterRecipe.Count; r++)
            {
                _recipeGas[r] = new double[SputterGas.Count];
                _recipeIndex[r] = new int[R_Count];
            }
        }

        /// <inheritdoc />
        public string Name { get { return "sputter"; } }

        /// <summary>The post-mortem ring of the last trips.</summary>
        public TripRing Trips { get { return _trips; } }

        /// <summary>Number of cathodes this board has (after Attach).</summary>
        public int CathodeCount { get { return _cathodes == null ? 0 : _cathodes.Length; } }

        /// <summary>Name of cathode <paramref name="cathode"/> (<c>rf1</c>, <c>rf2</c> or <c>rf</c>).</summary>
        public string CathodeName(int cathode) { return _cathodes[cathode].Name; }

        /// <summary>Number of conditions on this board (station kinds + cathode kinds per cathode).</summary>
        public int ConditionCount { get { return _conditionCount; } }

        /// <summary>Trips the fast path made (pin-change callbacks that dropped RF); diagnostics.</summary>
        public int FastPathTrips { get { return Interlocked.CompareExchange(ref _fastTrips, 0, 0); } }

        // ---- attach --------------------------------------------------------------------------------------

        /// <inheritdoc />
        public void Attach(BoardRuntime runtime)
        {
            _runtime = runtime;
            _clock = runtime.Clock;
            _alarms = runtime.Alarms;
            _events = runtime.Events;
            _settings = runtime.Settings;
            IBoardIo io = runtime.Io;
            BoardDefinition board = runtime.Board;

            int n = io.DigitalOutput("rf1_enable") != null ? (io.DigitalOutput("rf2_enable") != null ? 2 : 1) : 1;
            bool prefixed = io.DigitalOutput("rf1_enable") != null;
            _cathodes = new CathodeChannel[n];
            for (int k = 0; k < n; k++)
            {
                CathodeChannel c = new CathodeChannel();
                c.Name = prefixed ? "rf" + (k + 1).ToString() : "rf";
                string p = c.Name + "_";
                c.Enable = RequireDout(io, p + "enable", null);
                c.Setpoint = io.AnalogOutput(p + "setpoint");
                if (c.Setpoint == null) throw new System.InvalidOperationException("sputter: no aout " + p + "setpoint");
                c.Forward = RequireAin(io, p + "forward", null);
                c.Reflected = RequireAin(io, p + "reflected", null);
                c.Shutter = RequireDout(io, p + "shutter_open", "shutter_open");
                c.ReturnTemp = RequireAin(io, p + "water_return", "water_return_temp");
                c.WaterOk = RequireDin(io, p + "water_flow_ok", "water_flow_ok");
                c.GenOk = RequireDin(io, p + "gen_interlock_ok", "gen_interlock_ok");
                c.GenOvertempOk = RequireDin(io, p + "gen_overtemp_ok", "gen_overtemp_ok");
                AnalogInputDef fwd = board.FindAnalogInput(p + "forward");
                c.FullScaleW = fwd.EngMax;
                c.ArcTimesUs = new long[EventWindowCapacity];
                c.StrikeFailTimesUs = new long[EventWindowCapacity];
                c.RfMask = InterlockMatrix.RequiredMask(InterlockMatrix.OutRfEnable, k);
                c.ShutterMask = InterlockMatrix.RequiredMask(InterlockMatrix.OutShutter, k);
                _cathodes[k] = c;
            }
            _door = RequireDin(io, "door_closed", null);
            _web = RequireDin(io, "web_ok", null);
            _pressure = RequireAin(io, "chamber_pressure", null);
            string unit = board.FindAnalogInput("chamber_pressure").Unit;
            if (unit == "Pa") _pressureToPa = 1.0;
            else if (unit == "mTorr") _pressureToPa = 0.133322;
            else throw new System.InvalidOperationException("sputter: chamber_pressure must be in Pa or mTorr");

            int lines = 0;
            for (int g = 0; g < SputterGas.Count; g++) if (io.DigitalOutput("gas_" + SputterGas.Name(g) + "_valve") != null) lines++;
            _gas = new GasLine[lines];
            int li = 0;
            for (int g = 0; g < SputterGas.Count; g++)
            {
                string p = "gas_" + SputterGas.Name(g) + "_";
                IDigitalOutput valve = io.DigitalOutput(p + "valve");
                if (valve == null) continue;
                GasLine line = new GasLine();
                line.Gas = g;
                line.Valve = valve;
                line.Setpoint = io.AnalogOutput(p + "setpoint");
                if (line.Setpoint == null) throw new System.InvalidOperationException("sputter: no aout " + p + "setpoint");
                line.Flow = RequireAin(io, p + "flow", null);
                line.FullScaleSccm = board.FindAnalogInput(p + "flow").EngMax;
                _gas[li++] = line;
                _gasMask |= 1 << g;
            }

            _conditionCount = InterlockMatrix.StationKinds + n * InterlockMatrix.CathodeKinds;
            for (int i = 0; i < _conditionCount; i++)
            {
                int kind = InterlockMatrix.KindOfIndex(i);
                _present[i] = true;
                _code[i] = InterlockMatrix.CodeOf(kind, InterlockMatrix.CathodeOfIndex(i));
                if (InterlockMatrix.IsHardWired(kind)) _hardMask |= 1 << i;
                // Which cathodes the fast path drops when this input falls: those whose RF enable requires it.
                for (int k = 0; k < n; k++)
                {
                    if ((_cathodes[k].RfMask & (1 << i)) != 0) _fastCathodes[i] |= 1 << k;
                }
            }

            // Fast path: every hard-wired input the board declares irq=yes.
            Hook(_door, InterlockMatrix.IndexOf(InterlockMatrix.Door, 0));
            Hook(_web, InterlockMatrix.IndexOf(InterlockMatrix.WebPermit, 0));
            for (int k = 0; k < n; k++)
            {
                Hook(_cathodes[k].WaterOk, InterlockMatrix.IndexOf(InterlockMatrix.WaterFlow, k));
                Hook(_cathodes[k].GenOk, InterlockMatrix.IndexOf(InterlockMatrix.GenInterlock, k));
            }

            _owned = new string[n * 3 + lines * 2];
            int o = 0;
            for (int k = 0; k < n; k++)
            {
                string p = _cathodes[k].Name + "_";
                _owned[o++] = p + "enable";
                _owned[o++] = p + "setpoint";
                _owned[o++] = io.DigitalOutput(p + "shutter_open") != null ? p + "shutter_open" : "shutter_open";
            }
            for (int i = 0; i < _gas.Length; i++)
            {
                _owned[o++] = "gas_" + SputterGas.Name(_gas[i].Gas) + "_valve";
                _owned[o++] = "gas_" + SputterGas.Name(_gas[i].Gas) + "_setpoint";
            }
            runtime.Commissioning.AddForcePermit(this);

            ReloadSettings();
            AttachSnapshot(runtime.Scan.Snapshot);
            // Every scan (100 Hz), after the input monitor (order 100) and before commissioning (550);
            // budget 3 ms (measured on the host well under 0.1 ms; managed calls cost ~10 us each on a board).
            runtime.Scan.AddTask("sputter", this, 1, 0, 3000, 200, true);
            runtime.Scan.AddCommandHandler(CmdFirst, CmdLast, this);
            AttachConsole(runtime);
        }

        private void Hook(IDigitalInput input, int condition)
        {
            IPinChangeSource source = input as IPinChangeSource;
            if (source != null) source.SetListener(this, condition);
        }

        private static IDigitalOutput RequireDout(IBoardIo io, string name, string fallback)
        {
            IDigitalOutput o = io.DigitalOutput(name);
            if (o == null && fallback != null) o = io.DigitalOutput(fallback);
            if (o == null) throw new System.InvalidOperationException("sputter: no dout " + name);
            return o;
        }

        private static IDigitalInput RequireDin(IBoardIo io, string name, string fallback)
        {
            IDigitalInput i = io.DigitalInput(name);
            if (i == null && fallback != null) i = io.DigitalInput(fallback);
            if (i == null) throw new System.InvalidOperationException("sputter: no din " + name);
            return i;
        }

        private static IAnalogInput RequireAin(IBoardIo io, string name, string fallback)
        {
            IAnalogInput a = io.AnalogInput(name);
            if (a == null && fallback != null) a = io.AnalogInput(fallback);
            if (a == null) throw new System.InvalidOperationException("sputter: no ain " + name);
            return a;
        }

        // ---- fast path -----------------------------------------------------------------------------------

        /// <summary>
        /// Pin-change callback of a hard-wired interlock input (GPIO event thread, or the virtual line's plant step).
        /// On a drop: RF enable, setpoint and shutter of every cathode that requires the condition go to their safe
        /// state at once, and the condition is flagged for the scan to latch. A rise does nothing (a permissive
        /// needs the debounced scan and an operator reset). Allocation-free and lock-free.
        /// </summary>
        public void OnPinChanged(int tag, bool active)
        {
            if (active || tag < 0 || tag >= _conditionCount) return;
            _fastTimeUs[tag] = _clock.NowMicros;
            int bit = 1 << tag;
            int seen;
            do
            {
                seen = Interlocked.CompareExchange(ref _fastBits, 0, 0);
            }
            while (Interlocked.CompareExchange(ref _fastBits, seen | bit, seen) != seen);
            int cathodes = _fastCathodes[tag];
            for (int k = 0; k < _cathodes.Length; k++)
            {
                if ((cathodes & (1 << k)) == 0) continue;
                CathodeChannel c = _cathodes[k];
                // SetSafe, not Write(false): it also ends a commissioning force on the pin.
                c.Enable.SetSafe();
                c.Setpoint.SetSafe();
                c.Shutter.SetSafe();
            }
            Interlocked.Increment(ref _fastTrips);
        }

        /// <summary>
        /// Commissioning forces on the station's outputs (RF enable and setpoint, shutters, gas valves and
        /// setpoints): only their safe value. Energizing them goes through maintenance mode, where the interlock
        /// matrix and the ramps apply; a force would bypass both. Any thread, allocation-free.
        /// </summary>
        public ForceVerdict Check(string output, bool analog, double value, out int interlockCode)
        {
            interlockCode = 0;
            bool mine = false;
            for (int i = 0; i < _owned.Length; i++) if (_owned[i] == output) { mine = true; break; }
            if (!mine) return ForceVerdict.NotMine;
            if (value == 0) return ForceVerdict.Allow;
            return ForceVerdict.Deny;
        }

        // ---- read-only view (snapshot; any thread) ----------------------------------------------------------

        /// <summary>Station state (<see cref="SputterState"/>) at the last scan, or -1 before the first.</summary>
        public int State { get { ScanSnapshotCopy c = ReadSnapshot(); return c == null ? -1 : c.Ints[_fState]; } }

        /// <summary>Mode (<see cref="SputterMode"/>) at the last scan, or -1.</summary>
        public int Mode { get { ScanSnapshotCopy c = ReadSnapshot(); return c == null ? -1 : c.Ints[_fMode]; } }

        /// <summary>Latched conditions (bit = condition index) at the last scan.</summary>
        public int LatchedMask { get { ScanSnapshotCopy c = ReadSnapshot(); return c == null ? 0 : c.Ints[_fLatched]; } }

        /// <summary>Unhealthy conditions (bit = condition index) at the last scan.</summary>
        public int UnhealthyMask { get { ScanSnapshotCopy c = ReadSnapshot(); return c == null ? 0 : c.Ints[_fUnhealthy]; } }

        /// <summary>True when cathode <paramref name="k"/>'s RF enable was on at the last scan.</summary>
        public bool RfOn(int k) { ScanSnapshotCopy c = ReadSnapshot(); return c != null && c.Bools[_fRfOn[k]]; }

        /// <summary>True when cathode <paramref name="k"/>'s shutter output was on at the last scan.</summary>
        public bool ShutterOpen(int k) { ScanSnapshotCopy c = ReadSnapshot(); return c != null && c.Bools[_fShutterOn[k]]; }

        /// <summary>True when the plasma of cathode <paramref name="k"/> was lit at the last scan.</summary>
        public bool Plasma(int k) { ScanSnapshotCopy c = ReadSnapshot(); return c != null && c.Bools[_fLit[k]]; }

        /// <summary>Power setpoint of cathode <paramref name="k"/>, W (0 while RF is off).</summary>
        public double SetpointW(int k) { ScanSnapshotCopy c = ReadSnapshot(); return c == null ? double.NaN : c.Doubles[_fSetpoint[k]]; }

        /// <summary>Forward power readback of cathode <paramref name="k"/>, W (NaN when unreadable).</summary>
        public double ForwardW(int k) { ScanSnapshotCopy c = ReadSnapshot(); return c == null ? double.NaN : c.Doubles[_fForward[k]]; }

        /// <summary>Largest rise of the commanded power setpoint between two scans since the last start, W/s (ramp conformance of the command).</summary>
        public double MaxRiseWPerS(int k) { ScanSnapshotCopy c = ReadSnapshot(); return c == null ? double.NaN : c.Doubles[_fMaxRise[k]]; }

        /// <summary>Arcs counted on cathode <paramref name="k"/> since boot.</summary>
        public int Arcs(int k) { ScanSnapshotCopy c = ReadSnapshot(); return c == null ? 0 : c.Ints[_fArcs[k]]; }

        // ---- alarms --------------------------------------------------------------------------------------

        /// <inheritdoc />
        public bool IsIdle
        {
            get
            {
                ScanSnapshotCopy copy = ReadSnapshot();
                if (copy == null) return false;
                return copy.Ints[_fState] == SputterState.Idle && !AnyRfOn(copy);
            }
        }

        /// <summary>
        /// Operator reset of a latched trip (console <c>alarms reset</c>). Refused with ConditionPresent while the
        /// condition is unhealthy (from the latest scan), BadState while RF is on for a lockout; otherwise queued
        /// for the scan, which checks again and unlatches. A reset never re-energizes anything: a run needs a new
        /// start. Warning codes (reflected, water rise) clear by themselves: BadState.
        /// </summary>
        public bool TryResetAlarm(int code, out ErrorCode error)
        {
            error = ErrorCode.BadArgument;
            if (code == 3019 || code == 3029 || code == 3041 || code == 3042)
            {
                // Warnings clear by themselves when the condition goes.
                error = ErrorCode.BadState;
                return false;
            }
            int index = IndexOfCode(code);
            if (index < 0) return false;
            ScanSnapshotCopy copy = ReadSnapshot();
            if (copy == null)
            {
                error = ErrorCode.Busy;
                return false;
            }
            int kind = InterlockMatrix.KindOfIndex(index);
            bool lockout = kind == InterlockMatrix.ArcLockout || kind == InterlockMatrix.StrikeLockout;
            if (lockout)
            {
                if (AnyRfOn(copy)) { error = ErrorCode.BadState; return false; }
            }
            else if ((copy.Ints[_fUnhealthy] & (1 << index)) != 0)
            {
                error = ErrorCode.ConditionPresent;
                return false;
            }
            if (!_runtime.Scan.Commands.TryPost(CmdReset, BoardRuntime.SourceConsole, code, 0, 0, 0))
            {
                error = ErrorCode.Busy;
                return false;
            }
            error = ErrorCode.BadArgument;
            return true;
        }

        /// <summary>Condition index of an alarm code on this board, or -1.</summary>
        public int IndexOfCode(int code)
        {
            for (int i = 0; i < _conditionCount; i++) if (_code[i] == code) return i;
            return -1;
        }

        /// <summary>Alarm code of condition <paramref name="index"/>.</summary>
        public int CodeOfCondition(int index) { return _code[index]; }
    }
}
