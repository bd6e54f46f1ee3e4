using Tfb.Plant.Core;
using Tfb.Plant.Models;

namespace Tfb.Plant.Tests.Web;

public class WebDriveInterfaceTests
{
    [Fact]
    public void EnabledTorqueDrive_ReadsTheReferenceBipolar_DisabledOrTrippedAppliesZero()
    {
        var plant = new VirtualPlant(1);
        WebStation.Add(plant);
        plant.Bus.Write("web.unwind.enableCmd", 1);
        plant.Bus.Write("web.unwind.refCmd", 0.25); // -50 % of 100 N m
        plant.RunUntil(0.2, 0.01);
        Assert.Equal(-50, plant.Bus.Read("web.unwind.torqueCmdNm"), 9);
        Assert.Equal(1, plant.Bus.Read("web.unwind.ready"));

        plant.Bus.Write("web.unwind.enableCmd", 0);
        plant.Step(0.01);
        Assert.Equal(0, plant.Bus.Read("web.unwind.torqueCmdNm"));

        plant.Bus.Write("web.unwind.enableCmd", 1);
        plant.Faults.Inject("web.unwind.interface", "trip", plant.TimeS);
        plant.Step(0.01);
        Assert.Equal(0, plant.Bus.Read("web.unwind.ready"));
        Assert.Equal(0, plant.Bus.Read("web.unwind.torqueCmdNm"));
    }

    [Fact]
    public void DisabledInterface_LeavesDirectCommandsAlone()
    {
        // Plant-only scenarios write the drive commands directly; an interface nobody enabled does not fight them.
        var plant = new VirtualPlant(1);
        WebStation.Add(plant);
        plant.Bus.Write("web.drum.speedCmdMps", 0.01);
        plant.RunUntil(1.0, 0.01);
        Assert.Equal(0.01, plant.Bus.Read("web.drum.speedCmdMps"));
        Assert.Equal(0.01, plant.Bus.Read("web.drum.speedRefMps"), 6);
    }
}

public class WebEncoderInterfaceTests
{
    [Fact]
    public void PeriodAndAge_FollowTheRollerSpeed_EvenAtCreepSpeed()
    {
        // The drum (R 100 mm) at 3 mm/min: 5e-4 rad/s, 10 000 counts/rev -> one edge every 1.257 s.
        var plant = new VirtualPlant(1);
        WebStation.Add(plant, WebTransportConfig.Default() with { InitialSpeedMps = 0.003 / 60 });
        plant.Bus.Write("web.drum.speedCmdMps", 0.003 / 60);
        plant.RunUntil(20, 0.01);
        double expectedUs = 2 * Math.PI / 10000 / (0.003 / 60 / 0.1) * 1e6;
        Assert.Equal(expectedUs, plant.Bus.Read("web.drum.encPeriodUs"), expectedUs * 0.01);
        Assert.InRange(plant.Bus.Read("web.drum.encAgeUs"), 0, expectedUs * 1.02);
    }

    [Fact]
    public void Dropout_StopsTheEdges_SoTheAgeGrows()
    {
        var plant = new VirtualPlant(1);
        WebStation.Add(plant, WebTransportConfig.Default() with { InitialSpeedMps = 1.0 / 60 });
        plant.Bus.Write("web.drum.speedCmdMps", 1.0 / 60);
        plant.RunUntil(2, 0.01);
        Assert.InRange(plant.Bus.Read("web.drum.encAgeUs"), 0, 10_000);
        plant.Faults.Inject("web.drum.encoder", "dropout", plant.TimeS);
        plant.RunUntil(3, 0.01);
        Assert.InRange(plant.Bus.Read("web.drum.encAgeUs"), 990_000, 1_010_000);
    }

    [Fact]
    public void RollBuildScale_CompressesTheRollTime()
    {
        double Shrink(double scale)
        {
            var p = new VirtualPlant(1);
            WebStation.Add(p, WebTransportConfig.Default() with { InitialSpeedMps = 1.0 / 60, RollBuildScale = scale });
            p.Bus.Write("web.drum.speedCmdMps", 1.0 / 60);
            p.Bus.Write("web.unwind.torqueCmdNm", -300 * 0.15);
            p.Bus.Write("web.rewind.torqueCmdNm", 300 * 0.04);
            p.RunUntil(2, 0.01);
            return 0.150 - p.Bus.Read("web.unwind.radiusM");
        }

        double slow = Shrink(1), fast = Shrink(100);
        Assert.True(slow > 0);
        Assert.Equal(100, fast / slow, 2.0);
    }
}
