using System.Threading;
using Tfb.Codes;
using Tfb.Hal;
using Tfb.Settings;

namespace Tfb.Shell
{
    /// <summary>
    /// One technician console over one byte stream: line editing, real-time bytes, command dispatch, its own
    /// access level, login prompts and idle timeout. See docs/console.md for the protocol.
    /// </summary>
    /// <remarks>
    /// Drive it either with <see cref="Run"/> on its own thread (tier T2, below the scan's priority) or by calling
    /// <see cref="Feed"/> and <see cref="Poll"/> from one thread (tests, fuzzers, a host multiplexer). A session is
    /// not thread-safe itself; any number of sessions may share one <see cref="ShellCore"/>.
    /// Every complete line gets exactly one final answer (<c>ok</c> or <c>error:&lt;code&gt; &lt;text&gt;</c>),
    /// except that the answer to <c>login</c>/<c>passwd</c> comes after the hidden password line(s), which get none.
    /// </remarks>
    public sealed class ShellSession
    {
        /// <summary>Default maximum line length, characters (without the end of line).</summary>
        public const int DefaultMaxLineLength = 120;
        /// <summary>Most words in a line (command name words + arguments).</summary>
        public const int MaxWords = 16;
        /// <summary>
        /// A password line arriving this long after its prompt is refused (consumed hidden, never run as a command,
        /// so a late password is not echoed back in an "unknown command" answer), microseconds.
        /// </summary>
        public const long PromptTimeoutUs = 60L * 1000 * 1000;

        /// <summary>Real-time byte: one status line.</summary>
        public const byte StatusByte = (byte)'?';
        /// <summary>Real-time byte: controlled stop (any level).</summary>
        public const byte StopByte = (byte)'!';
        /// <summary>Real-time byte: resume (technician or above).</summary>
        public const byte ResumeByte = (byte)'~';
        /// <summary>Real-time byte Ctrl-X: cancel the partial line and prompt, request stop (+ alarm reset attempt at technician or above).</summary>
        public const byte ResetByte = 0x18;

        /// <summary>Event detail of <see cref="EventCode.StopRequested"/> for the '!' byte.</summary>
        public const int StopDetailByte = 1;
        /// <summary>Event detail of <see cref="EventCode.StopRequested"/> for Ctrl-X.</summary>
        public const int StopDetailReset = 2;
        /// <summary>Event detail of <see cref="EventCode.Logout"/> for the logout command.</summary>
        public const int LogoutDetailCommand = 0;
        /// <summary>Event detail of <see cref="EventCode.Logout"/> for the idle timeout.</summary>
        public const int LogoutDetailIdle = 1;
        /// <summary>Event detail of <see cref="EventCode.Logout"/> for a closed link.</summary>
        public const int LogoutDetailLinkClosed = 2;

        private const int PromptNone = 0;
        private const int PromptLogin = 1;
        private const int PromptNewPassword = 2;
        private const int PromptRepeatPassword = 3;

        private static readonly byte[] s_crlf = { 13, 10 };
        private static readonly byte[] s_backspace = { 8, 32, 8 };
        private static readonly byte[] s_bell = { 7 };

        private readonly ShellCore _shell;
        private readonly ISerialLink _link;
        private readonly char[] _line;
        private readonly string[] _words = new string[MaxWords];
        private readonly byte[] _out = new byte[128];
        private readonly CommandContext _ctx;
        private int _length;
        private bool _overflow;
        private bool _badByte;
        private bool _lastWasCr;
        private long _lastInputUs;
        private int _prompt;
        private AccessLevel _promptLevel;
        private long _promptStartUs;
        private string _newPassword;
        private int _stopRun;
        private ISessionActivity _activity;

        /// <summary>Creates a session at operator level.</summary>
        /// <param name="shell">The shared console.</param>
        /// <param name="link">The byte stream; written from the thread that feeds this session.</param>
        /// <param name="echo">Echo typed characters (people at a terminal); off for scripts.</param>
        /// <param name="maxLineLength">Longest line accepted, characters (16-1024).</param>
        public ShellSession(ShellCore shell, ISerialLink link, bool echo, int maxLineLength)
        {
            if (shell == null) throw new System.ArgumentNullException("shell");
            if (link == null) throw new System.ArgumentNullException("link");
            if (maxLineLength < 16 || maxLineLength > 1024) throw new System.ArgumentOutOfRangeException("maxLineLength");
            _shell = shell;
            _link = link;
            Echo = echo;
            _line = new char[maxLineLength];
            _ctx = new CommandContext(this);
            Id = shell.NextSessionId();
            Level = AccessLevel.Operator;
            _lastInputUs = shell.Clock.NowMicros;
        }

