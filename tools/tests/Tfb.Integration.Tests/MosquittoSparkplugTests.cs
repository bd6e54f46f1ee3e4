using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using MQTTnet;
using MQTTnet.Protocol;
using Tfb.Boards.Virtual;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Sparkplug;
using Tfb.Storage;
using Ref = Tfb.SparkplugReference;

namespace Tfb.Integration.Tests;

/// <summary>
/// The edge node on the host transport (MqttNetSession) against the real mosquitto with password, per-node
/// ACL and TLS with a pinned CA: births and replayed results reach a SCADA subscriber; a wrong CA is refused.
/// (Broker outages and board resets are covered against the in-process broker in Tfb.Sparkplug.Host.Tests.)
/// </summary>
public sealed class MosquittoSparkplugTests : IDisposable
{
    private const string Node = "web-01";
    private const string Group = "TfbLine1";
    private static readonly Dictionary<string, string> Users = new()
    {
        [Node] = "web-secret",
        [MosquittoBroker.ScadaUser] = "scada-secret",
    };

    private readonly MosquittoBroker _broker = MosquittoBroker.Start(Users, tls: true);

    public void Dispose() => _broker.Dispose();

    private sealed class Clock : IClock
    {
        private readonly Stopwatch _w = Stopwatch.StartNew();
        public long NowMicros => _w.ElapsedTicks * 1_000_000 / Stopwatch.Frequency;
        public long UtcUnixMillis => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        public bool WallClockValid => true;
    }

    private sealed class Edge : IDisposable
    {
        public readonly MqttNetSession Mqtt = new(TimeSpan.FromSeconds(5));
        public readonly EdgeNodeSession Session;
        public readonly SparkplugDevice Tester;
        public readonly SparkplugMetric Ocv;
        public readonly StoreForwardQueue Sf;
        private readonly ConcurrentQueue<Action> _work = new();
        private readonly Thread _thread;
        private volatile bool _run = true;

