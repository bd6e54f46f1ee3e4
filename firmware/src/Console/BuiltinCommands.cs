using Tfb.Codes;
using Tfb.Logging;
using Tfb.Settings;
using Tfb.Text;

namespace Tfb.Shell
{
    /// <summary>The console's built-in commands (one handler class, dispatched on <see cref="CommandDef.Tag"/>).</summary>
    internal sealed class BuiltinCommands : ICommandHandler
    {
        private const int Help = 1;
        private const int Info = 2;
        private const int Status = 3;
        private const int Whoami = 4;
        private const int Login = 5;
        private const int LogoutCmd = 6;
        private const int Passwd = 7;
        private const int SettingsList = 10;
        private const int SettingsGet = 11;
        private const int SettingsSet = 12;
        private const int SettingsSave = 13;
        private const int SettingsDefaults = 14;
        private const int SettingsDump = 15;
        private const int SettingsSetExact = 16;
        private const int AlarmsActive = 20;
        private const int AlarmsHistory = 21;
        private const int AlarmsReset = 22;
        private const int Events = 30;

        /// <summary>Default number of records shown by <c>alarms history</c> and <c>events</c>.</summary>
        private const int DefaultRecords = 10;

        private const string Masked = "****";

        internal static void RegisterAll(ShellCore shell)
        {
            BuiltinCommands h = new BuiltinCommands();
            CommandRegistry r = shell.Commands;
            AccessLevel op = AccessLevel.Operator;
            AccessLevel tech = AccessLevel.Technician;
            AccessLevel eng = AccessLevel.Engineer;
            r.Register(CommandDef.Create("help", "[command]", "List commands, or show one command or group", 0, CommandRegistry.MaxNameWords, op, false, h, Help));
            r.Register(CommandDef.Create("info", "", "Firmware version, build, board, capabilities, asset id", 0, 0, op, false, h, Info));
            r.Register(CommandDef.Create("status", "", "One line per status provider", 0, 0, op, false, h, Status));
            r.Register(CommandDef.Create("whoami", "", "This session's number and access level", 0, 0, op, false, h, Whoami));
            r.Register(CommandDef.Create("login", "<technician|engineer>", "Raise this session's level; asks for the password without echo", 1, 1, op, false, h, Login));
            r.Register(CommandDef.Create("logout", "", "Back to operator level", 0, 0, op, false, h, LogoutCmd));
            r.Register(CommandDef.Create("passwd", "<technician|engineer>", "Set a level's password (asked twice without echo; settings save keeps it)", 1, 1, eng, false, h, Passwd));
            r.Register(CommandDef.Create("settings list", "[prefix]", "Name, value, unit, range, write level and flags; secrets masked", 0, 1, op, false, h, SettingsList));
            r.Register(CommandDef.Create("settings get", "<name>", "One setting's value", 1, 1, op, false, h, SettingsGet));
            r.Register(CommandDef.Create("settings set", "<name> <value>", "Change a setting in RAM (needs the setting's write level)", 2, 2, op, false, h, SettingsSet));
            r.Register(CommandDef.Create("settings save", "", "Commit settings to non-volatile storage", 0, 0, tech, false, h, SettingsSave));
            r.Register(CommandDef.Create("settings defaults", "[prefix]", "Reset settings (all, or those starting with prefix) to defaults in RAM", 0, 1, tech, true, h, SettingsDefaults));
            r.Register(CommandDef.Create("settings dump", "[prefix]", "Replayable 'settings set' lines; secrets only for engineers", 0, 1, op, false, h, SettingsDump));
            r.Register(CommandDef.Create("settings setexact", "<name> <hex16>", "Set a numeric setting to exact IEEE-754 bits (lines of dump and backup)", 2, 2, op, false, h, SettingsSetExact));
            r.Register(CommandDef.Create("alarms", "", "Active alarms with their age", 0, 0, op, false, h, AlarmsActive));
            r.Register(CommandDef.Create("alarms history", "[n]", "The last n alarm raises and resets (default 10)", 0, 1, op, false, h, AlarmsHistory));
            r.Register(CommandDef.Create("alarms reset", "<code|all>", "Reset latched alarms whose condition is healthy", 1, 1, tech, false, h, AlarmsReset));
            r.Register(CommandDef.Create("events", "[n]", "The last n events (default 10)", 0, 1, op, false, h, Events));
        }

