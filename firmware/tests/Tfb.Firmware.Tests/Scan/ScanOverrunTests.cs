using Tfb.Codes;
using Tfb.Scan;

namespace Tfb.Firmware.Tests.Scan;

public class ScanOverrunTests
{
    private static bool TryGetActive(ScanRig rig, AlarmCode code, out int detail)
    {
        for (int i = 0; i < rig.Alarms.ActiveCount; i++)
        {
            if (rig.Alarms.TryGetActive(i, out int c, out detail, out _) && c == (int)code) return true;
        }
        detail = 0;
        return false;
    }

    private static ScanReplyStatus Command(ScanRig rig, int code, out int error)
    {
        Assert.True(rig.Exec.Commands.TrySubmit(code, 1, 0, 0, 0, 0, out int ticket));
        rig.Step();
        rig.Exec.Commands.TryWait(ticket, 0, out ScanCommandReply reply);
        error = reply.Error;
        return reply.Status;
    }

    [Fact]
    public void A_slow_task_makes_an_overrun_that_names_it_and_raises_ScanOverrun_with_its_index()
    {
        var rig = new ScanRig(periodUs: 1000);
        rig.Exec.AddTask("inputs", new WorkTask(rig.Clock, 50), 1, 0, 100, 100);
        var slow = new WorkTask(rig.Clock, 100);
        int slowIndex = rig.Exec.AddTask("tension-pid", slow, 1, 0, 200, 400);
        rig.Exec.AddTask("outputs", new WorkTask(rig.Clock, 50), 1, 0, 100, 500);
        rig.Steps(3);
        Assert.Equal(0, rig.Status().OverrunCount);
        Assert.False(rig.Alarms.IsActive((int)AlarmCode.ScanOverrun));

        slow.WorkUs = 1200;
        rig.Step();

        ScanStatus s = rig.Status();
        Assert.Equal(1, s.OverrunCount);
        Assert.Equal(slowIndex, s.LastOverrunTaskIndex);
        Assert.Equal("tension-pid", s.LastOverrunTaskName);
        Assert.Equal("tension-pid", s.LastBudgetOverrunTaskName);
        Assert.Equal(1, s.TaskBudgetOverruns[slowIndex]);
        Assert.Equal(1200, s.TaskMaxUs[slowIndex]);
        Assert.Equal(1300, s.LastCycleUs);
        Assert.True(TryGetActive(rig, AlarmCode.ScanOverrun, out int detail));
        Assert.Equal(slowIndex, detail);
        Assert.False(s.Tripped);
    }

    [Fact]
    public void The_overrun_is_blamed_on_the_task_furthest_over_its_budget_not_the_longest()
    {
        var rig = new ScanRig(periodUs: 1000);
        rig.Exec.AddTask("big-but-ok", new WorkTask(rig.Clock, 850), 1, 0, 900, 1);
        int culprit = rig.Exec.AddTask("small-gone-slow", new WorkTask(rig.Clock, 300), 1, 0, 50, 2);
        rig.Step();
        ScanStatus s = rig.Status();
        Assert.Equal(culprit, s.LastOverrunTaskIndex);
        Assert.Equal("small-gone-slow", s.LastOverrunTaskName);
    }

    [Fact]
    public void A_task_over_budget_inside_the_period_is_counted_against_the_task_only()
    {
        var rig = new ScanRig(periodUs: 1000);
        int t = rig.Exec.AddTask("filter", new WorkTask(rig.Clock, 300), 1, 0, 200, 1);
        rig.Steps(10);
        ScanStatus s = rig.Status();
        Assert.Equal(10, s.TaskBudgetOverruns[t]);
        Assert.Equal("filter", s.LastBudgetOverrunTaskName);
        Assert.Equal(0, s.OverrunCount);
        Assert.Equal(0, rig.Alarms.ActiveCount);
    }

    [Fact]
    public void Overruns_spread_wider_than_the_window_do_not_trip()
    {
        var rig = new ScanRig(periodUs: 1000, c => { c.TripOverrunCount = 3; c.TripWindowScans = 100; });
        var task = new WorkTask(rig.Clock, 100) { Record = false };
        rig.Exec.AddTask("work", task, 1, 0, 500, 1);
        for (int k = 0; k < 400; k++)
        {
            task.WorkUs = k % 60 == 0 ? 1500 : 100;     // 7 overruns, 60 scans apart: never 3 within 100
            rig.Step();
        }
        ScanStatus s = rig.Status();
        Assert.Equal(7, s.OverrunCount);
        Assert.False(s.Tripped);
        Assert.Equal(0, s.TripCount);
    }

