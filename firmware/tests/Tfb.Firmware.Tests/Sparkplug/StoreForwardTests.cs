using Tfb.Codes;
using Tfb.Logging;
using Tfb.Sparkplug;
using Tfb.Storage;
using Nv = Tfb.Boards.Virtual.MemoryNvStore;
using Ref = Tfb.SparkplugReference;

namespace Tfb.Firmware.Tests.Sparkplug;

/// <summary>
/// Store-and-forward through the session (fake transport): replay after the birth as historical metrics at
/// QoS 1, deletion only on PUBACK, SF/Seq for duplicates, back-pressure, and power cuts at any byte.
/// </summary>
public class StoreForwardTests(Xunit.Abstractions.ITestOutputHelper output)
{
    internal const int RecordBytes = 256;

    /// <summary>A board: session + sheet-test device + queue over a persistent store that outlives it.</summary>
    internal sealed class Board
    {
        public readonly SessionHarness H;
        public readonly PersistentQueue Queue;
        public readonly StoreForwardQueue Sf;
        public readonly AlarmLog Alarms;
        public readonly SparkplugDevice Tester;
        public readonly SparkplugMetric SheetId, CellX, CellY, Ocv, Impedance, Bin;
        public readonly StoreForwardRecord Record = new(RecordBytes);

        public Board(Nv queueStore, MemoryNvStore bdSeqStore = null, int nearFullPercent = 80)
        {
            H = new SessionHarness(nv: bdSeqStore);
            Tester = H.Session.AddDevice("SheetTest", 12);
            SheetId = Tester.Metrics.Add("Result/Sheet Id", SparkplugDataType.String, 0, 0);
            CellX = Tester.Metrics.Add("Result/Cell X", SparkplugDataType.UInt8, 0, 0);
            CellY = Tester.Metrics.Add("Result/Cell Y", SparkplugDataType.UInt8, 0, 0);
            Ocv = Tester.Metrics.Add("Result/OCV V", SparkplugDataType.Float, 0, 0);
            Impedance = Tester.Metrics.Add("Result/Impedance Ohm", SparkplugDataType.Float, 0, 0);
            Bin = Tester.Metrics.Add("Result/Bin", SparkplugDataType.Int32, 0, 0);
            foreach (var m in new[] { SheetId, CellX, CellY, Ocv, Impedance, Bin }) m.SetNull();
            Tester.SetOnline(true);
            Alarms = new AlarmLog(16, 8, H.Clock);
            Queue = new PersistentQueue(queueStore, RecordBytes, Alarms) { NearFullPercent = nearFullPercent };
            Queue.Open();
            Sf = new StoreForwardQueue(Queue, H.Session, RecordBytes, Alarms);
            Assert.True(Sf.IsBound);
            H.Session.SetReplaySource(Sf);
        }

        /// <summary>Builds the result record for cell <paramref name="n"/> (values derive from n so a test can check them).</summary>
        public void Build(int n)
        {
            Record.Begin(Tester, 1_767_225_600_000 + n * 1000L);
            Record.AddString(SheetId, "S-" + (n / 16));
            Record.AddInteger(CellX, n % 4);
            Record.AddInteger(CellY, n / 4 % 4);
            Record.AddReal(Ocv, 3.9 + n * 0.001);
            Record.AddReal(Impedance, 0.05);
            Record.AddInteger(Bin, n % 3);
        }

        public bool Append(int n)
        {
            Build(n);
            bool ok = Sf.TryAppend(Record, out _, out ErrorCode e);
            LastError = e;
            return ok;
        }

        public ErrorCode LastError;

        /// <summary>PUBACKs every outstanding QoS 1 publish and polls, until quiet.</summary>
        public void AckAll(int maxRounds = 1000)
        {
            for (int i = 0; i < maxRounds; i++)
            {
                var pending = H.Mqtt.Publishes.Where(p => p.Qos == 1 && !Acked.Contains(p.Token)).ToList();
                if (pending.Count == 0)
                {
                    H.Session.Poll();
                    if (!H.Mqtt.Publishes.Any(p => p.Qos == 1 && !Acked.Contains(p.Token))) return;
                    continue;
                }

                foreach (var p in pending)
                {
                    Acked.Add(p.Token);
                    H.Mqtt.Complete(p.Token, true);
                }

                H.Session.Poll();
            }
        }