        public bool Execute(CommandContext ctx)
        {
            switch (ctx.Command.Tag)
            {
                case Help: return DoHelp(ctx);
                case Info: return DoInfo(ctx);
                case Status: return DoStatus(ctx);
                case Whoami:
                    ctx.WriteLine("session " + ctx.Session.Id + " " + ShellCore.LevelName(ctx.Level));
                    return true;
                case Login: return DoLogin(ctx);
                case LogoutCmd:
                    ctx.Session.Logout();
                    return true;
                case Passwd: return DoPasswd(ctx);
                case SettingsList: return DoSettingsList(ctx);
                case SettingsGet: return DoSettingsGet(ctx);
                case SettingsSet: return DoSettingsSet(ctx);
                case SettingsSave: return DoSettingsSave(ctx);
                case SettingsDefaults: return DoSettingsDefaults(ctx);
                case SettingsDump: return DoSettingsDump(ctx);
                case SettingsSetExact: return DoSettingsSetExact(ctx);
                case AlarmsActive: return DoAlarms(ctx);
                case AlarmsHistory: return DoLog(ctx, ctx.Core.Alarms.History, true);
                case AlarmsReset: return DoAlarmsReset(ctx);
                case Events: return DoLog(ctx, ctx.Core.Events, false);
                default: return ctx.Fail(ErrorCode.InternalError, null);
            }
        }

        // ---- help, info, status ----

        private static bool DoHelp(CommandContext ctx)
        {
            CommandRegistry r = ctx.Core.Commands;
            int n = ctx.ArgCount;
            string[] words = new string[n];
            for (int i = 0; i < n; i++) words[i] = ctx.Arg(i);
            int shown = 0;
            for (int i = 0; i < r.Count; i++)
            {
                CommandDef d = r.Get(i);
                if (n > 0 && !CommandRegistry.NameStartsWith(d, words, n)) continue;
                shown++;
                if (n > 0 && d.Words.Length == n)
                {
                    // The exact command: its full description.
                    ctx.WriteLine("usage: " + Synopsis(d));
                    ctx.WriteLine("  " + d.Help);
                    ctx.WriteLine("  level: " + ShellCore.LevelName(d.Level) + (d.NeedsIdle ? ", needs the line idle" : ""));
                    continue;
                }
                string s = Synopsis(d);
                string line = "  " + s + Pad(s, 36) + d.Help;
                if (d.Level != AccessLevel.Operator) line += " [" + ShellCore.LevelName(d.Level) + "]";
                if (d.NeedsIdle) line += " [idle]";
                ctx.WriteLine(line);
            }
            if (shown == 0) return ctx.Fail(ErrorCode.UnknownCommand, "no command '" + JoinWords(words, n) + "'");
            if (n == 0)
            {
                ctx.WriteLine("real-time bytes: ? status, ! stop, ~ resume (technician), Ctrl-X cancel line + stop/reset");
            }
            return true;
        }

        private static bool DoInfo(CommandContext ctx)
        {
            BoardIdentity id = ctx.Core.Identity;
            if (id == null) return ctx.Fail(ErrorCode.NotSupported, "no board identity");
            ctx.WriteLine("firmware: " + Text(id.FirmwareVersion));
            ctx.WriteLine("build: " + Text(id.Build));
            ctx.WriteLine("board: " + Text(id.Board));
            ctx.WriteLine("capabilities: " + Text(id.Capabilities));
            ctx.WriteLine("asset: " + Text(id.AssetId));
            bool tech = ctx.Core.DefaultCredentialsInUse(AccessLevel.Technician);
            bool eng = ctx.Core.DefaultCredentialsInUse(AccessLevel.Engineer);
            ctx.WriteLine("credentials: " + (tech || eng ? "FACTORY DEFAULT" + (tech ? " technician" : "") + (eng ? " engineer" : "") : "changed"));
            return true;
        }

