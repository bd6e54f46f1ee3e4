using Tfb.Boards.Virtual;
using Tfb.Codes;
using Tfb.Logging;
using Tfb.Safety;

namespace Tfb.Firmware.Tests.Safety;

public class InterlockSetTests
{
    private readonly AlarmLog _alarms = new(32, 16, new SimulatedClock());
    private readonly InterlockSet _set;
    private readonly int _door, _water;

    // Codes from the board range are enough to exercise the mechanism; stations declare their own.
    private const AlarmCode DoorCode = AlarmCode.ScanOverrun;
    private const AlarmCode WaterCode = AlarmCode.WatchdogReset;

    public InterlockSetTests()
    {
        _set = new InterlockSet(4, _alarms);
        _door = _set.Add("door closed", DoorCode, 0);
        _water = _set.Add("cooling water flow", WaterCode, 100_000);
    }

    private void AllHealthy(long t)
    {
        _set.Update(_door, true, true, t, 0);
        _set.Update(_water, true, true, t, 0);
    }

    [Fact]
    public void AfterBoot_NothingIsPermitted_UntilHealthyAndDeliberatelyReset()
    {
        AllHealthy(0);
        Assert.False(_set.Permissive);
        Assert.True(_set.TryReset(0, out _));
        AllHealthy(1000);
        Assert.True(_set.Permissive);
    }

    [Fact]
    public void SustainedFault_TripsAfterItsDebounce_LatchesAndRaisesItsCode()
    {
        AllHealthy(0);
        _set.TryReset(0, out _);
        _set.Update(_water, true, false, 10_000, 12);
        Assert.False(_set.Permissive);            // unhealthy drops the permissive at once
        Assert.False(_set.IsLatched(_water));      // but the trip waits for the debounce
        _set.Update(_water, true, false, 110_000, 12);
        Assert.True(_set.IsLatched(_water));
        Assert.True(_alarms.IsActive((int)WaterCode));
        // Healthy again: still latched, still no permissive.
        AllHealthy(200_000);
        Assert.False(_set.Permissive);
    }

    [Fact]
    public void GlitchShorterThanTheDebounce_DoesNotTrip()
    {
        AllHealthy(0);
        _set.TryReset(0, out _);
        _set.Update(_water, true, false, 10_000, 0);
        _set.Update(_water, true, true, 50_000, 0);
        _set.Update(_water, true, false, 60_000, 0);
        _set.Update(_water, true, true, 100_000, 0);
        Assert.False(_set.IsLatched(_water));
        Assert.Equal(0, _alarms.ActiveCount);
    }

    [Fact]
    public void UnknownData_TripsAtOnce_EvenWithADebounce()
    {
        AllHealthy(0);
        _set.TryReset(0, out _);
        _set.Update(_water, known: false, healthy: true, 1000, 0);
        Assert.True(_set.IsLatched(_water));
        Assert.False(_set.Permissive);
    }

    [Fact]
    public void ResetWhileTheConditionPersists_IsRefused_WithConditionPresent()
    {
        AllHealthy(0);
        _set.TryReset(0, out _);
        _set.Update(_door, true, false, 1000, 0);
        Assert.False(_set.TryReset((int)DoorCode, out var err));
        Assert.Equal(ErrorCode.ConditionPresent, err);
        Assert.True(_set.IsLatched(_door));
        Assert.True(_alarms.IsActive((int)DoorCode));

        _set.Update(_door, true, true, 2000, 0);
        Assert.True(_set.TryReset((int)DoorCode, out _));
        Assert.False(_alarms.IsActive((int)DoorCode));
        Assert.True(_set.Permissive);
    }

    [Fact]
    public void ResetOfACodeTheSetDoesNotOwn_IsABadArgument()
    {
        Assert.False(_set.TryReset(4999, out var err));
        Assert.Equal(ErrorCode.BadArgument, err);
    }
}