    [Fact]
    public void Repeated_overruns_trip_to_the_safe_state_latch_and_need_an_explicit_reset_that_reenergizes_nothing()
    {
        var rig = new ScanRig(periodUs: 1000, c => { c.TripOverrunCount = 3; c.TripWindowScans = 100; });
        var heater = new HeaterModule();
        var bank = new OutputBank(2, 1);
        var pump = new FakeDigitalOutput();
        var rf = new FakeAnalogOutput();
        bank.AddDigital(heater.Output);
        bank.AddDigital(pump);
        bank.AddAnalog(rf);
        rig.Exec.AddSafeState(bank);
        rig.Exec.AddSafeState(heater);
        rig.Exec.AddCommandHandler(4000, 4099, heater);
        var inputs = new WorkTask(rig.Clock, 10) { Record = false };
        var slow = new WorkTask(rig.Clock, 10) { Record = false };
        rig.Exec.AddTask("inputs", inputs, 1, 0, 100, 100, runWhenTripped: true);
        int slowIndex = rig.Exec.AddTask("slow", slow, 1, 0, 300, 300);
        rig.Exec.AddTask("heater", heater, 1, 0, 100, 500);

        Assert.Equal(ScanReplyStatus.Completed, Command(rig, HeaterModule.StartCommand, out int error));
        Assert.Equal(ScanCommand.Ok, error);
        pump.Write(true);
        rf.Write(0.6);
        rig.Steps(5);
        Assert.True(heater.Output.State);

        slow.WorkUs = 1500;
        rig.Step();
        rig.Step();
        Assert.False(rig.Exec.Tripped);
        Assert.Equal(0, heater.SafeStateCalls);
        rig.Step();                                        // third overrun within 100 scans

        Assert.True(rig.Exec.Tripped);
        Assert.False(heater.Output.State);
        Assert.False(pump.State);
        Assert.Equal(0.0, rf.Value);
        Assert.True(pump.SafeCalls >= 1);
        Assert.True(rf.SafeCalls >= 1);
        Assert.True(TryGetActive(rig, AlarmCode.ScanOverrunTrip, out int tripDetail));
        Assert.Equal(slowIndex, tripDetail);
        ScanStatus s = rig.Status();
        Assert.True(s.Tripped);
        Assert.Equal(1, s.TripCount);
        // Handlers see the trip from the very next scan's command phase.
        slow.WorkUs = 10;
        Assert.Equal(ScanReplyStatus.Completed, Command(rig, HeaterModule.StartCommand, out error));
        Assert.Equal((int)ErrorCode.InterlockActive, error);
        Assert.False(heater.Running);

        // Latched: the slow task and the heater task no longer run, monitoring still does, the safe state is
        // re-asserted every scan and the watchdog is still kicked.
        int slowRuns = slow.Runs, inputRuns = inputs.Runs, kicks = rig.Watchdog.Kicks, safeCalls = pump.SafeCalls;
        slow.WorkUs = 10;
        rig.Steps(10);
        Assert.Equal(slowRuns, slow.Runs);
        Assert.Equal(inputRuns + 10, inputs.Runs);
        Assert.Equal(kicks + 10, rig.Watchdog.Kicks);
        Assert.Equal(safeCalls + 10, pump.SafeCalls);
        Assert.Equal(ScanReplyStatus.Completed, Command(rig, HeaterModule.StartCommand, out error));
        Assert.Equal((int)ErrorCode.InterlockActive, error);

        // Reset too soon after the last overrun: refused, still latched.
        Assert.Equal(ScanReplyStatus.Completed, Command(rig, ScanCommandCode.ResetScanFaults, out error));
        Assert.Equal((int)ErrorCode.ConditionPresent, error);
        Assert.True(rig.Exec.Tripped);
        Assert.True(rig.Alarms.IsActive((int)AlarmCode.ScanOverrunTrip));

        rig.Steps(100);
        Assert.True(rig.Exec.Tripped);                     // time alone resets nothing
        Assert.Equal(ScanReplyStatus.Completed, Command(rig, ScanCommandCode.ResetScanFaults, out error));
        Assert.Equal(ScanCommand.Ok, error);
        Assert.False(rig.Exec.Tripped);
        Assert.False(rig.Alarms.IsActive((int)AlarmCode.ScanOverrunTrip));
        Assert.False(rig.Alarms.IsActive((int)AlarmCode.ScanOverrun));
        var resets = rig.EventsOf((int)EventCode.AlarmReset).Select(e => e.Detail).ToList();
        Assert.Contains((int)AlarmCode.ScanOverrunTrip, resets);
        Assert.Contains((int)AlarmCode.ScanOverrun, resets);

        // Tasks run again, but nothing comes back on by itself.
        int runsAfterReset = slow.Runs;
        rig.Steps(50);
        Assert.Equal(runsAfterReset + 50, slow.Runs);
        Assert.False(heater.Output.State);
        Assert.False(pump.State);
        Assert.Equal(0.0, rf.Value);
        Assert.Equal(ScanReplyStatus.Completed, Command(rig, HeaterModule.StartCommand, out error));
        Assert.Equal(ScanCommand.Ok, error);
        Assert.True(heater.Output.State);                  // only the deliberate start re-energizes
    }

