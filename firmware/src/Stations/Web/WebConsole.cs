using Tfb.Codes;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Shell;
using Tfb.Commissioning;
using Tfb.Text;

namespace Tfb.Stations.Web
{
    /// <summary>
    /// Console commands of the web transport (<c>web ...</c>). Each checks its arguments and the state from the
    /// latest scan snapshot, then queues a scan command (or writes a setpoint setting); the scan checks again,
    /// so a command that races a state change is refused there and changes nothing. Answers are the console's
    /// standard <c>ok</c> / <c>error:&lt;code&gt;</c>; <c>ok</c> means queued (see <c>web</c> for the result).
    /// </summary>
    internal sealed class WebConsole : ICommandHandler
    {
        private const int Show = 1, ThreadCmd = 2, RunCmd = 3, StopCmd = 4, OffCmd = 5, Speed = 6, Tension = 7, JogCmd = 8,
            ManualCmd = 9, Torque = 10, Permit = 11, Roll = 12, Tune = 13, Reset = 14;

        private readonly WebTransportModule _m;
        private readonly ScanSnapshotCopy _copy;
        private readonly object _sync = new object();

        private WebConsole(WebTransportModule m)
        {
            _m = m;
            _copy = m.Runtime.Scan.Snapshot.CreateCopy();
        }

        internal static void Register(WebTransportModule m, ShellCore shell)
        {
            WebConsole h = new WebConsole(m);
            CommandRegistry r = shell.Commands;
            AccessLevel op = AccessLevel.Operator;
            AccessLevel t = AccessLevel.Technician;
            r.Register(CommandDef.Create("web", "", "Web transport: state, speeds, tensions, radii, faults, autotune", 0, 0, op, false, h, Show));
            r.Register(CommandDef.Create("web thread", "", "Idle -> Thread: enable the drives, build threading tension at standstill", 0, 0, t, false, h, ThreadCmd));
            r.Register(CommandDef.Create("web run", "", "Thread -> Run: running tension, ramp to the speed setpoint, arm the sputter permit", 0, 0, t, false, h, RunCmd));
            r.Register(CommandDef.Create("web stop", "", "Controlled stop: ramp to zero under tension, then threading hold", 0, 0, op, false, h, StopCmd));
            r.Register(CommandDef.Create("web off", "", "Thread at standstill -> Idle: release tension, disable the drives", 0, 0, t, false, h, OffCmd));
            r.Register(CommandDef.Create("web speed", "<m/min>", "Line speed setpoint (Idle, Thread, Run)", 1, 1, t, false, h, Speed));
            r.Register(CommandDef.Create("web tension", "<N>", "Running tension setpoint (not while stopping or faulted)", 1, 1, t, false, h, Tension));
            r.Register(CommandDef.Create("web jog", "<m/min>", "Jog speed while threading (0 stops)", 1, 1, t, false, h, JogCmd));
            r.Register(CommandDef.Create("web manual", "on|off", "Manual torque (bumpless both ways)", 1, 1, t, false, h, ManualCmd));
            r.Register(CommandDef.Create("web torque", "<unwind N m> <rewind N m>", "Manual torques (manual mode)", 2, 2, t, false, h, Torque));
            r.Register(CommandDef.Create("web permit", "", "Re-arm the sputter permit (Run, at speed, tension in band)", 0, 0, t, false, h, Permit));
            r.Register(CommandDef.Create("web roll", "<unwind radius mm> <rewind radius mm>", "New rolls: restart the radius estimates (Idle)", 2, 2, t, false, h, Roll));
            r.Register(CommandDef.Create("web autotune", "unwind|rewind <N> | cancel | save", "Relay autotune of a tension trim; save only a sane result", 1, 2, t, false, h, Tune));
            r.Register(CommandDef.Create("web reset", "", "Reset the web alarms whose condition is gone (a fault stop then goes to Idle)", 0, 0, t, false, h, Reset));
        }