        /// <summary>The shared console.</summary>
        public ShellCore Core { get { return _shell; } }

        /// <summary>Session number (1, 2, ... per shell), for <c>whoami</c>.</summary>
        public int Id { get; private set; }

        /// <summary>Current access level.</summary>
        public AccessLevel Level { get; private set; }

        /// <summary>Echo typed characters back.</summary>
        public bool Echo { get; set; }

        /// <summary>Complete lines received (password lines included).</summary>
        public int LinesReceived { get; private set; }

        /// <summary>Final answers written (<c>ok</c> + <c>error:</c>).</summary>
        public int FinalAnswers { get; private set; }

        /// <summary>True while a hidden password line is awaited.</summary>
        public bool PromptPending { get { return _prompt != PromptNone; } }

        /// <summary>Writes the greeting and any default-credential warning (a terminal sees it on connect).</summary>
        public void Start()
        {
            BoardIdentity id = _shell.Identity;
            WriteInfoLine("TfbFirmware " + (id != null ? id.FirmwareVersion + " " + id.Board : "") + " console; 'help' lists commands");
            WriteCredentialWarnings();
        }

        /// <summary>
        /// Reads and serves the link until it closes or <see cref="RequestExit"/> is called. Run it on a
        /// dedicated T2 thread; it wakes at least every 250 ms for the idle timeout.
        /// </summary>
        public void Run()
        {
            byte[] buffer = new byte[64];
            Start();
            while (Interlocked.CompareExchange(ref _stopRun, 0, 0) == 0)
            {
                int n = _link.Read(buffer, 0, buffer.Length, 250);
                if (n < 0) break;
                if (n > 0) Feed(buffer, 0, n);
                Poll();
            }
            if (_activity != null)
            {
                ISessionActivity a = _activity;
                _activity = null;
                try { a.Cancel(); }
                catch (System.Exception) { }
            }
            if (Level != AccessLevel.Operator)
            {
                Level = AccessLevel.Operator;
                _shell.Events.Add((int)EventCode.Logout, LogoutDetailLinkClosed);
            }
        }

        /// <summary>Makes <see cref="Run"/> return after its current read (any thread).</summary>
        public void RequestExit()
        {
            Interlocked.Exchange(ref _stopRun, 1);
        }

        /// <summary>Checks the idle timeout (call periodically when feeding by hand).</summary>
        public void Poll()
        {
            long now = _shell.Clock.NowMicros;
            if (Level != AccessLevel.Operator && now - _lastInputUs >= _shell.IdleTimeoutUs)
            {
                Level = AccessLevel.Operator;
                _shell.Events.Add((int)EventCode.Logout, LogoutDetailIdle);
                WriteInfoLine("[logged out: idle timeout]");
                if (_activity != null) CancelActivity(ErrorCode.AccessDenied, "logged out");
            }
            if (_activity != null) PollActivity(now);
        }

        /// <summary>True while a command started with <see cref="CommandContext.BeginActivity"/> is still running.</summary>
        public bool ActivityRunning { get { return _activity != null; } }

        /// <summary>Processes received bytes: real-time bytes at once, the rest into the line editor.</summary>
        /// <remarks>Never throws for any byte values; every one is handled. A range outside the buffer is a caller defect and throws.</remarks>
        public void Feed(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset + count > buffer.Length)
                throw new System.ArgumentOutOfRangeException("count");
            if (count == 0) return;
            // A session left alone past its timeout drops to operator before it looks at the new input.
            Poll();
            _lastInputUs = _shell.Clock.NowMicros;
            for (int i = offset; i < offset + count; i++) FeedByte(buffer[i]);
        }

