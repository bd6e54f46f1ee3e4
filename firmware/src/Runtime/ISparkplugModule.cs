using Tfb.Sparkplug;

namespace Tfb.Runtime
{
    /// <summary>
    /// Optional for a station module: publish its own Sparkplug device and bind remote commands. The board's
    /// <see cref="BoardEdgeNode"/> calls <see cref="AttachSparkplug"/> once when it is built (before the session
    /// starts) and <see cref="RefreshSparkplug"/> on every poll before the session runs (MQTT thread, T2).
    /// </summary>
    /// <remarks>
    /// Remote commands go through the command sink only (<see cref="SettingsCommandSink.ExposeSetting"/>
    /// and <see cref="SettingsCommandSink.ExposeAction"/> of the board's sink), with the console's codes and access levels; there is no
    /// binding that resets an alarm or switches an interlock off. Refresh reads the scan snapshot, never the scan's state.
    /// </remarks>
    public interface ISparkplugModule
    {
        /// <summary>Declares the module's device and metrics and exposes its remote commands.</summary>
        void AttachSparkplug(EdgeNodeSession session, SettingsCommandSink commands);

        /// <summary>Copies the latest snapshot into the device metrics (MQTT thread).</summary>
        void RefreshSparkplug();
    }
}
