using Tfb.Codes;
using Tfb.Scan;

namespace Tfb.Firmware.Tests.Scan;

public class ScanTimingTests
{
    [Fact]
    public void Releases_stay_on_the_absolute_grid_over_10000_scans_with_variable_work_and_late_wake_ups()
    {
        var rig = new ScanRig(periodUs: 1000);
        var task = new WorkTask(rig.Clock, 0);
        rig.Exec.AddTask("work", task, 1, 0, 950, 100);
        long epochUs = rig.Clock.NowMicros;
        uint lcg = 12345;
        long totalLatenessUs = 0;
        for (int k = 0; k < 10_000; k++)
        {
            lcg = lcg * 1664525 + 1013904223;
            task.WorkUs = 100 + (lcg >> 8) % 700;      // 100..799 us of work
            long lateUs = (lcg >> 20) % 150;           // the runner wakes 0..149 us late
            totalLatenessUs += lateUs;
            rig.Step(k == 0 ? 0 : lateUs);
        }

        // A relative "sleep one period after the scan" would have drifted by the sum of work and lateness.
        Assert.True(totalLatenessUs > 100_000);
        for (int k = 0; k < 10_000; k++)
        {
            Assert.Equal(epochUs + (k + 1) * 1000L, task.Deadlines[k]);
        }
        Assert.Equal(epochUs + 10_000L * 1000, rig.Exec.NextReleaseUs);
        ScanStatus s = rig.Status();
        Assert.Equal(10_000, s.ScanCount);
        Assert.Equal(0, s.OverrunCount);
        Assert.Equal(0, s.MissedPeriods);
        Assert.InRange(s.MaxLatencyUs, 100, 149);
        Assert.InRange(s.MaxCycleUs, 700, 799);
        Assert.InRange(s.MinCycleUs, 100, 199);
        Assert.InRange(s.AvgCycleUs, 350, 550);
    }

    [Fact]
    public void A_scan_that_ends_past_boundaries_releases_the_next_scan_on_the_first_boundary_not_passed_and_counts_the_missed_ones()
    {
        var rig = new ScanRig(periodUs: 1000);
        var task = new WorkTask(rig.Clock, 100);
        rig.Exec.AddTask("work", task, 1, 0, 900, 100);
        long epochUs = rig.Clock.NowMicros;
        rig.Steps(5);
        task.WorkUs = 2500;                  // scan 5 released at epoch+5000 ends at epoch+7500
        rig.Step();
        Assert.Equal(epochUs + 8000, rig.Exec.NextReleaseUs);
        task.WorkUs = 100;
        rig.Step();
        Assert.Equal(epochUs + 9000, task.Deadlines[6]);

        ScanStatus s = rig.Status();
        Assert.Equal(1, s.OverrunCount);
        Assert.Equal(2, s.MissedPeriods);
        Assert.Equal(5, s.LastOverrunScan);
        // dt of the scan after the overrun covers the three periods between the releases.
        Assert.Equal(0.003, task.Dts[6], 9);
    }

    [Fact]
    public void A_scan_ending_exactly_on_its_deadline_is_not_an_overrun()
    {
        var rig = new ScanRig(periodUs: 1000);
        var task = new WorkTask(rig.Clock, 1000);
        rig.Exec.AddTask("work", task, 1, 0, 1000, 100);
        long epochUs = rig.Clock.NowMicros;
        rig.Step();
        Assert.Equal(epochUs + 1000, rig.Exec.NextReleaseUs);
        Assert.Equal(0, rig.Status().OverrunCount);
    }

    [Fact]
    public void RunOnce_before_the_release_runs_nothing_and_kicks_nothing()
    {
        var rig = new ScanRig(periodUs: 1000);
        var task = new WorkTask(rig.Clock, 10);
        rig.Exec.AddTask("work", task, 1, 0, 100, 100);
        rig.Step();
        rig.Clock.Advance(500);
        Assert.False(rig.Exec.RunOnce());
        Assert.Equal(1, task.Runs);
        Assert.Equal(1, rig.Watchdog.Kicks);
        Assert.Equal(1, rig.Exec.ScanNumber);
    }