        private static bool DoStatus(CommandContext ctx)
        {
            ShellCore shell = ctx.Core;
            int n = shell.StatusProviderCount;
            if (n == 0) return ctx.Fail(ErrorCode.NotSupported, "no status providers");
            for (int i = 0; i < n; i++)
            {
                IStatusProvider p = shell.GetStatusProvider(i);
                string text;
                try { text = p.GetStatus(); }
                catch (System.Exception) { text = "error reading status"; }
                ctx.WriteLine(p.Name + ": " + text);
            }
            return true;
        }

        // ---- login ----

        private static bool DoLogin(CommandContext ctx)
        {
            AccessLevel level;
            if (!ShellCore.TryParseLevel(ctx.Arg(0), out level) || level == AccessLevel.Operator)
                return ctx.Fail(ErrorCode.LoginFailed, "unknown level (technician or engineer)");
            long lockedUs = ctx.Core.LockoutRemainingUs();
            if (lockedUs > 0)
                return ctx.Fail(ErrorCode.LoginFailed, "locked out after failed logins, retry in " + ((lockedUs + 999999) / 1000000) + " s");
            ctx.Session.BeginLoginPrompt(level);
            return true;
        }

        private static bool DoPasswd(CommandContext ctx)
        {
            AccessLevel level;
            if (!ShellCore.TryParseLevel(ctx.Arg(0), out level) || level == AccessLevel.Operator)
                return ctx.Fail(ErrorCode.BadArgument, "level must be technician or engineer");
            ctx.Session.BeginPasswordChange(level);
            return true;
        }

        // ---- settings ----

        private static bool DoSettingsList(CommandContext ctx)
        {
            SettingsRegistry s = ctx.Core.Settings;
            string prefix = ctx.ArgCount > 0 ? ctx.Arg(0) : "";
            int shown = 0;
            for (int i = 0; i < s.Count; i++)
            {
                SettingDef d = s.GetDef(i);
                if (!d.Name.StartsWith(prefix)) continue;
                shown++;
                string value = d.Secret ? Masked : ShellTokenizer.Quote(s.FormatValue(i));
                string line = d.Name + " = " + value;
                if (d.Unit.Length > 0) line += " " + d.Unit;
                line += "  " + RangeText(d) + " " + ShellCore.LevelName(d.WriteLevel);
                if (d.NeedsRestart) line += " restart";
                if (d.Secret) line += " secret";
                ctx.WriteLine(line);
            }
            if (shown == 0 && prefix.Length > 0) return ctx.Fail(ErrorCode.UnknownSetting, "no setting starts with '" + prefix + "'");
            return true;
        }

        private static bool DoSettingsGet(CommandContext ctx)
        {
            SettingsRegistry s = ctx.Core.Settings;
            int i = s.IndexOf(ctx.Arg(0));
            if (i < 0) return ctx.Fail(ErrorCode.UnknownSetting, null);
            SettingDef d = s.GetDef(i);
            bool reveal = !d.Secret || ctx.Level >= AccessLevel.Engineer;
            ctx.WriteLine(d.Name + " = " + (reveal ? ShellTokenizer.Quote(s.FormatValue(i)) : Masked) + (d.Unit.Length > 0 ? " " + d.Unit : ""));
            return true;
        }

