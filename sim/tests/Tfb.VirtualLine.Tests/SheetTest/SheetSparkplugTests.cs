using Tfb.Codes;
using Tfb.Hal;
using Tfb.Runtime;
using Tfb.Sparkplug;
using Tfb.Stations.SheetTest;
using Ref = Tfb.SparkplugReference;

namespace Tfb.VirtualLine.Tests.SheetTest;

/// <summary>
/// The sheet-test board's results on Sparkplug, checked against the results contract with the reference
/// (Google.Protobuf) decoder, over an in-memory transport stepped with the line (no sockets, no pacing).
/// </summary>
public class SheetSparkplugTests
{
    private sealed class Transport : IMqttSession
    {
        private IMqttSessionHandler? _handler;
        private int _token = 1;
        public bool Up = true;
        public readonly List<(string Topic, byte[] Payload, int Qos, int Token)> Published = new();
        public readonly HashSet<int> Acked = new();
        public bool IsConnected { get; private set; }
        public void SetHandler(IMqttSessionHandler handler) => _handler = handler;
        public int Connect(MqttConnectOptions options) { IsConnected = Up; return Up ? 0 : 3; }
        public void Disconnect() => IsConnected = false;
        public bool Subscribe(string topicFilter, int qos) => true;
        public int Publish(string topic, byte[] payload, int count, int qos, bool retain)
        {
            if (!IsConnected) return -1;
            int token = qos == 1 ? _token++ : 0;
            Published.Add((topic, payload.AsSpan(0, count).ToArray(), qos, token));
            return token;
        }
        public void AckAll()
        {
            foreach (var p in Published.Where(p => p.Qos == 1 && !Acked.Contains(p.Token)).ToList())
            {
                Acked.Add(p.Token);
                _handler!.OnPublishCompleted(p.Token, true);
            }
        }
    }

    private static (BoardEdgeNode Edge, Transport T) Attach(SheetRig rig, INvStore? sfq = null)
    {
        var t = new Transport();
        var config = new EdgeNodeConfig
        {
            GroupId = "line", EdgeNodeId = "virtual-sheettest",
            Connection = new MqttConnectOptions { Host = "127.0.0.1", Port = 1, ClientId = "virtual-sheettest", KeepAliveSeconds = 30 },
            FirmwareVersion = "0.1.0", Board = "virtual-sheettest", AssetId = "VL-SHEETTEST", ReconnectMinMs = 100, ReconnectMaxMs = 200,
        };
        var edge = new BoardEdgeNode(rig.Board.Runtime, config, t, rig.Board.Io.NvStore("sparkplug")!, sfq ?? rig.Board.Io.NvStore("sfq"));
        edge.Start();
        return (edge, t);
    }

    private static void Step(SheetRig rig, BoardEdgeNode edge, Transport t, int steps, bool ack = true)
    {
        for (int i = 0; i < steps; i++)
        {
            rig.Line.Step();
            edge.ForwardLogs();
            edge.Poll();
            if (ack) t.AckAll();
            edge.Poll();
        }
    }

    private static List<Dictionary<string, Ref.Metric>> Records(Transport t)
    {
        var birth = Ref.Payload.Parser.ParseFrom(t.Published.Last(p => p.Topic == "spBv1.0/line/DBIRTH/virtual-sheettest/SheetTest").Payload);
        var names = birth.Metrics.ToDictionary(m => m.Alias, m => m.Name);
        var list = new List<Dictionary<string, Ref.Metric>>();
        foreach (var p in t.Published.Where(p => p.Topic == "spBv1.0/line/DDATA/virtual-sheettest/SheetTest" && p.Qos == 1))
        {
            var payload = Ref.Payload.Parser.ParseFrom(p.Payload);
            list.Add(payload.Metrics.ToDictionary(m => m.HasName ? m.Name : names[m.Alias]));
        }
        return list;
    }

