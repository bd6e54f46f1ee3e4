using System.Threading;
using Tfb.Codes;
using Tfb.Hal;

namespace Tfb.Sparkplug
{
    /// <summary>Where an <see cref="EdgeNodeSession"/> is in its life.</summary>
    public enum EdgeNodeState
    {
        /// <summary>Not started, or stopped on purpose (NDEATH sent, disconnected); no reconnects.</summary>
        Stopped = 0,
        /// <summary>No session; the next connect attempt waits for the backoff delay and a valid wall clock.</summary>
        Offline = 1,
        /// <summary>Connected, subscribed and born; publishing data.</summary>
        Online = 2,
    }

    /// <summary>
    /// Sparkplug B 3.0 edge node above <see cref="IMqttSession"/>: Will = NDEATH with bdSeq, NCMD/DCMD
    /// subscriptions before the birth, NBIRTH then DBIRTHs, report-by-exception NDATA/DDATA, one seq counter,
    /// rebirth on command, DDEATH, NDEATH before an intentional disconnect, reconnect with capped exponential
    /// backoff and jitter.
    /// </summary>
    /// <remarks>
    /// Driven by <see cref="Poll"/> from the MQTT background thread (T2), which may block in connect/subscribe.
    /// The transport calls the <see cref="IMqttSessionHandler"/> members on its own thread; they only queue.
    /// Steady state (online, publishing changes) allocates nothing; connecting allocates the Will payload.
    /// Setup: construct, declare metrics on <see cref="NodeMetrics"/> and devices from <see cref="AddDevice"/>,
    /// set the sink/replay/events, then <see cref="Start"/>.
    /// </remarks>
    public sealed class EdgeNodeSession : IMqttSessionHandler
    {
        /// <summary>Name of the birth/death sequence metric (Int64, 0-255).</summary>
        public const string BdSeqMetricName = "bdSeq";
        /// <summary>Name of the rebirth command metric (Boolean, false in the birth).</summary>
        public const string RebirthMetricName = "Node Control/Rebirth";
        /// <summary>Firmware version property metric.</summary>
        public const string FirmwareVersionMetricName = "Properties/Firmware Version";
        /// <summary>Board property metric.</summary>
        public const string BoardMetricName = "Properties/Board";
        /// <summary>Asset id property metric.</summary>
        public const string AssetIdMetricName = "Properties/Asset Id";

        /// <summary>Code (<see cref="ErrorCode"/>, Int32) of the last rejected NCMD/DCMD; published when a command is refused.</summary>
        public const string RejectedCodeMetricName = "Command/Rejected Code";
        /// <summary>Why the last NCMD/DCMD was refused (String: "&lt;code&gt; &lt;text&gt; [&lt;metric&gt;]").</summary>
        public const string RejectedReasonMetricName = "Command/Rejected Reason";
        /// <summary>Commands refused since start (UInt32); changes on every refusal so each one is published.</summary>
        public const string RejectedCountMetricName = "Command/Rejected Count";

        /// <summary>MqttOffline detail: the transport reported the link lost.</summary>
        public const int OfflineConnectionLost = 1;
        /// <summary>MqttOffline detail: <see cref="Stop"/> was called.</summary>
        public const int OfflineStopped = 2;
        /// <summary>MqttOffline detail: a publish was refused by the transport.</summary>
        public const int OfflinePublishFailed = 3;
        /// <summary>MqttOffline detail: a birth did not fit the payload buffer (configuration error).</summary>
        public const int OfflineBirthTooLarge = 4;
        /// <summary>MqttOffline detail: the NCMD/DCMD subscription was refused.</summary>
        public const int OfflineSubscribeFailed = 5;

        /// <summary>A replay publish without PUBACK after this long counts as failed (microseconds).</summary>
        private const long ReplayTimeoutMicros = 30000000;

        /// <summary>Keepalive used when the configuration leaves it at 0 (seconds).</summary>
        public const int DefaultKeepAliveSeconds = 30;

        /// <summary>Most devices (station modules) per edge node.</summary>
        public const int MaxDevices = 16;
        private const int CompletionQueueLength = 8;

