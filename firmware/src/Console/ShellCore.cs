using System.Collections;
using System.Threading;
using Tfb.Codes;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Settings;

namespace Tfb.Shell
{
    /// <summary>
    /// The part of the technician console shared by every session of a board: the command registry with the
    /// built-in commands, the settings and logs they work on, the hooks into the line, credentials and the
    /// login rate limit. The composition root creates one; each serial link or TCP connection gets its own
    /// <see cref="ShellSession"/> over it.
    /// </summary>
    /// <remarks>
    /// Declares the console's own settings in the registry (so create it after the modules' settings and before
    /// <c>SettingsStore.Load</c>): <c>console.idleTimeoutS</c>, <c>console.auth.technician</c>,
    /// <c>console.auth.engineer</c>. Threading: every member may be called from several session threads.
    /// </remarks>
    public sealed class ShellCore
    {
        /// <summary>Consecutive failed logins (over all sessions) that start a lockout.</summary>
        public const int MaxLoginFailures = 5;
        /// <summary>How long logins are refused after <see cref="MaxLoginFailures"/> failures, microseconds.</summary>
        public const long LoginLockoutUs = 60L * 1000 * 1000;
        /// <summary>Password length limits.</summary>
        public const int MinPasswordLength = 4;
        /// <summary>Password length limits.</summary>
        public const int MaxPasswordLength = 64;
        /// <summary>Documented factory password of the technician level (flagged until changed).</summary>
        public const string DefaultTechnicianPassword = "tfb-tech";
        /// <summary>Documented factory password of the engineer level (flagged until changed).</summary>
        public const string DefaultEngineerPassword = "tfb-eng";

        // Fixed salts of the factory credentials, so their stored form is a constant a test can recompute.
        private const string DefaultTechnicianSalt = "5466622d54656368";
        private const string DefaultEngineerSalt = "5466622d456e6721";

        private readonly object _loginSync = new object();
        private readonly object _storeSync = new object();
        private readonly ArrayList _statusProviders = new ArrayList();
        private readonly System.Random _random;
        private int _loginFailures;
        private long _lockedUntilUs;
        private int _nextSessionId;

        /// <summary>Creates the shared console and registers the built-in commands.</summary>
        /// <param name="settings">The board's settings (the console declares its own three in it).</param>
        /// <param name="store">Persistence for <c>settings save</c>; null on a board without (then <c>save</c> says NotSupported).</param>
        /// <param name="alarms">The alarm log.</param>
        /// <param name="events">The event log the console writes logins, setting changes and stop/resume requests to.</param>
        /// <param name="clock">Monotonic time for ages, idle timeouts and lockouts.</param>
        /// <param name="identity">What <c>info</c> prints.</param>
        /// <param name="line">The hook into the scan for stop/resume/reset and the idle query; null refuses them.</param>
        /// <param name="alarmResetter">The hook that resets alarms through their owners; null refuses resets.</param>
        public ShellCore(SettingsRegistry settings, SettingsStore store, AlarmLog alarms, LogRing events, IClock clock,
            BoardIdentity identity, ILineControl line, IAlarmResetter alarmResetter)
        {
            Settings = settings;
            Store = store;
            Alarms = alarms;
            Events = events;
            Clock = clock;
            Identity = identity;
            Line = line;
            AlarmResetter = alarmResetter;
            Commands = new CommandRegistry();
            _random = new System.Random((int)(clock.NowMicros & 0x7FFFFFFF));

            SettingDef idle = SettingDef.Number("console.idleTimeoutS", "s", SettingType.Integer, 30, 86400, 600,
                AccessLevel.Engineer, "Console sessions above operator drop to operator after this long without input");
            IdleTimeoutSetting = settings.Add(idle);
            TechnicianAuthSetting = settings.Add(AuthDef("console.auth.technician",
                Credentials.Format(DefaultTechnicianSalt, DefaultTechnicianPassword), "Technician login (salt:sha256); change with passwd"));
            EngineerAuthSetting = settings.Add(AuthDef("console.auth.engineer",
                Credentials.Format(DefaultEngineerSalt, DefaultEngineerPassword), "Engineer login (salt:sha256); change with passwd"));

            BuiltinCommands.RegisterAll(this);
        }

