namespace Tfb.Hal
{
    /// <summary>Everything needed to open an MQTT 3.1.1 session (Sparkplug B forces a clean session).</summary>
    public sealed class MqttConnectOptions
    {
        /// <summary>Broker host name or address.</summary>
        public string Host;
        /// <summary>Broker TCP port (1883 plain, 8883 TLS).</summary>
        public int Port;
        /// <summary>MQTT client id (the Sparkplug edge node id).</summary>
        public string ClientId;
        /// <summary>User name, or null for none (only ever sent over TLS in production).</summary>
        public string Username;
        /// <summary>Password, or null for none.</summary>
        public string Password;
        /// <summary>True to use TLS 1.2+ with <see cref="CaCertificatePem"/> pinned.</summary>
        public bool UseTls;
        /// <summary>PEM text of the CA that must have signed the broker's certificate; null with TLS = reject.</summary>
        public string CaCertificatePem;
        /// <summary>Keep-alive interval in seconds.</summary>
        public int KeepAliveSeconds;
        /// <summary>Will topic (Sparkplug: the NDEATH topic), or null for no will.</summary>
        public string WillTopic;
        /// <summary>
        /// Will payload bytes: binary (Sparkplug: a protobuf NDEATH, which holds bytes &gt;= 0x80 once bdSeq
        /// passes 127). An adapter whose client only takes a text Will (nanoFramework.M2Mqtt 5.1 sends a string as
        /// UTF-8) must not mangle it silently: it fails <see cref="IMqttSession.Connect"/> instead.
        /// </summary>
        public byte[] WillPayload;
        /// <summary>Will QoS (Sparkplug: 1).</summary>
        public int WillQos;
        /// <summary>Will retain flag (Sparkplug: false).</summary>
        public bool WillRetain;
    }

    /// <summary>Callbacks from an <see cref="IMqttSession"/>; raised on the transport's own thread, never the scan's.</summary>
    public interface IMqttSessionHandler
    {
        /// <summary>A message arrived on a subscribed topic. The payload array belongs to the handler from now on.</summary>
        void OnMessage(string topic, byte[] payload);

        /// <summary>A QoS 1 publish was acknowledged (PUBACK) or definitely failed.</summary>
        void OnPublishCompleted(int token, bool delivered);

        /// <summary>The connection dropped (not called for <see cref="IMqttSession.Disconnect"/>).</summary>
        void OnConnectionLost();
    }

    /// <summary>The firmware's MQTT seam: MQTTnet on the host, nanoFramework.M2Mqtt on a board.</summary>
    /// <remarks>
    /// Sparkplug logic (bdSeq, seq, births, store-and-forward) lives above this interface and is the same on
    /// both. Threading: called from the MQTT background thread only (tier T2), never from the scan.
    /// </remarks>
    public interface IMqttSession
    {
        /// <summary>True while a session is open.</summary>
        bool IsConnected { get; }

        /// <summary>Registers the callback receiver; call before <see cref="Connect"/>.</summary>
        void SetHandler(IMqttSessionHandler handler);

        /// <summary>Opens a session; blocks until CONNACK or failure.</summary>
        /// <returns>0 on success, otherwise a transport- or broker-specific nonzero reason (logged with the alarm).</returns>
        int Connect(MqttConnectOptions options);

        /// <summary>
        /// Sends DISCONNECT (the will is then not published) and closes the link. Publishes already handed to
        /// <see cref="Publish"/> go out first (Sparkplug sends NDEATH right before this).
        /// </summary>
        void Disconnect();

        /// <summary>Subscribes; blocks until SUBACK.</summary>
        /// <returns>False when the broker refused or the link failed.</returns>
        bool Subscribe(string topicFilter, int qos);

        /// <summary>Queues a publish of <paramref name="count"/> bytes from <paramref name="payload"/>.</summary>
        /// <returns>
        /// A positive token later passed to <see cref="IMqttSessionHandler.OnPublishCompleted"/> for QoS 1;
        /// 0 for a QoS 0 publish handed to the link; -1 when not connected or the link failed.
        /// </returns>
        int Publish(string topic, byte[] payload, int count, int qos, bool retain);
    }
}
