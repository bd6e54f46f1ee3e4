using Tfb.Boards;
using Tfb.Codes;
using Tfb.Settings;
using Tfb.Shell;
using Tfb.Text;

namespace Tfb.Commissioning
{
    /// <summary><c>io show</c>, <c>io watch</c>, <c>io force</c>, <c>io release</c>: the I/O checkout.</summary>
    internal sealed class IoCommands : ICommandHandler
    {
        /// <summary>Default force timeout, seconds.</summary>
        internal const int DefaultForceS = 60;
        /// <summary>Longest force, seconds.</summary>
        internal const int MaxForceS = 600;
        /// <summary>io watch sample period, microseconds.</summary>
        internal const long WatchPeriodUs = 1000L * 1000;
        /// <summary>Most samples of one io watch.</summary>
        internal const int MaxWatchSamples = 3600;
        /// <summary>A snapshot older than this is reported STALE (the scan task stopped), microseconds.</summary>
        internal const long StaleUs = 2L * 1000 * 1000;

        private const int Show = 1;
        private const int Watch = 2;
        private const int Force = 3;
        private const int Release = 4;

        private readonly CommissioningModule _m;

        private IoCommands(CommissioningModule m)
        {
            _m = m;
        }

        internal static void Register(CommissioningModule m)
        {
            IoCommands h = new IoCommands(m);
            CommandRegistry r = m.Core.Commands;
            AccessLevel tech = AccessLevel.Technician;
            r.Register(CommandDef.Create("io show", "", "One snapshot of every input and output (state, raw level, validity, forces)", 0, 0, tech, false, h, Show));
            r.Register(CommandDef.Create("io watch", "[n]", "io show every second, n times (default: until Enter)", 0, 1, tech, false, h, Watch));
            r.Register(CommandDef.Create("io force", "<output> <on|off|fraction> [timeoutS]", "Hold an output (interlocks permitting) for timeoutS (default 60, max 600), then safe state", 2, 3, tech, true, h, Force));
            r.Register(CommandDef.Create("io release", "<output|all>", "End forces: outputs go to their safe state", 1, 1, tech, false, h, Release));
        }

        public bool Execute(CommandContext ctx)
        {
            switch (ctx.Command.Tag)
            {
                case Show: return DoShow(ctx);
                case Watch: return DoWatch(ctx);
                case Force: return DoForce(ctx);
                case Release: return DoRelease(ctx);
                default: return ctx.Fail(ErrorCode.InternalError, null);
            }
        }

        private bool DoShow(CommandContext ctx)
        {
            IoSnapshot s = _m.ScanTask.NewSnapshot();
            _m.ScanTask.CopySnapshot(s);
            if (!s.Taken) return ctx.Fail(ErrorCode.BadState, "no I/O snapshot: the commissioning scan task is not running");
            WriteSnapshot(ctx, _m, s);
            return true;
        }

        private bool DoWatch(CommandContext ctx)
        {
            int n = 0;
            if (ctx.ArgCount > 0)
            {
                if (!NumberText.TryParseInt(ctx.Arg(0), out n)) return ctx.Fail(ErrorCode.BadArgument, "n must be a whole number");
                if (n < 1 || n > MaxWatchSamples) return ctx.Fail(ErrorCode.OutOfRange, "n must be 1.." + MaxWatchSamples);
            }
            IoSnapshot s = _m.ScanTask.NewSnapshot();
            _m.ScanTask.CopySnapshot(s);
            if (!s.Taken) return ctx.Fail(ErrorCode.BadState, "no I/O snapshot: the commissioning scan task is not running");
            if (n != 1) ctx.WriteLine("sample 1" + (n > 0 ? " of " + n : "") + " (Enter stops)");
            WriteSnapshot(ctx, _m, s);
            if (n == 1) return true;
            ctx.BeginActivity(new IoWatch(_m, s, n, ctx.Core.Clock.NowMicros + WatchPeriodUs));
            return true;
        }

        private bool DoForce(CommandContext ctx)
        {
            CommissioningScan scan = _m.ScanTask;
            string name = ctx.Arg(0);
            int index = scan.OutputIndex(name);
            if (index < 0) return ctx.Fail(ErrorCode.BadArgument, "no output '" + name + "' on this board");
            if (!scan.OutputPresent(index)) return ctx.Fail(ErrorCode.NotSupported, name + " is declared but the platform has no driver for it");
            double value;
            string v = ctx.Arg(1);
            if (scan.IsAnalog(index))
            {
                if (!NumberText.TryParseReal(v, out value)) return ctx.Fail(ErrorCode.BadArgument, "analog output: value is a fraction 0..1");
                if (!(value >= 0 && value <= 1)) return ctx.Fail(ErrorCode.OutOfRange, "fraction must be 0..1");
            }
            else
            {
                if (v == "on" || v == "1" || v == "true") value = 1;
                else if (v == "off" || v == "0" || v == "false") value = 0;
                else return ctx.Fail(ErrorCode.BadArgument, "digital output: on or off");
            }
            int timeoutS = DefaultForceS;
            if (ctx.ArgCount > 2)
            {
                if (!NumberText.TryParseInt(ctx.Arg(2), out timeoutS)) return ctx.Fail(ErrorCode.BadArgument, "timeoutS must be a whole number");
                if (timeoutS < 1 || timeoutS > MaxForceS) return ctx.Fail(ErrorCode.OutOfRange, "timeoutS must be 1.." + MaxForceS);
            }
            if (scan.Runs == 0) return ctx.Fail(ErrorCode.BadState, "the commissioning scan task is not running");
            int interlock;
            if (!scan.MayForce(index, value, out interlock))
            {
                if (interlock != 0) return ctx.Fail(ErrorCode.InterlockActive, "interlock " + interlock + " forbids " + name + " = " + v);
                return ctx.Fail(ErrorCode.InterlockActive, "no station module vouches for " + name + ": only its safe state may be forced");
            }
            scan.RequestForce(index, value, (long)timeoutS * 1000 * 1000);
            ctx.WriteLine("forcing " + name + " = " + (scan.IsAnalog(index) ? TextFormat.Fixed(value, 3) : (value != 0 ? "on" : "off"))
                + " for " + timeoutS + " s from the next scan; io release " + name + " ends it");
            return true;
        }

