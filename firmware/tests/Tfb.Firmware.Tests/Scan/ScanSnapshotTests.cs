using Tfb.Scan;

namespace Tfb.Firmware.Tests.Scan;

public class ScanSnapshotTests
{
    [Fact]
    public void Declared_fields_are_found_by_name_and_a_field_never_written_reads_NaN()
    {
        var rig = new ScanRig();
        ScanSnapshot snap = rig.Exec.Snapshot;
        int tension = snap.AddDouble("web.TensionN");
        int speed = snap.AddDouble("web.SpeedMps");
        int state = snap.AddInt("web.State");
        int running = snap.AddBool("web.Running");
        Assert.Throws<ArgumentException>(() => snap.AddInt("web.TensionN"));
        rig.Exec.AddTask("web", new WorkTask(rig.Clock, 0)
        {
            OnRun = c =>
            {
                snap.SetDouble(tension, 120.5);
                snap.SetInt(state, 3);
                snap.SetBool(running, true);
            },
        }, 1, 0, 100, 1);
        rig.Exec.Seal();
        ScanSnapshotCopy copy = snap.CreateCopy();
        Assert.False(snap.TryRead(copy));                  // nothing published yet
        rig.Step();

        Assert.True(snap.TryRead(copy));
        Assert.Equal(speed, snap.FindDouble("web.SpeedMps"));
        Assert.Equal(-1, snap.FindDouble("web.State"));
        Assert.Equal("web.State", snap.IntName(state));
        Assert.Equal(120.5, copy.Doubles[tension]);
        Assert.True(double.IsNaN(copy.Doubles[speed]));
        Assert.Equal(3, copy.Ints[state]);
        Assert.True(copy.Bools[running]);
        Assert.Equal(0, copy.ScanNumber);
        Assert.Equal(1_000_000, copy.TimeUs);
        Assert.Equal(rig.Clock.UtcEpochMs + 1000, copy.UtcMs);
        Assert.Equal(1, copy.PublishCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => snap.SetDouble(5, 1.0));
    }

    /// <summary>
    /// Every published scan writes the scan number into every field, so any copy that mixes two publications
    /// shows unequal fields. The writer and the reader run concurrently for a fixed number of scans.
    /// </summary>
    [Fact]
    public void A_concurrent_reader_never_sees_a_torn_snapshot()
    {
        const int scans = 100_000;
        var rig = new ScanRig(configure: c => { c.MaxSnapshotDoubles = 64; c.MaxSnapshotInts = 16; c.MaxSnapshotBools = 16; });
        ScanSnapshot snap = rig.Exec.Snapshot;
        for (int i = 0; i < 64; i++) snap.AddDouble("d" + i);
        for (int i = 0; i < 16; i++) snap.AddInt("i" + i);
        for (int i = 0; i < 16; i++) snap.AddBool("b" + i);
        rig.Exec.AddTask("writer", new WorkTask(rig.Clock, 0)
        {
            Record = false,
            OnRun = c =>
            {
                for (int i = 0; i < 64; i++) snap.SetDouble(i, c.ScanNumber);
                for (int i = 0; i < 16; i++) snap.SetInt(i, (int)c.ScanNumber);
                for (int i = 0; i < 16; i++) snap.SetBool(i, (c.ScanNumber & 1) == 1);
            },
        }, 1, 0, 100, 1);
        rig.Exec.Seal();
        ScanSnapshotCopy copy = snap.CreateCopy();
        ScanStatus status = rig.Exec.CreateStatus();
        int writerDone = 0, reads = 0, torn = 0, backwards = 0, statusReads = 0, statusTorn = 0;
        using var readerStarted = new ManualResetEventSlim();
        var reader = new Thread(() =>
        {
            readerStarted.Set();
            long last = -1;
            while (Volatile.Read(ref writerDone) == 0)
            {
                if (snap.TryRead(copy))
                {
                    reads++;
                    long n = copy.ScanNumber;
                    if (n < last) backwards++;
                    last = n;
                    for (int i = 0; i < 64; i++) if (copy.Doubles[i] != n) torn++;
                    for (int i = 0; i < 16; i++) if (copy.Ints[i] != (int)n || copy.Bools[i] != ((n & 1) == 1)) torn++;
                }
                if (rig.Exec.TryReadStatus(status))
                {
                    statusReads++;
                    // The task runs once per scan: its run count equals the scan count in one consistent copy.
                    if (status.TaskRuns[0] != status.ScanCount || status.WatchdogKicks != status.ScanCount) statusTorn++;
                }
            }
        });
        reader.Start();
        readerStarted.Wait();
        for (int k = 0; k < scans; k++) rig.Step();
        Volatile.Write(ref writerDone, 1);
        Assert.True(reader.Join(30_000));

        Assert.True(reads > 0);
        Assert.True(statusReads > 0);
        Assert.Equal(0, torn);
        Assert.Equal(0, backwards);
        Assert.Equal(0, statusTorn);
        Assert.True(snap.TryRead(copy));
        Assert.Equal(scans - 1, copy.ScanNumber);
        Assert.Equal(scans, copy.PublishCount);
    }

    [Fact]
    public void A_copy_created_before_all_fields_were_declared_is_refused()
    {
        var rig = new ScanRig();
        rig.Exec.Snapshot.AddDouble("a");
        ScanSnapshotCopy early = rig.Exec.Snapshot.CreateCopy();
        rig.Exec.Snapshot.AddDouble("b");
        Assert.Throws<ArgumentException>(() => rig.Exec.Snapshot.TryRead(early));
    }
}
