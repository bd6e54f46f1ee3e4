using Tfb.Codes;
using Tfb.Scan;

namespace Tfb.Firmware.Tests.Scan;

public class ScanCommandQueueTests
{
    /// <summary>Records every command it runs; doubles Arg0 into the result; refuses NaN values.</summary>
    private sealed class RecordingHandler : IScanCommandHandler
    {
        public readonly List<(int Code, int Source, int Arg0, long Scan)> Seen = new();
        public bool Throw;

        public int Execute(ScanCommand command, ScanContext ctx)
        {
            if (Throw) throw new InvalidOperationException("defect");
            if (double.IsNaN(command.Value0)) return (int)ErrorCode.BadArgument;
            lock (Seen) Seen.Add((command.Code, command.SourceId, command.Arg0, ctx.ScanNumber));
            command.ResultInt = command.Arg0 * 2;
            command.ResultDouble = command.Value0 + command.Value1;
            return ScanCommand.Ok;
        }
    }

    private static (ScanRig, RecordingHandler) Rig(int capacity = 4)
    {
        var rig = new ScanRig(configure: c => c.CommandQueueCapacity = capacity);
        var handler = new RecordingHandler();
        rig.Exec.AddCommandHandler(2000, 2099, handler);
        return (rig, handler);
    }

    [Fact]
    public void A_full_queue_refuses_with_busy_counts_it_and_raises_CommandQueueFull_with_the_source()
    {
        var (rig, _) = Rig(capacity: 4);
        for (int i = 0; i < 4; i++) Assert.True(rig.Exec.Commands.TryPost(2000, 1, i, 0, 0, 0));
        Assert.True(rig.Exec.Commands.IsFull);
        Assert.False(rig.Exec.Commands.TryPost(2000, 33, 9, 0, 0, 0));
        Assert.False(rig.Exec.Commands.TrySubmit(2000, 33, 9, 0, 0, 0, out int ticket));
        Assert.Equal(0, ticket);
        Assert.Equal(2, rig.Exec.Commands.FullCount);
        Assert.True(rig.Alarms.IsActive((int)AlarmCode.CommandQueueFull));
        Assert.True(rig.Alarms.TryGetActive(0, out int code, out int detail, out _));
        Assert.Equal((int)AlarmCode.CommandQueueFull, code);
        Assert.Equal(33, detail);

        rig.Step();                                          // drains: room again
        Assert.Equal(2, rig.Status().CommandQueueFullCount);
        Assert.True(rig.Exec.Commands.TryPost(2000, 1, 5, 0, 0, 0));
        Assert.True(rig.Exec.Commands.TryPost(ScanCommandCode.ResetScanFaults, 1, 0, 0, 0, 0));
        rig.Step();
        Assert.False(rig.Alarms.IsActive((int)AlarmCode.CommandQueueFull));
    }

    [Fact]
    public void Commands_run_at_the_start_of_the_next_scan_in_submission_order_before_the_tasks()
    {
        var (rig, handler) = Rig(capacity: 8);
        var order = new List<string>();
        rig.Exec.AddTask("task", new WorkTask(rig.Clock, 0)
        {
            OnRun = ctx =>
            {
                order.Add("task" + ctx.ScanNumber);
                // A producer submitting during the scan: waits for the next one.
                if (ctx.ScanNumber == 1) rig.Exec.Commands.TryPost(2001, 2, 99, 0, 0, 0);
            },
        }, 1, 0, 100, 1);
        rig.Step();
        for (int i = 1; i <= 3; i++) Assert.True(rig.Exec.Commands.TryPost(2000 + i, 1, i * 10, 0, 0, 0));
        Assert.Equal(3, rig.Exec.Commands.Pending);
        Assert.Empty(handler.Seen);

        rig.Step();
        Assert.Equal(new[] { (2001, 1, 10, 1L), (2002, 1, 20, 1L), (2003, 1, 30, 1L) }, handler.Seen);
        Assert.Equal(1, rig.Exec.Commands.Pending);
        rig.Step();
        Assert.Equal((2001, 2, 99, 2L), handler.Seen[3]);
        Assert.Equal(4, rig.Status().CommandsExecuted);
    }