    [Fact]
    public void With_a_trip_count_of_one_the_first_overrun_trips()
    {
        var rig = new ScanRig(periodUs: 1000, c => c.TripOverrunCount = 1);
        var output = new FakeDigitalOutput();
        var bank = new OutputBank(1, 0);
        bank.AddDigital(output);
        rig.Exec.AddSafeState(bank);
        rig.Exec.AddTask("slow", new WorkTask(rig.Clock, 1200), 1, 0, 100, 1);
        rig.Step();
        Assert.True(rig.Exec.Tripped);
        Assert.Equal(1, output.SafeCalls);
    }

    [Fact]
    public void A_task_that_throws_drives_the_safe_state_latches_faulted_and_stops_the_watchdog_kicks()
    {
        var rig = new ScanRig(periodUs: 1000);
        var output = new FakeDigitalOutput();
        var bank = new OutputBank(1, 0);
        bank.AddDigital(output);
        rig.Exec.AddSafeState(bank);
        var task = new WorkTask(rig.Clock, 10);
        rig.Exec.AddTask("ok", new WorkTask(rig.Clock, 10), 1, 0, 100, 1);
        int bad = rig.Exec.AddTask("bad", task, 1, 0, 100, 2);
        rig.Steps(3);
        output.Write(true);
        Assert.Equal(3, rig.Watchdog.Kicks);

        task.OnRun = _ => throw new InvalidOperationException("defect");
        Assert.Throws<InvalidOperationException>(() => rig.Step());
        Assert.True(rig.Exec.Faulted);
        Assert.False(output.State);
        Assert.Equal(3, rig.Watchdog.Kicks);

        int safeCalls = output.SafeCalls;
        int runs = task.Runs;
        rig.Steps(5);                                      // keeps holding safe, never kicks again
        Assert.Equal(3, rig.Watchdog.Kicks);
        Assert.Equal(safeCalls + 5, output.SafeCalls);
        Assert.Equal(runs, task.Runs);
        ScanStatus s = rig.Status();
        Assert.True(s.Faulted);
        Assert.Equal(bad, s.FaultTaskIndex);
    }

    [Fact]
    public void ResetStatistics_clears_min_max_and_budget_counters_but_not_the_overrun_history()
    {
        var rig = new ScanRig(periodUs: 1000);
        var task = new WorkTask(rig.Clock, 1500) { Record = false };
        int t = rig.Exec.AddTask("work", task, 1, 0, 300, 1);
        rig.Step();
        Assert.Equal(1, rig.Status().TaskBudgetOverruns[t]);
        task.WorkUs = 200;
        Assert.Equal(ScanReplyStatus.Completed, Command(rig, ScanCommandCode.ResetStatistics, out int error));
        Assert.Equal(ScanCommand.Ok, error);
        rig.Step();
        ScanStatus s = rig.Status();
        Assert.Equal(200, s.MaxCycleUs);
        Assert.Equal(200, s.TaskMaxUs[t]);
        Assert.Equal(200, s.MinCycleUs);
        Assert.Equal(0, s.TaskBudgetOverruns[t]);
        Assert.Equal(1, s.OverrunCount);
    }
}
