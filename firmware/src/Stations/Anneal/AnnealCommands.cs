using Tfb.Codes;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Shell;
using Tfb.Text;

namespace Tfb.Stations.Anneal
{
    /// <summary>
    /// Console commands of the anneal station (<c>anneal ...</c>). Each checks what it can from the latest snapshot
    /// and the settings on the console thread (so refusals come with their code at once), then posts a scan command;
    /// the scan checks again and changes state at its next start.
    /// </summary>
    internal sealed class AnnealCommands : ICommandHandler
    {
        private const int Status = 1, Start = 2, Abort = 3, Hold = 4, Resume = 5, Continue = 6, Skip = 7, Manual = 8,
            Auto = 9, Tune = 10, List = 11, Show = 12, Set = 13, CheckCmd = 14;

        private readonly AnnealModule _m;

        private AnnealCommands(AnnealModule m) { _m = m; }

        internal static void Register(AnnealModule m, ShellCore shell)
        {
            AnnealCommands h = new AnnealCommands(m);
            CommandRegistry r = shell.Commands;
            AccessLevel op = AccessLevel.Operator, tech = AccessLevel.Technician, eng = AccessLevel.Engineer;
            r.Register(CommandDef.Create("anneal status", "", "Programmer state, setpoint, zones, limit channel, door, O2", 0, 0, op, false, h, Status));
            r.Register(CommandDef.Create("anneal start", "<program 1-4> [delayMin]", "Start a stored program (after delayMin minutes)", 1, 2, tech, false, h, Start));
            r.Register(CommandDef.Create("anneal abort", "", "Abort the program: heaters and O2 off", 0, 0, op, false, h, Abort));
            r.Register(CommandDef.Create("anneal hold", "", "Hold the program clock (control continues at the setpoint)", 0, 0, op, false, h, Hold));
            r.Register(CommandDef.Create("anneal resume", "", "Resume a held program (interlocks healthy)", 0, 0, tech, false, h, Resume));
            r.Register(CommandDef.Create("anneal continue", "", "The event a wait,event segment waits for", 0, 0, tech, false, h, Continue));
            r.Register(CommandDef.Create("anneal skip", "", "End the current segment now", 0, 0, tech, false, h, Skip));
            r.Register(CommandDef.Create("anneal manual", "<zone 1-3|all> <percent>", "Zone output to manual (bumpless; limit and door still apply)", 2, 2, tech, false, h, Manual));
            r.Register(CommandDef.Create("anneal auto", "<zone 1-3|all>", "Zone back to automatic (bumpless)", 1, 1, tech, false, h, Auto));
            r.Register(CommandDef.Create("anneal tune", "<zone> <setpointC> [biasPct]", "Relay autotune of a zone around setpointC (idle furnace); sane gains are stored", 2, 3, eng, false, h, Tune));
            r.Register(CommandDef.Create("anneal program list", "", "The stored programs", 0, 0, op, false, h, List));
            r.Register(CommandDef.Create("anneal program show", "<program 1-4>", "One program, segment by segment", 1, 1, op, false, h, Show));
            r.Register(CommandDef.Create("anneal program set", "<program 1-4> <segment>...", "Replace a program (validated; refused while a program runs)", 2, 17, tech, false, h, Set));
            r.Register(CommandDef.Create("anneal program check", "<segment>...", "Validate a program text without storing it", 1, 16, op, false, h, CheckCmd));
        }

        public bool Execute(CommandContext ctx)
        {
            switch (ctx.Command.Tag)
            {
                case Status: ctx.WriteLine(_m.GetStatus()); return true;
                case Start: return DoStart(ctx);
                case Abort: return PostIf(ctx, AnnealCommand.Abort, ProgramState.Idle, false, 0, 0);
                case Hold: return PostIf(ctx, AnnealCommand.Hold, ProgramState.Running, true, 0, 0);
                case Resume: return PostIf(ctx, AnnealCommand.Resume, ProgramState.Held, true, 0, 0);
                case Continue: return PostIf(ctx, AnnealCommand.Continue, ProgramState.Running, true, 0, 0);
                case Skip:
                    {
                        ProgramState st = _m.SnapshotState();
                        if (st != ProgramState.Running && st != ProgramState.Held) return ctx.Fail(ErrorCode.BadState, "no running program");
                        return Post(ctx, AnnealCommand.Skip, 0, 0, 0);
                    }
                case Manual: return DoManual(ctx, true);
                case Auto: return DoManual(ctx, false);
                case Tune: return DoTune(ctx);
                case List: return DoList(ctx);
                case Show: return DoShow(ctx);
                case Set: return DoSet(ctx);
                case CheckCmd: return DoCheck(ctx, Join(ctx, 0));
                default: return ctx.Fail(ErrorCode.InternalError, null);
            }
        }

