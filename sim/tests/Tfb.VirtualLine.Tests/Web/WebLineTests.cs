using Tfb.Codes;
using Tfb.Stations.Web;

namespace Tfb.VirtualLine.Tests.Web;

public class WebLineTests
{
    [Fact]
    public void ThreadRunAndStop_HoldsTensionAndSpeed_AndThePermitFollowsTheWeb()
    {
        var rig = new WebRig();
        Assert.Equal(WebState.Idle, rig.C.State);
        Assert.Equal(0, rig.Signal("wire.web_ok"));
        rig.ThreadAndRun();
        Assert.Equal(1, rig.Signal("wire.web_ok"));
        Assert.True(rig.Until(() => rig.C.SpeedRefMps == rig.C.SpeedSetpointMps, 30), "at speed");
        rig.Seconds(3);
        double t1 = rig.Signal("web.span1.tensionN"), t2 = rig.Signal("web.span2.tensionN");
        Assert.InRange(t1, 294, 306);
        Assert.InRange(t2, 294, 306);
        Assert.InRange(rig.Signal("web.drum.speedMps") * 60, 0.999, 1.001);

        rig.Type("web stop");
        Assert.True(rig.Until(() => rig.C.State == WebState.Thread, 30));
        Assert.Equal(0, rig.Signal("wire.web_ok"));
        rig.Seconds(0.5);
        Assert.True(rig.Signal("web.drum.speedMps") < 1e-6);
        Assert.InRange(rig.Signal("web.span1.tensionN"), 90, 310); // threading hold, ramping down to 100 N
        Assert.Equal(0, rig.Board.Runtime.Alarms.ActiveCount);
    }
}