        public readonly HashSet<int> Acked = new();

        /// <summary>Historical results published so far: (SF/Seq, OCV, timestamp) per payload.</summary>
        public List<(ulong Seq, float Ocv, ulong Ts, Ref.Payload P)> Results()
        {
            var birth = SessionHarness.Decode(H.Mqtt.Publishes.Last(p => p.Topic == SessionHarness.Topic("DBIRTH", "SheetTest")));
            ulong Alias(string name) => birth.Metrics.Single(m => m.Name == name).Alias;
            return H.Mqtt.Publishes.Where(p => p.Topic == SessionHarness.Topic("DDATA", "SheetTest") && p.Qos == 1)
                .Select(p => SessionHarness.Decode(p))
                .Select(p => (p.Metrics.Single(m => m.Alias == Alias(StoreForwardQueue.SeqMetricName)).LongValue,
                    p.Metrics.Single(m => m.Alias == Alias("Result/OCV V")).FloatValue,
                    p.Metrics[0].Timestamp, p))
                .ToList();
        }
    }

    [Fact]
    public void Replay_AfterBirth_HistoricalQos1_OneInFlight_DeletedOnlyOnPuback()
    {
        var b = new Board(new Nv(8192));
        for (int n = 0; n < 3; n++) Assert.True(b.Append(n), b.LastError + " " + b.Record.Invalid + " " + b.Record.MetricCount + " " + b.Record.Length);
        b.H.StartOnline();

        var log = b.H.Mqtt.Publishes;
        int firstReplay = log.FindIndex(p => p.Qos == 1);
        Assert.True(firstReplay > log.FindIndex(p => p.Topic == SessionHarness.Topic("DBIRTH", "SheetTest")), "replay only after the births");
        Assert.Single(log, p => p.Qos == 1); // one in flight
        b.H.Session.Poll();
        Assert.Single(log, p => p.Qos == 1); // still waiting for its PUBACK
        Assert.Equal(3, b.Sf.Count);

        b.AckAll();
        Assert.Equal(0, b.Sf.Count);
        var results = b.Results();
        Assert.Equal(new ulong[] { 1, 2, 3 }, results.Select(r => r.Seq)); // record sequences of the queue
        Assert.Equal(new[] { 3.9f, 3.901f, 3.902f }, results.Select(r => r.Ocv));
        Assert.All(results, r => Assert.All(r.P.Metrics, m => Assert.True(m.IsHistorical)));
        Assert.Equal(1_767_225_600_000ul + 1000, results[1].Ts);
        var first = results[0].P.Metrics;
        Assert.Equal(7, first.Count); // six result metrics + SF/Seq
    }

    [Fact]
    public void Replay_NackOrLinkLoss_ResendsWithTheSameSeq_NothingLost()
    {
        var b = new Board(new Nv(8192));
        for (int n = 0; n < 2; n++) Assert.True(b.Append(n));
        b.H.StartOnline();
        var first = b.H.Mqtt.Publishes.Single(p => p.Qos == 1);
        b.H.Mqtt.Complete(first.Token, false);
        b.Acked.Add(first.Token);
        b.H.Session.Poll();
        var second = b.H.Mqtt.Publishes.Last(p => p.Qos == 1);
        Assert.NotEqual(first.Token, second.Token);

        b.H.Mqtt.DropLink(); // in flight when the link goes
        b.Acked.Add(second.Token);
        b.H.Run(70_000);
        Assert.Equal(EdgeNodeState.Online, b.H.Session.State);
        b.AckAll();
        var seqs = b.Results().Select(r => r.Seq).ToList();
        Assert.Equal(new ulong[] { 1, 2 }, seqs.Distinct().OrderBy(s => s));
        Assert.True(seqs.Count > 2, "the unacknowledged sends were repeated");
        Assert.Equal(0, b.Sf.Count);
    }

