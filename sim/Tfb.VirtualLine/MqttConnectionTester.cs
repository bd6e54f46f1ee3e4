using System.Diagnostics;
using Tfb.Boards.Virtual;
using Tfb.Commissioning;
using Tfb.Hal;

namespace Tfb.VirtualLine;

/// <summary>`net test` on the host: a separate MQTTnet session connects with the configured options and disconnects.</summary>
public sealed class MqttConnectionTester : IConnectionTester
{
    /// <inheritdoc />
    public int TestConnection(MqttConnectOptions options, out string detail)
    {
        using var session = new MqttNetSession(TimeSpan.FromSeconds(5));
        var watch = Stopwatch.StartNew();
        // A distinct client id: the board's own session must not be kicked off the broker by the test.
        var probe = new MqttConnectOptions
        {
            Host = options.Host, Port = options.Port, ClientId = options.ClientId + "-nettest",
            Username = options.Username, Password = options.Password, UseTls = options.UseTls,
            CaCertificatePem = options.CaCertificatePem, KeepAliveSeconds = 10,
        };
        int code = session.Connect(probe);
        detail = code == 0
            ? $"connected to {options.Host}:{options.Port} in {watch.ElapsedMilliseconds} ms"
            : $"{options.Host}:{options.Port}: {session.LastError ?? "refused"} ({code})";
        if (code == 0) session.Disconnect();
        return code;
    }
}
