using Tfb.Codes;
using Tfb.Runtime;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Shell;
using Tfb.Text;

namespace Tfb.Stations.Sputter
{
    public sealed partial class SputterModule : ICommandHandler, IStatusProvider
    {
        private const int TagStatus = 1;
        private const int TagStart = 2;
        private const int TagStop = 3;
        private const int TagMode = 4;
        private const int TagShutter = 5;
        private const int TagPower = 6;
        private const int TagGas = 7;
        private const int TagTrips = 8;
        private const int TagInterlocks = 9;
        private const int TagRecipe = 10;

        private void AttachConsole(BoardRuntime runtime)
        {
            ShellCore shell = runtime.Shell;
            CommandRegistry r = shell.Commands;
            AccessLevel op = AccessLevel.Operator;
            AccessLevel tech = AccessLevel.Technician;
            r.Register(CommandDef.Create("sputter status", "", "State, mode, recipe, per cathode power, reflected, plasma, arcs; gas flows; latched trips", 0, 0, op, false, this, TagStatus));
            r.Register(CommandDef.Create("sputter start", "<licoo2|lipon>", "Start a recipe: pump, gas, ramp, pre-sputter, sputter (refused while any interlock is latched or unhealthy)", 1, 1, tech, false, this, TagStart));
            r.Register(CommandDef.Create("sputter stop", "", "Ramp down and go idle (maintenance: every output off)", 0, 0, op, false, this, TagStop));
            r.Register(CommandDef.Create("sputter mode", "<normal|manual|maintenance>", "Operating mode; maintenance only from idle, logged, times out, every interlock enforced", 1, 1, tech, false, this, TagMode));
            r.Register(CommandDef.Create("sputter shutter", "<open|close>", "Manual: open after pre-sputter / close; maintenance: only with RF on", 1, 1, tech, false, this, TagShutter));
            r.Register(CommandDef.Create("sputter power", "<W> [rf1|rf2|rf]", "Manual: new power of the running cathode; maintenance: RF on a cathode (0 = off), ramped", 1, 2, tech, false, this, TagPower));
            r.Register(CommandDef.Create("sputter gas", "<ar|o2|n2> <sccm>", "Maintenance: open a gas line at a flow (0 closes)", 2, 2, tech, false, this, TagGas));
            r.Register(CommandDef.Create("sputter trips", "[n]", "The last n trips (post-mortem ring): code, value, time, state, fast path", 0, 1, op, false, this, TagTrips));
            r.Register(CommandDef.Create("sputter interlocks", "", "Every condition: code, healthy, latched, armed, value", 0, 0, op, false, this, TagInterlocks));
            r.Register(CommandDef.Create("sputter recipe", "<licoo2|lipon> [<param> <value>]", "Show a recipe, or set one parameter (power, ramp, presputter, cathode, ar, o2, n2) with the recipe checks", 1, 3, op, false, this, TagRecipe));
            shell.AddStatusProvider(this);
        }