        /// <summary>The command registry: station modules register their commands here at startup.</summary>
        public CommandRegistry Commands { get; private set; }
        /// <summary>The board's settings.</summary>
        public SettingsRegistry Settings { get; private set; }
        /// <summary>Settings persistence, or null.</summary>
        public SettingsStore Store { get; private set; }
        /// <summary>The alarm log.</summary>
        public AlarmLog Alarms { get; private set; }
        /// <summary>The event log.</summary>
        public LogRing Events { get; private set; }
        /// <summary>Monotonic clock.</summary>
        public IClock Clock { get; private set; }
        /// <summary>Board identity for <c>info</c>.</summary>
        public BoardIdentity Identity { get; private set; }
        /// <summary>Line hook, or null.</summary>
        public ILineControl Line { get; private set; }
        /// <summary>Alarm reset hook, or null.</summary>
        public IAlarmResetter AlarmResetter { get; private set; }
        /// <summary>Index of <c>console.idleTimeoutS</c>.</summary>
        public int IdleTimeoutSetting { get; private set; }
        /// <summary>Index of <c>console.auth.technician</c>.</summary>
        public int TechnicianAuthSetting { get; private set; }
        /// <summary>Index of <c>console.auth.engineer</c>.</summary>
        public int EngineerAuthSetting { get; private set; }

        /// <summary>Adds a contributor to the status report (startup).</summary>
        public void AddStatusProvider(IStatusProvider provider)
        {
            if (provider == null) throw new System.ArgumentNullException("provider");
            lock (_statusProviders) { _statusProviders.Add(provider); }
        }

        /// <summary>Number of status providers.</summary>
        public int StatusProviderCount { get { lock (_statusProviders) { return _statusProviders.Count; } } }

        /// <summary>Status provider <paramref name="index"/>.</summary>
        public IStatusProvider GetStatusProvider(int index)
        {
            lock (_statusProviders) { return (IStatusProvider)_statusProviders[index]; }
        }

        /// <summary>True while the level's password is still the documented factory one (boot banner and <c>info</c> warn).</summary>
        public bool DefaultCredentialsInUse(AccessLevel level)
        {
            int index = AuthSettingOf(level);
            if (index < 0) return false;
            return Settings.GetText(index) == Settings.GetDef(index).DefaultText;
        }

        /// <summary>The idle timeout now, microseconds.</summary>
        public long IdleTimeoutUs
        {
            get { return (long)Settings.GetInt(IdleTimeoutSetting) * 1000 * 1000; }
        }

        /// <summary>Index of the credential setting of <paramref name="level"/>, or -1 for operator.</summary>
        public int AuthSettingOf(AccessLevel level)
        {
            if (level == AccessLevel.Technician) return TechnicianAuthSetting;
            if (level == AccessLevel.Engineer) return EngineerAuthSetting;
            return -1;
        }

        /// <summary>Microseconds left of a login lockout, 0 when logins are allowed.</summary>
        public long LockoutRemainingUs()
        {
            long now = Clock.NowMicros;
            lock (_loginSync)
            {
                return _lockedUntilUs > now ? _lockedUntilUs - now : 0;
            }
        }

        /// <summary>
        /// Checks a password for <paramref name="level"/>, counts failures and starts the lockout; logs
        /// <see cref="EventCode.Login"/> or <see cref="EventCode.LoginFailed"/> (detail: level).
        /// </summary>
        internal bool CheckLogin(AccessLevel level, string password)
        {
            int index = AuthSettingOf(level);
            bool ok = index >= 0 && Credentials.Verify(Settings.GetText(index), password);
            lock (_loginSync)
            {
                if (ok)
                {
                    _loginFailures = 0;
                }
                else
                {
                    _loginFailures++;
                    if (_loginFailures >= MaxLoginFailures)
                    {
                        _lockedUntilUs = Clock.NowMicros + LoginLockoutUs;
                        _loginFailures = 0;
                    }
                }
            }
            Events.Add(ok ? (int)EventCode.Login : (int)EventCode.LoginFailed, (int)level);
            return ok;
        }

