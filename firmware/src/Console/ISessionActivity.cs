namespace Tfb.Shell
{
    /// <summary>
    /// A command that keeps running on its session after its handler returned: a periodic view that ends when
    /// the technician presses Enter (<c>io watch</c>), or a block of raw lines (<c>net ca begin</c> ... <c>net ca end</c>).
    /// A handler starts one with <see cref="CommandContext.BeginActivity"/>; the command's final answer is written
    /// when the activity finishes.
    /// </summary>
    /// <remarks>
    /// Called on the session's thread only (from <see cref="ShellSession.Feed"/> and <see cref="ShellSession.Poll"/>),
    /// so an activity needs no locking of its own state. While one runs, complete lines go to it instead of the
    /// command interpreter; real-time bytes keep working, and Ctrl-X cancels it (answered <c>error:14 cancelled</c>,
    /// then <see cref="Cancel"/>). An exception ends it with <c>error:16</c>.
    /// </remarks>
    public interface ISessionActivity
    {
        /// <summary>True while typed characters must not be echoed (a secret being entered).</summary>
        bool HidesInput { get; }

        /// <summary>A complete line arrived (null when it overflowed or held a non-printable byte).</summary>
        /// <param name="ctx">The context of the command that started the activity; Fail() on it to report an error.</param>
        /// <param name="line">The line as typed, not tokenized.</param>
        /// <param name="ok">When finishing: true to answer ok, false to answer ctx's error.</param>
        /// <returns>True to keep running (no answer written), false to finish.</returns>
        bool OnLine(CommandContext ctx, string line, out bool ok);

        /// <summary>Periodic call (at least every 250 ms from <see cref="ShellSession.Run"/>).</summary>
        /// <param name="ctx">As for <see cref="OnLine"/>.</param>
        /// <param name="nowUs">The console clock now, microseconds.</param>
        /// <param name="ok">When finishing: true to answer ok, false to answer ctx's error.</param>
        /// <returns>True to keep running, false to finish.</returns>
        bool OnPoll(CommandContext ctx, long nowUs, out bool ok);

        /// <summary>The activity was cancelled (Ctrl-X, logout, link closed); drop anything half-done.</summary>
        void Cancel();
    }
}