        /// <summary>Runs a <c>sputter ...</c> console command (console thread).</summary>
        public bool Execute(CommandContext ctx)
        {
            switch (ctx.Command.Tag)
            {
                case TagStatus: return Status(ctx);
                case TagStart:
                {
                    int r = SputterRecipe.Parse(ctx.Arg(0));
                    if (r < 0) return ctx.Fail(ErrorCode.BadArgument, "unknown recipe (licoo2, lipon)");
                    ErrorCode e;
                    string reason;
                    if (!CheckStart(r, out e, out reason)) return ctx.Fail(e, reason);
                    return Post(ctx, CmdStart, r, 0, 0);
                }
                case TagStop: return Post(ctx, CmdStop, 0, 0, 0);
                case TagMode:
                {
                    int m = SputterMode.Parse(ctx.Arg(0));
                    if (m < 0) return ctx.Fail(ErrorCode.BadArgument, "unknown mode (normal, manual, maintenance)");
                    ScanSnapshotCopy copy = ReadSnapshot();
                    if (copy == null) return ctx.Fail(ErrorCode.Busy, "no scan data yet");
                    if (m == SputterMode.Maintenance && copy.Ints[_fState] != SputterState.Idle) return ctx.Fail(ErrorCode.BadState, "maintenance only from idle");
                    return Post(ctx, CmdMode, m, 0, 0);
                }
                case TagShutter:
                {
                    string a = ctx.Arg(0);
                    if (a != "open" && a != "close") return ctx.Fail(ErrorCode.BadArgument, "open or close");
                    ScanSnapshotCopy copy = ReadSnapshot();
                    if (copy == null) return ctx.Fail(ErrorCode.Busy, "no scan data yet");
                    int state = copy.Ints[_fState];
                    if (state != SputterState.Maintenance && copy.Ints[_fMode] != SputterMode.Manual) return ctx.Fail(ErrorCode.BadState, "shutter commands only in manual mode or maintenance");
                    return Post(ctx, CmdShutter, a == "open" ? 1 : 0, 0, 0);
                }
                case TagPower:
                {
                    double w;
                    if (!NumberText.TryParseReal(ctx.Arg(0), out w) || !(w >= 0)) return ctx.Fail(ErrorCode.BadArgument, "power in W, a number >= 0");
                    ScanSnapshotCopy copy = ReadSnapshot();
                    if (copy == null) return ctx.Fail(ErrorCode.Busy, "no scan data yet");
                    int k = copy.Ints[_fActive];
                    if (ctx.ArgCount > 1)
                    {
                        k = CathodeIndex(ctx.Arg(1));
                        if (k < 0) return ctx.Fail(ErrorCode.BadArgument, "unknown cathode");
                    }
                    if (k < 0) return ctx.Fail(ErrorCode.BadArgument, "name the cathode");
                    int state = copy.Ints[_fState];
                    if (state != SputterState.Maintenance && copy.Ints[_fMode] != SputterMode.Manual) return ctx.Fail(ErrorCode.BadState, "power commands only in manual mode or maintenance");
                    return Post(ctx, CmdPower, k, w, 0);
                }
                case TagGas:
                {
                    int g = SputterGas.Parse(ctx.Arg(0));
                    if (g < 0) return ctx.Fail(ErrorCode.BadArgument, "unknown gas (ar, o2, n2)");
                    if (LineOf(g) == null) return ctx.Fail(ErrorCode.BadArgument, "gas line not fitted on this board");
                    double sccm;
                    if (!NumberText.TryParseReal(ctx.Arg(1), out sccm) || !(sccm >= 0)) return ctx.Fail(ErrorCode.BadArgument, "flow in sccm, a number >= 0");
                    if (sccm > LineOf(g).FullScaleSccm) return ctx.Fail(ErrorCode.OutOfRange, "above the MFC full scale");
                    ScanSnapshotCopy copy = ReadSnapshot();
                    if (copy == null) return ctx.Fail(ErrorCode.Busy, "no scan data yet");
                    if (copy.Ints[_fState] != SputterState.Maintenance) return ctx.Fail(ErrorCode.BadState, "gas commands only in maintenance");
                    return Post(ctx, CmdGas, g, sccm, 0);
                }
                case TagTrips: return TripsCmd(ctx);
                case TagInterlocks: return InterlocksCmd(ctx);
                case TagRecipe: return RecipeCmd(ctx);
            }
            return ctx.Fail(ErrorCode.UnknownCommand, "sputter");
        }

        /// <summary>
        /// The checks a start gets before it is queued (console and MQTT threads): state idle and not in maintenance,
        /// no latched trip, every hard-wired input healthy, the recipe valid for this board.
        /// </summary>
        public bool CheckStart(int recipe, out ErrorCode error, out string reason)
        {
            reason = null;
            ScanSnapshotCopy copy = ReadSnapshot();
            if (copy == null) { error = ErrorCode.Busy; reason = "no scan data yet"; return false; }
            if (copy.Ints[_fState] != SputterState.Idle || copy.Ints[_fMode] == SputterMode.Maintenance) { error = ErrorCode.BadState; reason = "not idle"; return false; }
            if (copy.Ints[_fLatched] != 0 || (copy.Ints[_fUnhealthy] & _hardMask) != 0) { error = ErrorCode.InterlockActive; reason = "an interlock is latched or unhealthy"; return false; }
            return ValidateRecipe(recipe, out error, out reason);
        }

        private int CathodeIndex(string name)
        {
            for (int k = 0; k < _cathodes.Length; k++) if (_cathodes[k].Name == name) return k;
            return -1;
        }

        private bool Post(CommandContext ctx, int code, int arg0, double value0, int arg1)
        {
            if (!_runtime.Scan.Commands.TryPost(code, BoardRuntime.SourceConsole, arg0, arg1, value0, 0)) return ctx.Fail(ErrorCode.Busy, "scan command queue full");
            ctx.WriteLine("queued: the scan checks again; see sputter status");
            return true;
        }

