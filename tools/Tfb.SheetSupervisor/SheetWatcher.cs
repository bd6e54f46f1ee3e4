using MQTTnet;

namespace Tfb.SheetSupervisor;

/// <summary>Options of <see cref="SheetWatcher"/>.</summary>
public sealed class WatchOptions
{
    /// <summary>Broker host.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Sparkplug group to follow; null = all groups.</summary>
    public string? Group { get; set; }

    /// <summary>Device id of the sheet-test board's results.</summary>
    public string Device { get; set; } = "SheetTest";

    /// <summary>MQTT client id.</summary>
    public string ClientId { get; set; } = "tfb-sheet-supervisor";

    /// <summary>Results file written after every completed sheet and when the watch stops.</summary>
    public string OutPath { get; set; } = "results.csv";

    /// <summary>Stop after this many completed sheets; 0 = until cancelled.</summary>
    public int StopAfterSheets { get; set; }

    /// <summary>
    /// Send a Sparkplug rebirth request (NCMD) to an edge node whose DDATA carries aliases no birth declared
    /// (the watch started after the births); at most one per node every 10 s. Needs publish rights on NCMD.
    /// </summary>
    public bool RequestRebirth { get; set; } = true;
}

/// <summary>
/// Subscribes to the broker (MQTTnet), feeds every Sparkplug message to a <see cref="SparkplugSheetDecoder"/> on
/// one thread, and rewrites the results file (to a temporary file, then renamed) whenever a sheet completes and
/// when it stops (open sheets then go in without an end record).
/// </summary>
public sealed class SheetWatcher
{
    private readonly WatchOptions _options;
    private readonly TextWriter _log;
    private readonly object _gate = new();

    /// <summary>Creates the watcher; progress lines go to <paramref name="log"/>.</summary>
    public SheetWatcher(WatchOptions options, TextWriter log)
    {
        _options = options;
        _log = log;
        Decoder = new SparkplugSheetDecoder(options.Device, options.Group);
    }

    /// <summary>The decoder (inspect after the run).</summary>
    public SparkplugSheetDecoder Decoder { get; }

    /// <summary>Runs until <see cref="WatchOptions.StopAfterSheets"/> sheets completed or <paramref name="cancel"/> fires.</summary>
    /// <exception cref="SupervisorException"><see cref="ExitCode.BrokerUnreachable"/> when the connection fails.</exception>
    public async Task RunAsync(CancellationToken cancel)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        int completed = 0;
        SupervisorException? failure = null;
        Decoder.SheetCompleted += sheet =>
        {
            completed++;
            _log.WriteLine($"sheet {sheet.Header.Roll}/{sheet.Header.SheetId} complete: {sheet.Sites.Count} sites");
            try
            {
                WriteResults();
            }
            catch (SupervisorException e)
            {
                failure = e;
                done.Cancel();
            }
            if (_options.StopAfterSheets > 0 && completed >= _options.StopAfterSheets) done.Cancel();
        };

        using var client = new MqttClientFactory().CreateMqttClient();
        var lastRebirth = new Dictionary<string, DateTime>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            byte[] payload = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
            string? rebirthFor = null;
            lock (_gate)
            {
                var outcome = Decoder.Accept(e.ApplicationMessage.Topic, payload);
                PrintNewIssues();
                string? node = SparkplugSheetDecoder.NodeOf(e.ApplicationMessage.Topic);
                if (outcome == DecodeOutcome.UnknownAlias && _options.RequestRebirth && node != null
                    && (!lastRebirth.TryGetValue(node, out var at) || DateTime.UtcNow - at > TimeSpan.FromSeconds(10)))
                {
                    lastRebirth[node] = DateTime.UtcNow;
                    rebirthFor = node;
                }
            }
            if (rebirthFor != null)
            {
                // Published off the receive handler: waiting for a PUBACK inside it could stall the client's receive loop.
                var (topic, bytes) = SparkplugSheetDecoder.RebirthRequest(rebirthFor);
                _log.WriteLine($"{rebirthFor}: aliases without a birth; rebirth requested ({topic})");
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(bytes)
                            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build());
                    }
                    catch (Exception ex)
                    {
                        _log.WriteLine($"{rebirthFor}: rebirth request not sent: {ex.Message}");
                    }
                });
            }
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer(_options.Host, _options.Port).WithClientId(_options.ClientId).WithCleanSession().Build();
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
            await client.ConnectAsync(options, connectTimeout.Token);
            string group = _options.Group ?? "+";
            await client.SubscribeAsync($"spBv1.0/{group}/+/#", MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, cancel);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or System.Net.Sockets.SocketException
                                       or MQTTnet.Adapter.MqttConnectingFailedException)
        {
            if (cancel.IsCancellationRequested) return;
            throw new SupervisorException(ExitCode.BrokerUnreachable, $"cannot connect to the broker {_options.Host}:{_options.Port}: {e.Message}");
        }
        _log.WriteLine($"watching {_options.Host}:{_options.Port} group {_options.Group ?? "(all)"} device {_options.Device}; results to {_options.OutPath}");
        try
        {
            await Task.Delay(Timeout.Infinite, done.Token);
        }
        catch (OperationCanceledException)
        {
        }
        if (client.IsConnected) await client.DisconnectAsync();
        lock (_gate)
        {
            if (failure != null) throw failure;
            Decoder.ReportUnresolved();
            WriteResults();
            PrintNewIssues();
        }
    }

    private int _issuesPrinted;

    /// <summary>Prints the decoder's issues not printed yet (under the gate).</summary>
    private void PrintNewIssues()
    {
        for (; _issuesPrinted < Decoder.Issues.Count; _issuesPrinted++) _log.WriteLine("skipped: " + Decoder.Issues[_issuesPrinted]);
    }

    /// <summary>Rewrites the results file with every sheet seen so far (call under the gate or after the run).</summary>
    private void WriteResults()
    {
        var sheets = Decoder.AllSheets();
        if (sheets.Count == 0) return;
        string tmp = _options.OutPath + ".tmp";
        try
        {
            using (var w = new StreamWriter(tmp, false, new System.Text.UTF8Encoding(false)))
            {
                ResultsCsv.Write(w, sheets);
            }
            File.Move(tmp, _options.OutPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SupervisorException(ExitCode.OutputFailed, $"cannot write {_options.OutPath}: {e.Message}");
        }
    }
}