        private bool Post(CommandContext ctx, int code, int arg0, double v0, double v1)
        {
            ErrorCode err;
            if (!_m.Post(code, arg0, v0, v1, out err)) return ctx.Fail(err, null);
            return true;
        }

        // want: the state the command needs (or, with mustBe false, the state it must not be in).
        private bool PostIf(CommandContext ctx, int code, ProgramState want, bool mustBe, double v0, double v1)
        {
            ProgramState st = _m.SnapshotState();
            if ((st == want) != mustBe) return ctx.Fail(ErrorCode.BadState, "programmer is " + AnnealPublisher.StateName(st));
            return Post(ctx, code, 0, v0, v1);
        }

        private static bool TryProgramNumber(CommandContext ctx, int arg, out int n)
        {
            if (!NumberText.TryParseInt(ctx.Arg(arg), out n)) return false;
            return true;
        }

        private bool DoStart(CommandContext ctx)
        {
            int n;
            if (!TryProgramNumber(ctx, 0, out n)) return ctx.Fail(ErrorCode.BadArgument, "program is a number 1-" + AnnealModule.ProgramSlots);
            if (n < 1 || n > AnnealModule.ProgramSlots) return ctx.Fail(ErrorCode.OutOfRange, "program 1-" + AnnealModule.ProgramSlots);
            double delay = 0;
            if (ctx.ArgCount > 1)
            {
                if (!NumberText.TryParseReal(ctx.Arg(1), out delay)) return ctx.Fail(ErrorCode.BadArgument, "delayMin is a number");
                if (!(delay >= 0 && delay <= 10080)) return ctx.Fail(ErrorCode.OutOfRange, "delayMin 0-10080");
            }
            ErrorCode err;
            if (!StartCheck(_m, n, out err, ctx)) return false;
            if (!_m.Post(AnnealCommand.Start, n, delay, 0, out err)) return ctx.Fail(err, null);
            ctx.WriteLine("starting program " + n + (delay > 0 ? " in " + NumberText.FormatReal(delay) + " min" : ""));
            return true;
        }

        /// <summary>The checks behind a start, from the console or MQTT (T2).</summary>
        internal static bool StartCheck(AnnealModule _m, int n, out ErrorCode err, CommandContext ctx)
        {
            ScanSnapshotCopy c = _m.ReadSnapshot();
            AnnealPublisher p = _m.Publisher;
            err = ErrorCode.BadArgument;
            if (c == null) { err = ErrorCode.Busy; return ctx == null ? false : ctx.Fail(err, "no snapshot yet"); }
            if ((ProgramState)c.Ints[p.State] != ProgramState.Idle || c.Bools[p.Manual]) { err = ErrorCode.NotIdle; return ctx == null ? false : ctx.Fail(err, "a program or manual control is active"); }
            if (c.Bools[p.LimitTripped]) { err = ErrorCode.InterlockActive; return ctx == null ? false : ctx.Fail(err, "limit channel tripped (alarm 4001/4002)"); }
            if (!c.Bools[p.DoorClosed]) { err = ErrorCode.InterlockActive; return ctx == null ? false : ctx.Fail(err, "door open"); }
            for (int i = 0; i < p.Pv.Length; i++)
            {
                if (c.Bools[p.TcFault[i]] || double.IsNaN(c.Doubles[p.Pv[i]])) { err = ErrorCode.InterlockActive; return ctx == null ? false : ctx.Fail(err, "zone " + (i + 1) + " thermocouple faulty"); }
            }
            string text = _m.Runtime.Settings.GetText(_m.ProgramSetting(n));
            if (text.Length == 0) { err = ErrorCode.InvalidRecipe; return ctx == null ? false : ctx.Fail(err, "program " + n + " is empty"); }
            int pos;
            double max;
            if (!_m.CheckProgram(text, out err, out pos, out max)) return ctx == null ? false : ctx.Fail(err, "program " + n + " does not validate at character " + pos);
            double limit = _m.Controller.Config.LimitC;
            if (max > limit - AnnealController.LimitMarginC)
            {
                err = ErrorCode.InterlockActive;
                return ctx == null ? false : ctx.Fail(err, "program reaches " + NumberText.FormatReal(max) + " C: the limit (" + NumberText.FormatReal(limit) + " C) must be 20 C above");
            }
            return true;
        }