        /// <summary>Stores a new password for <paramref name="level"/> under a fresh salt (RAM; <c>settings save</c> commits it).</summary>
        internal bool SetPassword(AccessLevel level, string password, out ErrorCode error)
        {
            int index = AuthSettingOf(level);
            if (index < 0) { error = ErrorCode.BadArgument; return false; }
            string salt;
            lock (_loginSync)
            {
                byte[] s = new byte[Credentials.SaltBytes];
                for (int i = 0; i < s.Length; i++) s[i] = (byte)_random.Next(256);
                // Mix the clock in so two boards with the same seed history still differ.
                long now = Clock.NowMicros;
                for (int i = 0; i < 8 && i < s.Length; i++) s[i] ^= (byte)(now >> (8 * i));
                salt = Credentials.ToHex(s, 0, s.Length);
            }
            int version = Settings.Version;
            if (!Settings.TrySetText(index, Credentials.Format(salt, password), out error)) return false;
            if (Settings.Version != version) Events.Add((int)EventCode.SettingChanged, index);
            return true;
        }

        /// <summary>Saves settings (serialized over sessions: the store is single-threaded).</summary>
        internal bool SaveSettings(out ErrorCode error)
        {
            if (Store == null) { error = ErrorCode.NotSupported; return false; }
            lock (_storeSync) { return Store.Save(out error); }
        }

        internal object StoreSync { get { return _storeSync; } }

        internal int NextSessionId()
        {
            return Interlocked.Increment(ref _nextSessionId);
        }

        /// <summary>The one-line status report: <c>&lt;name:status|name:status&gt;</c>.</summary>
        public string FormatStatusReport()
        {
            int n = StatusProviderCount;
            if (n == 0) return "<no status providers>";
            string s = "<";
            for (int i = 0; i < n; i++)
            {
                IStatusProvider p = GetStatusProvider(i);
                string text;
                try { text = p.GetStatus(); }
                catch (System.Exception) { text = "error"; }
                if (i > 0) s += "|";
                s += p.Name + ":" + text;
            }
            return s + ">";
        }

        /// <summary>Lower-case name of a level, as typed in <c>login</c>.</summary>
        public static string LevelName(AccessLevel level)
        {
            switch (level)
            {
                case AccessLevel.Operator: return "operator";
                case AccessLevel.Technician: return "technician";
                case AccessLevel.Engineer: return "engineer";
                default: return "unknown";
            }
        }

        /// <summary>Parses a level name.</summary>
        public static bool TryParseLevel(string text, out AccessLevel level)
        {
            level = AccessLevel.Operator;
            if (text == "operator") return true;
            if (text == "technician") { level = AccessLevel.Technician; return true; }
            if (text == "engineer") { level = AccessLevel.Engineer; return true; }
            return false;
        }

        /// <summary>The standard text of an error code for <c>error:&lt;code&gt; &lt;text&gt;</c>.</summary>
        public static string ErrorText(ErrorCode code)
        {
            switch (code)
            {
                case ErrorCode.UnknownCommand: return "unknown command";
                case ErrorCode.BadArgumentCount: return "bad argument count";
                case ErrorCode.BadArgument: return "bad argument";
                case ErrorCode.LineTooLong: return "line too long";
                case ErrorCode.AccessDenied: return "access denied";
                case ErrorCode.NotIdle: return "line not idle";
                case ErrorCode.UnknownSetting: return "unknown setting";
                case ErrorCode.OutOfRange: return "out of range";
                case ErrorCode.ReadOnly: return "read only";
                case ErrorCode.StorageFailed: return "storage failed";
                case ErrorCode.LoginFailed: return "login failed";
                case ErrorCode.Busy: return "busy";
                case ErrorCode.InterlockActive: return "interlock active";
                case ErrorCode.BadState: return "bad state";
                case ErrorCode.NotSupported: return "not supported";
                case ErrorCode.InternalError: return "internal error";
                case ErrorCode.ConditionPresent: return "condition present";
                default: return "error";
            }
        }

        private static SettingDef AuthDef(string name, string defaultText, string help)
        {
            SettingDef d = SettingDef.Text(name, Credentials.FormattedLength, defaultText, AccessLevel.Engineer, help);
            d.Min = Credentials.FormattedLength;
            d.Secret = true;
            return d;
        }
    }
}
