using Google.Protobuf;
using Tfb.Boards.Virtual;
using Tfb.Codes;
using Tfb.Settings;
using Tfb.Sparkplug;
using Ref = Tfb.SparkplugReference;

namespace Tfb.Sparkplug.Host.Tests;

/// <summary>
/// The edge node on the MQTTnet host transport against an in-process MQTTnet broker, observed from the
/// broker (CONNECT, packet order) and from a SCADA subscriber; named after the Sparkplug compatibility-kit
/// assertion areas. Every payload is decoded with Google.Protobuf from our own .proto.
/// </summary>
public sealed class EdgeNodeOverBrokerTests : IAsyncLifetime
{
    private readonly Broker _broker = new();
    private readonly Scada _scada = new();

    public async Task InitializeAsync()
    {
        await _broker.StartAsync();
        await _scada.ConnectAsync(_broker.Port);
    }

    public async Task DisposeAsync()
    {
        await _scada.DisposeAsync();
        await _broker.DisposeAsync();
    }

    private static long BdSeq(Ref.Payload p) => (long)p.Metrics.Single(m => m.Name == "bdSeq").LongValue;

    private List<(string Topic, Ref.Payload P, int Qos, bool Retain)> Received(string topic) =>
        _scada.Decoded().Where(m => m.Topic == topic).ToList();

    private void WaitFor(string topic, int count = 1) =>
        Wait.For(() => _scada.Messages.Count(m => m.Topic == topic) >= count, $"{count} x {topic}");

    [Fact]
    public async Task Tck_Payload_Connect_CleanSession_WillIsNDeathQos1NotRetained_WithTheBirthBdSeq()
    {
        using var node = new Node(_broker.Port, new MemoryNvStore(64), new MemoryNvStore(8192));
        WaitFor(node.Topic("NBIRTH"));
        var connect = Assert.Single(_broker.Connects, c => c.ClientId == node.Id);
        Assert.True(connect.CleanSession);
        Assert.Equal(node.Id, connect.ClientId);
        var birth = Received(node.Topic("NBIRTH")).Single();
        Assert.False(birth.Retain);

        // The Will as the broker publishes it when the link dies: topic, QoS 1 (we subscribe at 1), not retained.
        await _broker.KickAsync(node.Id);
        WaitFor(node.Topic("NDEATH"));
        var will = Received(node.Topic("NDEATH")).First();
        Assert.Equal(1, will.Qos);
        Assert.DoesNotContain(node.Topic("NDEATH"), await _broker.RetainedTopicsAsync());
        var metric = Assert.Single(will.P.Metrics);
        Assert.Equal("bdSeq", metric.Name);
        Assert.Equal(4u, metric.Datatype);
        Assert.Equal(BdSeq(birth.P), BdSeq(will.P));
        Assert.False(will.P.HasSeq);
    }

    [Fact]
    public void Tck_Topics_SubscribesNcmdDcmd_BeforeNBirth_ThenDBirth_SeqFromZero()
    {
        using var node = new Node(_broker.Port, new MemoryNvStore(64), new MemoryNvStore(8192));
        WaitFor(node.Topic("DBIRTH", "SheetTest"));
        var order = _broker.Inbound.Where(i => i.ClientId == node.Id).Select(i => i.What).ToList();
        int subNcmd = order.FindIndex(w => w.StartsWith("SUBSCRIBE") && w.Contains("/NCMD/"));
        int subDcmd = order.FindIndex(w => w.StartsWith("SUBSCRIBE") && w.Contains("/DCMD/"));
        int nbirth = order.IndexOf("PUBLISH " + node.Topic("NBIRTH"));
        int dbirth = order.IndexOf("PUBLISH " + node.Topic("DBIRTH", "SheetTest"));
        Assert.True(subNcmd >= 0 && subDcmd >= 0 && subNcmd < nbirth && subDcmd < nbirth, string.Join("; ", order));
        Assert.True(nbirth < dbirth);
        var nb = Received(node.Topic("NBIRTH")).Single().P;
        var db = Received(node.Topic("DBIRTH", "SheetTest")).Single().P;
        Assert.Equal(0ul, nb.Seq);
        Assert.Equal(1ul, db.Seq);
        Assert.Contains(nb.Metrics, m => m.Name == "Node Control/Rebirth" && m.Datatype == 11 && !m.BooleanValue);
        Assert.Contains(db.Metrics, m => m.Name == StoreForwardQueue.SeqMetricName && m.IsNull);
        Assert.All(nb.Metrics.Concat(db.Metrics), m => Assert.True(m.Timestamp > 0 && m.Datatype > 0));
    }

