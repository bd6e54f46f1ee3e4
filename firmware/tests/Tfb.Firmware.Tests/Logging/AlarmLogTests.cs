using Tfb.Boards.Virtual;
using Tfb.Logging;

namespace Tfb.Firmware.Tests.Logging;

public class AlarmLogTests
{
    private readonly SimulatedClock _clock = new();

    [Fact]
    public void RaisingAnActiveAlarmAgain_IsNotLoggedTwice()
    {
        var log = new AlarmLog(16, 4, _clock);
        Assert.True(log.Raise(1001, 3));
        _clock.Advance(1000);
        Assert.False(log.Raise(1001, 4));
        Assert.Equal(1, log.ActiveCount);
        Assert.Equal(1, log.History.NextSeq);
        Assert.True(log.TryGetActive(0, out int code, out int detail, out long since));
        Assert.Equal((1001, 3, 0L), (code, detail, since));
    }

    [Fact]
    public void Reset_ClearsOnlyThatAlarm_AndRecordsTheNegatedCode()
    {
        var log = new AlarmLog(16, 4, _clock);
        log.Raise(1001, 0);
        log.Raise(1010, 0);
        Assert.True(log.Reset(1001));
        Assert.False(log.Reset(1001));
        Assert.False(log.IsActive(1001));
        Assert.True(log.IsActive(1010));
        Assert.True(log.History.TryGet(2, out var e));
        Assert.Equal(-1001, e.Code);
    }

    [Fact]
    public void FullActiveTable_CountsTheDroppedRaise_ButKeepsItInHistory()
    {
        var log = new AlarmLog(16, 2, _clock);
        log.Raise(1, 0);
        log.Raise(2, 0);
        Assert.True(log.Raise(3, 0));
        Assert.Equal(1, log.DroppedRaises);
        Assert.Equal(3, log.History.NextSeq);
    }

    [Fact]
    public void Ring_OverwritesOldest_AndReportsOverwrittenRecordsAsGone()
    {
        var ring = new LogRing(3, _clock);
        for (int i = 0; i < 5; i++) { _clock.Advance(10); ring.Add(100 + i, i); }
        Assert.Equal(2, ring.OldestSeq);
        Assert.False(ring.TryGet(1, out _));
        Assert.False(ring.TryGet(5, out _));
        Assert.True(ring.TryGet(4, out var last));
        Assert.Equal((104, 4, 50L, 4), (last.Code, last.Detail, last.TimeUs, last.Seq));
        Assert.Equal(_clock.UtcEpochMs, last.UtcMs);
    }
}