        private static bool DoSettingsSet(CommandContext ctx)
        {
            ShellCore shell = ctx.Core;
            SettingsRegistry s = shell.Settings;
            int i = s.IndexOf(ctx.Arg(0));
            if (i < 0) return ctx.Fail(ErrorCode.UnknownSetting, null);
            SettingDef d = s.GetDef(i);
            if (ctx.Level < d.WriteLevel) return ctx.Fail(ErrorCode.AccessDenied, "needs " + ShellCore.LevelName(d.WriteLevel));
            string value = ctx.Arg(1);
            // A malformed credential would lock its level out for good: only the stored hash form is accepted.
            if ((i == shell.TechnicianAuthSetting || i == shell.EngineerAuthSetting) && !Credentials.IsWellFormed(value))
                return ctx.Fail(ErrorCode.BadArgument, "expects salt:sha256 in lower-case hex; use passwd");
            int version = s.Version;
            ErrorCode error;
            if (!s.TrySetFromText(i, value, out error))
            {
                if (error == ErrorCode.OutOfRange) return ctx.Fail(error, "allowed " + RangeText(d));
                return ctx.Fail(error, null);
            }
            // The registry bumps Version only on a real change; a change by another session in between can at worst
            // add one SettingChanged record for a value that was already set, never lose one.
            if (s.Version != version)
            {
                shell.Events.Add((int)EventCode.SettingChanged, i);
                if (d.NeedsRestart) ctx.WriteLine("restart needed for " + d.Name + " to take effect");
            }
            return true;
        }

        private static bool DoSettingsSave(CommandContext ctx)
        {
            ErrorCode error;
            if (!ctx.Core.SaveSettings(out error)) return ctx.Fail(error, null);
            if (ctx.Core.Settings.RestartPending) ctx.WriteLine("saved; some changes take effect after a restart");
            return true;
        }

        private static bool DoSettingsDefaults(CommandContext ctx)
        {
            ShellCore shell = ctx.Core;
            SettingsRegistry s = shell.Settings;
            string prefix = ctx.ArgCount > 0 ? ctx.Arg(0) : "";
            int matched = 0;
            for (int i = 0; i < s.Count; i++)
            {
                SettingDef d = s.GetDef(i);
                if (!d.Name.StartsWith(prefix)) continue;
                matched++;
                if (ctx.Level < d.WriteLevel)
                    return ctx.Fail(ErrorCode.AccessDenied, d.Name + " needs " + ShellCore.LevelName(d.WriteLevel) + "; nothing reset");
            }
            if (matched == 0) return ctx.Fail(ErrorCode.UnknownSetting, "no setting starts with '" + prefix + "'");
            int changed;
            lock (shell.StoreSync) { changed = s.ResetToDefaults(prefix); }
            shell.Events.Add((int)EventCode.SettingsDefaults, changed);
            ctx.WriteLine(changed + " settings reset to defaults in RAM; 'settings save' keeps them");
            return true;
        }

        private static bool DoSettingsDump(CommandContext ctx)
        {
            SettingsRegistry s = ctx.Core.Settings;
            string prefix = ctx.ArgCount > 0 ? ctx.Arg(0) : "";
            int shown = 0;
            for (int i = 0; i < s.Count; i++)
            {
                if (!s.GetDef(i).Name.StartsWith(prefix)) continue;
                shown++;
                WriteSettingLine(ctx, i);
            }
            if (shown == 0 && prefix.Length > 0) return ctx.Fail(ErrorCode.UnknownSetting, "no setting starts with '" + prefix + "'");
            return true;
        }

