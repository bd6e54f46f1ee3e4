namespace Tfb.Shell
{
    /// <summary>
    /// The code behind a console command. The registry has already checked the argument count, the session's
    /// access level and (when the command needs it) that the line is idle.
    /// </summary>
    /// <remarks>
    /// Runs on the calling session's thread (tier T2); several sessions may run the same handler at once, so keep
    /// per-call state in locals. Write info lines with <see cref="CommandContext.WriteLine"/>; finish with
    /// <c>return true</c> (the session prints <c>ok</c>) or <c>return ctx.Fail(code, text)</c> (the session prints
    /// <c>error:&lt;code&gt; &lt;text&gt;</c>). An exception is answered with <c>error:16</c>. Never block on the scan.
    /// </remarks>
    public interface ICommandHandler
    {
        /// <summary>Runs the command.</summary>
        /// <returns>True for success.</returns>
        bool Execute(CommandContext ctx);
    }
}