        /// <summary>Queues a command from a remote action (MQTT thread); false when the queue is full.</summary>
        internal bool PostRemote(int code, int arg0)
        {
            return _runtime.Scan.Commands.TryPost(code, 2, arg0, 0, 0, 0);
        }

        private static string Num(double v, int decimals)
        {
            if (double.IsNaN(v)) return "nan";
            double scale = 1;
            for (int i = 0; i < decimals; i++) scale *= 10;
            return NumberText.FormatReal(System.Math.Round(v * scale) / scale);
        }

        private bool Status(CommandContext ctx)
        {
            ScanSnapshotCopy c = ReadSnapshot();
            if (c == null) return ctx.Fail(ErrorCode.Busy, "no scan data yet");
            ctx.WriteLine("state=" + SputterState.Name(c.Ints[_fState]) + " mode=" + SputterMode.Name(c.Ints[_fMode])
                + " recipe=" + SputterRecipe.Name(c.Ints[_fRecipe]) + " pressurePa=" + Num(c.Doubles[_fPressure], 4)
                + " trips=" + c.Ints[_fTrips].ToString() + " latched=" + LatchedCodes(c.Ints[_fLatched]));
            for (int k = 0; k < _cathodes.Length; k++)
            {
                ctx.WriteLine(_cathodes[k].Name + ": rf=" + (c.Bools[_fRfOn[k]] ? "on" : "off") + " setpointW=" + Num(c.Doubles[_fSetpoint[k]], 1)
                    + " forwardW=" + Num(c.Doubles[_fForward[k]], 1) + " reflectedPct=" + Num(c.Doubles[_fRatio[k]], 1)
                    + " plasma=" + (c.Bools[_fLit[k]] ? "yes" : "no") + " shutter=" + (c.Bools[_fShutterOn[k]] ? "open" : "closed")
                    + " returnC=" + Num(c.Doubles[_fReturn[k]], 1) + " arcs=" + c.Ints[_fArcs[k]].ToString()
                    + " strikeFailures=" + c.Ints[_fStrikeFails[k]].ToString());
            }
            for (int i = 0; i < _gas.Length; i++)
            {
                ctx.WriteLine("gas " + SputterGas.Name(_gas[i].Gas) + ": " + (c.Bools[_fGasOpen[i]] ? "open" : "closed")
                    + " setSccm=" + Num(c.Doubles[_fGasSet[i]], 1) + " flowSccm=" + Num(c.Doubles[_fGasFlow[i]], 1));
            }
            if (c.Ints[_fState] == SputterState.Maintenance) ctx.WriteLine("maintenance ends in " + Num(c.Doubles[_fMaintLeftS], 0) + " s without an action");
            return true;
        }

        private string LatchedCodes(int mask)
        {
            if (mask == 0) return "none";
            string s = "";
            for (int i = 0; i < _conditionCount; i++)
            {
                if ((mask & (1 << i)) == 0) continue;
                s = s.Length == 0 ? _code[i].ToString() : s + "," + _code[i].ToString();
            }
            return s;
        }

        private bool TripsCmd(CommandContext ctx)
        {
            int n = 10;
            if (ctx.ArgCount > 0)
            {
                double v;
                if (!NumberText.TryParseReal(ctx.Arg(0), out v) || v < 1 || v > TripRingCapacity || v != (int)v) return ctx.Fail(ErrorCode.BadArgument, "n: 1.." + TripRingCapacity.ToString());
                n = (int)v;
            }
            TripRecord rec = new TripRecord();
            int shown = 0;
            for (int age = 0; age < n && _trips.TryGet(age, rec); age++)
            {
                ctx.WriteLine("#" + rec.Seq.ToString() + " code=" + rec.Code.ToString() + " value=" + Num(rec.Value, 3)
                    + " tUs=" + rec.TimeUs.ToString() + " utcMs=" + rec.UtcMs.ToString() + " state=" + SputterState.Name(rec.State)
                    + (rec.FastPath ? " fast-path" : " scan"));
                shown++;
            }
            if (shown == 0) ctx.WriteLine("no trips since boot");
            return true;
        }

