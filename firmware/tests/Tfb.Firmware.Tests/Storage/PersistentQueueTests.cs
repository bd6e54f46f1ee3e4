using Tfb.Boards.Virtual;
using Tfb.Codes;
using Tfb.Logging;
using Tfb.Storage;

namespace Tfb.Firmware.Tests.Storage;

public class PersistentQueueTests
{
    private const int MaxPayload = 200;
    private readonly SimulatedClock _clock = new();

    private (PersistentQueue Q, AlarmLog Alarms) Open(MemoryNvStore nv)
    {
        var alarms = new AlarmLog(16, 8, _clock);
        var q = new PersistentQueue(nv, MaxPayload, alarms);
        q.Open();
        return (q, alarms);
    }

    private static byte[] Payload(int id, int length)
    {
        var b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte)(id * 31 + i);
        BitConverter.GetBytes(id).AsSpan(0, Math.Min(4, length)).CopyTo(b);
        return b;
    }

    private static List<(uint Seq, byte[] Data)> Drain(PersistentQueue q)
    {
        var items = new List<(uint, byte[])>();
        var buf = new byte[MaxPayload];
        while (q.TryPeekOldest(buf, out int len, out uint seq))
        {
            items.Add((seq, buf[..len]));
            Assert.True(q.RemoveOldest(seq));
        }
        return items;
    }

    private static List<(uint Seq, byte[] Data)> ContentsOf(MemoryNvStore nv)
    {
        var copy = new MemoryNvStore(nv.Size);
        copy.Poke(0, nv.Snapshot());
        var alarms = new AlarmLog(16, 8, new SimulatedClock());
        var q = new PersistentQueue(copy, MaxPayload, alarms);
        q.Open();
        return Drain(q);
    }

    [Fact]
    public void Records_ComeOutInOrder_AndSurviveAReopen()
    {
        var nv = new MemoryNvStore(4096);
        var (q, _) = Open(nv);
        for (int i = 0; i < 10; i++) Assert.True(q.TryAppend(Payload(i, 20 + i), 0, 20 + i, out _, out _));
        var (q2, _) = Open(nv);
        Assert.Equal(10, q2.Count);
        var items = Drain(q2);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => Payload(i, 20 + i)), items.Select(x => x.Data));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (uint)i), items.Select(x => x.Seq));
        Assert.Equal(0, Open(nv).Q.Count);
    }

    [Fact]
    public void ManyLapsOfTheRing_MatchAModelQueue_AcrossRandomReopens()
    {
        var rng = new Random(7);
        var nv = new MemoryNvStore(2048);
        var (q, _) = Open(nv);
        var model = new Queue<byte[]>();
        int id = 0;
        for (int step = 0; step < 4000; step++)
        {
            if (rng.Next(3) != 0)
            {
                int len = rng.Next(1, MaxPayload + 1);
                var p = Payload(id, len);
                if (q.TryAppend(p, 0, len, out _, out var err)) { model.Enqueue(p); id++; }
                else Assert.Equal(ErrorCode.Busy, err);
            }
            else if (model.Count > 0)
            {
                var buf = new byte[MaxPayload];
                Assert.True(q.TryPeekOldest(buf, out int len, out uint seq));
                Assert.Equal(model.Peek(), buf[..len]);
                Assert.True(q.RemoveOldest(seq));
                model.Dequeue();
            }
            if (rng.Next(50) == 0) q = Open(nv).Q;
            Assert.Equal(model.Count, q.Count);
        }
        Assert.True(id > 500, "the ring should have wrapped many times");
        Assert.Equal(model.ToArray(), ContentsOf(nv).Select(x => x.Data));
    }

    [Fact]
    public void PowerLossAtEveryByteOfAnAppend_LosesNothingAcknowledged()
    {
        var nv = new MemoryNvStore(2048);
        var (q, _) = Open(nv);
        for (int i = 0; i < 5; i++) q.TryAppend(Payload(i, 50), 0, 50, out _, out _);
        var before = ContentsOf(nv);
        var image = nv.Snapshot();
        var extra = Payload(99, 60);
        int recordBytes = 60 + 12;

        for (int cut = 0; cut <= recordBytes; cut++)
        {
            var disk = new MemoryNvStore(2048);
            disk.Poke(0, image);
            var (dq, _) = Open(disk);
            disk.CutPowerAfterBytes(cut);
            bool acknowledged = dq.TryAppend(extra, 0, extra.Length, out _, out _);
            disk.RestorePower();
            var after = ContentsOf(disk);
            if (acknowledged)
            {
                Assert.Equal(before.Count + 1, after.Count);
                Assert.Equal(extra, after[^1].Data);
            }
            else
            {
                Assert.Equal(before.Select(x => x.Data), after.Select(x => x.Data));
            }
        }
    }

    [Fact]
    public void PowerLossAtEveryByteOfARemove_KeepsTheRestAndAtWorstRedeliversTheOldest()
    {
        var nv = new MemoryNvStore(2048);
        var (q, _) = Open(nv);
        for (int i = 0; i < 6; i++) q.TryAppend(Payload(i, 40), 0, 40, out _, out _);
        // Two removals first, so both head slots hold pointers.
        Drain1(q); Drain1(q);
        var image = nv.Snapshot();
        var before = ContentsOf(nv);

        for (int cut = 0; cut <= 20; cut++)
        {
            var disk = new MemoryNvStore(2048);
            disk.Poke(0, image);
            var (dq, _) = Open(disk);
            disk.CutPowerAfterBytes(cut);
            bool removed = dq.RemoveOldest(dq.OldestSequence);
            disk.RestorePower();
            var after = ContentsOf(disk);
            if (removed) Assert.Equal(before.Skip(1).Select(x => x.Seq), after.Select(x => x.Seq));
            else Assert.Equal(before.Select(x => x.Seq), after.Select(x => x.Seq)); // redelivered, same sequence
        }

        static void Drain1(PersistentQueue q)
        {
            var b = new byte[MaxPayload];
            Assert.True(q.TryPeekOldest(b, out _, out uint s));
            Assert.True(q.RemoveOldest(s));
        }
    }

    [Fact]
    public void FullQueue_RefusesWithBusy_AndNearFullWarnsFirst()
    {
        var nv = new MemoryNvStore(1024);
        var (q, _) = Open(nv);
        bool sawNearFull = false;
        int stored = 0;
        while (q.TryAppend(Payload(stored, 100), 0, 100, out _, out var err))
        {
            stored++;
            if (q.NearFull && q.UsedBytes < q.CapacityBytes - 112) sawNearFull = true;
        }
        Assert.True(sawNearFull);
        Assert.False(q.TryAppend(Payload(0, 100), 0, 100, out _, out var e2));
        Assert.Equal(ErrorCode.Busy, e2);
        Assert.Equal(stored, Open(nv).Q.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(MaxPayload + 1)]
    public void EmptyOrOversizeRecords_AreRefused(int length)
    {
        var (q, _) = Open(new MemoryNvStore(2048));
        Assert.False(q.TryAppend(new byte[MaxPayload + 1], 0, length, out _, out var err));
        Assert.Equal(ErrorCode.BadArgument, err);
    }

    [Fact]
    public void RemovingWithAStaleSequence_RemovesNothing()
    {
        var (q, _) = Open(new MemoryNvStore(2048));
        q.TryAppend(Payload(1, 10), 0, 10, out uint s1, out _);
        q.TryAppend(Payload(2, 10), 0, 10, out uint s2, out _);
        Assert.False(q.RemoveOldest(s2));
        Assert.True(q.RemoveOldest(s1));
        Assert.False(q.RemoveOldest(s1));
        Assert.Equal(1, q.Count);
    }

    [Fact]
    public void CorruptRecordInMidQueue_IsSkipped_LaterRecordsKept_AndAlarmRaised()
    {
        var nv = new MemoryNvStore(2048);
        var (q, _) = Open(nv);
        for (int i = 0; i < 6; i++) q.TryAppend(Payload(i, 30), 0, 30, out _, out _);
        // Record 3 (0-based 2) starts at data offset 2*42; flip a payload byte.
        int at = 64 + 2 * 42 + 15;
        nv.Poke(at, [(byte)(nv.Snapshot()[at] ^ 0xFF)]);

        var (q2, alarms) = Open(nv);
        Assert.Equal(1, q2.CorruptSkipped);
        Assert.True(alarms.IsActive((int)AlarmCode.StoreForwardCorrupt));
        Assert.Equal(new uint[] { 1, 2, 4, 5, 6 }, Drain(q2).Select(x => x.Seq));
    }

    [Fact]
    public void GarbagePartition_OpensEmpty_WithoutThrowing()
    {
        var rng = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            var nv = new MemoryNvStore(1024);
            var junk = new byte[1024];
            rng.NextBytes(junk);
            nv.Poke(0, junk);
            var (q, _) = Open(nv);
            Assert.InRange(q.Count, 0, 1);
            Assert.True(q.TryAppend(Payload(1, 10), 0, 10, out _, out _) || q.Count > 0);
        }
    }
}
