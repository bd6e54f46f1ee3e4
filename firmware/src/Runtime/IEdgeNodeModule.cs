using Tfb.Sparkplug;

namespace Tfb.Runtime
{
    /// <summary>
    /// A station module that publishes through the board's Sparkplug edge node: its own device metrics, commands
    /// on the settings sink, and records that must not be lost through the store-and-forward queue.
    /// </summary>
    /// <remarks>
    /// <see cref="BoardEdgeNode"/> calls, in its constructor: <see cref="AttachEdgeNode"/> (add devices and
    /// metrics, expose settings and actions on the board's sink: the console's validation, codes and access
    /// levels apply, and there is no binding that resets an alarm or switches an interlock off), then
    /// <see cref="AttachStoreForward"/> (the queue, or null when the board has no <c>sfq</c> partition).
    /// Afterwards <see cref="RefreshMetrics"/> runs on the MQTT thread before every session poll (copy the
    /// module's latest scan snapshot into its metrics; never touch the scan's own state) and
    /// <see cref="ForwardRecords"/> on the persistence thread on every <see cref="BoardEdgeNode.ForwardLogs"/>
    /// (append queued records). A board without an edge node calls none of them.
    /// </remarks>
    public interface IEdgeNodeModule
    {
        /// <summary>Declares devices and metrics and exposes commands (once, before the session starts).</summary>
        void AttachEdgeNode(EdgeNodeSession session, SettingsCommandSink commands);

        /// <summary>The durable queue records go through (null: none).</summary>
        void AttachStoreForward(StoreForwardQueue queue);

        /// <summary>Copies the module's latest snapshot into its metrics (MQTT thread, before each poll).</summary>
        void RefreshMetrics();

        /// <summary>Moves pending records into the queue (persistence thread).</summary>
        void ForwardRecords();
    }
}