        private bool InterlocksCmd(CommandContext ctx)
        {
            ScanSnapshotCopy c = ReadSnapshot();
            if (c == null) return ctx.Fail(ErrorCode.Busy, "no scan data yet");
            int unhealthy = c.Ints[_fUnhealthy];
            int latched = c.Ints[_fLatched];
            int armed = c.Ints[_fArmed];
            for (int i = 0; i < _conditionCount; i++)
            {
                int kind = InterlockMatrix.KindOfIndex(i);
                int k = InterlockMatrix.CathodeOfIndex(i);
                int bit = 1 << i;
                ctx.WriteLine(_code[i].ToString() + " " + (k >= 0 ? _cathodes[k].Name + "." : "") + InterlockMatrix.KindName(kind)
                    + ((unhealthy & bit) != 0 ? " UNHEALTHY" : " healthy") + ((latched & bit) != 0 ? " LATCHED" : "")
                    + ((armed & bit) != 0 ? " armed" : "") + (InterlockMatrix.IsHardWired(kind) ? " hard-wired" : ""));
            }
            return true;
        }

        private bool RecipeCmd(CommandContext ctx)
        {
            int r = SputterRecipe.Parse(ctx.Arg(0));
            if (r < 0) return ctx.Fail(ErrorCode.BadArgument, "unknown recipe (licoo2, lipon)");
            if (ctx.ArgCount == 1)
            {
                int[] ix = _recipeIndex[r];
                for (int i = 0; i < R_Count; i++) ctx.WriteLine(_settings.GetDef(ix[i]).Name + " = " + _settings.FormatValue(ix[i]) + " " + _settings.GetDef(ix[i]).Unit);
                ErrorCode e0;
                string why;
                ctx.WriteLine(ValidateRecipe(r, out e0, out why) ? "valid on this board" : "NOT valid: " + why);
                return true;
            }
            if (ctx.ArgCount != 3) return ctx.Fail(ErrorCode.BadArgumentCount, "sputter recipe <name> <param> <value>");
            if (ctx.Level < AccessLevel.Technician) return ctx.Fail(ErrorCode.AccessDenied, "technician");
            string param = ctx.Arg(1);
            string name;
            if (param == "power") name = "powerW";
            else if (param == "ramp") name = "rampWPerCm2Min";
            else if (param == "presputter") name = "preSputterS";
            else if (param == "cathode") name = "cathode";
            else if (SputterGas.Parse(param) >= 0) name = param + "Sccm";
            else return ctx.Fail(ErrorCode.BadArgument, "unknown parameter or gas (power, ramp, presputter, cathode, ar, o2, n2)");
            ScanSnapshotCopy copy = ReadSnapshot();
            if (copy != null && copy.Ints[_fRecipe] == r && copy.Ints[_fState] != SputterState.Idle) return ctx.Fail(ErrorCode.NotIdle, "recipe is running");
            int index = RecipeSettingIndex(r, name);
            double value;
            if (!NumberText.TryParseReal(ctx.Arg(2), out value)) return ctx.Fail(ErrorCode.BadArgument, "value must be a number");
            // Cross checks before anything changes: the target's density limit and the configured ramp maximum.
            if (name == "powerW")
            {
                int cathode = (int)_settings.GetNumber(_recipeIndex[r][R_Cathode]) - 1;
                double area = _settings.GetNumber(_areaIndex[cathode < 0 ? 0 : cathode]);
                if (value > _settings.GetNumber(_setIndex[S_MaxDensity]) * area) return ctx.Fail(ErrorCode.InvalidRecipe, "power above the target limit (density x area)");
            }
            if (name == "rampWPerCm2Min" && value > _settings.GetNumber(_setIndex[S_MaxRamp])) return ctx.Fail(ErrorCode.InvalidRecipe, "ramp above sputter.maxRampWPerCm2Min");
            if (name != "powerW" && name != "rampWPerCm2Min" && name != "preSputterS" && name != "cathode" && value > 0 && LineOf(SputterGas.Parse(param)) == null)
                return ctx.Fail(ErrorCode.InvalidRecipe, "gas line not fitted on this board");
            ErrorCode e;
            if (!_settings.TrySetNumber(index, value, out e)) return ctx.Fail(e, "refused by the setting's range");
            return true;
        }

        /// <summary>One status line (console <c>status</c>).</summary>
        public string GetStatus()
        {
            ScanSnapshotCopy c = ReadSnapshot();
            if (c == null) return "unavailable";
            string s = "state=" + SputterState.Name(c.Ints[_fState]) + " mode=" + SputterMode.Name(c.Ints[_fMode]) + " latched=" + LatchedCodes(c.Ints[_fLatched]);
            for (int k = 0; k < _cathodes.Length; k++) s = s + " " + _cathodes[k].Name + "W=" + Num(c.Doubles[_fForward[k]], 1);
            return s;
        }
    }
}
