using Tfb.Plant.Core;
using Tfb.Plant.Models;

namespace Tfb.Plant.Tests.SheetTest;

public class SheetTestModelTests
{
    private static (VirtualPlant Plant, SheetTestModel Model) Build(SheetConfig? sheet = null)
    {
        var plant = new VirtualPlant(5);
        var m = plant.Add(new SheetTestModel(plant, sheet ?? new SheetConfig(), new SheetFrontEndConfig()));
        return (plant, m);
    }

    private static byte[] Frame(byte cmd, params byte[] args)
    {
        var w = new byte[8];
        w[0] = cmd;
        args.CopyTo(w, 1);
        return w;
    }

    private static byte Send(SheetTestModel m, byte[] w)
    {
        var r = new byte[8];
        Assert.True(m.SpiTransfer(w, r, 8));
        Assert.Equal(0xA5, r[0]);
        Assert.Equal(w[0], r[1]);
        return r[2];
    }

    [Fact]
    public void Cells_FollowTheReferenceCircuit_LiponArcNearItsApex()
    {
        var sheet = new Sheet(new SheetConfig { ShortDensityPerCm2 = 0, OpenProbability = 0, HighContactProbability = 0 }, 0, new PlantRandom(1));
        var c = sheet.Cell(10, 12);
        // 1 cm2, 1.5 um +- a few %, 2.3e-6 S/cm: about 65 ohm; geometric capacitance 7-13 nF class.
        Assert.InRange(c.LiponOhm, 60, 70);
        Assert.InRange(c.GeometricF, 5e-9, 13e-9);
        double apex = 1 / (2 * Math.PI * c.LiponOhm * c.GeometricF);
        Assert.InRange(apex, 150e3, 600e3);
        // As made: blocking, the phase heads toward -90 deg at 10 Hz; |Z| at 100 kHz is about R_s + the LiPON arc.
        Assert.InRange(sheet.Impedance(c, 10).Phase * 180 / Math.PI, -90, -75);
        Assert.InRange(sheet.Impedance(c, 100e3).Magnitude, 50, 70);
        Assert.InRange(c.OcvAtLoadV, -0.003, 0.003);
        // Thickness gradient across the web: the right edge is thicker than the left by about 3 %.
        Assert.True(sheet.Cell(19, 12).LiponUm > sheet.Cell(0, 12).LiponUm);
    }

    [Fact]
    public void FormedCells_OcvFromTheLiCoO2Table_ShortsDrainIt()
    {
        var sheet = new Sheet(new SheetConfig { Formed = true, ShortDensityPerCm2 = 0.5 }, 0, new PlantRandom(2));
        Assert.Equal(3.95, Sheet.OcvFromSoc(0.5), 6);
        Assert.Equal(4.055, Sheet.OcvFromSoc(0.75), 6);
        var healthy = sheet.Cells.Where(c => c.Defect == SheetDefect.None).ToList();
        var shorted = sheet.Cells.Where(c => c.Defect == SheetDefect.Short).ToList();
        Assert.NotEmpty(shorted);
        Assert.All(healthy, c => Assert.InRange(c.OcvAtLoadV, 4.15, 4.19));
        Assert.True(shorted.Average(c => c.OcvAtLoadV) < healthy.Average(c => c.OcvAtLoadV) - 0.02);
        Assert.All(healthy, c => Assert.InRange(c.DriftVPerHour, -100e-6, 0));
    }

    [Fact]
    public void Mux_BreakBeforeMake_IsEnforced_AndSelectsOutsideTheSheetAreRefused()
    {
        var (_, m) = Build();
        Assert.Equal(0, Send(m, Frame(0x11, 1, 2)));
        Assert.Equal(1, Send(m, Frame(0x11, 3, 4)));  // still closed: refused
        Assert.Equal(1, m.MakeBeforeBreakRefusals);
        Assert.Equal(0, Send(m, Frame(0x10)));
        Assert.Equal(2, Send(m, Frame(0x11, 20, 0))); // column 20 of 0..19
        Assert.Equal(3, Send(m, Frame(0x77)));
    }

    [Fact]
    public void Adc_IsPacedInSimulatedTime_AndOverrunsWhenNotRead()
    {
        var (plant, m) = Build();
        Assert.Equal(0, Send(m, Frame(0x30, BitConverter.GetBytes(7500)))); // 24 MHz / 7500 = 3200 SPS
        plant.Step(0.01);
        var buf = new int[100000];
        int n = m.ReadBlock(buf, 0, buf.Length, out long t0);
        Assert.Equal(2 * 32, n); // 32 frames in 10 ms, two channels each
        Assert.Equal(312, t0);   // first conversion one period after the start
        plant.Step(10.0);        // 10 s unread: 32000 frames into a 16384-frame FIFO
        Assert.Equal(32000 - 16384, m.OverrunCount);
        Assert.Equal(2 * 16384, m.ReadBlock(buf, 0, buf.Length, out _));
        Assert.Equal(2, Send(m, Frame(0x30, BitConverter.GetBytes(10)))); // above 500 kSPS: refused
    }

    [Fact]
    public void MutedFrontEnd_AnswersNothing_BusErrorsFailReads()
    {
        var (plant, m) = Build();
        plant.Faults.Inject("sheettest.afe", "mute", 0);
        var r = new byte[8];
        Assert.True(m.SpiTransfer(Frame(0x40), r, 8));
        Assert.All(r, b => Assert.Equal(0, b));
        plant.Faults.Clear("sheettest.afe", 0);
        plant.Faults.Inject("sheettest.adc", "buserror", 0, [1.0]);
        Assert.Equal(-1, m.ReadBlock(new int[16], 0, 16, out _));
    }

    [Fact]
    public void Loader_SwapsTheSheet_AfterTheClampOpens()
    {
        var (plant, m) = Build();
        var clamp = plant.Bus.Get("sheettest.fixture.clampCmd");
        clamp.Value = 1;
        plant.Step(0.01);
        clamp.Value = 0;
        plant.Step(0.01);
        Assert.Equal(0, plant.Bus.Read("sheettest.fixture.sheetPresent"));
        plant.RunUntil(3.5, 0.01);
        Assert.Equal(1, plant.Bus.Read("sheettest.fixture.sheetPresent"));
        Assert.Equal(1, plant.Bus.Read("sheettest.sheet.index"));
        Assert.Equal(1, m.CurrentSheet.Index);
    }
}