        private void FeedByte(byte b)
        {
            switch (b)
            {
                case StatusByte: RealtimeStatus(); return;
                case StopByte: RealtimeStop(); return;
                case ResumeByte: RealtimeResume(); return;
                case ResetByte: RealtimeReset(); return;
            }
            if (b == 10 && _lastWasCr)
            {
                _lastWasCr = false;
                return;
            }
            _lastWasCr = b == 13;
            if (b == 13 || b == 10)
            {
                if (Echo) WriteBytes(s_crlf, 2);
                EndOfLine();
                return;
            }
            if (b == 8 || b == 127)
            {
                if (_length > 0 && !_overflow)
                {
                    _length--;
                    if (Echo && ShowTyping) WriteBytes(s_backspace, 3);
                }
                return;
            }
            if (b < 32 || b > 126)
            {
                _badByte = true;
                if (Echo) WriteBytes(s_bell, 1);
                return;
            }
            if (_length < _line.Length)
            {
                _line[_length++] = (char)b;
                if (Echo && ShowTyping && !_overflow)
                {
                    _out[0] = b;
                    _link.Write(_out, 0, 1);
                }
            }
            else
            {
                _overflow = true;
            }
        }

        private void EndOfLine()
        {
            LinesReceived++;
            bool overflow = _overflow;
            bool bad = _badByte;
            string text = overflow || bad ? null : new string(_line, 0, _length);
            ClearLine();
            if (_prompt != PromptNone)
            {
                HandlePromptLine(text, overflow, bad);
                return;
            }
            if (_activity != null)
            {
                ActivityLine(text);
                return;
            }
            if (overflow) { WriteError(ErrorCode.LineTooLong, null); return; }
            if (bad) { WriteError(ErrorCode.BadArgument, "non-printable byte in line"); return; }
            Execute(text);
        }

        private void Execute(string text)
        {
            int start = 0;
            while (start < text.Length && text[start] == ' ') start++;
            // Empty lines and comments answer ok (Grbl does the same): scripts sync on them, dumps carry comments.
            if (start == text.Length || text[start] == '#') { WriteOk(); return; }

            int count;
            ErrorCode error;
            string errorText;
            if (!ShellTokenizer.TryTokenize(text, _words, out count, out error, out errorText))
            {
                WriteError(error, errorText);
                return;
            }
            int nameWords;
            CommandDef def = _shell.Commands.Find(_words, count, out nameWords);
            if (def == null)
            {
                if (_shell.Commands.IsGroup(_words, 1))
                    WriteError(ErrorCode.UnknownCommand, "'" + Printable(_words[0]) + "' needs a subcommand, see help " + Printable(_words[0]));
                else
                    WriteError(ErrorCode.UnknownCommand, "unknown command '" + Printable(_words[0]) + "', see help");
                return;
            }
            int args = count - nameWords;
            if (args < def.MinArgs || args > def.MaxArgs)
            {
                WriteError(ErrorCode.BadArgumentCount, "usage: " + def.Name + (def.Usage.Length > 0 ? " " + def.Usage : ""));
                return;
            }
            if (Level < def.Level)
            {
                WriteError(ErrorCode.AccessDenied, "needs " + ShellCore.LevelName(def.Level));
                return;
            }
            if (def.NeedsIdle && !LineIsIdle())
            {
                WriteError(ErrorCode.NotIdle, null);
                return;
            }
            _ctx.Begin(def, _words, nameWords, args);
            bool ok;
            try
            {
                ok = def.Handler.Execute(_ctx);
            }
            catch (System.Exception)
            {
                ok = false;
                _ctx.Error = ErrorCode.InternalError;
                _ctx.ErrorText = null;
                _ctx.Deferred = false;
                _activity = null;
            }
            for (int i = 0; i < _words.Length; i++) _words[i] = null;
            if (_ctx.Deferred) return;
            if (ok) WriteOk();
            else WriteError(_ctx.Error, _ctx.ErrorText);
        }

        private bool LineIsIdle()
        {
            ILineControl line = _shell.Line;
            if (line == null) return false;
            try { return line.IsIdle; }
            catch (System.Exception) { return false; }
        }

        // ---- login / passwd prompts (called by the built-in handlers) ----

        internal void BeginLoginPrompt(AccessLevel level)
        {
            StartPrompt(PromptLogin, level);
            WriteInfoLine("password:");
        }

        internal void BeginPasswordChange(AccessLevel level)
        {
            StartPrompt(PromptNewPassword, level);
            WriteInfoLine("new " + ShellCore.LevelName(level) + " password:");
        }

        internal void Logout()
        {
            if (Level == AccessLevel.Operator) return;
            Level = AccessLevel.Operator;
            _shell.Events.Add((int)EventCode.Logout, LogoutDetailCommand);
        }

        private void StartPrompt(int kind, AccessLevel level)
        {
            _prompt = kind;
            _promptLevel = level;
            _promptStartUs = _shell.Clock.NowMicros;
            _newPassword = null;
            _ctx.Deferred = true;
        }