    [Fact]
    public async Task Tck_Operational_Rebirth_SameBdSeq_SeqRestarts_AndRbeSendsOnlyChanges()
    {
        using var node = new Node(_broker.Port, new MemoryNvStore(64), new MemoryNvStore(8192));
        WaitFor(node.Topic("DBIRTH", "SheetTest"));
        node.Invoke(() => node.Uptime.SetInteger(42));
        WaitFor(node.Topic("NDATA"));
        var data = Received(node.Topic("NDATA")).Single();
        Assert.Equal(2ul, data.P.Seq);
        Assert.Equal(0, data.Qos);
        Assert.Equal(42ul, Assert.Single(data.P.Metrics).LongValue); // only the changed metric

        var cmd = new Ref.Payload { Timestamp = 1, Metrics = { new Ref.Metric { Name = "Node Control/Rebirth", Datatype = 11, BooleanValue = true } } };
        await _scada.PublishAsync(node.Topic("NCMD"), cmd.ToByteArray());
        WaitFor(node.Topic("NBIRTH"), 2);
        WaitFor(node.Topic("DBIRTH", "SheetTest"), 2);
        var births = Received(node.Topic("NBIRTH"));
        Assert.Equal(BdSeq(births[0].P), BdSeq(births[1].P));
        Assert.Equal(0ul, births[1].P.Seq);
        Assert.Equal(1ul, Received(node.Topic("DBIRTH", "SheetTest"))[1].P.Seq);
        Assert.Single(_broker.Connects, c => c.ClientId == node.Id); // rebirth is not a reconnect
    }

    [Fact]
    public void Tck_Operational_IntentionalStop_NDeathBeforeDisconnect()
    {
        var node = new Node(_broker.Port, new MemoryNvStore(64), new MemoryNvStore(8192));
        WaitFor(node.Topic("NBIRTH"));
        long bdSeq = BdSeq(Received(node.Topic("NBIRTH")).Single().P);
        node.Dispose();
        WaitFor(node.Topic("NDEATH"));
        Wait.For(() => _broker.Inbound.Any(i => i.ClientId == node.Id && i.What == "DISCONNECT"), "DISCONNECT");
        var order = _broker.Inbound.Where(i => i.ClientId == node.Id).Select(i => i.What).ToList();
        Assert.True(order.IndexOf("PUBLISH " + node.Topic("NDEATH")) < order.IndexOf("DISCONNECT"));
        Assert.Equal(bdSeq, BdSeq(Received(node.Topic("NDEATH")).Single().P));
        Assert.Single(Received(node.Topic("NDEATH"))); // the Will was not published as well
    }

    [Fact]
    public async Task Tck_Operational_LinkLoss_BrokerPublishesWill_ReconnectTakesNextBdSeq()
    {
        using var node = new Node(_broker.Port, new MemoryNvStore(64), new MemoryNvStore(8192));
        WaitFor(node.Topic("NBIRTH"));
        long first = BdSeq(Received(node.Topic("NBIRTH")).Single().P);
        await _broker.KickAsync(node.Id);
        WaitFor(node.Topic("NDEATH"));
        var death = Received(node.Topic("NDEATH")).Single();
        Assert.Equal(first, BdSeq(death.P));
        Assert.False(death.Retain);
        WaitFor(node.Topic("NBIRTH"), 2);
        Assert.Equal((first + 1) & 0xFF, BdSeq(Received(node.Topic("NBIRTH"))[1].P));
    }

    [Fact]
    public void Tck_Operational_DDeath_WhenTheDeviceGoesAway()
    {
        using var node = new Node(_broker.Port, new MemoryNvStore(64), new MemoryNvStore(8192));
        WaitFor(node.Topic("DBIRTH", "SheetTest"));
        node.Tester.SetOnline(false);
        WaitFor(node.Topic("DDEATH", "SheetTest"));
        var death = Received(node.Topic("DDEATH", "SheetTest")).Single();
        Assert.Equal(2ul, death.P.Seq);
        Assert.Empty(death.P.Metrics);
    }

    private sealed class SettingsFactory : ICommandSinkFactory
    {
        public readonly SettingsRegistry Settings = new(4);
        public int Speed, Trip;

        public void Attach(Node node)
        {
            Speed = Settings.Add(SettingDef.Number("web.speed_mps", "m/s", SettingType.Real, 0.01, 0.5, 0.1, AccessLevel.Technician, "web speed"));
            Trip = Settings.Add(SettingDef.Number("web.tension_max_n", "N", SettingType.Integer, 10, 400, 200, AccessLevel.Engineer, "trip"));
            var sink = new SettingsCommandSink(Settings, AccessLevel.Technician, 4);
            sink.ExposeSetting(node.Session.NodeMetrics, "Settings/Web Speed", "web.speed_mps");
            sink.ExposeSetting(node.Session.NodeMetrics, "Settings/Tension Max", "web.tension_max_n");
            node.Session.SetCommandSink(sink);
        }
    }

