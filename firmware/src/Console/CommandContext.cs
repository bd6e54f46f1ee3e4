using Tfb.Codes;
using Tfb.Settings;

namespace Tfb.Shell
{
    /// <summary>What a command handler gets: its arguments, the session's level, output, and the result to report.</summary>
    /// <remarks>One instance per session, reused for every line; valid only during <see cref="ICommandHandler.Execute"/>.</remarks>
    public sealed class CommandContext
    {
        private string[] _words;
        private int _first;

        internal CommandContext(ShellSession session)
        {
            Session = session;
        }

        /// <summary>The session the line came from.</summary>
        public ShellSession Session { get; private set; }

        /// <summary>The shared console services (settings, logs, hooks).</summary>
        public ShellCore Core { get { return Session.Core; } }

        /// <summary>The command being run.</summary>
        public CommandDef Command { get; private set; }

        /// <summary>The session's access level now.</summary>
        public AccessLevel Level { get { return Session.Level; } }

        /// <summary>Number of arguments after the command name (already within the declared min..max).</summary>
        public int ArgCount { get; private set; }

        /// <summary>Argument <paramref name="index"/> (0-based, after the command name), unquoted.</summary>
        public string Arg(int index)
        {
            if (index < 0 || index >= ArgCount) throw new System.ArgumentOutOfRangeException("index");
            return _words[_first + index];
        }

        /// <summary>Writes one informational line (printed before the final answer; a line break is added).</summary>
        public void WriteLine(string text)
        {
            Session.WriteInfoLine(text);
        }

        /// <summary>Records the failure to report and returns false, so a handler can <c>return ctx.Fail(...)</c>.</summary>
        /// <param name="code">Stable error code.</param>
        /// <param name="text">Short reason; null for the code's standard text.</param>
        public bool Fail(ErrorCode code, string text)
        {
            Error = code;
            ErrorText = text;
            return false;
        }

        /// <summary>
        /// Keeps the command running on this session after the handler returns (see <see cref="ISessionActivity"/>):
        /// no answer is written now; the activity's finish writes it. Return true from the handler after calling it.
        /// </summary>
        public void BeginActivity(ISessionActivity activity)
        {
            if (activity == null) throw new System.ArgumentNullException("activity");
            Session.BeginActivity(activity);
        }

        internal void ResetResult()
        {
            Error = ErrorCode.InternalError;
            ErrorText = null;
        }

        internal ErrorCode Error;
        internal string ErrorText;
        internal bool Deferred;

        internal void Begin(CommandDef command, string[] words, int first, int argCount)
        {
            Command = command;
            _words = words;
            _first = first;
            ArgCount = argCount;
            Error = ErrorCode.InternalError;
            ErrorText = null;
            Deferred = false;
        }
    }
}