        // ---- activities (commands that run on after their handler returned) ----

        internal void BeginActivity(ISessionActivity activity)
        {
            _activity = activity;
            _ctx.Deferred = true;
        }

        private void ActivityLine(string text)
        {
            ISessionActivity a = _activity;
            _ctx.ResetResult();
            bool ok;
            bool more;
            try { more = a.OnLine(_ctx, text, out ok); }
            catch (System.Exception) { more = false; ok = false; _ctx.ResetResult(); }
            if (!more) FinishActivity(ok);
        }

        private void PollActivity(long nowUs)
        {
            ISessionActivity a = _activity;
            _ctx.ResetResult();
            bool ok;
            bool more;
            try { more = a.OnPoll(_ctx, nowUs, out ok); }
            catch (System.Exception) { more = false; ok = false; _ctx.ResetResult(); }
            if (!more) FinishActivity(ok);
        }

        private void FinishActivity(bool ok)
        {
            _activity = null;
            if (ok) WriteOk();
            else WriteError(_ctx.Error, _ctx.ErrorText);
        }

        private void CancelActivity(ErrorCode code, string text)
        {
            ISessionActivity a = _activity;
            _activity = null;
            try { a.Cancel(); }
            catch (System.Exception) { }
            WriteError(code, text);
        }

        private void EndPrompt()
        {
            _prompt = PromptNone;
            _newPassword = null;
        }

        private void HandlePromptLine(string text, bool overflow, bool bad)
        {
            int kind = _prompt;
            AccessLevel level = _promptLevel;
            if (_shell.Clock.NowMicros - _promptStartUs >= PromptTimeoutUs)
            {
                EndPrompt();
                WriteError(ErrorCode.LoginFailed, "password prompt timed out");
                return;
            }
            if (overflow || bad)
            {
                EndPrompt();
                WriteError(overflow ? ErrorCode.LineTooLong : ErrorCode.BadArgument, overflow ? null : "non-printable byte in password");
                return;
            }
            if (kind == PromptLogin)
            {
                EndPrompt();
                if (_shell.CheckLogin(level, text))
                {
                    Level = level;
                    if (_shell.DefaultCredentialsInUse(level))
                        WriteInfoLine("[warning: factory " + ShellCore.LevelName(level) + " password in use, change it with passwd]");
                    WriteOk();
                }
                else
                {
                    WriteError(ErrorCode.LoginFailed, null);
                }
                return;
            }
            if (kind == PromptNewPassword)
            {
                if (text.Length < ShellCore.MinPasswordLength || text.Length > ShellCore.MaxPasswordLength)
                {
                    EndPrompt();
                    WriteError(ErrorCode.BadArgument, "password needs " + ShellCore.MinPasswordLength + "-" + ShellCore.MaxPasswordLength + " characters");
                    return;
                }
                _newPassword = text;
                _prompt = PromptRepeatPassword;
                WriteInfoLine("repeat password:");
                return;
            }
            string first = _newPassword;
            EndPrompt();
            if (first != text)
            {
                WriteError(ErrorCode.BadArgument, "passwords differ, nothing changed");
                return;
            }
            ErrorCode error;
            if (!_shell.SetPassword(level, text, out error))
            {
                WriteError(error, null);
                return;
            }
            WriteInfoLine(ShellCore.LevelName(level) + " password changed in RAM; 'settings save' keeps it");
            WriteOk();
        }

        // ---- real-time bytes ----

        private void RealtimeStatus()
        {
            WriteLineBreakIfEditing();
            WriteInfoLine(_shell.FormatStatusReport());
            RedisplayLine();
        }

        private void RealtimeStop()
        {
            WriteLineBreakIfEditing();
            ErrorCode error;
            if (CallLine(0, out error))
            {
                _shell.Events.Add((int)EventCode.StopRequested, StopDetailByte);
                WriteInfoLine("[stop requested]");
            }
            else
            {
                WriteInfoLine("[stop refused: " + (int)error + " " + ShellCore.ErrorText(error) + "]");
            }
            RedisplayLine();
        }

