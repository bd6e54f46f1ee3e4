using Tfb.Sparkplug;

namespace Tfb.Runtime
{
    /// <summary>
    /// A station module that publishes over Sparkplug: <see cref="BoardEdgeNode"/> lets every module that
    /// implements it declare a device (metrics, and writable settings and actions on the board's command sink, so
    /// network writes get the console's checks and access levels), then refreshes it on every poll.
    /// </summary>
    /// <remarks>
    /// <see cref="DeclareSparkplug"/> runs once, in the edge node's constructor, before the session starts.
    /// <see cref="RefreshSparkplug"/> runs on the MQTT thread (T2): read the scan's snapshot, never its live state.
    /// </remarks>
    public interface ISparkplugStation
    {
        /// <summary>Declares the module's device, metrics and command bindings.</summary>
        void DeclareSparkplug(EdgeNodeSession session, SettingsCommandSink commands);

        /// <summary>Copies the latest snapshot into the module's metrics (MQTT thread).</summary>
        void RefreshSparkplug();
    }
}
