using System.Collections.Concurrent;
using MQTTnet;
using Tfb.SparkplugReference;

namespace Tfb.VirtualLine;

/// <summary>
/// A SCADA host's view of the line, decoded with the independent reference decoder (Google.Protobuf and our own
/// schema), not with the firmware's codec: every edge node's metrics by name (aliases resolved from its births),
/// their last values, and the messages seen. Scenarios read metrics through it; tests check what SCADA would see.
/// </summary>
public sealed class SparkplugObserver : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, Node> _nodes = new();
    private readonly ConcurrentQueue<string> _topics = new();
    private readonly ConcurrentQueue<(string Node, string Name, Metric Metric)> _historical = new();

    private sealed class Node
    {
        public readonly ConcurrentDictionary<ulong, string> AliasToName = new();
        public readonly ConcurrentDictionary<string, Metric> Last = new();
        public readonly ConcurrentDictionary<string, uint> Datatype = new();
    }

    private SparkplugObserver(IMqttClient client) => _client = client;

    /// <summary>Connects to the broker and subscribes to every Sparkplug topic.</summary>
    public static async Task<SparkplugObserver> ConnectAsync(string host, int port, string clientId = "tfb-observer")
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var observer = new SparkplugObserver(client);
        client.ApplicationMessageReceivedAsync += e =>
        {
            observer.OnMessage(e.ApplicationMessage.Topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId(clientId).WithCleanSession().Build();
        await client.ConnectAsync(options);
        await client.SubscribeAsync("spBv1.0/#", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);
        return observer;
    }

    /// <summary>Historical metrics (store-and-forward replays) received so far, in arrival order.</summary>
    public IReadOnlyCollection<(string Node, string Name, Metric Metric)> Historical => _historical;

    /// <summary>Topics received so far, in arrival order.</summary>
    public IReadOnlyCollection<string> Topics => _topics;

    private void OnMessage(string topic, byte[] payload)
    {
        _topics.Enqueue(topic);
        var parts = topic.Split('/');
        if (parts.Length < 4 || parts[0] != "spBv1.0") return;
        string type = parts[2];
        string node = parts[3];
        if (type is not ("NBIRTH" or "NDATA" or "DBIRTH" or "DDATA")) return;
        Payload p;
        try { p = Payload.Parser.ParseFrom(payload); }
        catch (Google.Protobuf.InvalidProtocolBufferException) { return; }
        var n = _nodes.GetOrAdd(node, _ => new Node());
        string prefix = parts.Length > 4 ? parts[4] + "/" : "";
        foreach (var m in p.Metrics)
        {
            string? name = m.HasName ? m.Name : (m.HasAlias && n.AliasToName.TryGetValue(m.Alias, out var known) ? known : null);
            if (name == null) continue;
            if (m.HasName && m.HasAlias) n.AliasToName[m.Alias] = name;
            if (m.HasDatatype && m.Datatype != 0) n.Datatype[prefix + name] = m.Datatype;
            if (m.IsHistorical)
            {
                _historical.Enqueue((node, prefix + name, m));
                continue;
            }
            n.Last[prefix + name] = m;
        }
    }

    /// <summary>The last metric value SCADA saw from edge node <paramref name="node"/> (device metrics as "device/name").</summary>
    public bool TryGet(string node, string metric, out Metric value)
    {
        value = null!;
        return _nodes.TryGetValue(node, out var n) && n.Last.TryGetValue(metric, out value!);
    }

    /// <summary>The datatype a birth declared for a metric of edge node <paramref name="node"/> ("device/name" for devices).</summary>
    public bool TryGetDatatype(string node, string metric, out uint datatype)
    {
        datatype = 0;
        return _nodes.TryGetValue(node, out var n) && n.Datatype.TryGetValue(metric, out datatype);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}
