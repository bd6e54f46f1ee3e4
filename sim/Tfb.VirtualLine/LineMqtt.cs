using Google.Protobuf;
using MQTTnet;
using Tfb.Plant.Scenarios;
using Tfb.SparkplugReference;

namespace Tfb.VirtualLine;

/// <summary>
/// The line's MQTT side: every board's edge node polled on one MQTT thread (tier T2, as on a board), optionally
/// the embedded broker (which scenarios can take down and bring back), and a SCADA observer that decodes what
/// the boards publish with the independent reference decoder. Implements the scenario MQTT and metric hooks.
/// </summary>
public sealed class LineMqtt : IScenarioMqtt, IScenarioMetrics, IAsyncDisposable
{
    /// <summary>Sparkplug group id of the virtual line.</summary>
    public const string GroupId = "TfbLine";

    private readonly Line _line;
    private readonly string _host;
    private readonly int _port;
    private readonly Thread _poller;
    private readonly Thread _persister;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _pollSync = new();
    // Separate from _pollSync: a poll blocked on the network must not hold up persistence.
    private readonly object _persistSync = new();
    private EmbeddedBroker? _broker;
    private SparkplugObserver? _observer;

    private LineMqtt(Line line, EmbeddedBroker? broker, string host, int port)
    {
        _line = line;
        _broker = broker;
        _host = host;
        _port = port;
        _poller = new Thread(PollLoop) { IsBackground = true, Name = "mqtt" };
        _persister = new Thread(PersistLoop) { IsBackground = true, Name = "persistence" };
    }

    private void StartNodes()
    {
        foreach (var b in _line.Boards) b.AttachMqtt(GroupId, _host, _port);
        _poller.Start();
        _persister.Start();
    }

    /// <summary>Starts the edge nodes against <paramref name="host"/>:<paramref name="port"/>; with <paramref name="embedded"/> the line owns that broker.</summary>
    public static async Task<LineMqtt> StartAsync(Line line, string host, int port, EmbeddedBroker? embedded, bool observe)
    {
        var m = new LineMqtt(line, embedded, host, port);
        // SCADA subscribes first, as a primary host would, so it sees every birth.
        if (observe) m._observer = await SparkplugObserver.ConnectAsync(host, port, "tfb-scada-observer");
        m.StartNodes();
        return m;
    }

    /// <summary>The SCADA observer, when started with one.</summary>
    public SparkplugObserver? Observer => _observer;

