using Tfb.Codes;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Storage;
using Tfb.Sparkplug;

namespace Tfb.Runtime
{
    /// <summary>
    /// The board's Sparkplug B edge node: the session (births, seq, bdSeq, commands) plus the board-level metrics
    /// every board publishes, refreshed from the scan's snapshot on the MQTT thread (tier T2).
    /// </summary>
    /// <remarks>
    /// Node metrics: <c>Inputs/&lt;name&gt;</c> for every declared input (Double in its engineering unit, null
    /// while invalid: missing data is never published as a number; Boolean for digital inputs),
    /// <c>Alarms/Active Count</c> (Int32), <c>Alarms/Active Codes</c> (String, the active alarm codes in
    /// ascending order separated by spaces), <c>Scan/Overruns</c> (Int32), <c>Scan/Tripped</c> (Boolean).
    /// Every alarm raise and reset and every event also goes through the store-and-forward queue (when the board
    /// has an <c>sfq</c> partition) as <c>Alarms/Log/Code</c> + <c>Alarms/Log/Detail</c> (a reset carries the code
    /// negated) or <c>Events/Log/Code</c> + <c>Events/Log/Detail</c>, replayed as historical metrics with their
    /// own timestamps and an <c>SF/Seq</c> after every birth and deleted only on PUBACK: none is lost across a
    /// broker outage or a reboot. Station modules that implement <see cref="IEdgeNodeModule"/> declare their own
    /// Sparkplug devices and commands, refresh their metrics before every poll and append their own records here (records up to <see cref="MaxRecordBytes"/>). Alarms the session raises
    /// (broker unreachable) go into the board's alarm log; its events into the event log.
    /// </remarks>
    public sealed class BoardEdgeNode : IEdgeNodeEvents
    {
        private readonly BoardRuntime _runtime;
        private readonly EdgeNodeSession _session;
        private readonly ScanSnapshotCopy _copy;
        private readonly ScanStatus _status;
        private readonly SparkplugMetric[] _ain;
        private readonly SparkplugMetric[] _din;
        private readonly SparkplugMetric _alarmCount;
        private readonly SparkplugMetric _alarmCodes;
        private readonly SparkplugMetric _overruns;
        private readonly SparkplugMetric _tripped;
        private readonly int[] _codes;
        private readonly SparkplugMetric _alarmCode;
        private readonly SparkplugMetric _alarmDetail;
        private readonly SparkplugMetric _eventCode;
        private readonly SparkplugMetric _eventDetail;
        private readonly SettingsCommandSink _commands;
        private readonly StoreForwardQueue _storeForward;
        private readonly StoreForwardRecord _record;
        private readonly object _forwardSync = new object();
        private int _nextAlarmSeq;
        private int _nextEventSeq;

        /// <summary>Largest store-and-forward record (bytes).</summary>
        public const int MaxRecordBytes = 1024;