        private readonly EdgeNodeConfig _config;
        private readonly IMqttSession _mqtt;
        private readonly IClock _clock;
        private readonly BdSeqStore _bdSeqStore;
        private readonly SparkplugDevice[] _devices = new SparkplugDevice[MaxDevices];
        private readonly SparkplugMetric _bdSeqMetric;
        private readonly SparkplugMetric _rebirthMetric;
        private readonly SparkplugMetric _rejectedCodeMetric;
        private readonly SparkplugMetric _rejectedReasonMetric;
        private readonly SparkplugMetric _rejectedCountMetric;
        private string _rejectedTarget;
        private readonly byte[] _bdSeqNameUtf8;
        private readonly ReconnectBackoff _backoff;

        private readonly object _inLock = new object();
        private readonly string[] _inTopics;
        private readonly byte[][] _inPayloads;
        private int _inHead;
        private int _inCount;
        private int _inDropped;
        private readonly int[] _completedTokens = new int[CompletionQueueLength];
        private readonly bool[] _completedDelivered = new bool[CompletionQueueLength];
        private int _completedHead;
        private int _completedCount;
        private int _connectionLost;
        private int _rebirthRequested;

        private SparkplugPayloadEncoder _encoder;
        private SparkplugPayloadDecoder _decoder;
        private SparkplugCommand _command;
        private SparkplugMetric[] _commandTargets;
        private SparkplugValue[] _commandValues;
        private ICommandSink _sink;
        private IReplaySource _replay;
        private IEdgeNodeEvents _events;

        private int _deviceCount;
        private bool _started;
        private EdgeNodeState _state = EdgeNodeState.Stopped;
        private string _nbirthTopic;
        private string _ndeathTopic;
        private string _ndataTopic;
        private string _ncmdTopic;
        private string _dcmdFilter;
        private byte[] _willPayload;
        private int _bdSeq = -1;
        private int _seq;
        private long _nextAttemptMicros;
        private long _lastBirthMicros;
        private int _connectFailures;
        private bool _brokerAlarm;
        private int _lastConnectResult;
        private ErrorCode _lastCommandError;
        private int _commandsRejected;
        private int _rebirthsIgnored;
        private int _metricsTooLarge;
        private int _bdSeqPersistFailures;
        private int _replayEntry = -1;
        private int _replayToken;
        private long _replaySentMicros;

        /// <summary>Creates the session and the node registry with its built-in metrics.</summary>
        /// <param name="config">Ids, broker options, properties, timing; kept by reference.</param>
        /// <param name="mqtt">The transport; the session registers itself as its handler.</param>
        /// <param name="clock">Monotonic time for timing, UTC for timestamps.</param>
        /// <param name="bdSeqPartition">Non-volatile partition of at least <see cref="BdSeqStore.PartitionBytes"/> for bdSeq.</param>
        public EdgeNodeSession(EdgeNodeConfig config, IMqttSession mqtt, IClock clock, INvStore bdSeqPartition)
        {
            _config = config;
            _mqtt = mqtt;
            _clock = clock;
            _bdSeqStore = new BdSeqStore(bdSeqPartition);
            _bdSeqStore.SevenBitRange = config.SevenBitWill;
            _backoff = new ReconnectBackoff(config.ReconnectMinMs, config.ReconnectMaxMs, config.JitterSeed);
            _inTopics = new string[config.CommandQueueLength < 1 ? 1 : config.CommandQueueLength];
            _inPayloads = new byte[_inTopics.Length][];
            _bdSeqNameUtf8 = Utf8.GetBytes(BdSeqMetricName);

            NodeMetrics = new MetricRegistry(clock, config.NodeMetricCapacity);
            _bdSeqMetric = NodeMetrics.Add(BdSeqMetricName, SparkplugDataType.Int64, 0, 0);
            _rebirthMetric = NodeMetrics.Add(RebirthMetricName, SparkplugDataType.Boolean, 0, 0, true, 0, null);
            _rebirthMetric.SetBoolean(false);
            NodeMetrics.Add(FirmwareVersionMetricName, SparkplugDataType.String, 0, 0).SetString(config.FirmwareVersion);
            NodeMetrics.Add(BoardMetricName, SparkplugDataType.String, 0, 0).SetString(config.Board);
            NodeMetrics.Add(AssetIdMetricName, SparkplugDataType.String, 0, 0).SetString(config.AssetId);
            _rejectedCodeMetric = NodeMetrics.Add(RejectedCodeMetricName, SparkplugDataType.Int32, 0, 0);
            _rejectedCodeMetric.SetInteger(0);
            _rejectedReasonMetric = NodeMetrics.Add(RejectedReasonMetricName, SparkplugDataType.String, 0, 0);
            _rejectedReasonMetric.SetString("");
            _rejectedCountMetric = NodeMetrics.Add(RejectedCountMetricName, SparkplugDataType.UInt32, 0, 0);
            _rejectedCountMetric.SetInteger(0);
            _mqtt.SetHandler(this);
        }

