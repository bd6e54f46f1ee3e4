using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using Tfb.Hal;

namespace Tfb.Boards.Virtual;

/// <summary>
/// The host transport: <see cref="IMqttSession"/> over an MQTTnet 5 client speaking MQTT 3.1.1 with a clean
/// session, a binary Will (bytes as given, e.g. the Sparkplug NDEATH), user name/password and TLS 1.2+ whose
/// server certificate must chain to the configured CA (<see cref="MqttConnectOptions.CaCertificatePem"/>)
/// and match the host name.
/// </summary>
/// <remarks>
/// Publishes are sent by one sender task in the order <see cref="Publish"/> was called; a QoS 1 publish is
/// reported through <see cref="IMqttSessionHandler.OnPublishCompleted"/> with delivered = true only once its
/// PUBACK arrived (false when the link failed first). The sender waits for each PUBACK before the next
/// publish, which keeps order trivially; Sparkplug keeps at most a few QoS 1 messages in flight anyway.
/// <see cref="IMqttSessionHandler.OnConnectionLost"/> is raised when the link drops without
/// <see cref="Disconnect"/>. Handler callbacks come from MQTTnet's threads.
/// </remarks>
public sealed class MqttNetSession : IMqttSession, IDisposable
{
    /// <summary>Connect result: the TCP/TLS connection or CONNECT failed without a CONNACK reason.</summary>
    public const int ConnectFailed = -1;

    /// <summary>Connect result: TLS requested but no CA configured (a broker is never trusted blindly).</summary>
    public const int NoCaConfigured = -2;

    /// <summary>Connect result: a session is open and could not be closed first.</summary>
    public const int AlreadyConnected = -3;

    private readonly IMqttClient _client;
    private readonly TimeSpan _timeout;
    private readonly object _sync = new();
    private IMqttSessionHandler? _handler;
    private Channel<Outgoing>? _outgoing;
    private Task? _sender;
    private CancellationTokenSource? _senderStop;
    private int _nextToken;
    private int _intentional;
    private int _disposed;
    private X509Certificate2? _ca;

    private sealed record Outgoing(string Topic, byte[] Payload, int Qos, bool Retain, int Token);

    /// <summary>Creates an unconnected session.</summary>
    /// <param name="operationTimeout">Bound on connect, subscribe and each publish (default 10 s).</param>
    public MqttNetSession(TimeSpan? operationTimeout = null)
    {
        _timeout = operationTimeout ?? TimeSpan.FromSeconds(10);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnReceived;
        _client.DisconnectedAsync += OnDisconnected;
    }

    /// <summary>The composition root's one-liner: a host transport for an <c>EdgeNodeSession</c>.</summary>
    public static IMqttSession Create() => new MqttNetSession();

    /// <inheritdoc />
    public bool IsConnected => _client.IsConnected;

    /// <summary>Text of the last connect failure (for logs and the console's mqtt status).</summary>
    public string? LastError { get; private set; }

    /// <inheritdoc />
    public void SetHandler(IMqttSessionHandler handler) => _handler = handler;

