using Tfb.Anneal.Rig;
using Tfb.Codes;
using Tfb.Logging;
using Tfb.Stations.Anneal;

namespace Tfb.VirtualLine.Tests.Anneal;

public class AnnealProgrammerTests
{
    private static AnnealRig Rig(string program)
    {
        var rig = new AnnealRig(Path.Combine(Repo.LineBoards, "anneal.board"));
        rig.Set("anneal.program.3", program);
        rig.Set("anneal.limit.tempC", "300");
        rig.Run(2);
        return rig;
    }

    private static int Count(LogRing events, EventCode code, int detail)
    {
        int n = 0;
        for (int s = events.OldestSeq; s != events.NextSeq; s++)
            if (events.TryGet(s, out LogEntry e) && e.Code == (int)code && e.Detail == detail) n++;
        return n;
    }

    [Fact]
    public void AJumpLoops_ItsCountMoreTimes_ThenTheProgramGoesOn()
    {
        // Segment 2 (a 6 s dwell) runs once plus two repeats, then the end holds 40 C.
        var rig = Rig("step,40 dwell,0.1 jump,2,2 end,sp,40");
        rig.Command(AnnealCommand.Start, 3);
        rig.Run(60);
        Assert.Equal(ProgramState.Ended, rig.Ctl.State);
        Assert.Equal(3, Count(rig.Board.Runtime.Events, EventCode.AnnealSegmentStarted, 2));
        Assert.Equal(40, rig.Ctl.SetpointC);
        Assert.True(rig.Ctl.Heating); // end action setpoint keeps controlling
    }

    [Fact]
    public void WaitSegments_HoldUntilTheirEvent()
    {
        var rig = Rig("step,60 wait,pv,55 wait,event end,off");
        rig.Command(AnnealCommand.Start, 3);
        rig.Run(5);
        Assert.Equal(1, rig.Ctl.Segment);          // waiting for every zone to reach 55 C
        for (int i = 0; i < 60_000 && rig.Ctl.Segment == 1; i++) rig.Step();
        Assert.Equal(2, rig.Ctl.Segment);
        Assert.True(rig.Ctl.Zone(0).PvC >= 55 && rig.Ctl.Zone(1).PvC >= 55 && rig.Ctl.Zone(2).PvC >= 55);
        rig.Run(30);
        Assert.Equal(2, rig.Ctl.Segment);          // the event has not come
        rig.Command(AnnealCommand.Continue);
        rig.Run(1);
        Assert.Equal(ProgramState.Idle, rig.Ctl.State);
    }

    [Fact]
    public void ADelayedStart_KeepsTheHeatOff_UntilTheDelayHasPassed()
    {
        var rig = Rig("ramp,30,100 end,off");
        rig.Command(AnnealCommand.Start, 3, 1.0);    // in 1 min
        Assert.Equal(ProgramState.Delayed, rig.Ctl.State);
        rig.Run(58, () => Assert.Equal(0, rig.Plant.Bus.Read("anneal.contactorCmd")));
        rig.Run(3);
        Assert.Equal(ProgramState.Running, rig.Ctl.State);
        Assert.True(rig.Ctl.Heating);
    }

    [Fact]
    public void TheProgramRecord_SurvivesALineBoardReset_AndTheProgramResumes()
    {
        var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        var anneal = line.Board("anneal")!;
        for (int i = 0; i < 200; i++) line.Step();
        Assert.True(anneal.Runtime.Scan.Commands.TryPost(AnnealCommand.Start, AnnealModule.SourceAnneal, 1, 0, 0, 0));
        for (int i = 0; i < 3000; i++) line.Step();   // 30 s into the 5 C/min ramp
        double sp = ((AnnealModule)anneal.Runtime.Module(0)).Controller.SetpointC;
        var fresh = line.ResetBoard("anneal");          // power cycle, no off time
        for (int i = 0; i < 200; i++) line.Step();
        var c = ((AnnealModule)fresh.Runtime.Module(0)).Controller;
        Assert.Equal(ProgramState.Running, c.State);
        Assert.Equal(1, c.ProgramNumber);
        Assert.Equal(0, c.Segment);
        Assert.InRange(c.SetpointC, sp - 2, sp + 2);  // ramp back from the measured temperature, near where it was
        Assert.True(fresh.Runtime.Alarms.IsActive((int)AlarmCode.AnnealPowerFailRecovered));
    }
}
