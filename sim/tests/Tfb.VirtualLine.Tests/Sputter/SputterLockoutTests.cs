using Tfb.Codes;
using Tfb.Stations.Sputter;

namespace Tfb.VirtualLine.Tests.Sputter;

/// <summary>Strike failures end a run; the lockout latches only at the configured count within the window.</summary>
public class SputterLockoutTests
{
    [Fact]
    public void StrikeFailures_EndEachRun_AndTheThirdLocksTheCathodeOut()
    {
        var rig = new SputterRig();
        rig.Line.Plant.Faults.Execute("inject sputter.rf1 nostrike", rig.Line.Plant.TimeS);
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            Assert.True(rig.Post(SputterModule.CmdStart, SputterRecipe.LiCoO2));
            Assert.True(rig.StepUntil(() => rig.Module.State == SputterState.Ramping, 3000), $"attempt {attempt}");
            Assert.True(rig.StepUntil(() => rig.Module.State == SputterState.Idle, 3000), $"attempt {attempt} never ended");
            rig.Step(5);
            Assert.Equal(0, rig.Signal("sputter.rf1.rfOnCmd"));
            Assert.Equal(attempt == 3, rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.Rf1StrikeLockout));
        }
        // Locked out: a fourth start is refused; the operator clears the lockout with RF off, and it starts again.
        Assert.True(rig.Post(SputterModule.CmdStart, SputterRecipe.LiCoO2));
        rig.Step(50);
        Assert.Equal(SputterState.Idle, rig.Module.State);
        rig.Line.Plant.Faults.Execute("clear sputter.rf1", rig.Line.Plant.TimeS);
        Assert.True(rig.Module.TryResetAlarm((int)AlarmCode.Rf1StrikeLockout, out _));
        rig.Step(5);
        Assert.False(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.Rf1StrikeLockout));
        Assert.Equal(0, rig.Signal("sputter.rf1.rfOnCmd"));
        rig.RunTo(SputterState.Sputtering);
        Assert.True(rig.Module.Plasma(0));
    }
}
