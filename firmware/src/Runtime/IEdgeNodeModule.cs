using Tfb.Sparkplug;

namespace Tfb.Runtime
{
    /// <summary>
    /// A station module that publishes over Sparkplug: <see cref="BoardEdgeNode"/> offers it the session and the
    /// command sink when the edge node is built, and asks it to refresh its metrics before every session poll.
    /// </summary>
    /// <remarks>
    /// Both calls run on the MQTT thread (T2). <see cref="AttachEdgeNode"/> declares a Sparkplug device and its
    /// metrics (<see cref="EdgeNodeSession.AddDevice"/>) and binds writable settings and actions on the sink (the
    /// console's validation and access levels apply); <see cref="RefreshMetrics"/> copies the module's latest
    /// snapshot into them without blocking the scan.
    /// </remarks>
    public interface IEdgeNodeModule
    {
        /// <summary>Declares the module's device, metrics and commands (once, before the session starts).</summary>
        void AttachEdgeNode(EdgeNodeSession session, SettingsCommandSink commands);

        /// <summary>Copies the module's state into its metrics (before each poll).</summary>
        void RefreshMetrics();
    }
}
