using Tfb.Scan;

namespace Tfb.Firmware.Tests.Scan;

/// <summary>
/// The device runner against the simulated clock: the test thread moves time, the runner thread must release
/// each scan when the clock reaches it. Waits are on events with generous limits; nothing asserts on wall time.
/// </summary>
public class ScanThreadRunnerTests
{
    [Theory]
    [InlineData(int.MaxValue)]   // guard longer than any wait: spins only
    [InlineData(0)]              // no guard: sleeps in whole ms, re-checks, spins the rest
    public void The_runner_releases_each_scan_at_its_absolute_deadline_on_a_highest_priority_thread(int sleepGuardUs)
    {
        var rig = new ScanRig(periodUs: 1000);
        rig.Watchdog.Signal = new SemaphoreSlim(0);
        var priorities = new List<ThreadPriority>();
        var threadIds = new List<int>();
        var task = new WorkTask(rig.Clock, 0)
        {
            OnRun = _ =>
            {
                priorities.Add(Thread.CurrentThread.Priority);
                threadIds.Add(Environment.CurrentManagedThreadId);
            },
        };
        rig.Exec.AddTask("work", task, 1, 0, 100, 1);
        var runner = new ScanThreadRunner(rig.Exec, rig.Clock, sleepGuardUs);
        long epochUs = rig.Clock.NowMicros;
        runner.Start();
        Assert.Equal(epochUs + 1000, rig.Exec.NextReleaseUs);
        try
        {
            for (int k = 0; k < 20; k++)
            {
                // Move time to the release, sometimes past it (a late wake-up): releases stay on the grid.
                long lateUs = k % 3 == 0 ? 0 : 37;
                rig.Clock.Advance(rig.Exec.NextReleaseUs - rig.Clock.NowMicros + lateUs);
                Assert.True(rig.Watchdog.Signal.Wait(30_000), "scan " + k + " was not released");
            }
        }
        finally
        {
            Assert.True(runner.Stop(30_000));
        }
        Assert.False(runner.IsRunning);
        Assert.Equal(20, rig.Watchdog.Kicks);
        for (int k = 0; k < 20; k++) Assert.Equal(epochUs + (k + 2) * 1000L, task.Deadlines[k]);
        Assert.All(priorities, p => Assert.Equal(ThreadPriority.Highest, p));
        Assert.All(threadIds, id => Assert.NotEqual(Environment.CurrentManagedThreadId, id));
        Assert.Equal(0, runner.Faults);
    }

    [Fact]
    public void After_a_task_throws_the_runner_keeps_releasing_scans_that_hold_the_safe_state_without_kicking()
    {
        var rig = new ScanRig(periodUs: 1000);
        var output = new FakeDigitalOutput();
        var bank = new OutputBank(1, 0);
        bank.AddDigital(output);
        rig.Exec.AddSafeState(bank);
        var released = new SemaphoreSlim(0);
        var task = new WorkTask(rig.Clock, 0) { OnRun = _ => throw new InvalidOperationException("defect") };
        rig.Exec.AddTask("bad", task, 1, 0, 100, 1);
        rig.Exec.AddSafeState(new ProbeSafeState(released));
        var runner = new ScanThreadRunner(rig.Exec, rig.Clock, int.MaxValue);
        runner.Start();
        try
        {
            for (int k = 0; k < 5; k++)
            {
                rig.Clock.Advance(1000);
                Assert.True(released.Wait(30_000), "scan " + k + " did not run");
            }
        }
        finally
        {
            Assert.True(runner.Stop(30_000));
        }
        Assert.Equal(1, runner.Faults);
        Assert.True(rig.Exec.Faulted);
        Assert.Equal(0, rig.Watchdog.Kicks);
        Assert.True(output.SafeCalls >= 5);
    }

    /// <summary>Signals each time the executive drives the safe state.</summary>
    private sealed class ProbeSafeState : ISafeState
    {
        private readonly SemaphoreSlim _signal;
        public ProbeSafeState(SemaphoreSlim signal) { _signal = signal; }
        public void EnterSafeState() => _signal.Release();
    }
}
