using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace Tfb.Integration.Tests;

/// <summary>
/// The broker side of the security model: each edge node authenticates, over TLS with a pinned CA, and may
/// publish only on its own Sparkplug topics. A node that spoofs another node's topic is refused.
/// </summary>
public sealed class MosquittoAclTests : IDisposable
{
    private static readonly Dictionary<string, string> Users = new()
    {
        ["web-01"] = "web-secret",
        ["sputter-01"] = "sputter-secret",
        [MosquittoBroker.ScadaUser] = "scada-secret",
    };

    private readonly MosquittoBroker _broker = MosquittoBroker.Start(Users, tls: true);

    private async Task<IMqttClient> ConnectAsync(string user, string password, bool pinCa = true)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _broker.Port)
            .WithClientId(user)
            .WithCredentials(user, password)
            .WithCleanSession()
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithTlsOptions(o =>
            {
                o.UseTls();
                o.WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
                if (pinCa)
                {
                    o.WithTrustChain([_broker.CaCertificate!]);
                }
                o.WithCertificateValidationHandler(ctx => pinCa && ValidateAgainstPinnedCa(ctx.Certificate, _broker.CaCertificate!));
            })
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();
        var result = await client.ConnectAsync(options);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
            throw new InvalidOperationException("CONNACK " + result.ResultCode);
        return client;
    }

    private static bool ValidateAgainstPinnedCa(X509Certificate? presented, X509Certificate2 ca)
    {
        if (presented == null) return false;
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    [Fact]
    public async Task NodePublishingOnAnotherNodesTopic_IsNotDelivered_WhileItsOwnTopicIs()
    {
        var received = new ConcurrentQueue<string>();
        var sentinel = new TaskCompletionSource();
        using var scada = await ConnectAsync(MosquittoBroker.ScadaUser, "scada-secret");
        scada.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage.Topic);
            if (e.ApplicationMessage.Topic.EndsWith("/NDATA/web-01")) sentinel.TrySetResult();
            return Task.CompletedTask;
        };
        await scada.SubscribeAsync("spBv1.0/#", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce);

        using var web = await ConnectAsync("web-01", "web-secret");
        // Spoof first, then a legitimate publish on the same connection: the broker keeps per-connection order,
        // so once the legitimate message arrives, the spoofed one would have arrived before it.
        await web.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("spBv1.0/line1/NDATA/sputter-01").WithPayload([1]).WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await web.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("spBv1.0/line1/NDATA/web-01").WithPayload([2]).WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());

        await sentinel.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("spBv1.0/line1/NDATA/web-01", received);
        Assert.DoesNotContain("spBv1.0/line1/NDATA/sputter-01", received);
    }

    [Fact]
    public async Task WrongPassword_IsRefused()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("web-01", "guess"));
        Assert.Matches("CONNACK (BadUserNameOrPassword|NotAuthorized)", e.Message);
    }

    [Fact]
    public async Task BrokerNotSignedByThePinnedCa_IsRefused()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("web-01", "web-secret", pinCa: false));
    }

    public void Dispose() => _broker.Dispose();
}