        public bool Execute(CommandContext ctx)
        {
            lock (_sync)
            {
                if (!_m.ReadSnapshot(_copy)) return ctx.Fail(ErrorCode.Busy, "no scan snapshot yet");
                WebState state = (WebState)(int)_copy.Doubles[_m.FState];
                switch (ctx.Command.Tag)
                {
                    case Show: return DoShow(ctx, state);
                    case ThreadCmd:
                        if (state != WebState.Idle) return ctx.Fail(ErrorCode.BadState, "web is " + StateName(state) + ", not Idle");
                        if (_copy.Ints[_m.FFaults] != 0) return ctx.Fail(ErrorCode.InterlockActive, "web faults latched; web reset first");
                        if (double.IsNaN(_copy.Doubles[_m.FT1]) || double.IsNaN(_copy.Doubles[_m.FT2])) return ctx.Fail(ErrorCode.InterlockActive, "a load cell reads invalid");
                        return Post(ctx, WebCommandCode.Thread, 0, 0, 0);
                    case RunCmd:
                        if (state != WebState.Thread && state != WebState.Run) return ctx.Fail(ErrorCode.BadState, "web is " + StateName(state) + ", needs Thread");
                        return Post(ctx, WebCommandCode.Run, 0, 0, 0);
                    case StopCmd:
                        if (state != WebState.Run && state != WebState.Thread && state != WebState.Stopping) return ctx.Fail(ErrorCode.BadState, "web is " + StateName(state));
                        return Post(ctx, WebCommandCode.Stop, 0, 0, 0);
                    case OffCmd:
                        if (state != WebState.Thread && state != WebState.Idle) return ctx.Fail(ErrorCode.BadState, "web is " + StateName(state) + ", needs Thread at standstill");
                        return Post(ctx, WebCommandCode.Off, 0, 0, 0);
                    case Speed: return DoSetpoint(ctx, state, true);
                    case Tension: return DoSetpoint(ctx, state, false);
                    case JogCmd:
                        {
                            double mpm;
                            if (!NumberText.TryParseReal(ctx.Arg(0), out mpm)) return ctx.Fail(ErrorCode.BadArgument, "speed must be a number in m/min");
                            double max = _m.Parameters.ThreadMaxSpeedMps * 60.0;
                            if (!(mpm >= 0 && mpm <= max)) return ctx.Fail(ErrorCode.OutOfRange, "jog speed 0.." + NumberText.FormatReal(max) + " m/min");
                            if (state != WebState.Thread) return ctx.Fail(ErrorCode.BadState, "jog only while threading");
                            return Post(ctx, WebCommandCode.Jog, 0, mpm / 60.0, 0);
                        }
                    case ManualCmd:
                        {
                            string a = ctx.Arg(0);
                            if (a != "on" && a != "off") return ctx.Fail(ErrorCode.BadArgument, "on or off");
                            if (state == WebState.FaultStop) return ctx.Fail(ErrorCode.BadState, "web is in a fault stop");
                            return Post(ctx, WebCommandCode.Manual, a == "on" ? 1 : 0, 0, 0);
                        }
                    case Torque:
                        {
                            double u, r;
                            if (!NumberText.TryParseReal(ctx.Arg(0), out u) || !NumberText.TryParseReal(ctx.Arg(1), out r)) return ctx.Fail(ErrorCode.BadArgument, "torques must be numbers in N m");
                            double lim = 0.5 * _m.Parameters.TorqueFullScaleNm;
                            if (!(u >= -lim && u <= lim && r >= -lim && r <= lim)) return ctx.Fail(ErrorCode.OutOfRange, "torques within +-" + NumberText.FormatReal(lim) + " N m");
                            if (!_copy.Bools[_m.FManual]) return ctx.Fail(ErrorCode.BadState, "not in manual mode");
                            return Post(ctx, WebCommandCode.ManualTorque, 0, u, r);
                        }
                    case Permit:
                        if (state != WebState.Run) return ctx.Fail(ErrorCode.BadState, "the permit is armed only in Run");
                        return Post(ctx, WebCommandCode.ArmPermit, 0, 0, 0);
                    case Roll:
                        {
                            double u, r;
                            if (!NumberText.TryParseReal(ctx.Arg(0), out u) || !NumberText.TryParseReal(ctx.Arg(1), out r)) return ctx.Fail(ErrorCode.BadArgument, "radii must be numbers in mm");
                            WebParameters p = _m.Parameters;
                            if (!(u >= p.UnwindCoreRadiusM * 1e3 && u <= p.MaxRollRadiusM * 1e3 && r >= p.RewindCoreRadiusM * 1e3 && r <= p.MaxRollRadiusM * 1e3))
                                return ctx.Fail(ErrorCode.OutOfRange, "radii between the core and web.roll.maxRadiusMm");
                            if (state != WebState.Idle) return ctx.Fail(ErrorCode.NotIdle, "new rolls only in Idle");
                            return Post(ctx, WebCommandCode.NewRolls, 0, u * 1e-3, r * 1e-3);
                        }
                    case Tune: return DoTune(ctx, state);
                    case Reset: return DoReset(ctx);
                    default: return ctx.Fail(ErrorCode.InternalError, null);
                }
            }
        }

