using Tfb.Codes;
using Tfb.Scan;

namespace Tfb.Firmware.Tests.Scan;

public class ScanAllocationTests
{
    [Fact]
    public void Ten_thousand_scans_of_a_representative_station_allocate_nothing()
    {
        var station = new RepresentativeStation();
        for (int i = 0; i < 2_000; i++) station.Scan();      // warm-up: JIT, tiering, first-use paths
        ScanStatus before = station.Exec.CreateStatus();
        Assert.True(station.Exec.TryReadStatus(before));
        int commandsBefore = station.Exec.Commands.ExecutedCount;
        int eventsBefore = station.Events.NextSeq;
        int alarmHistoryBefore = station.Alarms.History.NextSeq;

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) station.Scan();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(0, allocated);

        // The measured scans did the work they stand for.
        ScanStatus after = station.Exec.CreateStatus();
        Assert.True(station.Exec.TryReadStatus(after));
        Assert.Equal(before.ScanCount + 10_000, after.ScanCount);
        Assert.Equal(before.OverrunCount + 10, after.OverrunCount);
        Assert.False(after.Tripped);
        Assert.True(station.Exec.Commands.ExecutedCount - commandsBefore >= 10_000);
        Assert.True(station.Events.NextSeq - eventsBefore >= 80 + 10);   // stop/resume pairs and alarm resets
        Assert.True(station.Alarms.History.NextSeq - alarmHistoryBefore >= 40 + 20);
        Assert.Equal(0, after.CommandQueueFullCount);
        Assert.Equal(after.ScanCount, station.Watchdog.Kicks);
        ScanSnapshotCopy copy = station.Exec.Snapshot.CreateCopy();
        Assert.True(station.Exec.Snapshot.TryRead(copy));
        Assert.Equal(after.ScanCount - 1, copy.ScanNumber);
        Assert.InRange(copy.Doubles[station.Exec.Snapshot.FindDouble("web.SetpointN")], 118.0, 127.0);
        Assert.False(station.Alarms.IsActive((int)AlarmCode.ScanOverrunTrip));
    }
}