    [Fact]
    public void A_waiting_submitter_gets_the_scan_verdict_and_results()
    {
        var (rig, _) = Rig();
        Assert.True(rig.Exec.Commands.TrySubmit(2005, 1, 21, 0, 1.5, 2.25, out int ticket));
        ScanCommandReply reply = default;
        bool completed = false;
        var waiter = new Thread(() => completed = rig.Exec.Commands.TryWait(ticket, 30_000, out reply));
        waiter.Start();
        rig.Step();
        Assert.True(waiter.Join(30_000));
        Assert.True(completed);
        Assert.Equal(ScanReplyStatus.Completed, reply.Status);
        Assert.Equal(ScanCommand.Ok, reply.Error);
        Assert.Equal(42, reply.ResultInt);
        Assert.Equal(3.75, reply.ResultDouble);
        Assert.Equal(0, reply.ScanNumber);

        // The ticket is spent once collected.
        Assert.False(rig.Exec.Commands.TryWait(ticket, 0, out reply));
        Assert.Equal(ScanReplyStatus.InvalidTicket, reply.Status);
    }

    [Fact]
    public void Refusals_unknown_codes_and_handler_exceptions_come_back_as_error_codes()
    {
        var (rig, handler) = Rig();
        var q = rig.Exec.Commands;
        Assert.True(q.TrySubmit(2000, 1, 1, 0, double.NaN, 0, out int nan));
        Assert.True(q.TrySubmit(7777, 1, 1, 0, 0, 0, out int unknown));
        rig.Step();
        Assert.False(q.TryWait(nan, 0, out ScanCommandReply r1) && r1.Error == ScanCommand.Ok);
        Assert.Equal(ScanReplyStatus.Completed, r1.Status);
        Assert.Equal((int)ErrorCode.BadArgument, r1.Error);
        q.TryWait(unknown, 0, out ScanCommandReply r2);
        Assert.Equal((int)ErrorCode.UnknownCommand, r2.Error);

        handler.Throw = true;
        Assert.True(q.TrySubmit(2000, 1, 1, 0, 0, 0, out int boom));
        rig.Step();
        q.TryWait(boom, 0, out ScanCommandReply r3);
        Assert.Equal((int)ErrorCode.InternalError, r3.Error);
        Assert.False(rig.Exec.Faulted);
        Assert.Equal(3, q.RejectedCount);
    }

    [Fact]
    public void A_wait_that_times_out_before_the_scan_withdraws_the_command_so_it_never_runs()
    {
        var (rig, handler) = Rig(capacity: 2);
        var q = rig.Exec.Commands;
        Assert.True(q.TrySubmit(2000, 1, 1, 0, 0, 0, out int ticket));
        Assert.False(q.TryWait(ticket, 20, out ScanCommandReply reply));
        Assert.Equal(ScanReplyStatus.Withdrawn, reply.Status);
        rig.Step();
        Assert.Empty(handler.Seen);
        // The record is free again: the full capacity is available.
        Assert.True(q.TryPost(2000, 1, 2, 0, 0, 0));
        Assert.True(q.TryPost(2000, 1, 3, 0, 0, 0));
        rig.Step();
        Assert.Equal(new[] { 2, 3 }, handler.Seen.Select(s => s.Arg0));
    }

    private sealed class BlockingHandler : IScanCommandHandler
    {
        public readonly ManualResetEventSlim Running = new();
        public readonly ManualResetEventSlim Release = new();
        public int Calls;

        public int Execute(ScanCommand command, ScanContext ctx)
        {
            Calls++;
            Running.Set();
            Release.Wait(30_000);
            return ScanCommand.Ok;
        }
    }

