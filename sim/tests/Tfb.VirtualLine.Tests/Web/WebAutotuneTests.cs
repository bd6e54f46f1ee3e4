using Tfb.Stations.Web;

namespace Tfb.VirtualLine.Tests.Web;

public class WebAutotuneTests
{
    [Fact]
    public void RelayAutotune_GivesASaneResult_ThatSavesAndHoldsTensionAtSpeed()
    {
        var rig = new WebRig();
        rig.Login();
        rig.Type("web thread");
        rig.Seconds(3);
        rig.Type("web autotune save");
        Assert.Contains("error:31", rig.Board.ScenarioLink.Output); // nothing to save yet
        rig.Type("web autotune unwind 5");
        Assert.True(rig.Until(() => rig.C.Autotune.Done, 10), "autotune finished");
        var t = rig.C.Autotune;
        Assert.True(t.Sane, $"fail reason {t.FailReason}");
        // The limit cycle sits below the roll-web resonance and the excursion stayed small.
        Assert.InRange(t.TuS, 0.05, 1.0);
        Assert.InRange(t.AmplitudeN, 0.2, 10);
        rig.Type("web autotune save");
        Assert.Equal(t.KpProposed, rig.C.Parameters.Kp, 9);
        Assert.Equal(t.TiProposed, rig.C.Parameters.TiS, 9);

        rig.Type("web run");
        Assert.True(rig.Until(() => rig.C.SpeedRefMps == rig.C.SpeedSetpointMps, 30));
        double worst = 0;
        for (int i = 0; i < 300; i++)
        {
            rig.Line.Step();
            worst = Math.Max(worst, Math.Abs(rig.Signal("web.span1.tensionN") - 300));
            worst = Math.Max(worst, Math.Abs(rig.Signal("web.span2.tensionN") - 300));
        }
        Assert.True(worst < 3, $"worst tension error {worst} N with the tuned gains");
        Assert.Equal(0, rig.C.Faults);
    }
}
