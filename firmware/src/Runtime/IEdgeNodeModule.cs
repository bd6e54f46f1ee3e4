using Tfb.Sparkplug;

namespace Tfb.Runtime
{
    /// <summary>
    /// A station module that publishes through the board's Sparkplug edge node: its own device metrics, commands
    /// on the settings sink, and records that must not be lost through the store-and-forward queue.
    /// </summary>
    /// <remarks>
    /// <see cref="BoardEdgeNode"/> calls, in its constructor: <see cref="DeclareSparkplug"/> (add devices and
    /// metrics, expose settings and actions), then <see cref="AttachStoreForward"/> (the queue, or null when the
    /// board has no <c>sfq</c> partition); then <see cref="ForwardRecords"/> from the persistence thread on every
    /// <see cref="BoardEdgeNode.ForwardLogs"/> (append queued records, refresh live metrics). A board without an
    /// edge node calls none of them.
    /// </remarks>
    public interface IEdgeNodeModule
    {
        /// <summary>Declares devices and metrics (before the session starts).</summary>
        void DeclareSparkplug(EdgeNodeSession session, SettingsCommandSink commands);

        /// <summary>The durable queue records go through (null: none).</summary>
        void AttachStoreForward(StoreForwardQueue queue);

        /// <summary>Moves pending records into the queue and refreshes live metrics (persistence thread).</summary>
        void ForwardRecords();
    }
}