        /// <summary>Node-level metrics (built-ins first); declare the board's own before <see cref="Start"/>.</summary>
        public readonly MetricRegistry NodeMetrics;

        /// <summary>Current state.</summary>
        public EdgeNodeState State { get { return _state; } }

        /// <summary>bdSeq of the current or last session (-1 before the first connect).</summary>
        public int BdSeq { get { return _bdSeq; } }

        /// <summary>seq of the last message published (0-255).</summary>
        public int Seq { get { return _seq; } }

        /// <summary>Consecutive failed connect attempts.</summary>
        public int ConnectFailures { get { return _connectFailures; } }

        /// <summary>Result of the last <see cref="IMqttSession.Connect"/> (0 = success).</summary>
        public int LastConnectResult { get { return _lastConnectResult; } }

        /// <summary>Why the last rejected command was rejected.</summary>
        public ErrorCode LastCommandError { get { return _lastCommandError; } }

        /// <summary>Commands rejected since start.</summary>
        public int CommandsRejected { get { return _commandsRejected; } }

        /// <summary>Rebirth requests ignored by the debounce.</summary>
        public int RebirthsIgnored { get { return _rebirthsIgnored; } }

        /// <summary>Metric updates dropped because one alone did not fit a payload (configuration error).</summary>
        public int MetricsTooLarge { get { return _metricsTooLarge; } }

        /// <summary>Connects whose bdSeq could not be persisted (a fast reboot may then reuse that bdSeq).</summary>
        public int BdSeqPersistFailures { get { return _bdSeqPersistFailures; } }

        /// <summary>Number of devices.</summary>
        public int DeviceCount { get { return _deviceCount; } }

        /// <summary>Device <paramref name="index"/>.</summary>
        public SparkplugDevice Device(int index)
        {
            return _devices[index];
        }

        /// <summary>Adds a device (station module) before <see cref="Start"/>.</summary>
        /// <param name="deviceId">Device id: non-empty, no '+', '/', '#'; unique.</param>
        /// <param name="metricCapacity">Most metrics the device will declare.</param>
        /// <returns>The device, or null when the id is invalid or repeated, too many devices, or already started.</returns>
        public SparkplugDevice AddDevice(string deviceId, int metricCapacity)
        {
            if (_started || _deviceCount >= MaxDevices || !SparkplugTopic.IsValidId(deviceId))
            {
                return null;
            }

            for (int i = 0; i < _deviceCount; i++)
            {
                if (_devices[i].Id == deviceId)
                {
                    return null;
                }
            }

            SparkplugDevice device = new SparkplugDevice(deviceId, new MetricRegistry(_clock, metricCapacity));
            _devices[_deviceCount++] = device;
            return device;
        }

        /// <summary>Sets where validated commands go (null: every write except rebirth is refused with NotSupported).</summary>
        public void SetCommandSink(ICommandSink sink)
        {
            _sink = sink;
        }

        /// <summary>Sets the store-and-forward source replayed after each birth (null: none).</summary>
        public void SetReplaySource(IReplaySource source)
        {
            _replay = source;
        }

        /// <summary>Sets the event/alarm receiver (null: none).</summary>
        public void SetEvents(IEdgeNodeEvents events)
        {
            _events = events;
        }

