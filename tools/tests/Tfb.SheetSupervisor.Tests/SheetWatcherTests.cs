using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Server;
using Tfb.SheetSupervisor;

namespace Tfb.SheetSupervisor.Tests;

/// <summary>The watch end to end: an in-process MQTT broker, a publisher playing the board, the watcher writing the file.</summary>
public sealed class SheetWatcherTests
{
    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    [Fact]
    public async Task Watch_subscribes_decodes_and_writes_the_results_file_then_stops_after_one_sheet()
    {
        int port = FreePort();
        var factory = new MqttServerFactory();
        using var server = factory.CreateMqttServer(factory.CreateServerOptionsBuilder().WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port).Build());
        await server.StartAsync();
        string outPath = Path.Combine(Path.GetTempPath(), "tfb-watch-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            var text = new StringWriter();
            var log = TextWriter.Synchronized(text);
            string Log() { lock (log) return text.ToString(); }
            var watcher = new SheetWatcher(new WatchOptions { Host = "127.0.0.1", Port = port, OutPath = outPath, StopAfterSheets = 1, Group = "line" }, log);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var run = watcher.RunAsync(timeout.Token);
            while (!Log().Contains("watching") && !run.IsCompleted) await Task.Delay(20, timeout.Token);

            var p = new SparkplugPayloads();
            var sheet = SyntheticSheet.Create(cols: 4, rows: 3, opens: new[] { (0, 2) });
            using var board = new MqttClientFactory().CreateMqttClient();
            await board.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("board").Build(), timeout.Token);
            async Task Send(string topic, byte[] payload) =>
                await board.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                    .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
            await Send(SparkplugPayloads.Topic("NBIRTH", null), p.NodeBirth());
            await Send(SparkplugPayloads.Topic("DBIRTH"), p.DeviceBirth());
            await Send(SparkplugPayloads.Topic("DDATA"), p.Start(sheet, 1, historical: true));
            ulong sf = 2;
            foreach (var s in sheet.Sites) await Send(SparkplugPayloads.Topic("DDATA"), p.Site(s, sf++, historical: s.Seq < 5));
            await Send(SparkplugPayloads.Topic("DDATA"), p.Site(sheet.Sites[3], 5, historical: true)); // a repeat
            await Send(SparkplugPayloads.Topic("DDATA"), p.End(sheet, sf));

            await run.WaitAsync(timeout.Token);
            var issues = new List<InputIssue>();
            var file = ResultsCsv.ReadFile(outPath, issues);
            Assert.Empty(issues);
            var got = Assert.Single(file.Sheets);
            Assert.Equal(12, got.Sites.Count);
            Assert.Equal(5, got.Sites.Single(s => s.X == 0 && s.Y == 2).HardBin);
            Assert.Equal(sheet.CountBins(), got.End!.BinCounts);
            Assert.Equal(1, watcher.Decoder.Duplicates);
            Assert.Contains("sheet R1/S0001 complete: 12 sites", Log());
        }
        finally
        {
            File.Delete(outPath);
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task A_watch_that_joins_after_the_births_requests_a_rebirth_and_loses_nothing_sent_after_it_joined()
    {
        int port = FreePort();
        var factory = new MqttServerFactory();
        using var server = factory.CreateMqttServer(factory.CreateServerOptionsBuilder().WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port).Build());
        await server.StartAsync();
        string outPath = Path.Combine(Path.GetTempPath(), "tfb-watch-" + Guid.NewGuid().ToString("N") + ".csv");
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var p = new SparkplugPayloads();
            var sheet = SyntheticSheet.Create(cols: 3, rows: 3);
            using var board = new MqttClientFactory().CreateMqttClient();
            async Task Send(string topic, byte[] payload) =>
                await board.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                    .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token);
            int rebirthRequests = 0;
            board.ApplicationMessageReceivedAsync += e =>
            {
                // The board answers a rebirth request with its births (off the receive handler).
                Interlocked.Increment(ref rebirthRequests);
                _ = Task.Run(async () =>
                {
                    await Send(SparkplugPayloads.Topic("NBIRTH", null), p.NodeBirth());
                    await Send(SparkplugPayloads.Topic("DBIRTH"), p.DeviceBirth());
                });
                return Task.CompletedTask;
            };
            await board.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("board").Build(), timeout.Token);
            await board.SubscribeAsync(SparkplugPayloads.Topic("NCMD", null), MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token);
            await Send(SparkplugPayloads.Topic("NBIRTH", null), p.NodeBirth());
            await Send(SparkplugPayloads.Topic("DBIRTH"), p.DeviceBirth());

            var text = new StringWriter();
            var log = TextWriter.Synchronized(text);
            string Log() { lock (log) return text.ToString(); }
            var watcher = new SheetWatcher(new WatchOptions { Host = "127.0.0.1", Port = port, OutPath = outPath, StopAfterSheets = 1 }, log);
            var run = watcher.RunAsync(timeout.Token);
            while (!Log().Contains("watching") && !run.IsCompleted) await Task.Delay(20, timeout.Token);

            await Send(SparkplugPayloads.Topic("DDATA"), p.Start(sheet, 1));
            ulong sf = 2;
            foreach (var s in sheet.Sites) await Send(SparkplugPayloads.Topic("DDATA"), p.Site(s, sf++));
            await Send(SparkplugPayloads.Topic("DDATA"), p.End(sheet, sf));

            await run.WaitAsync(timeout.Token);
            Assert.Equal(1, rebirthRequests);
            Assert.Contains("rebirth requested (spBv1.0/line/NCMD/virtual-sheettest)", Log());
            var issues = new List<InputIssue>();
            var got = Assert.Single(ResultsCsv.ReadFile(outPath, issues).Sheets);
            Assert.Empty(issues);
            Assert.Equal(9, got.Sites.Count);
        }
        finally
        {
            File.Delete(outPath);
            await server.StopAsync();
        }
    }

    [Fact]
    public void Watch_against_no_broker_is_BrokerUnreachable_without_a_stack_trace()
    {
        var err = new StringWriter();
        var code = new SupervisorCommands(new StringWriter(), err).Watch(
            new WatchOptions { Host = "127.0.0.1", Port = FreePort(), OutPath = Path.Combine(Path.GetTempPath(), "never.csv") }, CancellationToken.None);
        Assert.Equal(ExitCode.BrokerUnreachable, code);
        Assert.Contains("error 9 (BrokerUnreachable): cannot connect to the broker 127.0.0.1:", err.ToString());
        Assert.DoesNotContain("   at ", err.ToString());
    }
}
