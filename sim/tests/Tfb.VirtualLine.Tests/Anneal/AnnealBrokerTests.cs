using System.Text.RegularExpressions;
using Google.Protobuf;
using MQTTnet;
using Tfb.Codes;
using Tfb.Plant.Scenarios;
using Tfb.SparkplugReference;
using Tfb.Stations.Anneal;

namespace Tfb.VirtualLine.Tests.Anneal;

/// <summary>
/// The anneal device over a real broker, end to end: the board's edge node publishes to the embedded broker, a
/// SCADA observer decodes with the reference decoder, and commands go out as DCMD/NCMD payloads built the way a
/// SCADA host builds them. A refusal is what SCADA sees: the node's Command/Rejected metrics.
/// </summary>
[Collection("paced")]
public class AnnealBrokerTests
{
    private const string Node = "virtual-anneal";
    private const string Running = "ramp,60,150 end,hold";

    [Fact]
    public async Task TheDeviceBirth_ReachesScada_WithStateZonesLimitAndPrograms()
    {
        await using var rig = await BrokerRig.StartAsync();
        // No scan has run yet (the line is not stepped): the birth says unknown (null), not idle or healthy.
        for (int i = 0; i < 500 && !(rig.Has("anneal/Programs/Select") && rig.Has("anneal/Zone3/TC Fault") && rig.Has("anneal/Program/Start")); i++) Thread.Sleep(10);
        Assert.True(rig.Has("anneal/Program/Start"), "no DBIRTH of anneal");
        Assert.True(rig.Get("anneal/Program/State").IsNull);
        Assert.True(rig.Get("anneal/Limit/Tripped").IsNull);
        Assert.True(rig.Get("anneal/Door/Closed").IsNull);
        Assert.True(rig.Get("anneal/Zone1/PV C").IsNull);
        // The programs are settings: known from boot.
        Assert.Equal(AnnealModule.DefaultProgram, rig.Get("anneal/Programs/1").StringValue);
        // The first scans publish the state by exception.
        Assert.True(rig.StepUntil(() => rig.Get("anneal/Program/State Name").StringValue == "idle" && !rig.Get("anneal/Zone3/PV C").IsNull, 5), "the state never reached SCADA");

        Assert.Equal(0u, rig.Get("anneal/Program/State").IntValue);
        Assert.Equal("idle", rig.Get("anneal/Program/State Name").StringValue);
        Assert.False(rig.Get("anneal/Limit/Tripped").BooleanValue);
        Assert.True(rig.Get("anneal/Door/Closed").BooleanValue);
        for (int z = 1; z <= 3; z++)
        {
            var pv = rig.Get($"anneal/Zone{z}/PV C");
            Assert.False(pv.IsNull, $"zone {z} PV is null");
            Assert.InRange(pv.DoubleValue, 10, 40); // a cold furnace
            Assert.False(rig.Get($"anneal/Zone{z}/TC Fault").BooleanValue);
        }
        Assert.Equal(AnnealModule.DefaultProgram, rig.Get("anneal/Programs/1").StringValue);
        Assert.Equal(rig.SettingText("anneal.program.2"), rig.Get("anneal/Programs/2").StringValue);
        Assert.Equal(1u, rig.Get("anneal/Programs/Select").IntValue);
        Assert.False(rig.Get("anneal/Program/Start").BooleanValue);
    }

    [Fact]
    public async Task AScenarioCommand_ToAnInt32Metric_GoesOutInTheBornDatatype_AndIsAccepted()
    {
        // The scenario path (`mqtt dcmd anneal anneal "Programs/Select" 2`): LineMqtt.SendCommand encodes a whole
        // number in the datatype the DBIRTH declared (Int32 here), as SCADA does; before, it always sent Int64
        // and the edge node refused it (22, wrong datatype).
        await using var rig = await BrokerRig.StartAsync();
        Assert.True(rig.StepUntil(() => rig.Has("anneal/Programs/Select"), 10), "no DBIRTH of anneal");
        Assert.True(rig.Mqtt.Observer!.TryGetDatatype(Node, "anneal/Programs/Select", out uint born));
        Assert.Equal(3u, born); // Int32
        rig.Mqtt.SendCommand("anneal", "anneal", "Programs/Select", ScenarioValue.Of(2));
        Assert.True(rig.StepUntil(() => rig.Get("anneal/Programs/Select").IntValue == 2, 5), "the selection did not change");
        Assert.Equal(0, rig.RejectedCount);
    }