        private bool DoRelease(CommandContext ctx)
        {
            CommissioningScan scan = _m.ScanTask;
            string name = ctx.Arg(0);
            if (name == "all")
            {
                scan.RequestRelease(-1);
                ctx.WriteLine("releasing every forced output at the next scan");
                return true;
            }
            int index = scan.OutputIndex(name);
            if (index < 0) return ctx.Fail(ErrorCode.BadArgument, "no output '" + name + "' on this board");
            scan.RequestRelease(index);
            ctx.WriteLine("releasing " + name + " at the next scan");
            return true;
        }

        /// <summary>Writes the snapshot as one line per signal (io show, io watch).</summary>
        internal static void WriteSnapshot(CommandContext ctx, CommissioningModule m, IoSnapshot s)
        {
            BoardDefinition b = m.Board;
            long age = ctx.Core.Clock.NowMicros - s.TakenUs;
            ctx.WriteLine("snapshot #" + s.Sequence + " age " + TextFormat.Fixed(age / 1e6, 3) + " s" + (age > StaleUs ? " STALE" : ""));
            for (int i = 0; i < s.DinValid.Length; i++)
            {
                DigitalInputDef d = b.DigitalInputs[i];
                string line = "din  " + TextFormat.Pad(d.Name, 20);
                if (s.DinValid[i])
                {
                    bool high = s.DinActive[i] == d.ActiveHigh;
                    line += (s.DinActive[i] ? "1" : "0") + " raw=" + (high ? "high" : "low") + " ok";
                }
                else
                {
                    line += "- INVALID";
                }
                ctx.WriteLine(line);
            }
            for (int i = 0; i < s.AinValid.Length; i++)
            {
                AnalogInputDef a = b.AnalogInputs[i];
                string line = "ain  " + TextFormat.Pad(a.Name, 20) + TextFormat.Fixed(s.AinValue[i], 3) + " " + a.Unit + (s.AinValid[i] ? " ok" : " INVALID");
                if (!s.AinCalApplied[i]) line += " (calibration not applied)";
                ctx.WriteLine(line);
            }
            CommissioningScan scan = m.ScanTask;
            for (int i = 0; i < s.OutForced.Length; i++)
            {
                bool analog = scan.IsAnalog(i);
                string line = (analog ? "aout " : "dout ") + TextFormat.Pad(scan.OutputName(i), 20);
                double v = s.OutValue[i];
                if (double.IsNaN(v)) line += "- (no driver)";
                else if (analog) line += TextFormat.Fixed(v, 3) + " safe=" + TextFormat.Fixed(scan.SafeValue(i), 3);
                else line += (v != 0 ? "1" : "0") + " safe=" + (scan.SafeValue(i) != 0 ? "1" : "0");
                if (s.OutForced[i])
                {
                    long left = s.OutForceUntilUs[i] - s.TakenUs;
                    if (left < 0) left = 0;
                    line += " FORCED " + TextFormat.Seconds(left) + " s left";
                }
                ctx.WriteLine(line);
            }
        }
    }

    /// <summary>The running part of <c>io watch</c>: one snapshot per period until n samples or a line (Enter).</summary>
    internal sealed class IoWatch : ISessionActivity
    {
        public bool HidesInput { get { return false; } }

        private readonly CommissioningModule _m;
        private readonly IoSnapshot _s;
        private readonly int _n;
        private int _shown = 1;
        private long _nextUs;

        internal IoWatch(CommissioningModule m, IoSnapshot s, int n, long firstUs)
        {
            _m = m;
            _s = s;
            _n = n;
            _nextUs = firstUs;
        }

        public bool OnLine(CommandContext ctx, string line, out bool ok)
        {
            ctx.WriteLine("stopped after " + _shown + " samples");
            ok = true;
            return false;
        }

        public bool OnPoll(CommandContext ctx, long nowUs, out bool ok)
        {
            ok = true;
            if (nowUs < _nextUs) return true;
            _nextUs += IoCommands.WatchPeriodUs;
            // After a long stall show one sample, not a burst of catch-up samples.
            if (_nextUs <= nowUs) _nextUs = nowUs + IoCommands.WatchPeriodUs;
            _m.ScanTask.CopySnapshot(_s);
            _shown++;
            ctx.WriteLine("sample " + _shown + (_n > 0 ? " of " + _n : ""));
            IoCommands.WriteSnapshot(ctx, _m, _s);
            return _n == 0 || _shown < _n;
        }

        public void Cancel()
        {
        }
    }
}
