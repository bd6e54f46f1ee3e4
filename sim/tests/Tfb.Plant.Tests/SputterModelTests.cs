using Tfb.Plant.Core;
using Tfb.Plant.Models;

namespace Tfb.Plant.Tests;

/// <summary>
/// RF sputter physics: the chamber pressure settles at gas load / pumping speed with time constant V/S;
/// the generator is a first-order lag; a plasma only lights inside the pressure window; the match
/// starts detuned after a strike so reflected power is high and decays; arcs are a Poisson process.
/// </summary>
public class SputterModelTests
{
    private static VirtualPlant Station(ulong seed, out SputterModel model)
    {
        var plant = new VirtualPlant(seed);
        model = SputterModel.AddStation(plant);
        plant.Bus.Write("wire.web_ok", 1); // the web board's permit: the generator's loop is closed
        return plant;
    }

    private static void StrikeAtProcessPressure(VirtualPlant plant, double powerW = 100)
    {
        plant.Bus.Write("sputter.chamber.flowCmdSccm", 20); // 20 sccm into 200 L/s: 0.17 Pa (1.3 mTorr)
        plant.RunUntil(20, 0.001);
        plant.Bus.Write("sputter.rf1.rfOnCmd", 1);
        plant.Bus.Write("sputter.rf1.powerCmdW", powerW);
    }

    [Fact]
    public void ChamberPressureSettlesAtGasLoadOverPumpingSpeed()
    {
        var plant = Station(1, out _);
        var c = new ChamberConfig();
        Assert.Equal(c.BaseLeakPaM3PerS / c.PumpSpeedM3PerS, plant.Bus.Read("sputter.chamber.pressurePa"), 12);
        plant.Bus.Write("sputter.chamber.flowCmdSccm", 20);
        plant.RunUntil(30, 0.01);
        double expected = (20 * SputterModel.PaM3PerSPerSccm + c.BaseLeakPaM3PerS) / c.PumpSpeedM3PerS;
        Assert.Equal(expected, plant.Bus.Read("sputter.chamber.pressurePa"), expected * 1e-6);
        Assert.InRange(expected, c.StrikeMinPa, c.StrikeMaxPa);
    }

    [Fact]
    public void PumpFailureRaisesPressureOutOfTheWindowAndPutsThePlasmaOut()
    {
        var plant = Station(1, out _);
        StrikeAtProcessPressure(plant);
        plant.RunUntil(22, 0.001);
        Assert.Equal(1, plant.Bus.Read("sputter.rf1.plasmaOn"));
        plant.Faults.Execute("inject sputter.chamber pumpfail", plant.TimeS);
        plant.RunUntil(60, 0.001);
        Assert.True(plant.Bus.Read("sputter.chamber.pressurePa") > new ChamberConfig().StrikeMaxPa);
        Assert.Equal(0, plant.Bus.Read("sputter.rf1.plasmaOn"));
        Assert.Equal(0, plant.Bus.Read("sputter.rf1.deliveredW"));
    }

    [Fact]
    public void ForwardPowerFollowsTheCommandWithTheGeneratorLag()
    {
        var plant = Station(1, out _);
        StrikeAtProcessPressure(plant);
        plant.RunUntil(20.02, 0.001); // one tau_gen (20 ms)
        Assert.Equal(100 * (1 - Math.Exp(-1)), plant.Bus.Read("sputter.rf1.forwardW"), 0.5);
    }

    [Fact]
    public void ReflectedPowerIsHighAfterStrikeAndDecaysAsTheMatchTunes()
    {
        var cfg = new RfCathodeConfig { Name = "rf1" };
        var plant = Station(1, out _);
        StrikeAtProcessPressure(plant);
        double strikeS = double.NaN;
        while (plant.TimeS < 30)
        {
            plant.Step(0.001);
            if (double.IsNaN(strikeS) && plant.Bus.Read("sputter.rf1.plasmaOn") == 1)
            {
                strikeS = plant.TimeS;
                Assert.True(plant.Bus.Read("sputter.rf1.forwardW") >= cfg.StrikePowerW);
            }

            if (!double.IsNaN(strikeS) && plant.TimeS >= strikeS + cfg.TuneTimeS - 1e-9)
            {
                break;
            }
        }

        // One tuning time constant after strike: Gamma = 0.05 + 0.6/e.
        double gamma = cfg.GammaTuned + cfg.GammaDetune * Math.Exp(-1);
        double ratio = plant.Bus.Read("sputter.rf1.reflectedW") / plant.Bus.Read("sputter.rf1.forwardW");
        Assert.Equal(gamma * gamma, ratio, 0.002);

        plant.RunUntil(strikeS + 10 * cfg.TuneTimeS, 0.001);
        ratio = plant.Bus.Read("sputter.rf1.reflectedW") / plant.Bus.Read("sputter.rf1.forwardW");
        Assert.True(ratio < 0.004, $"tuned reflection {ratio:P2}, under the 4 % warning level");
    }

    [Fact]
    public void NoPlasmaWithoutGas_MostPowerComesBack()
    {
        var plant = Station(1, out _);
        plant.Bus.Write("sputter.rf1.rfOnCmd", 1);
        plant.Bus.Write("sputter.rf1.powerCmdW", 100);
        plant.RunUntil(1, 0.001);
        Assert.Equal(0, plant.Bus.Read("sputter.rf1.plasmaOn"));
        Assert.Equal(0.81, plant.Bus.Read("sputter.rf1.reflectedW") / plant.Bus.Read("sputter.rf1.forwardW"), 1e-9);
    }