        /// <summary>
        /// Ends setup (first call: validates ids, builds topics, assigns aliases, allocates buffers) and lets
        /// <see cref="Poll"/> connect. After <see cref="Stop"/>, starts connecting again.
        /// </summary>
        /// <returns>False when the configuration is invalid (bad ids, buffer too small); nothing starts.</returns>
        public bool Start()
        {
            if (!_started)
            {
                string group = _config.GroupId;
                string node = _config.EdgeNodeId;
                _nbirthTopic = SparkplugTopic.Build(group, SparkplugTopic.NBirth, node, null);
                _ndeathTopic = SparkplugTopic.Build(group, SparkplugTopic.NDeath, node, null);
                _ndataTopic = SparkplugTopic.Build(group, SparkplugTopic.NData, node, null);
                _ncmdTopic = SparkplugTopic.Build(group, SparkplugTopic.NCmd, node, null);
                if (_nbirthTopic == null || _config.Connection == null || _config.PayloadBufferBytes < 64 || _config.MaxCommandMetrics < 1)
                {
                    return false;
                }

                _dcmdFilter = SparkplugTopic.Namespace + "/" + group + "/" + SparkplugTopic.DCmd + "/" + node + "/+";
                ulong alias = 1;
                alias = NodeMetrics.AssignAliases(alias);
                NodeMetrics.Freeze();

                for (int d = 0; d < _deviceCount; d++)
                {
                    SparkplugDevice device = _devices[d];
                    device.BirthTopic = SparkplugTopic.Build(group, SparkplugTopic.DBirth, node, device.Id);
                    device.DeathTopic = SparkplugTopic.Build(group, SparkplugTopic.DDeath, node, device.Id);
                    device.DataTopic = SparkplugTopic.Build(group, SparkplugTopic.DData, node, device.Id);
                    device.CommandTopic = SparkplugTopic.Build(group, SparkplugTopic.DCmd, node, device.Id);
                    alias = device.Metrics.AssignAliases(alias);
                    device.Metrics.Freeze();
                }

                _encoder = new SparkplugPayloadEncoder(_config.PayloadBufferBytes);
                _encoder.UseAliases = _config.UseAliases;
                _decoder = new SparkplugPayloadDecoder();
                _command = new SparkplugCommand(_config.MaxCommandMetrics);
                _commandTargets = new SparkplugMetric[_config.MaxCommandMetrics];
                _commandValues = new SparkplugValue[_config.MaxCommandMetrics];
                for (int i = 0; i < _commandValues.Length; i++)
                {
                    _commandValues[i] = new SparkplugValue();
                }

                _started = true;
            }

            if (_state == EdgeNodeState.Stopped)
            {
                _state = EdgeNodeState.Offline;
                _nextAttemptMicros = _clock.NowMicros;
            }

            return true;
        }

        /// <summary>
        /// Intentional disconnect: publishes NDEATH (same bdSeq as the Will), then DISCONNECT; no reconnect until
        /// <see cref="Start"/>. Call on the Poll thread.
        /// </summary>
        public void Stop()
        {
            if (_state == EdgeNodeState.Online)
            {
                _mqtt.Publish(_ndeathTopic, _willPayload, _willPayload.Length, 1, false);
                _mqtt.Disconnect();
                EnterOffline(OfflineStopped, false);
            }

            _state = EdgeNodeState.Stopped;
        }

        /// <summary>Asks for NBIRTH + DBIRTHs on the next Poll (console "mqtt rebirth"); debounced like the NCMD.</summary>
        public void RequestRebirth()
        {
            Interlocked.Exchange(ref _rebirthRequested, 1);
        }

        /// <summary>
        /// One step of the session: connect when due, handle queued commands and completions, publish births,
        /// deaths, changed data and replay. Call periodically (e.g. every 100 ms) from the MQTT thread.
        /// </summary>
        public void Poll()
        {
            if (_state == EdgeNodeState.Stopped)
            {
                return;
            }

            long nowMicros = _clock.NowMicros;
            if (_state == EdgeNodeState.Online && (Interlocked.Exchange(ref _connectionLost, 0) != 0 || !_mqtt.IsConnected))
            {
                EnterOffline(OfflineConnectionLost, true);
            }

            if (_state == EdgeNodeState.Offline)
            {
                if (nowMicros < _nextAttemptMicros || !_clock.WallClockValid)
                {
                    return;
                }

                TryConnect(nowMicros);
                if (_state != EdgeNodeState.Online)
                {
                    return;
                }
            }

            ProcessCommands();
            if (_state == EdgeNodeState.Online && Interlocked.Exchange(ref _rebirthRequested, 0) != 0)
            {
                if (nowMicros - _lastBirthMicros < _config.RebirthDebounceMs * 1000L)
                {
                    _rebirthsIgnored++;
                }
                else if (!PublishBirths(nowMicros))
                {
                    return;
                }
            }

            if (!PublishDevicePresence(nowMicros) || !PublishChanged(NodeMetrics, _ndataTopic, nowMicros))
            {
                return;
            }

            for (int d = 0; d < _deviceCount; d++)
            {
                SparkplugDevice device = _devices[d];
                if (device.Born && !PublishChanged(device.Metrics, device.DataTopic, nowMicros))
                {
                    return;
                }
            }

            ProcessReplay(nowMicros);
        }