    [Fact]
    public void EverySite_IsOneHistoricalRecord_WithTheContractsMetricsAndTypes()
    {
        var rig = new SheetRig();
        var (edge, t) = Attach(rig);
        SheetTable? done = null;
        rig.Module.Sequencer.SheetCompleted = x => done = x;
        Step(rig, edge, t, 20);
        rig.Start();
        for (int i = 0; i < 3000 && (done == null || rig.Module.Publisher!.Published < 14); i++) Step(rig, edge, t, 1);
        Step(rig, edge, t, 20);
        var records = Records(t);
        Assert.Equal(14, records.Count); // sheet start, 12 sites, sheet end

        var start = records[0];
        var expectedStart = new Dictionary<string, int>
        {
            ["Sheet/Roll Id"] = 12, ["Sheet/Sheet Id"] = 12, ["Sheet/Columns"] = 5, ["Sheet/Rows"] = 5, ["Sheet/Pitch X mm"] = 9,
            ["Sheet/Pitch Y mm"] = 9, ["Sheet/Cell W mm"] = 9, ["Sheet/Cell H mm"] = 9, ["Sheet/Z1 Hz"] = 9, ["Sheet/Z2 Hz"] = 9,
            ["Sheet/Z3 Hz"] = 9, ["Sheet/Formed"] = 11, ["Sheet/Test Program"] = 12, [StoreForwardQueue.SeqMetricName] = 7,
        };
        foreach (var test in SheetTests.Names) { expectedStart[$"Limits/{test} Lo"] = 9; expectedStart[$"Limits/{test} Hi"] = 9; }
        Assert.Equal(expectedStart.Keys.Order(), start.Keys.Order());
        foreach (var kv in expectedStart) Assert.Equal((uint)kv.Value, start[kv.Key].Datatype);
        Assert.Equal("R1", start["Sheet/Roll Id"].StringValue);
        Assert.Equal("S0001", start["Sheet/Sheet Id"].StringValue);
        Assert.Equal(4u, start["Sheet/Columns"].IntValue);
        Assert.Equal(100000f, start["Sheet/Z1 Hz"].FloatValue);
        Assert.True(start["Limits/Contact Ohm Lo"].IsNull);
        Assert.Equal(20f, start["Limits/Contact Ohm Hi"].FloatValue);
        Assert.Equal((ulong)done!.StartMs, start["Sheet/Roll Id"].Timestamp);

        var resultTypes = new Dictionary<string, int>
        {
            ["Result/Roll Id"] = 12, ["Result/Sheet Id"] = 12, ["Result/Cell X"] = 5, ["Result/Cell Y"] = 5, ["Result/Site Seq"] = 7,
            ["Result/Contact Ohm"] = 9, ["Result/Leakage A"] = 9, ["Result/OCV V"] = 9, ["Result/Z1 Ohm"] = 9, ["Result/Z1 Deg"] = 9,
            ["Result/Z2 Ohm"] = 9, ["Result/Z2 Deg"] = 9, ["Result/Z3 Ohm"] = 9, ["Result/Z3 Deg"] = 9, ["Result/Hard Bin"] = 5,
            ["Result/Soft Bin"] = 6, ["Result/Flags"] = 7, [StoreForwardQueue.SeqMetricName] = 7,
        };
        var cells = new HashSet<(uint, uint)>();
        for (int s = 0; s < 12; s++)
        {
            var r = records[1 + s];
            Assert.Equal(resultTypes.Keys.Order(), r.Keys.Order());
            foreach (var kv in resultTypes) Assert.Equal((uint)kv.Value, r[kv.Key].Datatype);
            Assert.All(r.Values, m => Assert.True(m.IsHistorical));
            Assert.Equal((ulong)s, r["Result/Site Seq"].LongValue);
            uint x = r["Result/Cell X"].IntValue, y = r["Result/Cell Y"].IntValue;
            Assert.True(cells.Add((x, y)));
            int c = (int)(y * 4 + x);
            Assert.Equal((ulong)done.TimeMs[c], r["Result/Cell X"].Timestamp);
            Assert.Equal(done.HardBin[c], (int)r["Result/Hard Bin"].IntValue);
            Assert.Equal(done.ZOhm[c * 3 + 1], r["Result/Z2 Ohm"].FloatValue);
            Assert.True(r["Result/OCV V"].IsNull); // not measured before formation
        }
        var end = records[13];
        Assert.Equal(12ul, end["Sheet/End Sites"].LongValue);
        Assert.Equal(SheetResultPublisher.BinCounts(done), end["Sheet/Bin Counts"].StringValue);
        // SF/Seq consecutive: nothing skipped.
        var seqs = records.Select(r => r[StoreForwardQueue.SeqMetricName].LongValue).ToList();
        Assert.Equal(Enumerable.Range((int)seqs[0], 14).Select(v => (ulong)v), seqs);
    }

