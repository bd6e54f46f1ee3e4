using Tfb.Codes;
using Tfb.Plant.Scenarios;
using Tfb.Plant.Trace;

namespace Tfb.VirtualLine.Tests;

public class LineTests
{
    [Fact]
    public void EveryBoardOfTheLine_BindsToThePlant_AndScansInLockstep()
    {
        var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        Assert.Equal(["web", "sputter", "anneal", "sheettest"], line.Boards.Select(b => b.Name));
        for (int i = 0; i < 100; i++) line.Step();
        Assert.All(line.Boards, b => Assert.Equal(100, b.Runtime.Scan.ScanNumber));
        Assert.Equal(1.0, line.TimeS, 9);
        Assert.Equal(1.0, line.Plant.TimeS, 9);
        // Healthy plant, healthy inputs: no alarm anywhere, every watchdog kicked once per scan.
        Assert.All(line.Boards, b => Assert.Equal(0, b.Runtime.Alarms.ActiveCount));
        Assert.All(line.Boards, b => Assert.Equal(100, b.Io.Supervisor.Kicks));
    }

    [Fact]
    public void BoardOutputs_DriveThePlant_AndStartInTheirSafeState()
    {
        var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        var anneal = line.Board("anneal")!;
        Assert.Equal(0, line.Plant.Bus.Read("anneal.contactorCmd"));
        // Written between scans: the anneal module drives the contactor itself on every scan.
        anneal.Io.DigitalOutput("heater_contactor")!.Write(true);
        Assert.Equal(1, line.Plant.Bus.Read("anneal.contactorCmd"));
        anneal.Io.AllOutputsSafe();
        Assert.Equal(0, line.Plant.Bus.Read("anneal.contactorCmd"));
    }

    [Fact]
    public void AnOpenThermocouple_IsASensorFault_ThatResetsOnlyOnceRepaired()
    {
        var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        var anneal = line.Board("anneal")!;
        for (int i = 0; i < 50; i++) line.Step();
        line.Plant.Faults.Inject("anneal.zone2.tc", "open", line.Plant.TimeS);
        for (int i = 0; i < 50; i++) line.Step();
        Assert.True(anneal.Runtime.Alarms.IsActive((int)AlarmCode.SensorFault));
        Assert.False(anneal.Runtime.TryReset((int)AlarmCode.SensorFault, out var err));
        Assert.Equal(ErrorCode.ConditionPresent, err);
        line.Plant.Faults.Clear("anneal.zone2.tc", line.Plant.TimeS);
        for (int i = 0; i < 5; i++) line.Step();
        Assert.True(anneal.Runtime.TryReset((int)AlarmCode.SensorFault, out _));
        Assert.False(anneal.Runtime.Alarms.IsActive((int)AlarmCode.SensorFault));
    }

    [Fact]
    public void SensorFaultScenario_Passes()
    {
        var s = ScenarioParser.ParseFile(Repo.Scenario("sensor-fault.scn"));
        var r = ScenarioRun.Execute(s, Repo.LineBoards, 0, CancellationToken.None);
        Assert.Null(r.Invalid);
        Assert.True(r.Report!.Passed, r.Report.ToText());
    }

    [Fact]
    public void SameScenarioAndSeed_GiveByteIdenticalTraces()
    {
        var s = ScenarioParser.ParseFile(Repo.Scenario("sensor-fault.scn"));
        string Run() => CsvTraceWriter.ToCsv(ScenarioRun.Execute(s, Repo.LineBoards, 0, CancellationToken.None).Trace!);
        var a = Run();
        var b = Run();
        Assert.True(a.Length > 1000);
        Assert.Equal(a, b);
        // And a different seed gives a different (noisy) trace: the comparison is not trivially true.
        var other = ScenarioRun.Execute(s with { Seed = 2 }, Repo.LineBoards, 0, CancellationToken.None).Trace!;
        Assert.NotEqual(a, CsvTraceWriter.ToCsv(other));
    }