        /// <summary>Creates the session and declares the board metrics (after <see cref="BoardRuntime.Boot"/>).</summary>
        /// <param name="runtime">The booted board.</param>
        /// <param name="config">Group, node id, connection, identity.</param>
        /// <param name="transport">MQTTnet on the host, M2Mqtt on a board.</param>
        /// <param name="bdSeqPartition">Where bdSeq persists (24 bytes or more).</param>
        /// <param name="storeForwardPartition">Where alarms and events wait for a confirmed delivery; null = none (they are then only live values).</param>
        public BoardEdgeNode(BoardRuntime runtime, EdgeNodeConfig config, IMqttSession transport, INvStore bdSeqPartition, INvStore storeForwardPartition)
        {
            _runtime = runtime;
            _session = new EdgeNodeSession(config, transport, runtime.Clock, bdSeqPartition);
            _session.SetEvents(this);
            InputMonitor inputs = runtime.Inputs;
            _ain = new SparkplugMetric[inputs.AnalogCount];
            for (int i = 0; i < _ain.Length; i++)
            {
                Boards.AnalogInputDef def = runtime.Board.AnalogInputs[i];
                // Deadband: 0.5 % of the input's span, so converter noise does not flood the broker.
                double deadband = (def.EngMax - def.EngMin) * 0.005;
                _ain[i] = _session.NodeMetrics.Add("Inputs/" + inputs.AnalogName(i), SparkplugDataType.Double, deadband, 60000);
            }
            _din = new SparkplugMetric[inputs.DigitalCount];
            for (int i = 0; i < _din.Length; i++)
            {
                _din[i] = _session.NodeMetrics.Add("Inputs/" + inputs.DigitalName(i), SparkplugDataType.Boolean, 0, 60000);
            }
            _alarmCount = _session.NodeMetrics.Add("Alarms/Active Count", SparkplugDataType.Int32, 0, 60000);
            _alarmCodes = _session.NodeMetrics.Add("Alarms/Active Codes", SparkplugDataType.String, 0, 60000, false, 256, null);
            _overruns = _session.NodeMetrics.Add("Scan/Overruns", SparkplugDataType.Int32, 0, 60000);
            _tripped = _session.NodeMetrics.Add("Scan/Tripped", SparkplugDataType.Boolean, 0, 60000);
            _alarmCode = _session.NodeMetrics.Add("Alarms/Log/Code", SparkplugDataType.Int32, 0, 0);
            _alarmDetail = _session.NodeMetrics.Add("Alarms/Log/Detail", SparkplugDataType.Int32, 0, 0);
            _eventCode = _session.NodeMetrics.Add("Events/Log/Code", SparkplugDataType.Int32, 0, 0);
            _eventDetail = _session.NodeMetrics.Add("Events/Log/Detail", SparkplugDataType.Int32, 0, 0);
            _codes = new int[runtime.Options.MaxActiveAlarms];

            // Commands from SCADA go through the console's validation and access rules; station modules expose
            // their setpoints on it. Nothing here can reset an alarm or an interlock.
            _commands = new SettingsCommandSink(runtime.Settings, AccessLevel.Technician, 32);
            _session.SetCommandSink(_commands);

            // Station modules that publish declare their devices before the queue binds the SF/Seq metrics.
            for (int i = 0; i < runtime.ModuleCount; i++)
            {
                IEdgeNodeModule m = runtime.Module(i) as IEdgeNodeModule;
                if (m != null) m.AttachEdgeNode(_session, _commands);
            }

            if (storeForwardPartition != null)
            {
                PersistentQueue queue = new PersistentQueue(storeForwardPartition, MaxRecordBytes, runtime.Alarms);
                queue.Open();
                _storeForward = new StoreForwardQueue(queue, _session, MaxRecordBytes, runtime.Alarms);
                _session.SetReplaySource(_storeForward);
                _record = new StoreForwardRecord(MaxRecordBytes);
            }
            for (int i = 0; i < runtime.ModuleCount; i++)
            {
                IEdgeNodeModule m = runtime.Module(i) as IEdgeNodeModule;
                if (m != null) m.AttachStoreForward(_storeForward);
            }

            _copy = runtime.Scan.Snapshot.CreateCopy();
            _status = runtime.Scan.CreateStatus();
            Refresh();
        }

        /// <summary>The Sparkplug session (status, devices, command sink and replay source hooks).</summary>
        public EdgeNodeSession Session { get { return _session; } }

        /// <summary>Starts connecting (non-blocking; <see cref="Poll"/> does the work).</summary>
        public bool Start() { return _session.Start(); }

        /// <summary>Publishes NDEATH and disconnects (an intentional stop).</summary>
        public void Stop() { _session.Stop(); }

        /// <summary>The command sink (station modules expose settings and actions on it).</summary>
        public SettingsCommandSink Commands { get { return _commands; } }

        /// <summary>The store-and-forward queue, or null.</summary>
        public StoreForwardQueue StoreForward { get { return _storeForward; } }

        /// <summary>Log records written to the rings but not yet moved into the durable queue.</summary>
        public int LogRecordsPending
        {
            get
            {
                lock (_forwardSync)
                {
                    return (_runtime.Alarms.History.NextSeq - _nextAlarmSeq) + (_runtime.Events.NextSeq - _nextEventSeq);
                }
            }
        }

        /// <summary>Log records lost because the ring overwrote them before the queue could take them (should stay 0).</summary>
        public int LogRecordsLost { get; private set; }

        /// <summary>Copies the latest snapshot and alarm state into the metrics, then runs the session once (MQTT thread).</summary>
        public void Poll()
        {
            Refresh();
            _session.Poll();
        }

