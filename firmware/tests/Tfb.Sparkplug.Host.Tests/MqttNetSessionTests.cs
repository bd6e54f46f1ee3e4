using System.Collections.Concurrent;
using Tfb.Boards.Virtual;
using Tfb.Hal;

namespace Tfb.Sparkplug.Host.Tests;

/// <summary>The host transport alone: QoS 1 completion only on PUBACK, connection loss, refusals.</summary>
public sealed class MqttNetSessionTests : IAsyncLifetime
{
    private readonly Broker _broker = new();

    public Task InitializeAsync() => _broker.StartAsync();

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private sealed class Handler : IMqttSessionHandler
    {
        public readonly ConcurrentDictionary<int, bool> Completed = new();
        public readonly ConcurrentQueue<string> Messages = new();
        public int Lost;
        public void OnMessage(string topic, byte[] payload) => Messages.Enqueue(topic);
        public void OnPublishCompleted(int token, bool delivered) => Completed[token] = delivered;
        public void OnConnectionLost() => Interlocked.Increment(ref Lost);
    }

    private MqttConnectOptions Options(string id) => new() { Host = "127.0.0.1", Port = _broker.Port, ClientId = id, KeepAliveSeconds = 5 };

    [Fact]
    public void Qos1_CompletesDeliveredAfterPuback_Qos0_ReturnsZero_OwnSubscriptionReceives()
    {
        using var mqtt = new MqttNetSession(TimeSpan.FromSeconds(5));
        var h = new Handler();
        mqtt.SetHandler(h);
        Assert.Equal(0, mqtt.Connect(Options("t1")));
        Assert.True(mqtt.Subscribe("x/#", 1));
        byte[] buffer = { 1, 2, 3, 4 };
        int token = mqtt.Publish("x/a", buffer, 2, 1, false);
        Assert.True(token > 0);
        Assert.Equal(0, mqtt.Publish("x/b", buffer, 4, 0, false));
        Wait.For(() => h.Completed.ContainsKey(token), "PUBACK");
        Assert.True(h.Completed[token]);
        Wait.For(() => h.Messages.Count == 2, "both messages back");
        Assert.Equal(new[] { "x/a", "x/b" }, h.Messages);
        Assert.Equal(0, h.Lost);
    }

    [Fact]
    public async Task BrokerGone_ConnectionLostReported_PublishRefused_ConnectFails()
    {
        var mqtt = new MqttNetSession(TimeSpan.FromSeconds(2));
        var h = new Handler();
        mqtt.SetHandler(h);
        Assert.Equal(0, mqtt.Connect(Options("t2")));
        await _broker.StopAsync();
        Wait.For(() => h.Lost == 1, "connection loss");
        Assert.False(mqtt.IsConnected);
        Assert.Equal(-1, mqtt.Publish("x/a", new byte[] { 1 }, 1, 1, false));
        Assert.NotEqual(0, mqtt.Connect(Options("t2")));
        mqtt.Dispose();
        Assert.Equal(1, h.Lost); // Dispose is intentional: no second report
    }

    [Fact]
    public void IntentionalDisconnect_IsNotReportedAsLoss_TlsWithoutCa_IsRefused()
    {
        using var mqtt = new MqttNetSession(TimeSpan.FromSeconds(5));
        var h = new Handler();
        mqtt.SetHandler(h);
        Assert.Equal(0, mqtt.Connect(Options("t3")));
        mqtt.Disconnect();
        Assert.False(mqtt.IsConnected);
        var tls = Options("t3");
        tls.UseTls = true;
        Assert.Equal(MqttNetSession.NoCaConfigured, mqtt.Connect(tls));
        Assert.Equal(0, h.Lost);
    }
}
