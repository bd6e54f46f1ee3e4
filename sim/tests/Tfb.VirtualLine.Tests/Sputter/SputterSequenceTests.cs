using Tfb.Stations.Sputter;

namespace Tfb.VirtualLine.Tests.Sputter;

/// <summary>The recipe sequence on the virtual line: pump, gas, ramp, strike, pre-sputter, sputter, ramp down.</summary>
public class SputterSequenceTests
{
    [Fact]
    public void ARecipe_RunsThroughEveryState_AndRampsDownToIdle()
    {
        var rig = new SputterRig();
        Assert.Equal(0, rig.Module.LatchedMask);
        rig.RunTo(SputterState.Sputtering);
        Assert.True(rig.Module.RfOn(0));
        Assert.True(rig.Module.ShutterOpen(0));
        Assert.True(rig.Module.Plasma(0));
        Assert.InRange(rig.Signal("sputter.rf1.forwardW"), 55, 65);
        Assert.Equal(1, rig.Signal("sputter.gas.ar.valveCmd"));
        Assert.Equal(1, rig.Signal("sputter.gas.o2.valveCmd"));
        Assert.Equal(0, rig.Signal("sputter.gas.n2.valveCmd"));
        Assert.True(rig.Post(SputterModule.CmdStop));
        Assert.True(rig.StepUntil(() => rig.Module.State == SputterState.Idle, 3000));
        Assert.False(rig.Module.RfOn(0));
        rig.Step(2);
        Assert.Equal(0, rig.Signal("sputter.rf1.rfOnCmd"));
        Assert.Equal(0, rig.Signal("sputter.gas.ar.valveCmd"));
        Assert.Equal(0, rig.Module.LatchedMask);
    }
}