        /// <inheritdoc />
        public void OnMessage(string topic, byte[] payload)
        {
            lock (_inLock)
            {
                if (_inCount >= _inTopics.Length)
                {
                    _inDropped++;
                    return;
                }

                int slot = (_inHead + _inCount) % _inTopics.Length;
                _inTopics[slot] = topic;
                _inPayloads[slot] = payload;
                _inCount++;
            }
        }

        /// <inheritdoc />
        public void OnPublishCompleted(int token, bool delivered)
        {
            lock (_inLock)
            {
                int slot = (_completedHead + _completedCount) % CompletionQueueLength;
                if (_completedCount >= CompletionQueueLength)
                {
                    _completedHead = (_completedHead + 1) % CompletionQueueLength;
                }
                else
                {
                    _completedCount++;
                }

                _completedTokens[slot] = token;
                _completedDelivered[slot] = delivered;
            }
        }

        /// <inheritdoc />
        public void OnConnectionLost()
        {
            Interlocked.Exchange(ref _connectionLost, 1);
        }

        private void TryConnect(long nowMicros)
        {
            bool persisted;
            _bdSeq = _bdSeqStore.TakeNext(out persisted);
            if (!persisted)
            {
                _bdSeqPersistFailures++;
            }

            _bdSeqMetric.SetInteger(_bdSeq);

            // The Will is the NDEATH: bdSeq only, no seq, no payload timestamp (it is published later by the broker).
            _encoder.BeginPayload(-1);
            _encoder.WriteIntegerMetric(_bdSeqNameUtf8, SparkplugDataType.Int64, -1, _bdSeq);
            _encoder.EndPayload(-1);
            _willPayload = new byte[_encoder.Length];
            System.Array.Copy(_encoder.Buffer, _willPayload, _encoder.Length);

            MqttConnectOptions options = _config.Connection;
            if (options.ClientId == null)
            {
                options.ClientId = _config.EdgeNodeId;
            }

            if (options.KeepAliveSeconds <= 0)
            {
                // 0 would switch keepalive off: a dead link would then go unnoticed until the next publish.
                options.KeepAliveSeconds = DefaultKeepAliveSeconds;
            }

            options.WillTopic = _ndeathTopic;
            options.WillPayload = _willPayload;
            options.WillQos = 1;
            options.WillRetain = false;

            Interlocked.Exchange(ref _connectionLost, 0);
            lock (_inLock)
            {
                _inCount = 0;
                _completedCount = 0;
            }

            _lastConnectResult = _mqtt.Connect(options);
            if (_lastConnectResult != 0)
            {
                ConnectFailed(nowMicros);
                return;
            }

            if (!_mqtt.Subscribe(_ncmdTopic, 1) || !_mqtt.Subscribe(_dcmdFilter, 1))
            {
                _mqtt.Disconnect();
                _lastConnectResult = -OfflineSubscribeFailed;
                ConnectFailed(nowMicros);
                return;
            }

            _state = EdgeNodeState.Online;
            if (!PublishBirths(nowMicros))
            {
                return;
            }

            _backoff.Reset();
            _connectFailures = 0;
            if (_brokerAlarm)
            {
                _brokerAlarm = false;
                RaiseAlarm(false, 0);
            }

            RaiseEvent(EventCode.MqttOnline, _bdSeq);
        }

        private void ConnectFailed(long nowMicros)
        {
            _state = EdgeNodeState.Offline;
            _connectFailures++;
            _nextAttemptMicros = nowMicros + _backoff.NextDelayMicros();
            if (!_brokerAlarm && _connectFailures >= _config.BrokerAlarmAfterFailures)
            {
                _brokerAlarm = true;
                RaiseAlarm(true, _lastConnectResult);
            }
        }

