using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Tfb.Boards.Virtual;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Sparkplug;
using Tfb.Storage;
using Ref = Tfb.SparkplugReference;

namespace Tfb.Sparkplug.Host.Tests;

/// <summary>Wall-clock time for a session on the host.</summary>
internal sealed class RealClock : IClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    public long NowMicros => _watch.ElapsedTicks * 1_000_000 / Stopwatch.Frequency;
    public long UtcUnixMillis => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    public bool WallClockValid => true;
}

/// <summary>What the broker saw: CONNECT packets and every inbound packet, in order.</summary>
internal sealed class Broker : IAsyncDisposable
{
    private MqttServer _server;
    public readonly int Port = FreePort();
    public readonly ConcurrentQueue<(string ClientId, bool CleanSession, string UserName)> Connects = new();
    public readonly ConcurrentQueue<(string ClientId, string What)> Inbound = new();

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async Task StartAsync()
    {
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder().WithDefaultEndpoint().WithDefaultEndpointPort(Port)
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).Build();
        _server = factory.CreateMqttServer(options);
        _server.ValidatingConnectionAsync += e =>
        {
            Connects.Enqueue((e.ClientId, e.CleanSession == true, e.UserName));
            Inbound.Enqueue((e.ClientId, "CONNECT"));
            return Task.CompletedTask;
        };
        _server.InterceptingInboundPacketAsync += e =>
        {
            switch (e.Packet)
            {
                case MqttSubscribePacket s:
                    Inbound.Enqueue((e.ClientId, "SUBSCRIBE " + string.Join(",", s.TopicFilters.Select(f => f.Topic))));
                    break;
                case MqttPublishPacket p:
                    Inbound.Enqueue((e.ClientId, "PUBLISH " + p.Topic));
                    break;
                case MqttDisconnectPacket:
                    Inbound.Enqueue((e.ClientId, "DISCONNECT"));
                    break;
            }

            return Task.CompletedTask;
        };
        await _server.StartAsync();
    }

    /// <summary>Topics of the messages the broker holds retained.</summary>
    public async Task<List<string>> RetainedTopicsAsync() => (await _server.GetRetainedMessagesAsync()).Select(m => m.Topic).ToList();

    public async Task StopAsync()
    {
        if (_server != null)
        {
            await _server.StopAsync();
            _server.Dispose();
            _server = null;
        }
    }

    /// <summary>Drops a client's connection as a network failure would (the Will is published).</summary>
    public Task KickAsync(string clientId) =>
        _server.DisconnectClientAsync(clientId, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.UnspecifiedError });

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>A SCADA-side subscriber to spBv1.0/# that records every message.</summary>
internal sealed class Scada : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    public readonly ConcurrentQueue<(string Topic, byte[] Payload, int Qos, bool Retain)> Messages = new();

    public async Task ConnectAsync(int port, string filter = "spBv1.0/#")
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Messages.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), (int)e.ApplicationMessage.QualityOfServiceLevel, e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        await _client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("scada-" + Guid.NewGuid().ToString("N")[..8]).WithCleanSession().Build());
        await _client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce);
    }

    public Task PublishAsync(string topic, byte[] payload) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>Edge-node messages decoded (commands this client sent itself are left out: some are malformed on purpose).</summary>
    public List<(string Topic, Ref.Payload P, int Qos, bool Retain)> Decoded() =>
        Messages.Where(m => !m.Topic.Contains("/NCMD/") && !m.Topic.Contains("/DCMD/"))
            .Select(m => (m.Topic, Ref.Payload.Parser.ParseFrom(m.Payload), m.Qos, m.Retain)).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}

/// <summary>An edge node on the host transport, polled by its own thread like the board's MQTT thread.</summary>
internal sealed class Node : IDisposable
{
    public const string Group = "TfbLine1";
    public readonly string Id;
    public readonly MqttNetSession Mqtt = new(TimeSpan.FromSeconds(5));
    public readonly EdgeNodeSession Session;
    public readonly SparkplugDevice Tester;
    public readonly SparkplugMetric Ocv, SheetId, Uptime;
    public readonly StoreForwardQueue Sf;
    public readonly PersistentQueue Queue;
    public readonly StoreForwardRecord Record = new(256);
    private readonly ConcurrentQueue<Action> _work = new();
    private readonly Thread _thread;
    private volatile bool _run = true;
    public volatile bool Paused;