    [Fact]
    public async Task ProgramWrites_AreValidatedLikeTheConsole_AndAValidOneIsReadableBack()
    {
        await using var rig = await BrokerRig.StartAsync();
        Assert.True(rig.StepUntil(() => rig.Has("anneal/Programs/4"), 10), "no DBIRTH of anneal");
        rig.Console("login technician");
        rig.Console("tfb-tech");

        // A valid program: stored, published back, shown by the console.
        const string good = "ramp,10,120 dwell,5 jump,1,2 end,off";
        rig.Send("anneal", "Programs/4", ScenarioValue.Of(good));
        Assert.True(rig.StepUntil(() => rig.Has("anneal/Programs/4") && rig.Get("anneal/Programs/4").StringValue == good, 5), "the write did not come back to SCADA");
        Assert.Equal(good, rig.SettingText("anneal.program.4"));
        string shown = rig.Console("anneal program show 4");
        Assert.Contains("1 ramp 10 C/min to 120 C", shown);
        Assert.Contains("2 dwell 5 min", shown);
        Assert.Contains("3 jump to 1, 2 more times", shown);
        Assert.Contains("4 end: off", shown);
        Assert.Equal(0, rig.RejectedCount);

        // Invalid programs: refused with the console's code, nothing changes (setting, metric, program 4).
        var bad = new (string Text, ErrorCode Code)[]
        {
            ("ramp,500,200 end,off", ErrorCode.OutOfRange),        // rate beyond anneal.program.maxRateCPerMin
            ("ramp,10,2000 end,off", ErrorCode.OutOfRange),        // temperature beyond anneal.program.maxTempC
            ("ramp,10,120 dwell,5 jump,1,2", ErrorCode.InvalidRecipe), // a loop and no end
            ("jump,1,3 end,off", ErrorCode.InvalidRecipe),         // a loop onto itself
            ("dwell,5", ErrorCode.InvalidRecipe),                  // no end
        };
        foreach (var (text, code) in bad)
        {
            Assert.Equal(code, rig.ConsoleError("anneal program set 4 " + text));
            var (rejected, reason) = rig.SendRejected("anneal", "Programs/4", ScenarioValue.Of(text));
            Assert.Equal(code, rejected);
            Assert.Contains("Programs/4", reason);
            Assert.Equal(good, rig.SettingText("anneal.program.4"));
        }
        // A wrong datatype is refused too (a number where a program text belongs).
        Assert.Equal(ErrorCode.WrongDatatype, rig.SendRejected("anneal", "Programs/4", ScenarioValue.Of(42)).Code);
        rig.StepUntil(() => false, 0.2);
        Assert.Equal(good, rig.Get("anneal/Programs/4").StringValue);
        Assert.Equal(good, rig.SettingText("anneal.program.4"));

        // An empty text is not a program: the console's 'anneal program set' refuses it, but the setting (console
        // 'settings set' and the MQTT metric alike) takes it as clearing the slot, whose start is then refused.
        Assert.Equal(ErrorCode.BadArgumentCount, rig.ConsoleError("anneal program set 4"));
        rig.Send("anneal", "Programs/4", ScenarioValue.Of(""));
        Assert.True(rig.StepUntil(() => rig.Get("anneal/Programs/4").StringValue == "", 5), "the empty write did not come back to SCADA");
        Assert.Equal("", rig.SettingText("anneal.program.4"));
        Assert.Equal(ErrorCode.InvalidRecipe, rig.ConsoleError("anneal start 4"));
        rig.Send("anneal", "Programs/Select", ScenarioValue.Of(4));
        Assert.True(rig.StepUntil(() => rig.Get("anneal/Programs/Select").IntValue == 4, 5), "select did not come back");
        Assert.Equal(ErrorCode.InvalidRecipe, rig.SendRejected("anneal", "Program/Start", ScenarioValue.Of(true)).Code);
        rig.StepUntil(() => false, 0.2);
        Assert.Equal(ProgramState.Idle, rig.Module.Controller.State);
    }