    [Fact]
    public void ArcsArriveAsAPoissonProcessAndRepeatPerSeed()
    {
        double Count(ulong seed)
        {
            var plant = Station(seed, out _);
            StrikeAtProcessPressure(plant);
            plant.Faults.Execute("inject sputter.rf1 arcstorm 2", plant.TimeS);
            plant.RunUntil(520, 0.01);
            return plant.Bus.Read("sputter.rf1.arcCount");
        }

        // 500 s at about 2 arcs/s (the power-dependent part adds ~0.005/s): mean 1000, sd about 32.
        double a = Count(11);
        Assert.InRange(a, 1000 - 4 * 32, 1000 + 4 * 32);
        Assert.Equal(a, Count(11));
        Assert.NotEqual(a, Count(12));
    }

    [Fact]
    public void TargetSettlesAtWaterTemperaturePlusThreeQuartersOfPowerTimesResistance()
    {
        var cfg = new RfCathodeConfig { Name = "rf1" };
        var plant = Station(1, out _);
        StrikeAtProcessPressure(plant, powerW: 140);
        plant.RunUntil(600, 0.01);
        double delivered = plant.Bus.Read("sputter.rf1.deliveredW");
        Assert.Equal(cfg.WaterTempC + 0.75 * delivered * cfg.TargetToWaterKPerW, plant.Bus.Read("sputter.rf1.targetTempC"), 0.05);
        // Return water: 75 % of the delivered power warms 2 L/min (1 kW -> 5.4 K).
        Assert.Equal(cfg.WaterTempC + 0.75 * delivered / (cfg.WaterFlowLpm * 4186.0 / 60.0), plant.Bus.Read("sputter.rf1.water.returnC"), 0.05);

        // Cooling lost: the flow switch opens, and the generator's own interlock loop cuts the power (the T0 chain).
        plant.Faults.Execute("inject sputter.rf1 coolingloss", plant.TimeS);
        plant.RunUntil(600.2, 0.01);
        Assert.Equal(0, plant.Bus.Read("sputter.rf1.water.flowOk"));
        Assert.Equal(0, plant.Bus.Read("sputter.rf1.gen.interlockOk"));
        Assert.True(plant.Bus.Read("sputter.rf1.forwardW") < 1);
    }

    [Fact]
    public void TheHardChain_DoorWebPermitAndGeneratorFaults_CutTheGeneratorWithoutFirmware()
    {
        foreach (string fault in new[] { "door", "web", "genloop", "genovertemp" })
        {
            var plant = Station(1, out _);
            StrikeAtProcessPressure(plant);
            plant.RunUntil(22, 0.001);
            Assert.Equal(1, plant.Bus.Read("sputter.rf1.plasmaOn"));
            Assert.Equal(1, plant.Bus.Read("sputter.rf1.gen.interlockOk"));
            switch (fault)
            {
                case "door": plant.Faults.Execute("inject sputter.door open", plant.TimeS); break;
                case "web": plant.Bus.Write("wire.web_ok", 0); break;
                default: plant.Faults.Execute("inject sputter.rf1 " + fault, plant.TimeS); break;
            }
            plant.RunUntil(22.2, 0.001); // ten generator lags
            Assert.True(plant.Bus.Read("sputter.rf1.forwardW") < 0.1, fault);
            Assert.Equal(0, plant.Bus.Read("sputter.rf1.plasmaOn"));
            Assert.Equal(fault == "genovertemp" ? 1 : 0, plant.Bus.Read("sputter.rf1.gen.interlockOk"));
            Assert.Equal(fault == "genovertemp" ? 0 : 1, plant.Bus.Read("sputter.rf1.gen.overtempOk"));
            Assert.Equal(fault == "door" ? 0 : 1, plant.Bus.Read("sputter.door.closed"));
        }
    }

    [Fact]
    public void GasLines_FlowOnlyThroughAnOpenValve_AndSetTheChamberPressure()
    {
        var plant = Station(1, out _);
        plant.Bus.Write("sputter.gas.ar.setpointFraction", 0.3);
        plant.RunUntil(10, 0.01);
        Assert.Equal(0, plant.Bus.Read("sputter.gas.ar.flowSccm"));
        plant.Bus.Write("sputter.gas.ar.valveCmd", 1);
        plant.RunUntil(20, 0.01);
        Assert.Equal(30, plant.Bus.Read("sputter.gas.ar.flowSccm"), 0.01);
        var c = new ChamberConfig();
        double expected = (30 * SputterModel.PaM3PerSPerSccm + c.BaseLeakPaM3PerS) / c.PumpSpeedM3PerS;
        Assert.Equal(expected, plant.Bus.Read("sputter.chamber.pressurePa"), expected * 1e-3);
    }

    [Fact]
    public void DetuneFaultRaisesReflectedPowerToTheTripLevel()
    {
        var plant = Station(1, out _);
        StrikeAtProcessPressure(plant);
        plant.RunUntil(40, 0.01);
        plant.Faults.Execute("inject sputter.rf1 detune 0.28", plant.TimeS);
        plant.Step(0.01);
        double ratio = plant.Bus.Read("sputter.rf1.reflectedW") / plant.Bus.Read("sputter.rf1.forwardW");
        Assert.InRange(ratio, 0.10, 0.12); // (0.05 + 0.28)^2 = 10.9 %: VSWR about 2
    }
}