        /// <summary>Leaves Online: devices unborn, replay in flight failed, next attempt after the backoff.</summary>
        private void EnterOffline(int reason, bool scheduleReconnect)
        {
            _state = EdgeNodeState.Offline;
            for (int d = 0; d < _deviceCount; d++)
            {
                _devices[d].Born = false;
            }

            FailReplayInFlight();
            if (scheduleReconnect)
            {
                _nextAttemptMicros = _clock.NowMicros + _backoff.NextDelayMicros();
            }

            RaiseEvent(EventCode.MqttOffline, reason);
        }

        /// <summary>A publish failed or a birth does not fit: close the link and go through the reconnect path.</summary>
        private void Fail(int reason)
        {
            _mqtt.Disconnect();
            EnterOffline(reason, true);
        }

        private int NextSeq()
        {
            _seq = (_seq + 1) & 0xFF;
            return _seq;
        }

        /// <summary>NBIRTH (seq 0) then a DBIRTH for every present device; the same bdSeq as the Will.</summary>
        private bool PublishBirths(long nowMicros)
        {
            long nowMs = _clock.UtcUnixMillis;
            FailReplayInFlight();
            for (int d = 0; d < _deviceCount; d++)
            {
                _devices[d].Born = false;
            }

            _seq = 0;
            if (!EncodeBirth(NodeMetrics, nowMs, nowMicros, 0))
            {
                Fail(OfflineBirthTooLarge);
                return false;
            }

            if (_mqtt.Publish(_nbirthTopic, _encoder.Buffer, _encoder.Length, 0, false) < 0)
            {
                Fail(OfflinePublishFailed);
                return false;
            }

            _lastBirthMicros = nowMicros;
            for (int d = 0; d < _deviceCount; d++)
            {
                SparkplugDevice device = _devices[d];
                if (device.Online && !PublishDeviceBirth(device, nowMs, nowMicros))
                {
                    return false;
                }
            }

            return true;
        }

        private bool EncodeBirth(MetricRegistry registry, long nowMs, long nowMicros, int seq)
        {
            lock (registry.SyncRoot)
            {
                _encoder.BeginPayload(nowMs);
                for (int i = 0; i < registry.Count; i++)
                {
                    _encoder.WriteMetric(registry[i], true, nowMs);
                }

                if (!_encoder.EndPayload(seq))
                {
                    return false;
                }

                for (int i = 0; i < registry.Count; i++)
                {
                    registry[i].MarkSent(nowMicros);
                }
            }

            return true;
        }

        private bool PublishDeviceBirth(SparkplugDevice device, long nowMs, long nowMicros)
        {
            int seq = (_seq + 1) & 0xFF;
            if (!EncodeBirth(device.Metrics, nowMs, nowMicros, seq))
            {
                Fail(OfflineBirthTooLarge);
                return false;
            }

            NextSeq();
            if (_mqtt.Publish(device.BirthTopic, _encoder.Buffer, _encoder.Length, 0, false) < 0)
            {
                Fail(OfflinePublishFailed);
                return false;
            }

            device.Born = true;
            return true;
        }

        /// <summary>DBIRTH for devices that came back, DDEATH for devices that went away.</summary>
        private bool PublishDevicePresence(long nowMicros)
        {
            for (int d = 0; d < _deviceCount; d++)
            {
                SparkplugDevice device = _devices[d];
                bool online = device.Online;
                if (online == device.Born)
                {
                    continue;
                }

                long nowMs = _clock.UtcUnixMillis;
                if (online)
                {
                    if (!PublishDeviceBirth(device, nowMs, nowMicros))
                    {
                        return false;
                    }

                    continue;
                }

                _encoder.BeginPayload(nowMs);
                _encoder.EndPayload(NextSeq());
                if (_mqtt.Publish(device.DeathTopic, _encoder.Buffer, _encoder.Length, 0, false) < 0)
                {
                    Fail(OfflinePublishFailed);
                    return false;
                }

                device.Born = false;
            }

            return true;
        }