    [Fact]
    public void BrokerDown_QueueBackPressure_PausesTheSequencer_AndEverySiteArrivesLater()
    {
        var rig = new SheetRig(cols: 3, rows: 2);
        // A small queue: about three sheets of records fill it to the near-full level.
        var sfq = new Tfb.Boards.Virtual.MemoryNvStore(24 * 1024);
        var (edge, t) = Attach(rig, sfq);
        t.Up = false;
        rig.Start(sheets: 0);
        bool waited = false;
        for (int i = 0; i < 6000 && !waited; i++)
        {
            Step(rig, edge, t, 1, ack: false);
            waited = rig.Module.Sequencer.State == SequencerState.WaitQueue;
        }
        Assert.True(waited, rig.Module.GetStatus());
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.StoreForwardNearFull));
        int sheetsWhileDown = rig.Module.Sequencer.SheetsDone;
        Step(rig, edge, t, 500, ack: false);
        Assert.Equal(SequencerState.WaitQueue, rig.Module.Sequencer.State); // still held, nothing dropped
        Assert.Equal(sheetsWhileDown, rig.Module.Sequencer.SheetsDone);

        t.Up = true;
        rig.Module.Sequencer.RequestAbort(); // stop after the queue drains
        var records = new List<Dictionary<string, Ref.Metric>>();
        for (int i = 0; i < 60; i++)
        {
            Step(rig, edge, t, 100);
            records = Records(t);
            if (rig.Module.Sequencer.State == SequencerState.Idle && records.Count(r => r.ContainsKey("Sheet/End Sites")) == rig.Module.Sequencer.SheetsDone) break;
        }
        int sheets = records.Count(r => r.ContainsKey("Sheet/End Sites"));
        Assert.Equal(rig.Module.Sequencer.SheetsDone, sheets);
        Assert.True(sheets >= sheetsWhileDown);
        Assert.False(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.StoreForwardNearFull));
        // Every sheet: a start, one record per cell (Site Seq 0..5), an end; in order.
        int k = 0;
        for (int s = 0; s < sheets; s++)
        {
            Assert.True(records[k++].ContainsKey("Sheet/Columns"));
            for (int site = 0; site < 6; site++) Assert.Equal((ulong)site, records[k++]["Result/Site Seq"].LongValue);
            Assert.True(records[k++].ContainsKey("Sheet/End Sites"));
        }
        // One queue for the board: alarm records (the near-full raise and reset) interleave on NDATA. Together,
        // SF/Seq is consecutive: nothing was dropped.
        var seqs = records.Select(r => r[StoreForwardQueue.SeqMetricName].LongValue).ToList();
        Assert.Equal(seqs.Order(), seqs);
        var node = t.Published.Where(p => p.Topic == "spBv1.0/line/NDATA/virtual-sheettest" && p.Qos == 1)
            .SelectMany(p => Ref.Payload.Parser.ParseFrom(p.Payload).Metrics.Where(m => m.IsHistorical && m.Datatype == 7).Select(m => m.LongValue));
        var all = seqs.Concat(node).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range((int)all[0], all.Count).Select(v => (ulong)v), all);
    }
}