        /// <summary>
        /// Moves new alarm and event log records into the durable store-and-forward queue. Called from its own
        /// persistence thread, not the MQTT thread: a connect blocked on the network must not keep alarms in RAM.
        /// </summary>
        public void ForwardLogs()
        {
            if (_storeForward != null)
            {
                lock (_forwardSync)
                {
                    _nextAlarmSeq = Forward(_runtime.Alarms.History, _nextAlarmSeq, _alarmCode, _alarmDetail);
                    _nextEventSeq = Forward(_runtime.Events, _nextEventSeq, _eventCode, _eventDetail);
                }
            }

            for (int i = 0; i < _runtime.ModuleCount; i++)
            {
                IEdgeNodeModule m = _runtime.Module(i) as IEdgeNodeModule;
                if (m != null) m.ForwardRecords();
            }
        }

        // Every record of the ring since `next` becomes one store-and-forward record (alarm raises with the code,
        // resets with the code negated), replayed after the birth as historical metrics with their own time.
        // A full queue leaves the rest for the next poll: nothing is skipped.
        private int Forward(LogRing ring, int next, SparkplugMetric code, SparkplugMetric detail)
        {
            int end = ring.NextSeq;
            while (next != end)
            {
                if (_storeForward.ProducersMustPause) return next;
                LogEntry e;
                if (!ring.TryGet(next, out e))
                {
                    if (next < ring.OldestSeq) { LogRecordsLost += ring.OldestSeq - next; next = ring.OldestSeq; continue; }
                    return next;
                }
                _record.Begin(null, e.UtcMs != 0 ? e.UtcMs : _runtime.Clock.UtcUnixMillis);
                _record.AddInteger(code, e.Code);
                _record.AddInteger(detail, e.Detail);
                uint seq;
                ErrorCode error;
                if (!_storeForward.TryAppend(_record, out seq, out error)) return next;
                next = next == int.MaxValue ? 0 : next + 1;
            }
            return next;
        }

        private void Refresh()
        {
            for (int i = 0; i < _runtime.ModuleCount; i++)
            {
                IEdgeNodeModule m = _runtime.Module(i) as IEdgeNodeModule;
                if (m != null) m.RefreshMetrics();
            }
            InputMonitor inputs = _runtime.Inputs;
            if (_runtime.Scan.Snapshot.TryRead(_copy) && _copy.PublishCount > 0)
            {
                for (int i = 0; i < _ain.Length; i++)
                {
                    if (_copy.Bools[inputs.AnalogValidField(i)]) _ain[i].SetReal(_copy.Doubles[inputs.AnalogField(i)]);
                    else _ain[i].SetNull();
                }
                for (int i = 0; i < _din.Length; i++)
                {
                    if (_copy.Bools[inputs.DigitalValidField(i)]) _din[i].SetBoolean(_copy.Bools[inputs.DigitalField(i)]);
                    else _din[i].SetNull();
                }
            }
            int n = 0;
            int code, detail;
            long since;
            for (int i = 0; i < _codes.Length && _runtime.Alarms.TryGetActive(i, out code, out detail, out since); i++) _codes[n++] = code;
            // Insertion sort (nanoFramework has no Array.Sort); a handful of codes.
            for (int i = 1; i < n; i++)
            {
                int v = _codes[i];
                int j = i - 1;
                while (j >= 0 && _codes[j] > v) { _codes[j + 1] = _codes[j]; j--; }
                _codes[j + 1] = v;
            }
            string text = "";
            for (int i = 0; i < n; i++) text = i == 0 ? _codes[i].ToString() : text + " " + _codes[i].ToString();
            _alarmCount.SetInteger(n);
            _alarmCodes.SetString(text);
            if (_runtime.Scan.TryReadStatus(_status))
            {
                _overruns.SetInteger(_status.OverrunCount);
                _tripped.SetBoolean(_status.Tripped);
            }
        }

        /// <summary>Session events go into the board's event log.</summary>
        public void OnEvent(EventCode code, int detail) { _runtime.Events.Add((int)code, detail); }

        /// <summary>Session alarms (broker unreachable) go into the board's alarm log.</summary>
        public void OnAlarm(AlarmCode code, bool active, int detail)
        {
            if (active) _runtime.Alarms.Raise((int)code, detail);
            else _runtime.Alarms.Reset((int)code);
        }
    }
}
