using Tfb.Codes;
using Tfb.Hal;
using Tfb.Scan;
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
    /// Station modules add their own Sparkplug devices. Alarms the session raises (broker unreachable) go into
    /// the board's alarm log; its events into the event log.
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

        /// <summary>Creates the session and declares the board metrics (after <see cref="BoardRuntime.Boot"/>).</summary>
        /// <param name="runtime">The booted board.</param>
        /// <param name="config">Group, node id, connection, identity.</param>
        /// <param name="transport">MQTTnet on the host, M2Mqtt on a board.</param>
        /// <param name="bdSeqPartition">Where bdSeq persists (24 bytes or more).</param>
        public BoardEdgeNode(BoardRuntime runtime, EdgeNodeConfig config, IMqttSession transport, INvStore bdSeqPartition)
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
            _codes = new int[runtime.Options.MaxActiveAlarms];
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

        /// <summary>Copies the latest snapshot and alarm state into the metrics, then runs the session once.</summary>
        public void Poll()
        {
            Refresh();
            _session.Poll();
        }

        private void Refresh()
        {
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