        /// <summary>Report by exception: the metrics past deadband or max interval, split over messages if needed.</summary>
        private bool PublishChanged(MetricRegistry registry, string topic, long nowMicros)
        {
            int start = 0;
            int count = registry.Count;
            while (start < count)
            {
                int written = 0;
                int i;
                long nowMs = _clock.UtcUnixMillis;
                lock (registry.SyncRoot)
                {
                    _encoder.BeginPayload(nowMs);
                    for (i = start; i < count; i++)
                    {
                        SparkplugMetric metric = registry[i];
                        if (!metric.NeedsPublish(nowMicros))
                        {
                            continue;
                        }

                        int mark = _encoder.Mark();
                        _encoder.WriteMetric(metric, false, nowMs);
                        if (_encoder.Overflowed)
                        {
                            _encoder.RewindTo(mark);
                            if (written > 0)
                            {
                                break;
                            }

                            _metricsTooLarge++;
                            metric.MarkSent(nowMicros);
                            continue;
                        }

                        metric.MarkSent(nowMicros);
                        written++;
                    }
                }

                start = i;
                if (written > 0)
                {
                    _encoder.EndPayload(NextSeq());
                    if (_mqtt.Publish(topic, _encoder.Buffer, _encoder.Length, 0, false) < 0)
                    {
                        Fail(OfflinePublishFailed);
                        return false;
                    }
                }
            }

            return true;
        }

        private void ProcessCommands()
        {
            while (_state == EdgeNodeState.Online)
            {
                string topic;
                byte[] payload;
                int dropped;
                lock (_inLock)
                {
                    dropped = _inDropped;
                    _inDropped = 0;
                    if (_inCount == 0)
                    {
                        topic = null;
                        payload = null;
                    }
                    else
                    {
                        topic = _inTopics[_inHead];
                        payload = _inPayloads[_inHead];
                        _inTopics[_inHead] = null;
                        _inPayloads[_inHead] = null;
                        _inHead = (_inHead + 1) % _inTopics.Length;
                        _inCount--;
                    }
                }

                for (int i = 0; i < dropped; i++)
                {
                    Reject(ErrorCode.Busy);
                    if (!PublishChanged(NodeMetrics, _ndataTopic, _clock.NowMicros))
                    {
                        return;
                    }
                }

                if (topic == null)
                {
                    return;
                }

                ErrorCode error;
                if (!HandleCommand(topic, payload, out error))
                {
                    // Answer each refusal with its own NDATA so two refusals between polls are not merged.
                    Reject(error);
                    if (!PublishChanged(NodeMetrics, _ndataTopic, _clock.NowMicros))
                    {
                        return;
                    }
                }
            }
        }

        /// <summary>
        /// Counts the refusal, answers it on the network (the Command/Rejected metrics go out with the next
        /// NDATA, in this same Poll) and logs the event. Nothing else changes: the command was not applied.
        /// </summary>
        private void Reject(ErrorCode error)
        {
            _commandsRejected++;
            _lastCommandError = error;
            string reason = (int)error + " " + Tfb.Shell.ShellCore.ErrorText(error);
            if (_rejectedTarget != null)
            {
                reason = reason + " " + _rejectedTarget;
                _rejectedTarget = null;
            }

            _rejectedCodeMetric.SetInteger((int)error);
            _rejectedReasonMetric.SetString(reason);
            _rejectedCountMetric.SetInteger(_commandsRejected & 0x7FFFFFFF);
            RaiseEvent(EventCode.RemoteCommandRejected, (int)error);
        }