    [Fact]
    public void MalformedScenario_IsReportedWithFileLineAndProblem_AndRunsNothing()
    {
        var dir = Directory.CreateTempSubdirectory("tfb-scn-").FullName;
        try
        {
            var file = Path.Combine(dir, "broken.scn");
            File.WriteAllLines(file, ["scenario \"broken\"", "duration 10s", "board anneal", "at 2s fault anneal.zone1.tc open", "at 3x console anneal status"]);
            var outDir = Path.Combine(dir, "out");
            var output = new StringWriter();
            int code = ScenarioRun.Run(file, Repo.LineBoards, outDir, 0, output, CancellationToken.None);
            Assert.Equal(2, code);
            Assert.Contains("broken.scn:5:", output.ToString());
            Assert.Contains("scenario not run", output.ToString());
            Assert.False(Directory.Exists(outDir));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ScenarioNamingABoardTheLineLacks_IsInvalid_AndRunsNothing()
    {
        var s = ScenarioParser.Parse("duration 5s\nboard nosuch\nat 1s console nosuch status\n", "nosuch.scn");
        var r = ScenarioRun.Execute(s, Repo.LineBoards, 0, CancellationToken.None);
        Assert.NotNull(r.Invalid);
        Assert.Null(r.Report);
        Assert.Equal(0, r.Line!.Steps);
    }
}

[Collection("allocation")]
public class ScanAllocationOnTheLineTests
{
    [Fact]
    public void BoardScans_AllocateNothing_WithInputsFaultingAndRecovering()
    {
        // The board runtime's scan (input monitor, snapshot, watchdog, statistics) on every virtual board,
        // including a sensor going open and the alarm being raised: 0 bytes per scan. Only the scans are
        // measured; the plant step between them is the simulator's, not firmware.
        var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        for (int i = 0; i < 200; i++) line.Step(); // warm-up: JIT, first-time paths
        var boards = line.Boards.ToArray();
        long allocated = 0;
        int scans = 0;
        for (int i = 0; i < 10_000; i++)
        {
            if (i == 3000) line.Plant.Faults.Inject("anneal.zone1.tc", "open", line.Plant.TimeS);
            if (i == 6000) line.Plant.Faults.Clear("anneal.zone1.tc", line.Plant.TimeS);
            line.Clock.Advance(line.Options.PeriodUs);
            line.Plant.Step(line.Options.PeriodUs / 1e6);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < boards.Length; k++) scans += boards[k].RunDueScans();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(40_000, scans);
        Assert.True(line.Board("anneal")!.Runtime.Alarms.IsActive((int)Tfb.Codes.AlarmCode.SensorFault));
        Assert.Equal(0, allocated);
    }
}

/// <summary>
/// Bytes allocated per scan are measured on the scan's own thread, with nothing else running in the process. In
/// parallel with other tests the web measurement twice saw 4-5 KB charged once to the scan thread (in two of about
/// eight full runs, never when run alone, never with the same scan); the cause is not pinned down, and the
/// deterministic scan path itself measures 0.
/// </summary>
[CollectionDefinition("allocation", DisableParallelization = true)]
public sealed class AllocationCollection { }

/// <summary>Runs with nothing else in parallel: real sockets paced against the wall clock.</summary>
[CollectionDefinition("paced", DisableParallelization = true)]
public sealed class PacedCollection;

[Collection("paced")]
public class PacedScenarioTests
{
    [Fact]
    public void DemoScenario_WithTheAlarmSeenOnMqtt_Passes()
    {
        // The README's demo: console and MQTT (a SCADA observer decoding with the reference decoder), on an
        // embedded broker on a free port; paced in real time (as people run it) and alone, so the sockets keep up with simulated time.
        var s = ScenarioParser.ParseFile(Repo.Scenario("demo.scn"));
        Assert.True(ScenarioRun.NeedsMqtt(s));
        var r = ScenarioRun.Execute(s, Repo.LineBoards, 1, CancellationToken.None);
        Assert.Null(r.Invalid);
        Assert.True(r.Report!.Passed, r.Report.ToText());
    }

}

/// <summary>Commissioning commands on a virtual board, through its console, against the plant.</summary>
public class CommissioningOnTheLineTests
{
    [Fact]
    public void ForcingAnOutput_IsRefusedWithoutPermission_AndAForcedOutputReturnsSafeAfterItsTimeout()
    {
        var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        var anneal = line.Board("anneal")!;
        void Type(string text) { anneal.TypeLine(text); for (int i = 0; i < 15; i++) line.Step(); }
        Type("login engineer");
        Type("tfb-eng");

        // The anneal module owns the contactor: with the furnace door open its interlock refuses the force.
        line.Plant.Faults.Inject("anneal", "dooropen", line.Plant.TimeS);
        for (int i = 0; i < 5; i++) line.Step();
        Type("io force heater_contactor on 2");
        Assert.Contains("error:13", anneal.ScenarioLink.Output);
        Assert.Equal(0, line.Plant.Bus.Read("anneal.contactorCmd"));

        // Door closed, limit healthy: the force reaches the plant, then times out to safe.
        line.Plant.Faults.Clear("anneal", line.Plant.TimeS);
        for (int i = 0; i < 5; i++) line.Step();
        Type("io force heater_contactor on 2");
        Assert.Equal(1, line.Plant.Bus.Read("anneal.contactorCmd"));
        for (int i = 0; i < 250; i++) line.Step(); // 2.5 s
        Assert.Equal(0, line.Plant.Bus.Read("anneal.contactorCmd"));
    }

    [Fact]
    public void Info_ShowsTheBoardIdentity()
    {
        var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        var web = line.Board("web")!;
        web.TypeLine("info");
        Assert.Contains("asset: VL-WEB", web.ScenarioLink.Output);
        Assert.Contains("board: virtual-web", web.ScenarioLink.Output);
    }
}

[Collection("paced")]
public class AlarmStoreAndForwardTests
{
    [Fact]
    public async Task AlarmsRaisedAndResetWhileTheBrokerIsDown_ReachScadaAfterItReturns()
    {
        await using var rig = await Rig.StartAsync();
        var (line, mqtt) = (rig.Line, rig.Mqtt);
        bool StepUntil(Func<bool> done, double maxSeconds) => rig.StepUntil(done, maxSeconds);
        var anneal = line.Board("anneal")!;

        Assert.True(StepUntil(() => mqtt.Observer!.TryGet("virtual-anneal", "Alarms/Active Count", out _), 10), "no NBIRTH");
        mqtt.SetBrokerUp(false);
        Assert.True(StepUntil(() => anneal.Edge!.Session.State != Tfb.Sparkplug.EdgeNodeState.Online, 10), "the node did not notice the outage");

        line.Plant.Faults.Inject("anneal.zone3.limitTc", "short", line.Plant.TimeS);
        Assert.True(StepUntil(() => anneal.Runtime.Alarms.IsActive((int)AlarmCode.SensorFault), 5));
        line.Plant.Faults.Clear("anneal.zone3.limitTc", line.Plant.TimeS);
        for (int i = 0; i < 20; i++) line.Step();
        Assert.True(anneal.Runtime.TryReset((int)AlarmCode.SensorFault, out _));
        for (int i = 0; i < 20; i++) line.Step();
        Assert.True(anneal.Edge!.StoreForward!.Count >= 2, "raise and reset should wait in the queue");

        mqtt.SetBrokerUp(true);
        bool Replayed(int code) => mqtt.Observer!.Historical.Any(h => h.Node == "virtual-anneal" && h.Name == "Alarms/Log/Code" && (int)h.Metric.IntValue == code);
        Assert.True(StepUntil(() => Replayed(1040) && Replayed(-1040), 30), "the raise and the reset were not replayed");
        Assert.True(StepUntil(() => anneal.Edge.StoreForward.Count == 0, 10), "delivered records must leave the queue");
        Assert.Equal(0, anneal.Edge.LogRecordsLost);
    }

    [Fact]
    public async Task FiveSimulatedMinutesOfBrokerOutage_WithAlarmsEveryTenSeconds_LoseNothing()
    {
        await using var rig = await Rig.StartAsync();
        var (line, mqtt) = (rig.Line, rig.Mqtt);
        bool StepUntil(Func<bool> done, double maxSeconds) => rig.StepUntil(done, maxSeconds);
        var web = line.Board("web")!;
        Assert.True(StepUntil(() => mqtt.Observer!.TryGet("virtual-web", "Alarms/Active Count", out _), 10), "no NBIRTH");

        mqtt.SetBrokerUp(false);
        // 300 simulated seconds, unpaced: a load-cell dropout every 10 s, repaired 2 s later, the alarm reset.
        int cycles = 0;
        for (int step = 0; step < 30_000; step++)
        {
            int inCycle = step % 1000;
            if (inCycle == 100) line.Plant.Faults.Inject("web.span2.loadcell", "dropout", line.Plant.TimeS);
            if (inCycle == 300) line.Plant.Faults.Clear("web.span2.loadcell", line.Plant.TimeS);
            if (inCycle == 400 && web.Runtime.TryReset((int)AlarmCode.SensorFault, out _)) cycles++;
            line.Step();
            if (step % 10 == 0) Thread.Sleep(1); // let the MQTT thread poll (and fail to reach the broker) as it goes
        }
        Assert.Equal(30, cycles);
        Assert.True(StepUntil(() => web.Edge!.StoreForward!.Count >= 60, 30), $"{web.Edge!.StoreForward!.Count} records queued, state {web.Edge.Session.State}, failures {web.Edge.Session.ConnectFailures}, alarm log {web.Runtime.Alarms.History.NextSeq}, paused {web.Edge.StoreForward.ProducersMustPause}, lost {web.Edge.LogRecordsLost}");

        mqtt.SetBrokerUp(true);
        int Replayed(int code) => mqtt.Observer!.Historical.Count(h => h.Node == "virtual-web" && h.Name == "Alarms/Log/Code" && (int)h.Metric.IntValue == code);
        Assert.True(StepUntil(() => web.Edge.StoreForward.Count == 0, 60), $"{web.Edge.StoreForward.Count} records still queued");
        // Every raise and every reset arrived; a repeat (lost PUBACK) would carry the same SF/Seq, so count distinct.
        var seqs = mqtt.Observer!.Historical.Where(h => h.Node == "virtual-web" && h.Name == "SF/Seq").Select(h => h.Metric.LongValue).ToList();
        Assert.True(Replayed(1040) >= 30 && Replayed(-1040) >= 30, $"raises {Replayed(1040)}, resets {Replayed(-1040)}");
        Assert.Equal((int)(seqs.Max() - seqs.Min() + 1), seqs.Distinct().Count()); // consecutive: no gap
        Assert.Equal(0, web.Edge.LogRecordsLost);
    }

    [Fact]
    public async Task ABoardResetWhileAlarmsAreQueued_LosesNothing_AndTheNewSessionReplaysThem()
    {
        await using var rig = await Rig.StartAsync();
        var (line, mqtt) = (rig.Line, rig.Mqtt);
        bool StepUntil(Func<bool> done, double maxSeconds) => rig.StepUntil(done, maxSeconds);
        var web = line.Board("web")!;
        Assert.True(StepUntil(() => mqtt.Observer!.TryGet("virtual-web", "Alarms/Active Count", out _), 10), "no NBIRTH");
        int bdSeqBefore = web.Edge!.Session.BdSeq;

        mqtt.SetBrokerUp(false);
        for (int cycle = 0; cycle < 5; cycle++)
        {
            line.Plant.Faults.Inject("web.span1.loadcell", "dropout", line.Plant.TimeS);
            for (int i = 0; i < 50; i++) line.Step();
            line.Plant.Faults.Clear("web.span1.loadcell", line.Plant.TimeS);
            for (int i = 0; i < 10; i++) line.Step();
            Assert.True(web.Runtime.TryReset((int)AlarmCode.SensorFault, out _));
        }
        // Every raise and reset is durable before the power goes (a record still in RAM at a power cut is lost
        // with the RAM, exactly as on a board; the producer side is what the queue protects).
        Assert.True(StepUntil(() => web.Edge!.LogRecordsPending == 0 && web.Edge.StoreForward!.Count >= 10, 30), $"{web.Edge!.StoreForward!.Count} queued, {web.Edge.LogRecordsPending} pending");
        int queued = web.Edge.StoreForward.Count;

        // Power cycle while the records wait: RAM is gone, the queue partition is not.
        var rebooted = mqtt.ResetBoard("web");
        Assert.NotSame(web, rebooted);
        Assert.Equal(queued, rebooted.Edge!.StoreForward!.Count);

        mqtt.SetBrokerUp(true);
        Assert.True(StepUntil(() => rebooted.Edge.StoreForward.Count == 0, 60), $"{rebooted.Edge.StoreForward.Count} still queued");
        int raises = mqtt.Observer!.Historical.Count(h => h.Node == "virtual-web" && h.Name == "Alarms/Log/Code" && (int)h.Metric.IntValue == 1040);
        int resets = mqtt.Observer!.Historical.Count(h => h.Node == "virtual-web" && h.Name == "Alarms/Log/Code" && (int)h.Metric.IntValue == -1040);
        Assert.True(raises >= 5 && resets >= 5, $"raises {raises}, resets {resets}");
        Assert.NotEqual(bdSeqBefore, rebooted.Edge.Session.BdSeq); // a new session, never the stale Will's bdSeq
    }

    /// <summary>A line with its MQTT side on an embedded broker on a free port and a SCADA observer.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        public required Line Line { get; init; }
        public required LineMqtt Mqtt { get; init; }

        public static async Task<Rig> StartAsync()
        {
            var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
            var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            var broker = await EmbeddedBroker.StartAsync(port);
            return new Rig { Line = line, Mqtt = await LineMqtt.StartAsync(line, "127.0.0.1", port, broker, observe: true) };
        }

        /// <summary>Steps the line in about real time (the sessions' reconnect backoff runs on the simulated clock).</summary>
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

        public ValueTask DisposeAsync() => Mqtt.DisposeAsync();
    }
}

public class CrossBoardWireTests
{
    [Fact]
    public void WebOkPermit_IsAWireFromTheWebBoardToTheSputterBoard_DeEnergizedUntilDriven()
    {
        var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        var web = line.Board("web")!;
        var sputter = line.Board("sputter")!;
        for (int i = 0; i < 10; i++) line.Step();
        Assert.True(sputter.Io.DigitalInput("web_ok")!.TryRead(out bool ok));
        Assert.False(ok); // safe state of the web board's output: no permit

        // The web-transport module owns the output from here on: the wire carrying a running web's permit to
        // the sputter board, and its drop on a web break, are tested in Web/WebLineTests.cs.
        web.Io.AllOutputsSafe();
        for (int i = 0; i < 5; i++) line.Step();
        Assert.True(sputter.Io.DigitalInput("web_ok")!.TryRead(out ok));
        Assert.False(ok);
    }
}

public class SupervisorModelTests
{
    [Fact]
    public void ABoardWhoseScanStops_IsSeenByItsSupervisor()
    {
        var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        for (int i = 0; i < 10; i++) line.Step();
        var web = line.Board("web")!;
        Assert.False(web.Io.Supervisor.Expired);
        // Time passes without a scan (a hung firmware): past the 500 ms timeout the supervisor would reset it.
        line.Clock.Advance(600_000);
        Assert.True(web.Io.Supervisor.Expired);
        Assert.Contains("WATCHDOG EXPIRED", InteractiveRun.StatusLine(line, web));
    }
}