    private void PollLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            lock (_pollSync)
            {
                foreach (var b in _line.Boards) b.Edge?.Poll();
            }
            _stop.Token.WaitHandle.WaitOne(20);
        }
    }

    // The persistence thread: alarm and event records into each board's durable queue, independent of the network.
    private void PersistLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            lock (_persistSync)
            {
                foreach (var b in _line.Boards) b.Edge?.ForwardLogs();
            }
            _stop.Token.WaitHandle.WaitOne(20);
        }
    }

    /// <summary>
    /// Power-cycles a board (<see cref="Line.ResetBoard"/>): its MQTT link drops without DISCONNECT (the broker
    /// publishes its Will, the NDEATH), and the rebooted firmware starts a new session with the next bdSeq and
    /// replays what its store-and-forward partition still holds.
    /// </summary>
    public VirtualBoard ResetBoard(string name)
    {
        lock (_pollSync)
        lock (_persistSync)
        {
            _line.Board(name)?.Transport?.Abort();
            var fresh = _line.ResetBoard(name);
            fresh.AttachMqtt(GroupId, _host, _port);
            return fresh;
        }
    }

    /// <summary>Stops polling and ends every session with NDEATH before DISCONNECT (an intentional stop).</summary>
    public void StopNodes()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _poller.Join(5000);
        _persister.Join(5000);
        foreach (var b in _line.Boards) b.Edge?.Stop();
    }

    /// <inheritdoc />
    public void SendCommand(string board, string? device, string metric, ScenarioValue value)
    {
        var node = _line.Board(board)?.Definition.Name ?? throw new InvalidOperationException($"no board '{board}'");
        var m = new Metric { Name = metric, Timestamp = (ulong)_line.Clock.UtcUnixMillis };
        // As a SCADA client does: a number goes out in the datatype the birth declared for the metric (the edge node
        // refuses a wrong one with its code); a metric SCADA has not seen born goes out as Int64 or Double.
        uint born = 0;
        _observer?.TryGetDatatype(node, device == null ? metric : device + "/" + metric, out born);
        switch (value.Kind)
        {
            case ScenarioValueKind.Bool: m.Datatype = 11; m.BooleanValue = value.Bool; break;
            case ScenarioValueKind.Text: m.Datatype = 12; m.StringValue = value.Text; break;
            default:
                switch (born)
                {
                    case 1: case 2: case 3: case 5: case 6:
                        m.Datatype = born; m.IntValue = unchecked((uint)(long)value.Number); break;
                    case 4: case 7: case 8:
                        m.Datatype = born; m.LongValue = unchecked((ulong)(long)value.Number); break;
                    case 9: m.Datatype = 9; m.FloatValue = (float)value.Number; break;
                    case 10: m.Datatype = 10; m.DoubleValue = value.Number; break;
                    default:
                        if (value.IsInteger) { m.Datatype = 4; m.LongValue = unchecked((ulong)(long)value.Number); }
                        else { m.Datatype = 10; m.DoubleValue = value.Number; }
                        break;
                }
                break;
        }
        var payload = new Payload { Timestamp = (ulong)_line.Clock.UtcUnixMillis };
        payload.Metrics.Add(m);
        string topic = device == null ? $"spBv1.0/{GroupId}/NCMD/{node}" : $"spBv1.0/{GroupId}/DCMD/{node}/{device}";
        var client = new MqttClientFactory().CreateMqttClient();
        client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_host, _port).WithClientId("tfb-scada-command").Build()).GetAwaiter().GetResult();
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload.ToByteArray())
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build()).GetAwaiter().GetResult();
        client.DisconnectAsync().GetAwaiter().GetResult();
        client.Dispose();
    }

    /// <inheritdoc />
    public void SetBrokerUp(bool up)
    {
        if (up && _broker == null)
        {
            _broker = EmbeddedBroker.StartAsync(_port).GetAwaiter().GetResult();
            if (_observer != null)
            {
                _observer.DisposeAsync().AsTask().GetAwaiter().GetResult();
                _observer = SparkplugObserver.ConnectAsync(_host, _port, "tfb-scada-observer").GetAwaiter().GetResult();
            }
        }
        else if (!up && _broker != null)
        {
            _broker.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _broker = null;
        }
    }

    /// <inheritdoc />
    public bool TryGetMetric(string board, string metric, out ScenarioValue value)
    {
        value = ScenarioValue.Of(false);
        var node = _line.Board(board)?.Definition.Name;
        if (node == null || _observer == null || !_observer.TryGet(node, metric, out var m)) return false;
        switch (m.ValueCase)
        {
            case Metric.ValueOneofCase.BooleanValue: value = ScenarioValue.Of(m.BooleanValue); return true;
            case Metric.ValueOneofCase.StringValue: value = ScenarioValue.Of(m.StringValue); return true;
            case Metric.ValueOneofCase.IntValue: value = ScenarioValue.Of(unchecked((int)m.IntValue)); return true;
            case Metric.ValueOneofCase.LongValue: value = ScenarioValue.Of(unchecked((long)m.LongValue)); return true;
            case Metric.ValueOneofCase.FloatValue: value = ScenarioValue.Of(m.FloatValue); return true;
            case Metric.ValueOneofCase.DoubleValue: value = ScenarioValue.Of(m.DoubleValue); return true;
            default: return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        StopNodes();
        foreach (var b in _line.Boards) b.Transport?.Dispose();
        if (_observer != null) await _observer.DisposeAsync();
        if (_broker != null) await _broker.DisposeAsync();
        _stop.Dispose();
    }
}