    [Fact]
    public async Task StartOverMqtt_RunsTheProgram_ScadaSeesIt_AndEditsAreRefusedWhileItRuns()
    {
        await using var rig = await BrokerRig.StartAsync();
        Assert.True(rig.StepUntil(() => rig.Has("anneal/Program/State"), 10), "no DBIRTH of anneal");
        rig.Send("anneal", "Programs/3", ScenarioValue.Of(Running));
        rig.Send("anneal", "Programs/Select", ScenarioValue.Of(3));
        Assert.True(rig.StepUntil(() => rig.Get("anneal/Programs/3").StringValue == Running && rig.Get("anneal/Programs/Select").IntValue == 3, 5), "program 3 not stored");

        rig.Send("anneal", "Program/Start", ScenarioValue.Of(true));
        Assert.True(rig.StepUntil(() => rig.Get("anneal/Program/State").IntValue == (uint)ProgramState.Running, 5), "SCADA never saw the program run");
        Assert.Equal("running", rig.Get("anneal/Program/State Name").StringValue);
        Assert.Equal(3u, rig.Get("anneal/Program/Number").IntValue);
        Assert.Equal(1u, rig.Get("anneal/Program/Segment").IntValue);
        Assert.Equal(ProgramState.Running, rig.Module.Controller.State);
        Assert.Equal(3, rig.Module.Controller.ProgramNumber);
        Assert.True(rig.StepUntil(() => rig.Get("anneal/Heating").BooleanValue, 5), "no heat while running");
        Assert.Equal(0, rig.RejectedCount);

        // While it runs: the console and MQTT refuse edits of the running program and of another slot alike.
        rig.Console("login technician");
        rig.Console("tfb-tech");
        Assert.Equal(ErrorCode.NotIdle, rig.ConsoleError("anneal program set 3 ramp,5,100 end,off"));
        var (code, reason) = rig.SendRejected("anneal", "Programs/3", ScenarioValue.Of("ramp,5,100 end,off"));
        Assert.Equal(ErrorCode.NotIdle, code);
        Assert.Contains("Programs/3", reason);
        Assert.Equal(ErrorCode.NotIdle, rig.SendRejected("anneal", "Programs/1", ScenarioValue.Of("ramp,5,100 end,off")).Code);
        Assert.Equal(ErrorCode.NotIdle, rig.SendRejected("anneal", "Program/Start", ScenarioValue.Of(true)).Code);

        rig.StepUntil(() => false, 0.3);
        Assert.Equal(Running, rig.SettingText("anneal.program.3"));
        Assert.Equal(AnnealModule.DefaultProgram, rig.SettingText("anneal.program.1"));
        Assert.Equal(Running, rig.Get("anneal/Programs/3").StringValue);
        Assert.Equal(ProgramState.Running, rig.Module.Controller.State);
        Assert.Equal(3, rig.Module.Controller.ProgramNumber);
        Assert.Equal(150, rig.Module.Controller.Program.TargetC[0]);
        Assert.Equal(60, rig.Module.Controller.Program.RateCPerMin[0]);

        // Hold over MQTT: SCADA sees the state change again.
        rig.Send("anneal", "Program/Hold", ScenarioValue.Of(true));
        Assert.True(rig.StepUntil(() => rig.Get("anneal/Program/State").IntValue == (uint)ProgramState.Held, 5), "SCADA never saw the hold");
    }