    /// <inheritdoc />
    public int Connect(MqttConnectOptions options)
    {
        if (_client.IsConnected)
        {
            // Only after this adapter reported the link unusable (a publish timed out) while the socket stayed
            // up: drop it so the new session starts clean.
            Disconnect();
            if (_client.IsConnected)
            {
                return AlreadyConnected;
            }
        }

        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId(options.ClientId)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveSeconds > 0 ? options.KeepAliveSeconds : 30))
            .WithTimeout(_timeout);
        if (options.Username != null)
        {
            builder.WithCredentials(options.Username, options.Password ?? "");
        }

        if (options.WillTopic != null)
        {
            builder.WithWillTopic(options.WillTopic)
                .WithWillPayload(options.WillPayload ?? [])
                .WithWillQualityOfServiceLevel((MqttQualityOfServiceLevel)options.WillQos)
                .WithWillRetain(options.WillRetain);
        }

        if (options.UseTls)
        {
            if (string.IsNullOrEmpty(options.CaCertificatePem))
            {
                LastError = "TLS without a CA certificate";
                return NoCaConfigured;
            }

            _ca = X509Certificate2.CreateFromPem(options.CaCertificatePem);
            builder.WithTlsOptions(o => o
                .UseTls()
                .WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13)
                .WithCertificateValidationHandler(ValidateServerCertificate));
        }

        Interlocked.Exchange(ref _intentional, 0);
        try
        {
            using var cts = new CancellationTokenSource(_timeout);
            MqttClientConnectResult result = _client.ConnectAsync(builder.Build(), cts.Token).GetAwaiter().GetResult();
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                LastError = result.ResultCode.ToString();
                return (int)result.ResultCode;
            }
        }
        catch (Exception e)
        {
            LastError = e.GetBaseException().Message;
            return ConnectFailed;
        }

        StartSender();
        LastError = null;
        return 0;
    }

    /// <inheritdoc />
    public void Disconnect()
    {
        Interlocked.Exchange(ref _intentional, 1);
        Channel<Outgoing>? outgoing;
        Task? sender;
        lock (_sync)
        {
            outgoing = _outgoing;
            sender = _sender;
            _outgoing = null;
        }

        // Publishes already handed over (NDEATH) go out before DISCONNECT.
        outgoing?.Writer.TryComplete();
        sender?.Wait(_timeout);
        try
        {
            if (_client.IsConnected)
            {
                using var cts = new CancellationTokenSource(_timeout);
                _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cts.Token)
                    .GetAwaiter().GetResult();
            }
        }
        catch (Exception e)
        {
            LastError = e.GetBaseException().Message;
        }

        _senderStop?.Cancel();
    }

    /// <inheritdoc />
    public bool Subscribe(string topicFilter, int qos)
    {
        try
        {
            using var cts = new CancellationTokenSource(_timeout);
            var options = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(topicFilter, (MqttQualityOfServiceLevel)qos)
                .Build();
            MqttClientSubscribeResult result = _client.SubscribeAsync(options, cts.Token).GetAwaiter().GetResult();
            foreach (MqttClientSubscribeResultItem item in result.Items)
            {
                if ((int)item.ResultCode > 2)
                {
                    return false;
                }
            }

            return result.Items.Count > 0;
        }
        catch (Exception e)
        {
            LastError = e.GetBaseException().Message;
            return false;
        }
    }

    /// <inheritdoc />
    public int Publish(string topic, byte[] payload, int count, int qos, bool retain)
    {
        Channel<Outgoing>? outgoing;
        lock (_sync)
        {
            outgoing = _outgoing;
        }

        if (outgoing == null || !_client.IsConnected || count < 0 || count > payload.Length)
        {
            return -1;
        }

        // The caller reuses its buffer: copy now.
        byte[] copy = payload.AsSpan(0, count).ToArray();
        int token = qos > 0 ? NextToken() : 0;
        return outgoing.Writer.TryWrite(new Outgoing(topic, copy, qos, retain, token)) ? token : -1;
    }

    /// <summary>
    /// Drops the link without DISCONNECT (the broker then publishes the Will), as a power loss or reset
    /// would; used by the virtual board's reset. The instance is unusable afterwards.
    /// </summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _intentional, 1);
        _senderStop?.Cancel();
        _client.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _disposed, 0, 0) != 0)
        {
            return;
        }

        Disconnect();
        Interlocked.Exchange(ref _disposed, 1);
        _client.Dispose();
    }

    private int NextToken()
    {
        int token = Interlocked.Increment(ref _nextToken) & 0x7FFFFFFF;
        if (token == 0)
        {
            token = Interlocked.Increment(ref _nextToken) & 0x7FFFFFFF;
        }

        return token;
    }

    private void StartSender()
    {
        var channel = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
        var stop = new CancellationTokenSource();
        lock (_sync)
        {
            _outgoing = channel;
            _senderStop = stop;
            _sender = Task.Run(() => SendLoop(channel, stop.Token));
        }
    }

    private async Task SendLoop(Channel<Outgoing> channel, CancellationToken stop)
    {
        bool linkFailed = false;
        try
        {
            await foreach (Outgoing o in channel.Reader.ReadAllAsync(stop))
            {
                bool delivered = false;
                if (!linkFailed)
                {
                    try
                    {
                        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
                        cts.CancelAfter(_timeout);
                        var message = new MqttApplicationMessageBuilder()
                            .WithTopic(o.Topic)
                            .WithPayload(o.Payload)
                            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)o.Qos)
                            .WithRetainFlag(o.Retain)
                            .Build();
                        MqttClientPublishResult result = await _client.PublishAsync(message, cts.Token).ConfigureAwait(false);
                        delivered = result.IsSuccess;
                    }
                    catch (Exception e)
                    {
                        // A publish that neither completes nor fails in time means the link is unusable: report it
                        // lost so the session reconnects (and re-births) instead of queueing into a dead link.
                        LastError = e.GetBaseException().Message;
                        linkFailed = true;
                        lock (_sync)
                        {
                            if (_outgoing == channel)
                            {
                                _outgoing = null;
                            }
                        }

                        if (!stop.IsCancellationRequested && Interlocked.CompareExchange(ref _intentional, 0, 0) == 0)
                        {
                            _handler?.OnConnectionLost();
                        }
                    }
                }

                if (o.Qos > 0)
                {
                    _handler?.OnPublishCompleted(o.Token, delivered);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: anything left is reported as failed below.
        }

        while (channel.Reader.TryRead(out Outgoing? left))
        {
            if (left.Qos > 0)
            {
                _handler?.OnPublishCompleted(left.Token, false);
            }
        }
    }

    private Task OnReceived(MqttApplicationMessageReceivedEventArgs e)
    {
        byte[] payload = e.ApplicationMessage.Payload.ToArray();
        _handler?.OnMessage(e.ApplicationMessage.Topic, payload);
        return Task.CompletedTask;
    }

    private Task OnDisconnected(MqttClientDisconnectedEventArgs e)
    {
        if (!e.ClientWasConnected)
        {
            return Task.CompletedTask;
        }

        Channel<Outgoing>? outgoing;
        lock (_sync)
        {
            outgoing = _outgoing;
            _outgoing = null;
        }

        outgoing?.Writer.TryComplete();
        _senderStop?.Cancel();
        if (Interlocked.CompareExchange(ref _intentional, 0, 0) == 0)
        {
            _handler?.OnConnectionLost();
        }

        return Task.CompletedTask;
    }

    /// <summary>Pinned CA: the chain must end at the configured CA (system roots ignored) and the name must match.</summary>
    private bool ValidateServerCertificate(MqttClientCertificateValidationEventArgs args)
    {
        if (_ca == null || args.Certificate == null)
        {
            return false;
        }

        if ((args.SslPolicyErrors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        X509Certificate2 leaf = args.Certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(args.Certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