    [Fact]
    public void Rate_divisors_and_phases_select_the_scans_and_dt_spans_the_task_own_interval()
    {
        var rig = new ScanRig(periodUs: 2000);
        var every = new WorkTask(rig.Clock, 0);
        var fourA = new WorkTask(rig.Clock, 0);
        var fourB = new WorkTask(rig.Clock, 0);
        var ten = new WorkTask(rig.Clock, 0);
        rig.Exec.AddTask("every", every, 1, 0, 100, 100);
        rig.Exec.AddTask("fourA", fourA, 4, 0, 100, 100);
        rig.Exec.AddTask("fourB", fourB, 4, 2, 100, 100);
        rig.Exec.AddTask("ten", ten, 10, 7, 100, 100);
        rig.Steps(40);

        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), every.Scans);
        Assert.Equal(new long[] { 0, 4, 8, 12, 16, 20, 24, 28, 32, 36 }, fourA.Scans);
        Assert.Equal(new long[] { 2, 6, 10, 14, 18, 22, 26, 30, 34, 38 }, fourB.Scans);
        Assert.Equal(new long[] { 7, 17, 27, 37 }, ten.Scans);
        Assert.All(every.Dts, dt => Assert.Equal(0.002, dt, 12));
        Assert.All(fourB.Dts, dt => Assert.Equal(0.008, dt, 12));
        Assert.All(ten.Dts, dt => Assert.Equal(0.020, dt, 12));
        ScanStatus s = rig.Status();
        Assert.Equal(new long[] { 40, 10, 10, 4 }, s.TaskRuns);
        Assert.Equal(new[] { 1, 4, 4, 10 }, s.TaskRateDivisors);
        Assert.Equal(new[] { 0, 0, 2, 7 }, s.TaskPhases);
    }

    [Fact]
    public void Tasks_run_in_ascending_order_with_registration_order_breaking_ties()
    {
        var rig = new ScanRig();
        var log = new List<string>();
        foreach (var (name, order) in new[] { ("outputs", 500), ("inputs", 100), ("pid", 400), ("interlocks", 200), ("pid2", 400) })
        {
            var t = new WorkTask(rig.Clock, 0) { OnRun = _ => log.Add(name) };
            rig.Exec.AddTask(name, t, 1, 0, 100, order);
        }
        rig.Step();
        Assert.Equal(new[] { "inputs", "interlocks", "pid", "pid2", "outputs" }, log);
    }

    [Fact]
    public void Bad_task_registrations_are_refused_and_the_table_is_fixed_once_started()
    {
        var rig = new ScanRig();
        var t = new WorkTask(rig.Clock, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Exec.AddTask("a", t, 0, 0, 100, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Exec.AddTask("a", t, 4, 4, 100, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Exec.AddTask("a", t, 1, 0, 0, 1));
        Assert.Throws<ArgumentNullException>(() => rig.Exec.AddTask("a", null, 1, 0, 100, 1));
        rig.Exec.AddTask("a", t, 1, 0, 100, 1);
        Assert.Throws<ArgumentException>(() => rig.Exec.AddTask("a", t, 1, 0, 100, 1));
        rig.Step();
        Assert.Throws<InvalidOperationException>(() => rig.Exec.AddTask("b", t, 1, 0, 100, 1));
        Assert.Throws<InvalidOperationException>(() => rig.Exec.Snapshot.AddDouble("x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScanExecutive(new ScanConfig(10), rig.Clock, rig.Watchdog, rig.Alarms, null));
    }

    [Fact]
    public void Stop_and_resume_requests_reach_exactly_one_scan_and_are_logged_with_their_source()
    {
        var rig = new ScanRig();
        var seen = new List<(long, bool, bool)>();
        rig.Exec.AddTask("watch", new WorkTask(rig.Clock, 0) { OnRun = c => seen.Add((c.ScanNumber, c.StopRequested, c.ResumeRequested)) }, 1, 0, 100, 1);
        rig.Step();
        rig.Exec.RequestStop(7);
        rig.Step();
        rig.Step();
        rig.Exec.RequestResume(9);
        rig.Step();
        Assert.Equal(new[] { (0L, false, false), (1L, true, false), (2L, false, false), (3L, false, true) }, seen);
        Assert.Equal(7, Assert.Single(rig.EventsOf((int)EventCode.StopRequested)).Detail);
        Assert.Equal(9, Assert.Single(rig.EventsOf((int)EventCode.ResumeRequested)).Detail);
    }

    [Fact]
    public void The_watchdog_is_kicked_once_per_completed_scan()
    {
        var rig = new ScanRig();
        rig.Exec.AddTask("work", new WorkTask(rig.Clock, 200), 1, 0, 300, 1);
        for (int i = 1; i <= 50; i++)
        {
            rig.Step();
            Assert.Equal(i, rig.Watchdog.Kicks);
            Assert.False(rig.Exec.RunOnce());
            Assert.Equal(i, rig.Watchdog.Kicks);
        }
        Assert.Equal(50, rig.Status().WatchdogKicks);
    }
}