        public Edge(int port, string caPem, MemoryNvStore queueStore)
        {
            var config = new EdgeNodeConfig
            {
                GroupId = Group, EdgeNodeId = Node, FirmwareVersion = "0.1.0", Board = "virtual", AssetId = "A-1",
                ReconnectMinMs = 100, ReconnectMaxMs = 300,
                Connection = new MqttConnectOptions
                {
                    Host = "127.0.0.1", Port = port, Username = Node, Password = Users[Node], UseTls = true, CaCertificatePem = caPem, KeepAliveSeconds = 5,
                },
            };
            var clock = new Clock();
            Session = new EdgeNodeSession(config, Mqtt, clock, new MemoryNvStore(64));
            Tester = Session.AddDevice("SheetTest", 4);
            Ocv = Tester.Metrics.Add("Result/OCV V", SparkplugDataType.Float, 0, 0);
            Ocv.SetNull();
            Tester.SetOnline(true);
            var queue = new PersistentQueue(queueStore, 128, new AlarmLog(8, 8, clock));
            queue.Open();
            Sf = new StoreForwardQueue(queue, Session, 128, null);
            Session.SetReplaySource(Sf);
            Assert.True(Session.Start());
            _thread = new Thread(() =>
            {
                while (_run)
                {
                    while (_work.TryDequeue(out var a)) a();
                    Session.Poll();
                    Thread.Sleep(5);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public uint Append(int n)
        {
            uint seq = 0;
            using var done = new ManualResetEventSlim();
            _work.Enqueue(() =>
            {
                var r = new StoreForwardRecord(128);
                r.Begin(Tester, 1_767_225_600_000 + n);
                r.AddReal(Ocv, 3.9 + n * 0.001);
                Assert.True(Sf.TryAppend(r, out seq, out _));
                done.Set();
            });
            Assert.True(done.Wait(5000));
            return seq;
        }

        public void Dispose()
        {
            _run = false;
            _thread.Join();
            Mqtt.Dispose();
        }
    }

    private async Task<(IMqttClient Client, ConcurrentQueue<(string Topic, byte[] Payload)> Got)> ScadaAsync()
    {
        var got = new ConcurrentQueue<(string, byte[])>();
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            got.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _broker.Port).WithClientId("scada-test").WithCredentials(MosquittoBroker.ScadaUser, Users[MosquittoBroker.ScadaUser])
            .WithCleanSession().WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithTlsOptions(o => o.UseTls().WithTrustChain([_broker.CaCertificate!]).WithCertificateValidationHandler(_ => true))
            .WithTimeout(TimeSpan.FromSeconds(5)).Build());
        await client.SubscribeAsync("spBv1.0/#", MqttQualityOfServiceLevel.AtLeastOnce);
        return (client, got);
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var w = Stopwatch.StartNew();
        while (!condition())
        {
            if (w.ElapsedMilliseconds > 15_000) Assert.Fail("timed out waiting for " + what);
            Thread.Sleep(10);
        }
    }

    private static string Topic(string type, string? device = null) => $"spBv1.0/{Group}/{type}/{Node}" + (device == null ? "" : "/" + device);

    [Fact]
    public async Task PasswordTlsPinnedCa_BirthsReachScada()
    {
        var (scada, got) = await ScadaAsync();
        using var edge = new Edge(_broker.Port, _broker.CaPem!, new MemoryNvStore(8192));
        WaitFor(() => got.Any(m => m.Topic == Topic("DBIRTH", "SheetTest")), "DBIRTH");
        var birth = Ref.Payload.Parser.ParseFrom(got.First(m => m.Topic == Topic("NBIRTH")).Payload);
        Assert.Contains(birth.Metrics, m => m.Name == "bdSeq");

        var expected = Enumerable.Range(0, 3).Select(n => (ulong)edge.Append(n)).ToHashSet();
        WaitFor(() => edge.Sf.Count == 0, "results acknowledged");
        var dbirth = Ref.Payload.Parser.ParseFrom(got.Last(m => m.Topic == Topic("DBIRTH", "SheetTest")).Payload);
        ulong seqAlias = dbirth.Metrics.Single(m => m.Name == StoreForwardQueue.SeqMetricName).Alias;
        WaitFor(() => got.Count(m => m.Topic == Topic("DDATA", "SheetTest")) >= 3, "results at SCADA");
        var seqs = got.Where(m => m.Topic == Topic("DDATA", "SheetTest"))
            .SelectMany(m => Ref.Payload.Parser.ParseFrom(m.Payload).Metrics.Where(x => x.Alias == seqAlias).Select(x => x.LongValue)).ToHashSet();
        Assert.Equal(expected, seqs);
        await scada.DisconnectAsync();
    }

    [Fact]
    public void WrongCa_IsRefused_NoSession()
    {
        using var other = MosquittoBroker.Start(Users, tls: true); // a second CA made for this run
        var mqtt = new MqttNetSession(TimeSpan.FromSeconds(5));
        int result = mqtt.Connect(new MqttConnectOptions
        {
            Host = "127.0.0.1", Port = _broker.Port, ClientId = Node, Username = Node, Password = Users[Node],
            UseTls = true, CaCertificatePem = other.CaPem, KeepAliveSeconds = 5,
        });
        Assert.NotEqual(0, result);
        Assert.False(mqtt.IsConnected);
    }

    private sealed class Completions : IMqttSessionHandler
    {
        public readonly ConcurrentDictionary<int, bool> Done = new();
        public void OnMessage(string topic, byte[] payload) { }
        public void OnPublishCompleted(int token, bool delivered) => Done[token] = delivered;
        public void OnConnectionLost() { }
    }

    [Fact]
    public async Task SpoofedPublishToAnotherNodesTopic_NeverReachesScada()
    {
        var (scada, got) = await ScadaAsync();
        using var mqtt = new MqttNetSession(TimeSpan.FromSeconds(5));
        var handler = new Completions();
        mqtt.SetHandler(handler);
        Assert.Equal(0, mqtt.Connect(new MqttConnectOptions
        {
            Host = "127.0.0.1", Port = _broker.Port, ClientId = Node, Username = Node, Password = Users[Node],
            UseTls = true, CaCertificatePem = _broker.CaPem, KeepAliveSeconds = 5,
        }));
        byte[] payload = { 0x18, 0x00 };
        string foreign = $"spBv1.0/{Group}/NDATA/sputter-01";
        int spoof = mqtt.Publish(foreign, payload, payload.Length, 1, false);
        int own = mqtt.Publish(Topic("NDATA"), payload, payload.Length, 1, false);
        Assert.True(spoof > 0 && own > 0);
        // The broker handles one client's publishes in order: once the node's own message arrived, the
        // spoofed one would have too.
        WaitFor(() => got.Any(m => m.Topic == Topic("NDATA")), "the node's own NDATA");
        Assert.DoesNotContain(got, m => m.Topic == foreign);
        await scada.DisconnectAsync();
    }
}