        private bool Post(CommandContext ctx, int code, int arg0, double v0, double v1)
        {
            if (!_m.Runtime.Scan.Commands.TryPost(code, Tfb.Runtime.BoardRuntime.SourceConsole, arg0, 0, v0, v1)) return ctx.Fail(ErrorCode.Busy, "scan command queue full");
            return true;
        }

        private bool DoSetpoint(CommandContext ctx, WebState state, bool speed)
        {
            double value;
            WebParameters p = _m.Parameters;
            SettingsRegistry s = ctx.Core.Settings;
            if (!NumberText.TryParseReal(ctx.Arg(0), out value)) return ctx.Fail(ErrorCode.BadArgument, speed ? "speed must be a number in m/min" : "tension must be a number in N");
            if (speed)
            {
                double max = p.MaxSpeedMps * 60.0;
                if (!(value >= 0 && value <= max)) return ctx.Fail(ErrorCode.OutOfRange, "speed 0.." + NumberText.FormatReal(max) + " m/min");
                if (state != WebState.Idle && state != WebState.Thread && state != WebState.Run) return ctx.Fail(ErrorCode.BadState, "web is " + StateName(state));
            }
            else
            {
                if (!(value >= p.MinTensionN && value <= p.MaxTensionN))
                    return ctx.Fail(ErrorCode.OutOfRange, "tension " + NumberText.FormatReal(p.MinTensionN) + ".." + NumberText.FormatReal(p.MaxTensionN) + " N");
                if (state == WebState.Stopping || state == WebState.FaultStop) return ctx.Fail(ErrorCode.BadState, "web is " + StateName(state));
            }
            int index = s.IndexOf(speed ? "web.speed.setMpm" : "web.tension.setN");
            ErrorCode error;
            if (!s.TrySetNumber(index, value, out error)) return ctx.Fail(error, null);
            return true;
        }

        private bool DoTune(CommandContext ctx, WebState state)
        {
            string a = ctx.Arg(0);
            if (a == "cancel")
            {
                if (!_copy.Bools[_m.FTuneActive]) return ctx.Fail(ErrorCode.BadState, "no autotune running");
                return Post(ctx, WebCommandCode.AutotuneCancel, 0, 0, 0);
            }
            if (a == "save")
            {
                if (!_copy.Bools[_m.FTuneDone] || !_copy.Bools[_m.FTuneSane])
                    return ctx.Fail(ErrorCode.ImplausibleCalibration, "no sane autotune result to save (run web autotune first; see web)");
                SettingsRegistry s = ctx.Core.Settings;
                double kp = TextFormat.Quantize(_copy.Doubles[_m.FTuneKp]);
                double ti = TextFormat.Quantize(_copy.Doubles[_m.FTuneTi]);
                ErrorCode error;
                int ikp = s.IndexOf("web.trim.kp");
                int iti = s.IndexOf("web.trim.tiS");
                SettingDef dkp = s.GetDef(ikp);
                SettingDef dti = s.GetDef(iti);
                if (!(kp >= dkp.Min && kp <= dkp.Max && ti >= dti.Min && ti <= dti.Max)) return ctx.Fail(ErrorCode.ImplausibleCalibration, "result outside the settings' limits");
                if (!s.TrySetNumber(ikp, kp, out error)) return ctx.Fail(error, null);
                if (!s.TrySetNumber(iti, ti, out error)) return ctx.Fail(error, null);
                ctx.WriteLine("web.trim.kp = " + NumberText.FormatReal(kp) + ", web.trim.tiS = " + NumberText.FormatReal(ti) + " in RAM; settings save keeps them");
                return true;
            }
            int roll = a == "unwind" ? WebController.Unwind : (a == "rewind" ? WebController.Rewind : -1);
            if (roll < 0) return ctx.Fail(ErrorCode.BadArgument, "unwind, rewind, cancel or save");
            if (ctx.ArgCount < 2) return ctx.Fail(ErrorCode.BadArgumentCount, "amplitude as tension in N");
            double amp;
            if (!NumberText.TryParseReal(ctx.Arg(1), out amp)) return ctx.Fail(ErrorCode.BadArgument, "amplitude must be a number in N");
            double max = _m.Parameters.AutotuneMaxAmplitudeN;
            if (!(amp > 0 && amp <= max)) return ctx.Fail(ErrorCode.OutOfRange, "amplitude 0.." + NumberText.FormatReal(max) + " N (web.tune.maxAmpN)");
            if (state != WebState.Thread && state != WebState.Run) return ctx.Fail(ErrorCode.BadState, "autotune in Thread or Run only");
            return Post(ctx, WebCommandCode.AutotuneStart, roll, amp, 0);
        }

