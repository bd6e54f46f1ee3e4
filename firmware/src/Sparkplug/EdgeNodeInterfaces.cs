using Tfb.Codes;

namespace Tfb.Sparkplug
{
    /// <summary>
    /// Where validated NCMD/DCMD writes go (the settings registry, a module's setpoints). The session has
    /// already decoded the payload, resolved every metric (name or alias), checked it is writable and converted
    /// the value to the metric's datatype with range checks; the sink adds its own validation (limits, access,
    /// state, interlocks). A command is applied all or nothing: every metric is validated before any is applied.
    /// </summary>
    /// <remarks>Called on the thread that calls <see cref="EdgeNodeSession.Poll"/> (T2), never on the scan.</remarks>
    public interface ICommandSink
    {
        /// <summary>Checks one write without applying it.</summary>
        /// <param name="device">Target device, or null for a node metric.</param>
        /// <param name="metric">The registered metric.</param>
        /// <param name="value">The converted value (reused object: copy what you keep).</param>
        /// <param name="error">Why it is refused.</param>
        /// <returns>True when it may be applied.</returns>
        bool Validate(SparkplugDevice device, SparkplugMetric metric, SparkplugValue value, out ErrorCode error);

        /// <summary>Applies one write that passed <see cref="Validate"/> (e.g. queues it to the scan).</summary>
        void Apply(SparkplugDevice device, SparkplugMetric metric, SparkplugValue value);
    }

    /// <summary>
    /// Source of stored data to replay after a birth (store-and-forward). The session asks for one entry at a
    /// time, publishes it at QoS 1 as NDATA/DDATA with is_historical metrics, and reports the outcome; the
    /// source deletes an entry only when told it was delivered.
    /// </summary>
    /// <remarks>Called on the thread that calls <see cref="EdgeNodeSession.Poll"/>.</remarks>
    public interface IReplaySource
    {
        /// <summary>True when at least one entry waits.</summary>
        bool HasPending { get; }

        /// <summary>
        /// Writes the next entry's metrics with <see cref="SparkplugPayloadEncoder.WriteHistoricalMetric"/>
        /// (the session has begun the payload and ends it).
        /// </summary>
        /// <param name="encoder">The encoder, payload begun.</param>
        /// <param name="device">The device the entry belongs to, or null for the node.</param>
        /// <returns>An entry id &gt;= 0, or -1 when nothing was written.</returns>
        int WriteNext(SparkplugPayloadEncoder encoder, out SparkplugDevice device);

        /// <summary>The publish of <paramref name="entryId"/> was acknowledged (delivered) or failed (keep it).</summary>
        void OnReplayCompleted(int entryId, bool delivered);
    }

    /// <summary>Receives the session's events and alarm changes (the event log / alarm table).</summary>
    /// <remarks>Called on the Poll thread.</remarks>
    public interface IEdgeNodeEvents
    {
        /// <summary>An event (<see cref="EventCode.MqttOnline"/>, <see cref="EventCode.MqttOffline"/>, <see cref="EventCode.RemoteCommandRejected"/>).</summary>
        void OnEvent(EventCode code, int detail);

        /// <summary>An alarm became active or cleared (<see cref="AlarmCode.BrokerUnreachable"/>).</summary>
        void OnAlarm(AlarmCode code, bool active, int detail);
    }
}
