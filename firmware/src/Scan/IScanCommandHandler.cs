namespace Tfb.Scan
{
    /// <summary>
    /// A module's receiver of queued commands: registered for a range of command codes with
    /// <see cref="ScanExecutive.AddCommandHandler"/>, called on the scan thread at the start of the scan after the
    /// command was submitted.
    /// </summary>
    /// <remarks>
    /// Contract: validate every argument (NaN, range, state) and change nothing when refusing; no allocation,
    /// no blocking. Nothing handled here may bypass an interlock. An exception is answered with
    /// <see cref="Tfb.Codes.ErrorCode.InternalError"/> and does not stop the scan.
    /// </remarks>
    public interface IScanCommandHandler
    {
        /// <summary>Applies <paramref name="command"/>.</summary>
        /// <param name="command">The record: read the arguments, write <see cref="ScanCommand.ResultInt"/> / <see cref="ScanCommand.ResultDouble"/> if useful.</param>
        /// <param name="ctx">The current scan (scan number, time).</param>
        /// <returns><see cref="ScanCommand.Ok"/> (0) when applied, otherwise the <see cref="Tfb.Codes.ErrorCode"/> value of the refusal.</returns>
        int Execute(ScanCommand command, ScanContext ctx);
    }
}