        /// <summary>
        /// Writes setting <paramref name="index"/> as the line that restores it exactly when replayed: <c>settings set</c>
        /// with the value, or <c>settings setexact</c> with the IEEE-754 bits when the decimal text would not parse
        /// back to the same double; a commented line for a secret below engineer level, or for a text value holding
        /// a real-time byte the console cannot carry. Used by <c>settings dump</c> and by <c>backup</c>.
        /// </summary>
        public static void WriteSettingLine(CommandContext ctx, int index)
        {
            SettingsRegistry s = ctx.Core.Settings;
            SettingDef d = s.GetDef(index);
            if (d.Secret && ctx.Level < AccessLevel.Engineer)
            {
                ctx.WriteLine("# settings set " + d.Name + " " + Masked + "   (secret: written only for engineers)");
                return;
            }
            if (d.Type == SettingType.Text)
            {
                string value = s.GetText(index);
                if (HasRealtimeChar(value))
                {
                    ctx.WriteLine("# settings set " + d.Name + " (value holds ? ! or ~, which the console cannot send; set it over MQTT)");
                    return;
                }
                ctx.WriteLine("settings set " + d.Name + " " + ShellTokenizer.Quote(value));
                return;
            }
            double v = s.GetNumber(index);
            if (d.Type == SettingType.Boolean || NumberText.RoundTrips(v)) ctx.WriteLine("settings set " + d.Name + " " + s.FormatValue(index));
            else ctx.WriteLine("settings setexact " + d.Name + " " + NumberText.FormatBits(v));
        }

        private static bool DoSettingsSetExact(CommandContext ctx)
        {
            SettingsRegistry s = ctx.Core.Settings;
            int i = s.IndexOf(ctx.Arg(0));
            if (i < 0) return ctx.Fail(ErrorCode.UnknownSetting, null);
            SettingDef d = s.GetDef(i);
            if (ctx.Level < d.WriteLevel) return ctx.Fail(ErrorCode.AccessDenied, "needs " + ShellCore.LevelName(d.WriteLevel));
            if (d.Type == SettingType.Text || d.Type == SettingType.Boolean) return ctx.Fail(ErrorCode.BadArgument, "setexact takes numeric settings only");
            double v;
            if (!NumberText.TryParseBits(ctx.Arg(1), out v)) return ctx.Fail(ErrorCode.BadArgument, "expects 16 hex digits of a finite double");
            int version = s.Version;
            ErrorCode error;
            if (!s.TrySetNumber(i, v, out error)) return ctx.Fail(error, null);
            if (s.Version != version) ctx.Core.Events.Add((int)EventCode.SettingChanged, i);
            return true;
        }

        // ---- alarms and events ----

        private static bool DoAlarms(CommandContext ctx)
        {
            AlarmLog log = ctx.Core.Alarms;
            long now = ctx.Core.Clock.NowMicros;
            int n = log.ActiveCount;
            int shown = 0;
            for (int i = 0; i < n; i++)
            {
                int code, detail;
                long sinceUs;
                if (!log.TryGetActive(i, out code, out detail, out sinceUs)) break;
                shown++;
                ctx.WriteLine("alarm " + code + " detail " + detail + " active " + Seconds(now - sinceUs) + " s");
            }
            if (shown == 0) ctx.WriteLine("no active alarms");
            return true;
        }

        private static bool DoLog(CommandContext ctx, LogRing ring, bool alarms)
        {
            int want = DefaultRecords;
            if (ctx.ArgCount > 0)
            {
                if (!NumberText.TryParseInt(ctx.Arg(0), out want)) return ctx.Fail(ErrorCode.BadArgument, "n must be a whole number");
                if (want < 1 || want > ring.Capacity) return ctx.Fail(ErrorCode.OutOfRange, "n must be 1.." + ring.Capacity);
            }
            int next = ring.NextSeq;
            int first = next - want;
            int oldest = ring.OldestSeq;
            if (first < oldest) first = oldest;
            int shown = 0;
            for (int seq = first; seq < next; seq++)
            {
                LogEntry e;
                if (!ring.TryGet(seq, out e)) continue;
                shown++;
                string what;
                if (alarms) what = e.Code >= 0 ? "raise " + e.Code + " detail " + e.Detail : "reset " + (-e.Code);
                else what = "event " + e.Code + " detail " + e.Detail;
                ctx.WriteLine("#" + e.Seq + " t=" + Seconds(e.TimeUs) + " s " + what);
            }
            if (shown == 0) ctx.WriteLine("no records");
            return true;
        }