    [Fact]
    public void A_wait_that_times_out_while_the_scan_runs_the_command_reports_TimedOut_and_the_record_is_freed()
    {
        var rig = new ScanRig(configure: c => c.CommandQueueCapacity = 1);
        var handler = new BlockingHandler();
        rig.Exec.AddCommandHandler(3000, 3000, handler);
        Assert.True(rig.Exec.Commands.TrySubmit(3000, 1, 0, 0, 0, 0, out int ticket));
        ScanCommandReply reply = default;
        var waiter = new Thread(() =>
        {
            handler.Running.Wait(30_000);
            rig.Exec.Commands.TryWait(ticket, 10, out reply);
            handler.Release.Set();
        });
        waiter.Start();
        rig.Step();                                        // blocks in the handler until the waiter gave up
        Assert.True(waiter.Join(30_000));
        Assert.Equal(ScanReplyStatus.TimedOut, reply.Status);
        Assert.Equal(1, handler.Calls);
        Assert.False(rig.Exec.Commands.IsFull);            // the abandoned record went back to the pool
        Assert.True(rig.Exec.Commands.TryPost(3000, 1, 0, 0, 0, 0));
    }

    [Fact]
    public void Invalid_tickets_are_reported_not_waited_on()
    {
        var (rig, _) = Rig();
        var q = rig.Exec.Commands;
        Assert.False(q.TryWait(0, 1000, out ScanCommandReply r));
        Assert.Equal(ScanReplyStatus.InvalidTicket, r.Status);
        Assert.False(q.TryWait(-5, 1000, out r));
        Assert.Equal(ScanReplyStatus.InvalidTicket, r.Status);
        Assert.True(q.TryPost(2000, 1, 1, 0, 0, 0));     // posts have no ticket to wait on
        Assert.False(q.TryWait((1 << 8) | 0, 1000, out r));
        Assert.Equal(ScanReplyStatus.InvalidTicket, r.Status);
    }

    [Fact]
    public void Handler_ranges_may_not_overlap_and_the_executive_owns_1_to_99()
    {
        var (rig, handler) = Rig();
        Assert.Throws<InvalidOperationException>(() => rig.Exec.AddCommandHandler(2050, 2150, handler));
        Assert.Throws<InvalidOperationException>(() => rig.Exec.AddCommandHandler(50, 60, handler));
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.Exec.AddCommandHandler(3000, 2999, handler));
        rig.Exec.AddCommandHandler(2100, 2199, handler);
    }

    [Fact]
    public void Many_producers_each_get_their_own_replies_in_their_own_order()
    {
        const int producers = 4;
        const int perProducer = 250;
        var (rig, handler) = Rig(capacity: 8);
        var failures = new int[producers];
        var busy = new int[producers];
        var threads = new Thread[producers];
        for (int p = 0; p < producers; p++)
        {
            int source = p + 1;
            threads[p] = new Thread(() =>
            {
                for (int i = 0; i < perProducer; i++)
                {
                    int ticket;
                    while (!rig.Exec.Commands.TrySubmit(2000, source, i, 0, 0, 0, out ticket))
                    {
                        busy[source - 1]++;
                        Thread.Yield();
                    }
                    if (!rig.Exec.Commands.TryWait(ticket, 30_000, out ScanCommandReply reply) || reply.ResultInt != i * 2)
                    {
                        failures[source - 1]++;
                    }
                }
            });
            threads[p].Start();
        }
        // Scans on this thread until every command ran; bounded by an iteration cap, not by time.
        for (int scans = 0; rig.Exec.Commands.ExecutedCount < producers * perProducer; scans++)
        {
            Assert.True(scans < 5_000_000, "producers stalled");
            rig.Step();
            if (rig.Exec.Commands.Pending == 0) Thread.Yield();
        }
        foreach (var t in threads) Assert.True(t.Join(30_000));
        Assert.All(failures, f => Assert.Equal(0, f));
        Assert.Equal(producers * perProducer, handler.Seen.Count);
        for (int source = 1; source <= producers; source++)
        {
            var mine = handler.Seen.Where(s => s.Source == source).Select(s => s.Arg0).ToList();
            Assert.Equal(Enumerable.Range(0, perProducer), mine);
        }
    }
}