        private bool DoReset(CommandContext ctx)
        {
            int faults = _copy.Ints[_m.FFaults];
            if (faults == 0) return ctx.Fail(ErrorCode.BadState, "no web fault latched");
            int blocked = _copy.Ints[_m.FBlocked];
            if ((faults & blocked) != 0) return ctx.Fail(ErrorCode.ConditionPresent, "condition still present (drives moving or a sensor bad): faults 0x" + Hex(faults & blocked));
            return Post(ctx, WebCommandCode.ResetFaults, faults, 0, 0);
        }

        private bool DoShow(CommandContext ctx, WebState state)
        {
            double[] d = _copy.Doubles;
            ctx.WriteLine("state=" + StateName(state) + " permit=" + (_copy.Bools[_m.FPermit] ? "on" : "off") + " drives=" + (_copy.Bools[_m.FEnabled] ? "enabled" : "disabled")
                + (_copy.Bools[_m.FManual] ? " MANUAL" : "") + " faults=0x" + Hex(_copy.Ints[_m.FFaults]));
            ctx.WriteLine("speedMpm set=" + TextFormat.Fixed(d[_m.FSpeedSet] * 60, 4) + " ref=" + TextFormat.Fixed(d[_m.FSpeedRef] * 60, 4) + " meas=" + TextFormat.Fixed(d[_m.FLineSpeed] * 60, 4));
            ctx.WriteLine("tensionN set=" + TextFormat.Fixed(d[_m.FTensionSet], 1) + " span1=" + TextFormat.Fixed(d[_m.FT1], 1) + "/" + TextFormat.Fixed(d[_m.FT1Sp], 1)
                + " span2=" + TextFormat.Fixed(d[_m.FT2], 1) + "/" + TextFormat.Fixed(d[_m.FT2Sp], 1));
            ctx.WriteLine("torqueNm unwind=" + TextFormat.Fixed(d[_m.FTorqueU], 2) + " rewind=" + TextFormat.Fixed(d[_m.FTorqueR], 2)
                + " radiusMm unwind=" + TextFormat.Fixed(d[_m.FRadiusU] * 1e3, 2) + " rewind=" + TextFormat.Fixed(d[_m.FRadiusR] * 1e3, 2));
            int roll = _copy.Ints[_m.FTuneRoll];
            ctx.WriteLine("autotune " + (_copy.Bools[_m.FTuneActive] ? "running on " + (roll == 0 ? "unwind" : "rewind") : (_copy.Bools[_m.FTuneDone] ? "done" : "idle"))
                + (_copy.Bools[_m.FTuneDone] ? " sane=" + (_copy.Bools[_m.FTuneSane] ? "yes" : "no reason=" + _copy.Ints[_m.FTuneFail].ToString())
                + " tuS=" + TextFormat.Fixed(d[_m.FTuneTu], 4) + " aN=" + TextFormat.Fixed(d[_m.FTuneA], 2)
                + " kp=" + TextFormat.Fixed(d[_m.FTuneKp], 5) + " tiS=" + TextFormat.Fixed(d[_m.FTuneTi], 4) : ""));
            return true;
        }

        internal static string StateName(WebState s)
        {
            switch (s)
            {
                case WebState.Idle: return "Idle";
                case WebState.Thread: return "Thread";
                case WebState.Run: return "Run";
                case WebState.Stopping: return "Stopping";
                case WebState.FaultStop: return "FaultStop";
                default: return "?";
            }
        }

        private static string Hex(int v)
        {
            const string digits = "0123456789abcdef";
            string s = "";
            do { s = digits[v & 15] + s; v = (int)((uint)v >> 4); } while (v != 0);
            return s;
        }

        /// <summary>One status line for <c>status</c>.</summary>
        internal sealed class Status : IStatusProvider
        {
            private readonly WebTransportModule _m;
            private readonly ScanSnapshotCopy _copy;

            internal Status(WebTransportModule m)
            {
                _m = m;
                _copy = m.Runtime.Scan.Snapshot.CreateCopy();
            }

            public string Name { get { return "web"; } }

            public string GetStatus()
            {
                lock (_copy)
                {
                    if (!_m.ReadSnapshot(_copy)) return "state=unknown";
                    double[] d = _copy.Doubles;
                    return "state=" + StateName((WebState)(int)d[_m.FState]) + " speedMpm=" + TextFormat.Fixed(d[_m.FLineSpeed] * 60, 4)
                        + " span1N=" + TextFormat.Fixed(d[_m.FT1], 1) + " span2N=" + TextFormat.Fixed(d[_m.FT2], 1)
                        + " permit=" + (_copy.Bools[_m.FPermit] ? "on" : "off") + " faults=0x" + Hex(_copy.Ints[_m.FFaults]);
                }
            }
        }
    }
}