    public Node(int port, MemoryNvStore bdSeqStore, MemoryNvStore queueStore, ICommandSinkFactory sinkFactory = null, string id = "sheettest-01")
    {
        Id = id;
        var config = new EdgeNodeConfig
        {
            GroupId = Group,
            EdgeNodeId = id,
            Connection = new MqttConnectOptions { Host = "127.0.0.1", Port = port, KeepAliveSeconds = 5 },
            FirmwareVersion = "0.1.0",
            Board = "virtual",
            AssetId = "A-1",
            ReconnectMinMs = 100,
            ReconnectMaxMs = 400,
            RebirthDebounceMs = 0,
        };
        var clock = new RealClock();
        Session = new EdgeNodeSession(config, Mqtt, clock, bdSeqStore);
        Uptime = Session.NodeMetrics.Add("Uptime/S", SparkplugDataType.UInt32, 0, 0);
        Uptime.SetInteger(1);
        Tester = Session.AddDevice("SheetTest", 8);
        Ocv = Tester.Metrics.Add("Result/OCV V", SparkplugDataType.Float, 0, 0);
        SheetId = Tester.Metrics.Add("Result/Sheet Id", SparkplugDataType.String, 0, 0);
        Ocv.SetNull();
        SheetId.SetNull();
        Tester.SetOnline(true);
        sinkFactory?.Attach(this);
        Queue = new PersistentQueue(queueStore, 256, new AlarmLog(8, 8, clock));
        Queue.Open();
        Sf = new StoreForwardQueue(Queue, Session, 256, null);
        Session.SetReplaySource(Sf);
        Assert.True(Session.Start());
        _thread = new Thread(Loop) { IsBackground = true, Name = "mqtt-" + id };
        _thread.Start();
    }

    public string Topic(string type, string device = null) => $"spBv1.0/{Group}/{type}/{Id}" + (device == null ? "" : "/" + device);

    /// <summary>Runs on the poll thread (EdgeNodeSession is driven by one thread).</summary>
    public void Invoke(Action a)
    {
        using var done = new ManualResetEventSlim();
        _work.Enqueue(() => { a(); done.Set(); });
        Assert.True(done.Wait(TimeSpan.FromSeconds(10)));
    }

    public uint AppendResult(int n)
    {
        uint seq = 0;
        Invoke(() =>
        {
            Record.Begin(Tester, 1_767_225_600_000 + n);
            Record.AddReal(Ocv, 3.9 + n * 0.001);
            Record.AddString(SheetId, "S-" + n);
            Assert.True(Sf.TryAppend(Record, out seq, out var error), error.ToString());
        });
        return seq;
    }

    private void Loop()
    {
        while (_run)
        {
            while (_work.TryDequeue(out var a)) a();
            if (!Paused) Session.Poll();
            Thread.Sleep(5);
        }
    }

    /// <summary>The board loses power: polling stops, the socket is dropped without DISCONNECT or NDEATH.</summary>
    public void PowerOff()
    {
        _run = false;
        _thread.Join();
        Mqtt.Abort();
    }

    public void Dispose()
    {
        if (_run)
        {
            Invoke(() => Session.Stop());
            _run = false;
            _thread.Join();
        }

        Mqtt.Dispose();
    }
}

/// <summary>Declares command metrics on a node before it starts.</summary>
internal interface ICommandSinkFactory
{
    void Attach(Node node);
}

internal static class Wait
{
    /// <summary>Bounded wait for a condition (polls every 10 ms); fails the test with <paramref name="what"/> on timeout.</summary>
    public static void For(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.ElapsedMilliseconds > timeoutMs) Assert.Fail("timed out waiting for " + what);
            Thread.Sleep(10);
        }
    }
}