        private bool DoManual(CommandContext ctx, bool manual)
        {
            int zone;
            if (ctx.Arg(0) == "all") zone = 0;
            else if (!NumberText.TryParseInt(ctx.Arg(0), out zone)) return ctx.Fail(ErrorCode.BadArgument, "zone is 1-3 or all");
            if (zone < 0 || zone > _m.Controller.ZoneCount) return ctx.Fail(ErrorCode.OutOfRange, "zone 1-" + _m.Controller.ZoneCount);
            double pct = 0;
            if (manual)
            {
                if (!NumberText.TryParseReal(ctx.Arg(1), out pct)) return ctx.Fail(ErrorCode.BadArgument, "percent is a number");
                if (!(pct >= 0 && pct <= 100)) return ctx.Fail(ErrorCode.OutOfRange, "percent 0-100");
                ScanSnapshotCopy c = _m.ReadSnapshot();
                if (c != null && c.Bools[_m.Publisher.LimitTripped]) return ctx.Fail(ErrorCode.InterlockActive, "limit channel tripped");
            }
            return Post(ctx, manual ? AnnealCommand.Manual : AnnealCommand.Auto, zone, pct, 0);
        }

        private bool DoTune(CommandContext ctx)
        {
            int zone;
            double sp, bias = 30;
            if (!NumberText.TryParseInt(ctx.Arg(0), out zone)) return ctx.Fail(ErrorCode.BadArgument, "zone is a number");
            if (zone < 1 || zone > _m.Controller.ZoneCount) return ctx.Fail(ErrorCode.OutOfRange, "zone 1-" + _m.Controller.ZoneCount);
            if (!NumberText.TryParseReal(ctx.Arg(1), out sp)) return ctx.Fail(ErrorCode.BadArgument, "setpointC is a number");
            if (!(sp >= 0 && sp <= _m.Controller.Config.LimitC - AnnealController.LimitMarginC)) return ctx.Fail(ErrorCode.OutOfRange, "setpointC must be 20 C below the limit");
            if (ctx.ArgCount > 2)
            {
                if (!NumberText.TryParseReal(ctx.Arg(2), out bias)) return ctx.Fail(ErrorCode.BadArgument, "biasPct is a number");
                if (!(bias >= 0 && bias <= 80)) return ctx.Fail(ErrorCode.OutOfRange, "biasPct 0-80");
            }
            if (_m.SnapshotState() != ProgramState.Idle) return ctx.Fail(ErrorCode.NotIdle, "a program is active");
            return Post(ctx, AnnealCommand.Tune, zone, sp, bias);
        }

        private bool DoList(CommandContext ctx)
        {
            SettingsRegistry s = _m.Runtime.Settings;
            for (int n = 1; n <= AnnealModule.ProgramSlots; n++)
            {
                string t = s.GetText(_m.ProgramSetting(n));
                ctx.WriteLine(n + ": " + (t.Length == 0 ? "(empty)" : t));
            }
            return true;
        }