    [Fact]
    public void NearFull_ProducersMustPause_AlarmRaised_ThenClearedWhenDrained()
    {
        var b = new Board(new Nv(64 + 6 * (RecordBytes + 12)), nearFullPercent: 50);
        int appended = 0;
        while (!b.Sf.ProducersMustPause)
        {
            Assert.True(b.Append(appended++));
        }

        Assert.True(b.Alarms.IsActive((int)AlarmCode.StoreForwardNearFull));
        // A full queue refuses (Busy) and never drops.
        while (b.Append(appended)) appended++;
        b.Build(appended);
        Assert.False(b.Sf.TryAppend(b.Record, out _, out ErrorCode error));
        Assert.Equal(ErrorCode.Busy, error);

        b.H.StartOnline();
        b.AckAll();
        Assert.False(b.Sf.ProducersMustPause);
        Assert.False(b.Alarms.IsActive((int)AlarmCode.StoreForwardNearFull));
        Assert.Equal(Enumerable.Range(1, appended).Select(i => (ulong)i), b.Results().Select(r => r.Seq));
    }

    /// <summary>Figure for docs/mqtt.md: one sheet-test result (sheet id, cell x/y, OCV, impedance, bin, timestamp).</summary>
    [Fact]
    public void Figure_OneSheetResult_RecordAndWireBytes()
    {
        var b = new Board(new Nv(8192));
        b.Build(5);
        int recordBytes = b.Record.Length;
        Assert.True(b.Sf.TryAppend(b.Record, out _, out _));
        b.H.StartOnline();
        var replay = b.H.Mqtt.Publishes.Single(p => p.Qos == 1);
        var decoded = SessionHarness.Decode(replay);
        Assert.Equal(7, decoded.Metrics.Count);
        output.WriteLine($"record {recordBytes} B in the queue (+12 B framing), DDATA payload {replay.Payload.Length} B, topic {replay.Topic.Length} B");
        Assert.InRange(replay.Payload.Length, 40, 160); // aliases keep a result well under one TCP segment
    }

    [Fact]
    public void BadRecords_AreRefusedWithACode()
    {
        var b = new Board(new Nv(8192));
        b.Record.Begin(b.Tester, 1);
        Assert.False(b.Sf.TryAppend(b.Record, out _, out ErrorCode e1)); // no metrics
        Assert.Equal(ErrorCode.BadArgument, e1);
        b.Record.Begin(b.Tester, 1);
        Assert.False(b.Record.AddInteger(b.CellX, 300)); // does not fit UInt8
        Assert.False(b.Record.AddReal(b.Bin, 1.5)); // wrong datatype
        Assert.False(b.Sf.TryAppend(b.Record, out _, out ErrorCode e2));
        Assert.Equal(ErrorCode.BadArgument, e2);
        Assert.Equal(0, b.Sf.Count);
    }

    /// <summary>
    /// Power cut at every few bytes of the write stream while results are produced and replayed; after each
    /// cut the board restarts (new session, queue reopened from the same store). Every acknowledged append
    /// arrives at least once, repeats carry the same SF/Seq and the same values.
    /// </summary>
    [Fact]
    public void PowerCuts_AtAnyByte_EveryStoredResultArrives_DuplicatesIdentifiable()
    {
        var store = new Nv(4096);
        var bdSeq = new MemoryNvStore(64);
        var received = new List<(ulong Seq, float Ocv)>();
        var stored = new Dictionary<uint, float>();
        int next = 0;
        var rng = new Random(7);
        for (int boot = 0; boot < 40; boot++)
        {
            store.RestorePower();
            var b = new Board(store, bdSeq);
            b.H.StartOnline();
            store.CutPowerAfterBytes(rng.Next(1, 400));
            for (int step = 0; step < 6 && !store.PowerLost; step++)
            {
                b.Build(next);
                if (b.Sf.TryAppend(b.Record, out uint seq, out _))
                {
                    stored[seq] = 3.9f + next * 0.001f;
                    next++;
                }

                b.AckAll(20);
            }

            received.AddRange(b.Results().Select(r => (r.Seq, r.Ocv)));
        }

        store.RestorePower();
        var last = new Board(store, bdSeq);
        last.H.StartOnline();
        last.AckAll();
        received.AddRange(last.Results().Select(r => (r.Seq, r.Ocv)));
        Assert.Equal(0, last.Sf.Count);

        Assert.True(stored.Count > 15, $"only {stored.Count} stored");
        foreach (var (seq, ocv) in stored)
        {
            var copies = received.Where(r => r.Seq == seq).ToList();
            Assert.True(copies.Count >= 1, $"record {seq} lost");
            Assert.All(copies, c => Assert.Equal(ocv, c.Ocv, 4));
        }
    }
}