        /// <summary>Decode, resolve and convert every metric, let the sink validate all, then apply all.</summary>
        private bool HandleCommand(string topic, byte[] payload, out ErrorCode error)
        {
            _rejectedTarget = null;
            SparkplugDevice device = null;
            MetricRegistry registry;
            if (topic == _ncmdTopic)
            {
                registry = NodeMetrics;
            }
            else
            {
                for (int d = 0; d < _deviceCount && device == null; d++)
                {
                    if (topic == _devices[d].CommandTopic)
                    {
                        device = _devices[d];
                    }
                }

                if (device == null)
                {
                    error = ErrorCode.UnknownMetric;
                    return false;
                }

                registry = device.Metrics;
            }

            if (payload == null || !_decoder.TryDecode(payload, 0, payload.Length, _command, out error))
            {
                error = ErrorCode.MalformedPayload;
                return false;
            }

            int count = _command.MetricCount;
            if (count == 0)
            {
                error = ErrorCode.MalformedPayload;
                return false;
            }

            bool rebirth = false;
            for (int i = 0; i < count; i++)
            {
                SparkplugCommandMetric cm = _command.Metric(i);
                SparkplugMetric target = Resolve(registry, cm, payload);
                if (target == null)
                {
                    error = ErrorCode.UnknownMetric;
                    return false;
                }

                _rejectedTarget = target.Name;
                if (!target.Writable)
                {
                    error = ErrorCode.ReadOnly;
                    return false;
                }

                SparkplugValue value = _commandValues[i];
                if (!CommandValues.TryConvert(cm, payload, target.DataType, value, out error))
                {
                    return false;
                }

                _commandTargets[i] = target;
                if (target == _rebirthMetric)
                {
                    rebirth |= value.Boolean;
                    continue;
                }

                if (_sink == null)
                {
                    error = ErrorCode.NotSupported;
                    return false;
                }

                if (!_sink.Validate(device, target, value, out error))
                {
                    return false;
                }
            }

            for (int i = 0; i < count; i++)
            {
                if (_commandTargets[i] != _rebirthMetric)
                {
                    _sink.Apply(device, _commandTargets[i], _commandValues[i]);
                }

                _commandTargets[i] = null;
                _commandValues[i].Text = null;
                _commandValues[i].Bytes = null;
            }

            if (rebirth)
            {
                Interlocked.Exchange(ref _rebirthRequested, 1);
            }

            _rejectedTarget = null;

            error = ErrorCode.MalformedPayload;
            return true;
        }

        /// <summary>By name when present (alias, if also present, must agree), else by alias.</summary>
        private static SparkplugMetric Resolve(MetricRegistry registry, SparkplugCommandMetric cm, byte[] payload)
        {
            if (cm.HasName)
            {
                SparkplugMetric byName = registry.FindUtf8(payload, cm.NameOffset, cm.NameLength);
                if (byName != null && cm.HasAlias && byName.Alias != cm.Alias)
                {
                    return null;
                }

                return byName;
            }

            return cm.HasAlias ? registry.FindAlias(cm.Alias) : null;
        }

        private void ProcessReplay(long nowMicros)
        {
            if (_replay == null)
            {
                return;
            }

            for (;;)
            {
                int token;
                bool delivered;
                lock (_inLock)
                {
                    if (_completedCount == 0)
                    {
                        break;
                    }

                    token = _completedTokens[_completedHead];
                    delivered = _completedDelivered[_completedHead];
                    _completedHead = (_completedHead + 1) % CompletionQueueLength;
                    _completedCount--;
                }

                if (_replayEntry >= 0 && token == _replayToken)
                {
                    int entry = _replayEntry;
                    _replayEntry = -1;
                    _replay.OnReplayCompleted(entry, delivered);
                }
            }

            if (_replayEntry >= 0)
            {
                if (nowMicros - _replaySentMicros >= ReplayTimeoutMicros)
                {
                    FailReplayInFlight();
                }

                return;
            }

            if (!_replay.HasPending)
            {
                return;
            }

            _encoder.BeginPayload(_clock.UtcUnixMillis);
            SparkplugDevice device;
            int id = _replay.WriteNext(_encoder, out device);
            if (id < 0)
            {
                return;
            }

            if (_encoder.Overflowed || (device != null && !device.Born))
            {
                _replay.OnReplayCompleted(id, false);
                return;
            }

            _encoder.EndPayload(NextSeq());
            int sent = _mqtt.Publish(device == null ? _ndataTopic : device.DataTopic, _encoder.Buffer, _encoder.Length, 1, false);
            if (sent <= 0)
            {
                _replay.OnReplayCompleted(id, false);
                if (sent < 0)
                {
                    Fail(OfflinePublishFailed);
                }

                return;
            }

            _replayEntry = id;
            _replayToken = sent;
            _replaySentMicros = nowMicros;
        }

        private void FailReplayInFlight()
        {
            if (_replayEntry >= 0)
            {
                int entry = _replayEntry;
                _replayEntry = -1;
                _replay.OnReplayCompleted(entry, false);
            }
        }

        private void RaiseEvent(EventCode code, int detail)
        {
            if (_events != null)
            {
                _events.OnEvent(code, detail);
            }
        }

        private void RaiseAlarm(bool active, int detail)
        {
            if (_events != null)
            {
                _events.OnAlarm(AlarmCode.BrokerUnreachable, active, detail);
            }
        }
    }
}