        private bool DoShow(CommandContext ctx)
        {
            int n;
            if (!TryProgramNumber(ctx, 0, out n)) return ctx.Fail(ErrorCode.BadArgument, "program is a number");
            if (n < 1 || n > AnnealModule.ProgramSlots) return ctx.Fail(ErrorCode.OutOfRange, "program 1-" + AnnealModule.ProgramSlots);
            string text = _m.Runtime.Settings.GetText(_m.ProgramSetting(n));
            if (text.Length == 0) { ctx.WriteLine("program " + n + " is empty"); return true; }
            AnnealProgram p = new AnnealProgram();
            ErrorCode err;
            ProgramLimits limits = new ProgramLimits();
            limits.MaxTempC = _m.Controller.Config.Limits.MaxTempC;
            limits.MaxRateCPerMin = _m.Controller.Config.Limits.MaxRateCPerMin;
            if (!p.TryParse(text, limits, out err)) return ctx.Fail(err, "program " + n + " does not validate at character " + p.ErrorPosition);
            for (int i = 0; i < p.Count; i++) ctx.WriteLine((i + 1) + " " + Describe(p, i));
            return true;
        }

        internal static string Describe(AnnealProgram p, int i)
        {
            string d;
            switch (p.Kind[i])
            {
                case SegmentKind.RampRate: d = "ramp " + NumberText.FormatReal(p.RateCPerMin[i]) + " C/min to " + NumberText.FormatReal(p.TargetC[i]) + " C"; break;
                case SegmentKind.RampTime: d = "ramp in " + NumberText.FormatReal(p.TimeMin[i]) + " min to " + NumberText.FormatReal(p.TargetC[i]) + " C"; break;
                case SegmentKind.Dwell: d = "dwell " + NumberText.FormatReal(p.TimeMin[i]) + " min"; break;
                case SegmentKind.Step: d = "step to " + NumberText.FormatReal(p.TargetC[i]) + " C"; break;
                case SegmentKind.WaitPv: d = "wait until every zone reaches " + NumberText.FormatReal(p.TargetC[i]) + " C"; break;
                case SegmentKind.WaitO2: d = "wait for O2 flow"; break;
                case SegmentKind.WaitEvent: d = "wait for anneal continue"; break;
                case SegmentKind.Jump: d = "jump to " + (p.JumpTo[i] + 1) + ", " + p.LoopCount[i] + " more times"; break;
                default:
                    d = p.End[i] == EndAction.Off ? "end: off" : (p.End[i] == EndAction.Hold ? "end: hold" : "end: control at " + NumberText.FormatReal(p.TargetC[i]) + " C");
                    break;
            }
            if (p.Holdback[i] != HoldbackMode.Off)
            {
                string m = p.Holdback[i] == HoldbackMode.Low ? "low" : (p.Holdback[i] == HoldbackMode.High ? "high" : "band");
                d += ", holdback " + m + " " + NumberText.FormatReal(p.BandC[i]) + " C";
            }
            if (p.O2[i]) d += ", O2";
            return d;
        }

        private bool DoSet(CommandContext ctx)
        {
            int n;
            if (!TryProgramNumber(ctx, 0, out n)) return ctx.Fail(ErrorCode.BadArgument, "program is a number");
            if (n < 1 || n > AnnealModule.ProgramSlots) return ctx.Fail(ErrorCode.OutOfRange, "program 1-" + AnnealModule.ProgramSlots);
            string text = Join(ctx, 1);
            int pos;
            double max;
            ErrorCode err;
            if (_m.SnapshotState() != ProgramState.Idle) return ctx.Fail(ErrorCode.NotIdle, "a program is active: programs cannot change now");
            if (!_m.CheckProgram(text, out err, out pos, out max)) return ctx.Fail(err, "refused at character " + pos + "; program " + n + " unchanged");
            if (!_m.Runtime.Settings.TrySetText(_m.ProgramSetting(n), text, out err)) return ctx.Fail(err, "program " + n + " unchanged");
            _m.Runtime.Events.Add((int)EventCode.AnnealProgramEdited, n);
            ctx.WriteLine("program " + n + " = " + text + " (settings save to keep it)");
            return true;
        }

        private bool DoCheck(CommandContext ctx, string text)
        {
            int pos;
            double max;
            ErrorCode err;
            if (!_m.CheckProgram(text, out err, out pos, out max)) return ctx.Fail(err, "refused at character " + pos);
            ctx.WriteLine("valid; highest temperature " + NumberText.FormatReal(max) + " C");
            return true;
        }

        private static string Join(CommandContext ctx, int from)
        {
            string t = "";
            for (int i = from; i < ctx.ArgCount; i++) t = i == from ? ctx.Arg(i) : t + " " + ctx.Arg(i);
            return t;
        }
    }
}
