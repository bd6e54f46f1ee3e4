using Tfb.Codes;
using Tfb.Stations.Web;

namespace Tfb.VirtualLine.Tests.Web;

/// <summary>Bad input of every kind is refused with a code and moves nothing.</summary>
public class WebBadInputTests
{
    [Theory]
    [InlineData("web speed 99", "error:8")]        // above web.speed.maxMpm
    [InlineData("web speed -1", "error:8")]
    [InlineData("web speed fast", "error:3")]
    [InlineData("web speed NaN", "error:3")]
    [InlineData("web tension 5", "error:8")]        // below web.tension.minN
    [InlineData("web tension 2000", "error:8")]
    [InlineData("web run", "error:14")]             // Idle: needs Thread first
    [InlineData("web jog 0.05", "error:14")]        // jog only while threading
    [InlineData("web torque 1 1", "error:14")]      // not in manual
    [InlineData("web permit", "error:14")]
    [InlineData("web autotune rewind 2", "error:14")]
    [InlineData("web autotune rewind 500", "error:8")]
    [InlineData("web autotune save", "error:31")]   // no sane result
    [InlineData("web roll 5 40", "error:8")]         // below the core
    [InlineData("web reset", "error:14")]
    public void RefusedWithItsCode_AndNothingMoves(string line, string answer)
    {
        var rig = new WebRig();
        rig.Login();
        rig.Type(line);
        Assert.Contains(answer, rig.Board.ScenarioLink.Output);
        rig.Seconds(0.5);
        Assert.Equal(WebState.Idle, rig.C.State);
        Assert.Equal(0, rig.Signal("web.drum.enableCmd"));
        Assert.Equal(0, rig.Signal("web.drum.refCmd"));
        Assert.Equal(300, rig.C.TensionSetpointN);
    }

    [Fact]
    public void MotionCommands_NeedTechnician()
    {
        var rig = new WebRig();
        rig.Type("web thread");
        Assert.Contains("error:5", rig.Board.ScenarioLink.Output);
        rig.Seconds(0.5);
        Assert.Equal(WebState.Idle, rig.C.State);
    }

    [Fact]
    public void NaNFromALoadCell_RefusesThreading_AndFaultsARunningWeb()
    {
        var rig = new WebRig();
        rig.Login();
        rig.Line.Plant.Faults.Inject("web.span1.loadcell", "nan", rig.Line.Plant.TimeS);
        rig.Seconds(0.3);
        rig.Type("web thread");
        Assert.Contains("error:13", rig.Board.ScenarioLink.Output);
        rig.Seconds(1);
        Assert.Equal(WebState.Idle, rig.C.State);
        Assert.Equal(0, rig.Signal("web.unwind.enableCmd"));

        rig.Line.Plant.Faults.Clear("web.span1.loadcell", rig.Line.Plant.TimeS);
        rig.Seconds(0.3);
        rig.Type("web thread");
        Assert.True(rig.Until(() => rig.C.Span1SetpointN >= 100, 5));
        rig.Line.Plant.Faults.Inject("web.span1.loadcell", "nan", rig.Line.Plant.TimeS);
        rig.Seconds(0.2);
        Assert.Equal(WebState.FaultStop, rig.C.State);
        Assert.True(rig.Board.Runtime.Alarms.IsActive((int)AlarmCode.WebTensionSensorFault));
        Assert.Equal(0, rig.Signal("web.drum.refCmd"));
    }

    [Fact]
    public void SetpointsAcceptedInRange_ReachTheController()
    {
        var rig = new WebRig();
        rig.Login();
        rig.Type("web speed 0.5");
        rig.Type("web tension 250");
        Assert.Equal(0.5 / 60, rig.C.SpeedSetpointMps, 12);
        Assert.Equal(250, rig.C.TensionSetpointN);
    }
}