        private static bool DoAlarmsReset(CommandContext ctx)
        {
            ShellCore shell = ctx.Core;
            IAlarmResetter resetter = shell.AlarmResetter;
            if (resetter == null) return ctx.Fail(ErrorCode.NotSupported, "no alarm reset hook");
            AlarmLog log = shell.Alarms;
            string arg = ctx.Arg(0);
            int[] codes;
            if (arg == "all")
            {
                int n = log.ActiveCount;
                int[] snapshot = new int[n];
                int got = 0;
                for (int i = 0; i < n; i++)
                {
                    int code, detail;
                    long since;
                    if (log.TryGetActive(i, out code, out detail, out since)) snapshot[got++] = code;
                }
                codes = new int[got];
                System.Array.Copy(snapshot, codes, got);
                if (got == 0)
                {
                    ctx.WriteLine("no active alarms");
                    return true;
                }
            }
            else
            {
                int code;
                if (!NumberText.TryParseInt(arg, out code) || code <= 0) return ctx.Fail(ErrorCode.BadArgument, "expects an alarm code or 'all'");
                if (!log.IsActive(code)) return ctx.Fail(ErrorCode.BadState, "alarm " + code + " is not active");
                codes = new int[] { code };
            }
            int failed = 0;
            ErrorCode firstError = ErrorCode.ConditionPresent;
            for (int i = 0; i < codes.Length; i++)
            {
                ErrorCode error;
                bool ok;
                try { ok = resetter.TryReset(codes[i], out error); }
                catch (System.Exception) { ok = false; error = ErrorCode.InternalError; }
                if (ok)
                {
                    shell.Events.Add((int)EventCode.AlarmReset, codes[i]);
                    ctx.WriteLine("alarm " + codes[i] + " reset");
                }
                else
                {
                    if (failed == 0) firstError = error;
                    failed++;
                    ctx.WriteLine("alarm " + codes[i] + " not reset: " + (int)error + " " + ShellCore.ErrorText(error));
                }
            }
            if (failed > 0)
            {
                if (codes.Length == 1) return ctx.Fail(firstError, null);
                return ctx.Fail(firstError, failed + " of " + codes.Length + " alarms not reset");
            }
            return true;
        }

        // ---- formatting ----

        private static string Synopsis(CommandDef d)
        {
            return d.Usage.Length > 0 ? d.Name + " " + d.Usage : d.Name;
        }

        private static string RangeText(SettingDef d)
        {
            switch (d.Type)
            {
                case SettingType.Boolean: return "[bool]";
                case SettingType.Text: return "[text " + NumberText.FormatReal(d.Min) + ".." + NumberText.FormatReal(d.Max) + " chars]";
                default: return "[" + NumberText.FormatReal(d.Min) + ".." + NumberText.FormatReal(d.Max) + "]";
            }
        }

        // Microseconds as seconds with millisecond resolution, e.g. 12.345.
        internal static string Seconds(long us)
        {
            bool negative = us < 0;
            if (negative) us = -us;
            long ms = us / 1000;
            long whole = ms / 1000;
            long frac = ms % 1000;
            string f = frac.ToString();
            while (f.Length < 3) f = "0" + f;
            return (negative ? "-" : "") + whole.ToString() + "." + f;
        }

        private static bool HasRealtimeChar(string value)
        {
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '?' || c == '!' || c == '~') return true;
            }
            return false;
        }

        private static string Pad(string s, int width)
        {
            return s.Length >= width ? " " : new string(' ', width - s.Length);
        }

        private static string Text(string s)
        {
            return s == null ? "" : s;
        }

        private static string JoinWords(string[] words, int n)
        {
            string s = "";
            for (int i = 0; i < n; i++) s += (i > 0 ? " " : "") + words[i];
            return s;
        }
    }
}
