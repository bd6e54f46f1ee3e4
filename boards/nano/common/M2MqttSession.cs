using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using Tfb.Boards.Io;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary>
    /// IMqttSession over nanoFramework.M2Mqtt 5.1 (MQTT 3.1.1, clean session).
    /// </summary>
    /// <remarks>
    /// Library limits and how they are handled:
    /// - The Will payload is a string sent as UTF-8: a binary NDEATH is carried only when every byte is
    ///   0x01..0x7F (<see cref="SevenBitWill"/>); otherwise Connect returns <see cref="SevenBitWill.WillNotRepresentable"/>
    ///   and does not connect, rather than registering a corrupted NDEATH.
    /// - QoS 1 retries 3 times inside a live connection and then reports IsPublished = false: that is passed on
    ///   as OnPublishCompleted(token, false), and every publish in flight at a connection loss is reported the
    ///   same way, so store-and-forward keeps the entry.
    /// - The in-flight queue is unbounded in the library: <see cref="PublishTracker"/> bounds it (Publish returns -1 when full).
    /// - Events arrive on the client's own thread; handler calls come from there.
    /// - Publish takes a whole byte[]: a payload shorter than its array is copied (background thread, not the scan).
    /// Threading: Connect/Disconnect/Subscribe/Publish from the MQTT background thread only.
    /// </remarks>
    public sealed class M2MqttSession : IMqttSession
    {
        /// <summary>Connect result when the client threw (DNS, TCP, TLS failure).</summary>
        public const int ConnectFailed = -1;
        /// <summary>Subscribe wait for SUBACK, in milliseconds.</summary>
        public const int SubscribeTimeoutMs = 10000;

        private readonly PublishTracker _tracker;
        private readonly int[] _drained;
        private readonly AutoResetEvent _subAck = new AutoResetEvent(false);
        private readonly object _subLock = new object();
        private IMqttSessionHandler _handler;
        private MqttClient _client;
        private readonly object _ackLock = new object();
        private int _ackId = -1;
        private bool _ackGranted;
        private int _closingByRequest;

        /// <summary>Creates a session that tracks at most <paramref name="maxInFlight"/> QoS 1 publishes.</summary>
        public M2MqttSession(int maxInFlight)
        {
            _tracker = new PublishTracker(maxInFlight);
            _drained = new int[maxInFlight];
        }

        /// <inheritdoc />
        public bool IsConnected
        {
            get
            {
                MqttClient c = _client;
                return c != null && c.IsConnected;
            }
        }

        /// <inheritdoc />
        public void SetHandler(IMqttSessionHandler handler)
        {
            _handler = handler;
        }

        /// <inheritdoc />
        public int Connect(MqttConnectOptions options)
        {
            string willMessage = null;
            bool willFlag = options.WillTopic != null;
            if (willFlag)
            {
                willMessage = SevenBitWill.ToWillString(options.WillPayload);
                if (willMessage == null) return SevenBitWill.WillNotRepresentable;
            }
            CloseClient();
            try
            {
                MqttClient client;
                if (options.UseTls)
                {
                    if (options.CaCertificatePem == null) return ConnectFailed;
                    client = new MqttClient(options.Host, options.Port, true, new X509Certificate(options.CaCertificatePem), null, MqttSslProtocols.TLSv1_2);
                }
                else
                {
                    client = new MqttClient(options.Host, options.Port, false, null, null, MqttSslProtocols.None);
                }
                client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
                client.MqttMsgPublishReceived += OnPublishReceived;
                client.MqttMsgPublished += OnPublished;
                client.MqttMsgSubscribed += OnSubscribed;
                client.ConnectionClosed += OnConnectionClosed;
                Interlocked.Exchange(ref _closingByRequest, 0);
                MqttReasonCode rc = client.Connect(options.ClientId, options.Username, options.Password,
                    options.WillRetain, options.WillQos == 1 ? MqttQoSLevel.AtLeastOnce : MqttQoSLevel.AtMostOnce,
                    willFlag, options.WillTopic, willMessage, true, (ushort)options.KeepAliveSeconds);
                if (rc != MqttReasonCode.Success)
                {
                    client.Close();
                    return (int)rc;
                }
                _client = client;
                return 0;
            }
            catch (Exception)
            {
                return ConnectFailed;
            }
        }

        /// <inheritdoc />
        public void Disconnect()
        {
            Interlocked.Exchange(ref _closingByRequest, 1);
            MqttClient c = _client;
            if (c != null)
            {
                try
                {
                    c.Disconnect();
                }
                catch (Exception)
                {
                    // The link is gone either way.
                }
            }
            CloseClient();
            FailInFlight();
        }

        /// <inheritdoc />
        public bool Subscribe(string topicFilter, int qos)
        {
            MqttClient c = _client;
            if (c == null) return false;
            lock (_subLock)
            {
                try
                {
                    _subAck.Reset();
                    // The SUBACK event may arrive on the client's thread before Subscribe returns the id: the
                    // handler records (id, granted) and signals; this loop matches the id afterwards.
                    int id = c.Subscribe(new string[] { topicFilter }, new MqttQoSLevel[] { qos == 1 ? MqttQoSLevel.AtLeastOnce : MqttQoSLevel.AtMostOnce });
                    int waitedMs = 0;
                    while (true)
                    {
                        lock (_ackLock)
                        {
                            if (_ackId == id) return _ackGranted;
                        }
                        if (waitedMs >= SubscribeTimeoutMs) return false;
                        _subAck.WaitOne(100, false);
                        waitedMs += 100;
                    }
                }
                catch (Exception)
                {
                    return false;
                }
            }
        }

        /// <inheritdoc />
        public int Publish(string topic, byte[] payload, int count, int qos, bool retain)
        {
            MqttClient c = _client;
            if (c == null || !c.IsConnected || payload == null || count < 0 || count > payload.Length) return -1;
            byte[] message = payload;
            if (count != payload.Length)
            {
                message = new byte[count];
                Array.Copy(payload, message, count);
            }
            try
            {
                if (qos == 0)
                {
                    c.Publish(topic, message, null, null, MqttQoSLevel.AtMostOnce, retain);
                    return 0;
                }
                lock (_tracker.SyncRoot)
                {
                    if (!_tracker.HasRoom) return -1;
                    ushort id = c.Publish(topic, message, null, null, MqttQoSLevel.AtLeastOnce, retain);
                    return _tracker.Add(id);
                }
            }
            catch (Exception)
            {
                return -1;
            }
        }

        private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
        {
            IMqttSessionHandler h = _handler;
            if (h != null) h.OnMessage(e.Topic, e.Message);
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            int token = _tracker.Complete(e.MessageId);
            IMqttSessionHandler h = _handler;
            if (token > 0 && h != null) h.OnPublishCompleted(token, e.IsPublished);
        }

        private void OnSubscribed(object sender, MqttMsgSubscribedEventArgs e)
        {
            MqttQoSLevel[] granted = e.GrantedQoSLevels;
            lock (_ackLock)
            {
                _ackId = e.MessageId;
                _ackGranted = granted != null && granted.Length == 1 && granted[0] != MqttQoSLevel.GrantedFailure;
            }
            _subAck.Set();
        }

        private void OnConnectionClosed(object sender, EventArgs e)
        {
            FailInFlight();
            IMqttSessionHandler h = _handler;
            if (Interlocked.CompareExchange(ref _closingByRequest, 0, 0) == 0 && h != null) h.OnConnectionLost();
        }

        private void FailInFlight()
        {
            IMqttSessionHandler h = _handler;
            lock (_drained)
            {
                int n = _tracker.DrainAll(_drained);
                for (int i = 0; i < n; i++)
                {
                    if (h != null) h.OnPublishCompleted(_drained[i], false);
                }
            }
        }

        private void CloseClient()
        {
            MqttClient c = _client;
            _client = null;
            if (c == null) return;
            c.MqttMsgPublishReceived -= OnPublishReceived;
            c.MqttMsgPublished -= OnPublished;
            c.MqttMsgSubscribed -= OnSubscribed;
            c.ConnectionClosed -= OnConnectionClosed;
            try
            {
                c.Close();
            }
            catch (Exception)
            {
                // Closing a dead link may throw; nothing to recover.
            }
        }
    }
}