    [Fact]
    public async Task Tck_Operational_Ncmd_Accepted_And_Refused_AnsweredOnTheWire()
    {
        var settings = new SettingsFactory();
        using var node = new Node(_broker.Port, new MemoryNvStore(64), new MemoryNvStore(8192), settings);
        WaitFor(node.Topic("NBIRTH"));
        var birth = Received(node.Topic("NBIRTH")).Single().P;
        ulong Alias(string n) => birth.Metrics.Single(m => m.Name == n).Alias;

        await _scada.PublishAsync(node.Topic("NCMD"), new Ref.Payload { Timestamp = 1, Metrics = { new Ref.Metric { Name = "Settings/Web Speed", DoubleValue = 0.2 } } }.ToByteArray());
        await _scada.PublishAsync(node.Topic("NCMD"), new Ref.Payload { Timestamp = 1, Metrics = { new Ref.Metric { Name = "Settings/Tension Max", IntValue = 300 } } }.ToByteArray());
        await _scada.PublishAsync(node.Topic("NCMD"), new byte[] { 0x12, 0x7F, 0x01 });
        Wait.For(() => node.Session.CommandsRejected == 2, "two refusals");
        Wait.For(() => Received(node.Topic("NDATA")).SelectMany(m => m.P.Metrics).Count(m => m.Alias == Alias(EdgeNodeSession.RejectedCountMetricName)) >= 2, "refusals published");
        Assert.Equal(0.2, settings.Settings.GetNumber(settings.Speed));
        Assert.Equal(200, settings.Settings.GetInt(settings.Trip));
        var codes = Received(node.Topic("NDATA")).SelectMany(m => m.P.Metrics).Where(m => m.Alias == Alias(EdgeNodeSession.RejectedCodeMetricName)).Select(m => (ErrorCode)m.IntValue).ToList();
        Assert.Equal(new[] { ErrorCode.AccessDenied, ErrorCode.MalformedPayload }, codes);
        Assert.Equal(EdgeNodeState.Online, node.Session.State);
    }

    [Fact]
    public async Task StoreForward_BrokerOutage_EveryResultArrives_DuplicatesIdentifiable()
    {
        var queue = new MemoryNvStore(16384);
        using var node = new Node(_broker.Port, new MemoryNvStore(64), queue);
        WaitFor(node.Topic("DBIRTH", "SheetTest"));
        var expected = new HashSet<ulong> { node.AppendResult(0), node.AppendResult(1) };
        Wait.For(() => node.Sf.Count == 0, "first results delivered");

        await _scada.DisposeAsync();
        await _broker.StopAsync();
        Wait.For(() => node.Session.State == EdgeNodeState.Offline, "node offline");
        for (int n = 2; n < 12; n++) expected.Add(node.AppendResult(n));
        Assert.Equal(10, node.Sf.Count);

        node.Paused = true; // the subscriber must be back before the node is
        await _broker.StartAsync();
        var scada = new Scada();
        await scada.ConnectAsync(_broker.Port);
        node.Paused = false;
        Wait.For(() => node.Sf.Count == 0, "queue drained");
        Wait.For(() => scada.Messages.Count(m => m.Topic == node.Topic("DDATA", "SheetTest")) >= 10, "replayed results");
        var seqs = ResultSeqs(scada, node).Concat(ResultSeqs(_scada, node)).ToList();
        Assert.Subset(seqs.ToHashSet(), expected);
        await scada.DisposeAsync();
    }

    [Fact]
    public async Task StoreForward_BoardResetWhileQueued_EveryResultArrivesAfterRestart()
    {
        var queue = new MemoryNvStore(16384);
        var bdSeq = new MemoryNvStore(64);
        var node = new Node(_broker.Port, bdSeq, queue);
        WaitFor(node.Topic("DBIRTH", "SheetTest"));
        await _scada.DisposeAsync();
        await _broker.StopAsync();
        Wait.For(() => node.Session.State == EdgeNodeState.Offline, "node offline");
        var expected = new HashSet<ulong>();
        for (int n = 0; n < 8; n++) expected.Add(node.AppendResult(n));
        node.PowerOff();

        await _broker.StartAsync();
        var scada = new Scada();
        await scada.ConnectAsync(_broker.Port);
        using var rebooted = new Node(_broker.Port, bdSeq, queue);
        Assert.Equal(8, rebooted.Sf.Count);
        Wait.For(() => rebooted.Sf.Count == 0, "queue drained after reboot");
        Wait.For(() => ResultSeqs(scada, rebooted).Count >= 8, "replayed results");
        Assert.Equal(expected, ResultSeqs(scada, rebooted).ToHashSet());
        var births = scada.Decoded().Where(m => m.Topic == rebooted.Topic("NBIRTH")).ToList();
        Assert.True(BdSeq(births[0].P) > 0, "bdSeq persisted across the reset");
        await scada.DisposeAsync();
    }

    private static List<ulong> ResultSeqs(Scada scada, Node node)
    {
        var msgs = scada.Decoded();
        var birth = msgs.LastOrDefault(m => m.Topic == node.Topic("DBIRTH", "SheetTest"));
        if (birth.P == null) return new List<ulong>();
        ulong alias = birth.P.Metrics.Single(m => m.Name == StoreForwardQueue.SeqMetricName).Alias;
        return msgs.Where(m => m.Topic == node.Topic("DDATA", "SheetTest") && m.Qos == 1)
            .SelectMany(m => m.P.Metrics.Where(x => x.Alias == alias && x.IsHistorical).Select(x => x.LongValue)).ToList();
    }
}