    [Fact]
    public async Task NoNetworkCommand_ResetsTheOverTemperatureLatch()
    {
        await using var rig = await BrokerRig.StartAsync();
        Assert.True(rig.StepUntil(() => rig.Has("anneal/Limit/Tripped") && rig.Has("Alarms/Active Count"), 10), "no births");

        // Zone 1's limit thermocouple reads 900 C (limit 760 C): the channel trips and latches 4001.
        rig.Line.Plant.Faults.Execute("inject anneal.zone1.limitTc stuck 900", rig.Line.Plant.TimeS);
        Assert.True(rig.StepUntil(() => rig.Get("anneal/Limit/Tripped").BooleanValue, 5), "SCADA never saw the trip");
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.AnnealOverTemperatureTrip));
        // The reading is back to normal: a reset would now be accepted (checked at the end from the console).
        rig.Line.Plant.Faults.Execute("clear anneal.zone1.limitTc", rig.Line.Plant.TimeS);
        Assert.True(rig.StepUntil(() => rig.Module.Controller.Limit.ResetAllowed, 5), "the limit never became resettable");

        var attempts = new (string? Device, string Metric, ScenarioValue Value, ErrorCode Code)[]
        {
            ("anneal", "Limit/Tripped", ScenarioValue.Of(false), ErrorCode.ReadOnly),
            ("anneal", "Limit/Reset", ScenarioValue.Of(true), ErrorCode.UnknownMetric),
            ("anneal", "Limit/Highest C", ScenarioValue.Of(20.0), ErrorCode.ReadOnly),
            ("anneal", "Alarms/Reset", ScenarioValue.Of(true), ErrorCode.UnknownMetric),
            ("anneal", "Alarm/Reset", ScenarioValue.Of(4001), ErrorCode.UnknownMetric),
            ("anneal", "Reset", ScenarioValue.Of(true), ErrorCode.UnknownMetric),
            ("anneal", "anneal.limit.tempC", ScenarioValue.Of(1200.0), ErrorCode.UnknownMetric),
            ("anneal", "Program/Start", ScenarioValue.Of(true), ErrorCode.InterlockActive),
            ("anneal", "Program/Resume", ScenarioValue.Of(true), ErrorCode.BadState),
            ("anneal", "Program/Abort", ScenarioValue.Of(true), ErrorCode.BadState),
            (null, "Alarms/Reset", ScenarioValue.Of(true), ErrorCode.UnknownMetric),
            (null, "Alarms/Reset", ScenarioValue.Of(4001), ErrorCode.UnknownMetric),
            (null, "Alarms/Active Count", ScenarioValue.Of(0), ErrorCode.ReadOnly),
            (null, "Alarms/Active Codes", ScenarioValue.Of(""), ErrorCode.ReadOnly),
            (null, "Alarms/Log/Code", ScenarioValue.Of(-4001), ErrorCode.ReadOnly),
            (null, "Scan/Tripped", ScenarioValue.Of(false), ErrorCode.ReadOnly),
            (null, "alarms reset 4001", ScenarioValue.Of(true), ErrorCode.UnknownMetric),
        };
        foreach (var (device, metric, value, code) in attempts)
        {
            var (got, reason) = rig.SendRejected(device, metric, value);
            Assert.True(code == got, $"{device}/{metric}: expected {code}, got {got} ({reason})");
        }

        // A rebirth is accepted (once 5 s after the last birth: run the line ahead unpaced), and the new birth still
        // says tripped.
        for (int i = 0; i < 600; i++) rig.Line.Step();
        int births = rig.Mqtt.Observer!.Topics.Count(t => t.EndsWith("/DBIRTH/" + Node + "/anneal", StringComparison.Ordinal));
        rig.Send(null, "Node Control/Rebirth", ScenarioValue.Of(true));
        Assert.True(rig.StepUntil(() => rig.Mqtt.Observer!.Topics.Count(t => t.EndsWith("/DBIRTH/" + Node + "/anneal", StringComparison.Ordinal)) > births, 5), "no rebirth");

        rig.StepUntil(() => false, 0.3);
        Assert.True(rig.Module.Controller.Limit.Tripped);
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.AnnealOverTemperatureTrip));
        Assert.Equal(0, rig.Line.Plant.Bus.Read("anneal.contactorCmd"));
        Assert.True(rig.Get("anneal/Limit/Tripped").BooleanValue);
        Assert.Contains("4001", rig.Get("Alarms/Active Codes").StringValue);
        Assert.Equal(0, rig.Board.Edge!.Commands.ApplyFailures);

        // The latch was resettable all along: the technician's console reset clears it, and SCADA sees that.
        rig.Console("login technician");
        rig.Console("tfb-tech");
        Assert.DoesNotContain("error:", rig.Console("alarms reset 4001"));
        Assert.True(rig.StepUntil(() => !rig.Get("anneal/Limit/Tripped").BooleanValue, 5), "the console reset did not clear the latch");
        Assert.False(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.AnnealOverTemperatureTrip));
    }

    /// <summary>A line with only the anneal board, its edge node on an embedded broker on a free port, and SCADA.</summary>
    private sealed class BrokerRig : IAsyncDisposable
    {
        private static readonly string s_boards = CreateBoardsDir();

        public required Line Line { get; init; }
        public required LineMqtt Mqtt { get; init; }
        public required IMqttClient Commander { get; init; }
        public VirtualBoard Board => Line.Board("anneal")!;
        public AnnealModule Module => (AnnealModule)Board.Runtime.Module(0);

        private static string CreateBoardsDir()
        {
            string dir = Path.Combine(Path.GetTempPath(), "tfb-anneal-broker-line-" + Environment.ProcessId);
            Directory.CreateDirectory(dir);
            File.Copy(Path.Combine(Repo.LineBoards, "anneal.board"), Path.Combine(dir, "anneal.board"), true);
            return dir;
        }

        public static async Task<BrokerRig> StartAsync()
        {
            var line = new Line(new LineOptions { BoardsDir = s_boards });
            var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            var broker = await EmbeddedBroker.StartAsync(port);
            var mqtt = await LineMqtt.StartAsync(line, "127.0.0.1", port, broker, observe: true);
            var commander = new MqttClientFactory().CreateMqttClient();
            await commander.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("tfb-scada-command").Build());
            return new BrokerRig { Line = line, Mqtt = mqtt, Commander = commander };
        }

        /// <summary>Steps the line in about real time until <paramref name="done"/> (the MQTT thread polls in parallel).</summary>
        public bool StepUntil(Func<bool> done, double maxSeconds)
        {
            for (int i = 0; i < maxSeconds * 100; i++)
            {
                if (done()) return true;
                Line.Step();
                Thread.Sleep(10);
            }
            return done();
        }

        public bool Has(string metric) => Mqtt.Observer!.TryGet(Node, metric, out _);

        public Metric Get(string metric)
        {
            Assert.True(Mqtt.Observer!.TryGet(Node, metric, out var m), $"SCADA has no {metric}");
            return m;
        }

        public int RejectedCount => Has(Tfb.Sparkplug.EdgeNodeSession.RejectedCountMetricName) ? (int)Get(Tfb.Sparkplug.EdgeNodeSession.RejectedCountMetricName).LongValue : 0; // UInt32 travels in long_value

        /// <summary>
        /// Publishes a DCMD to <paramref name="device"/> (NCMD when null) as a SCADA host does: with the datatype the
        /// birth declared for that metric (otherwise the value's own type, Int32 for whole numbers).
        /// </summary>
        public void Send(string? device, string metric, ScenarioValue value)
        {
            var m = new Metric { Name = metric, Timestamp = (ulong)Line.Clock.UtcUnixMillis };
            // The observer keeps the last value, which carries the datatype only when it came from a birth.
            uint type = Mqtt.Observer!.TryGet(Node, device == null ? metric : device + "/" + metric, out var seen) && seen.HasDatatype ? seen.Datatype
                : value.Kind switch { ScenarioValueKind.Bool => 11u, ScenarioValueKind.Text => 12u, _ => value.IsInteger ? 3u : 10u };
            m.Datatype = type;
            switch (type)
            {
                case 11: m.BooleanValue = value.Bool; break;
                case 12: m.StringValue = value.Text; break;
                case 1 or 2 or 3 or 5 or 6: m.IntValue = unchecked((uint)(int)value.Number); break;
                case 4 or 7 or 8: m.LongValue = unchecked((ulong)(long)value.Number); break;
                case 9: m.FloatValue = (float)value.Number; break;
                default: m.DoubleValue = value.Number; break;
            }
            var payload = new Payload { Timestamp = (ulong)Line.Clock.UtcUnixMillis };
            payload.Metrics.Add(m);
            string topic = device == null ? $"spBv1.0/{LineMqtt.GroupId}/NCMD/{Node}" : $"spBv1.0/{LineMqtt.GroupId}/DCMD/{Node}/{device}";
            Commander.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload.ToByteArray())
                .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build()).GetAwaiter().GetResult();
        }

        /// <summary>Publishes a command that must be refused; returns the code and reason SCADA is told.</summary>
        public (ErrorCode Code, string Reason) SendRejected(string? device, string metric, ScenarioValue value)
        {
            int before = RejectedCount;
            Send(device, metric, value);
            Assert.True(StepUntil(() => RejectedCount > before, 5), $"{device}/{metric} was not refused (the node counts {Board.Edge!.Session.CommandsRejected})");
            Assert.Equal(before + 1, RejectedCount);
            return ((ErrorCode)(int)Get(Tfb.Sparkplug.EdgeNodeSession.RejectedCodeMetricName).IntValue,
                Get(Tfb.Sparkplug.EdgeNodeSession.RejectedReasonMetricName).StringValue);
        }

        public string SettingText(string name) => Board.Runtime.Settings.GetText(Board.Runtime.Settings.IndexOf(name));

        public string Console(string line)
        {
            int before = Board.ScenarioLink.Output.Length;
            Board.TypeLine(line);
            return Board.ScenarioLink.Output[before..];
        }

        /// <summary>The code of the console's refusal of <paramref name="line"/> (fails when it was accepted).</summary>
        public ErrorCode ConsoleError(string line)
        {
            string output = Console(line);
            var m = Regex.Match(output, @"error:(\d+)");
            Assert.True(m.Success, $"'{line}' was accepted: {output}");
            return (ErrorCode)int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            await Commander.DisconnectAsync();
            Commander.Dispose();
            await Mqtt.DisposeAsync();
        }
    }
}