        private void RealtimeResume()
        {
            WriteLineBreakIfEditing();
            ErrorCode error;
            if (Level < AccessLevel.Technician)
            {
                error = ErrorCode.AccessDenied;
                WriteInfoLine("[resume refused: " + (int)error + " needs technician]");
            }
            else if (CallLine(1, out error))
            {
                _shell.Events.Add((int)EventCode.ResumeRequested, 1);
                WriteInfoLine("[resume requested]");
            }
            else
            {
                WriteInfoLine("[resume refused: " + (int)error + " " + ShellCore.ErrorText(error) + "]");
            }
            RedisplayLine();
        }

        private void RealtimeReset()
        {
            bool hadLine = _length > 0 || _overflow || _badByte;
            ClearLine();
            _lastWasCr = false;
            if (Echo && hadLine) WriteBytes(s_crlf, 2);
            if (_prompt != PromptNone)
            {
                EndPrompt();
                WriteError(ErrorCode.LoginFailed, "cancelled");
            }
            if (_activity != null) CancelActivity(ErrorCode.BadState, "cancelled");
            // The alarm-reset half of Ctrl-X needs the level that may reset alarms; below it Ctrl-X only stops.
            bool withReset = Level >= AccessLevel.Technician;
            ErrorCode error;
            if (CallLine(withReset ? 2 : 0, out error))
            {
                _shell.Events.Add((int)EventCode.StopRequested, StopDetailReset);
                WriteInfoLine(withReset ? "[reset requested]" : "[stop requested]");
            }
            else
            {
                WriteInfoLine("[reset refused: " + (int)error + " " + ShellCore.ErrorText(error) + "]");
            }
        }

        // 0 stop, 1 resume, 2 reset; a missing hook or a throwing one refuses.
        private bool CallLine(int what, out ErrorCode error)
        {
            ILineControl line = _shell.Line;
            if (line == null) { error = ErrorCode.NotSupported; return false; }
            try
            {
                if (what == 0) return line.RequestStop(out error);
                if (what == 1) return line.RequestResume(out error);
                return line.RequestReset(out error);
            }
            catch (System.Exception)
            {
                error = ErrorCode.InternalError;
                return false;
            }
        }

        // Typed characters are echoed except at a password prompt or in an activity that hides its input.
        private bool ShowTyping
        {
            get { return _prompt == PromptNone && (_activity == null || !_activity.HidesInput); }
        }

        // With echo on, a status line must not land in the middle of the typed text: break the line first.
        private void WriteLineBreakIfEditing()
        {
            if (Echo && ShowTyping && _length > 0 && !_overflow) WriteBytes(s_crlf, 2);
        }

        private void RedisplayLine()
        {
            if (!Echo || !ShowTyping || _length == 0 || _overflow) return;
            WriteText(new string(_line, 0, _length));
        }

        private void ClearLine()
        {
            _length = 0;
            _overflow = false;
            _badByte = false;
        }

        private void WriteCredentialWarnings()
        {
            if (_shell.DefaultCredentialsInUse(AccessLevel.Technician))
                WriteInfoLine("[warning: factory technician password in use, change it with passwd]");
            if (_shell.DefaultCredentialsInUse(AccessLevel.Engineer))
                WriteInfoLine("[warning: factory engineer password in use, change it with passwd]");
        }

        // ---- output ----

        /// <summary>Writes an informational line; text that could be mistaken for a final answer is indented.</summary>
        internal void WriteInfoLine(string text)
        {
            if (text == null) text = "";
            if (text == "ok" || text.StartsWith("ok ") || text.StartsWith("error:")) text = " " + text;
            WriteText(text);
            WriteBytes(s_crlf, 2);
        }

        private void WriteOk()
        {
            FinalAnswers++;
            WriteText("ok");
            WriteBytes(s_crlf, 2);
        }

        private void WriteError(ErrorCode code, string text)
        {
            FinalAnswers++;
            WriteText("error:" + (int)code + " " + (text != null ? text : ShellCore.ErrorText(code)));
            WriteBytes(s_crlf, 2);
        }

        // ASCII out; anything outside printable ASCII becomes '?' so no handler text can inject control bytes.
        private void WriteText(string text)
        {
            int p = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                _out[p++] = (byte)(c >= ' ' && c <= '~' ? c : '?');
                if (p == _out.Length)
                {
                    _link.Write(_out, 0, p);
                    p = 0;
                }
            }
            if (p > 0) _link.Write(_out, 0, p);
        }

        private void WriteBytes(byte[] bytes, int count)
        {
            _link.Write(bytes, 0, count);
        }

        private static string Printable(string word)
        {
            if (word.Length > 32) word = word.Substring(0, 32) + "...";
            return word;
        }
    }
}
