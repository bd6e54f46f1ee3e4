using System.Net;
using MQTTnet.Server;

namespace Tfb.VirtualLine;

/// <summary>The virtual line's own MQTT broker on 127.0.0.1 (MQTTnet.Server), used unless --broker names another.</summary>
public sealed class EmbeddedBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private EmbeddedBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The MQTTnet server, for tests that observe or inject traffic.</summary>
    public MqttServer Server => _server;

    /// <summary>Starts a broker on 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<EmbeddedBroker> StartAsync(int port)
    {
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .Build();
        var server = factory.CreateMqttServer(options);
        await server.StartAsync();
        return new EmbeddedBroker(server, port);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }
}
