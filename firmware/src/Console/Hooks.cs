using Tfb.Codes;

namespace Tfb.Shell
{
    /// <summary>
    /// What the console asks of the line (the scan): the composition root implements it over the scan's command
    /// queue. Every request goes through the scan's interlocks; the console never drives an output itself.
    /// </summary>
    /// <remarks>
    /// Called from console threads (tier T2), possibly several sessions at once: implementations must be
    /// thread-safe and must not block for long (queue the request, return). A request that cannot be queued
    /// returns false with <see cref="ErrorCode.Busy"/>; one the state forbids, with <see cref="ErrorCode.BadState"/>
    /// or <see cref="ErrorCode.InterlockActive"/>.
    /// </remarks>
    public interface ILineControl
    {
        /// <summary>True when the line is idle: no motion, no RF, no heat (commands flagged NeedsIdle check it).</summary>
        bool IsIdle { get; }

        /// <summary>Controlled stop of the line (real-time '!', allowed at every access level).</summary>
        bool RequestStop(out ErrorCode error);

        /// <summary>Resume after a stop (real-time '~', technician or above); the scan checks every interlock first.</summary>
        bool RequestResume(out ErrorCode error);

        /// <summary>
        /// Reset request (real-time Ctrl-X): a controlled stop followed by an attempt to reset latched trips whose
        /// condition is healthy. Never restarts motion, RF or heat.
        /// </summary>
        bool RequestReset(out ErrorCode error);
    }

    /// <summary>Resets one latched alarm on behalf of the module that owns its condition.</summary>
    /// <remarks>Thread-safe; called from console threads.</remarks>
    public interface IAlarmResetter
    {
        /// <summary>
        /// Resets alarm <paramref name="code"/> if its owner finds the condition healthy: the implementation calls
        /// <c>AlarmLog.Reset</c> itself (directly or through the scan's queue) before returning true.
        /// </summary>
        /// <returns>False with <see cref="ErrorCode.ConditionPresent"/> when the condition persists, or another code.</returns>
        bool TryReset(int code, out ErrorCode error);
    }

    /// <summary>One contributor to the status report ('?' and the <c>status</c> command).</summary>
    /// <remarks>Called from console threads; reads a snapshot the scan published, never the scan's live state.</remarks>
    public interface IStatusProvider
    {
        /// <summary>Short name, e.g. <c>line</c>, <c>web</c>, <c>mqtt</c> (letters, digits, '-').</summary>
        string Name { get; }

        /// <summary>One line of status, printable ASCII without '|', '&lt;', '&gt;' or line breaks, e.g. <c>state=Idle speedMpm=0</c>.</summary>
        string GetStatus();
    }

    /// <summary>
    /// Who this board is: shown by <c>info</c> and published as the Sparkplug NBIRTH node properties
    /// (the same five fields, so a technician and SCADA see the same identity).
    /// </summary>
    public sealed class BoardIdentity
    {
        /// <summary>Firmware version, e.g. <c>0.1.0</c>.</summary>
        public string FirmwareVersion;
        /// <summary>Build identifier (commit and date), e.g. <c>a00e1a0 2026-11-27</c>.</summary>
        public string Build;
        /// <summary>Board definition name, e.g. <c>web-transport-esp32</c> or <c>virtual</c>.</summary>
        public string Board;
        /// <summary>Space-separated capabilities, e.g. <c>web tension radius</c>.</summary>
        public string Capabilities;
        /// <summary>Plant asset id of the station, e.g. <c>R2R-01-WEB</c>.</summary>
        public string AssetId;

        /// <summary>Creates an identity; null fields show as empty.</summary>
        public BoardIdentity(string firmwareVersion, string build, string board, string capabilities, string assetId)
        {
            FirmwareVersion = firmwareVersion;
            Build = build;
            Board = board;
            Capabilities = capabilities;
            AssetId = assetId;
        }
    }
}
