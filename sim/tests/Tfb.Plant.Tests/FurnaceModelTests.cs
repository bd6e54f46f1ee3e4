using Tfb.Plant.Core;
using Tfb.Plant.Models;

namespace Tfb.Plant.Tests;

/// <summary>
/// Furnace zone physics: at steady state the heater's power all leaves the load node by conduction
/// (R_o) and radiation (eps*sigma*A*(T^4 - Ta^4)); the heater runs hotter than the load by P*R_ho.
/// Radiation grows with T^4, so the same power step raises temperature less the hotter the zone.
/// </summary>
public class FurnaceModelTests
{
    private static FurnaceConfig OneZone() => new() { Zones = new[] { new FurnaceZoneConfig { Name = "zone1" } } };

    private static VirtualPlant Make(FurnaceConfig config, out FurnaceModel model)
    {
        var plant = new VirtualPlant(1);
        model = FurnaceModel.AddStation(plant, config);
        plant.Bus.Write("anneal.contactorCmd", 1);
        return plant;
    }

    [Fact]
    public void FullPowerSteadyStateMatchesTheAnalyticHeatBalance()
    {
        var config = OneZone();
        var plant = Make(config, out _);
        plant.Bus.Write("anneal.zone1.ssrCmd", 1);
        plant.RunUntil(40_000, 1.0);
        FurnaceZoneConfig z = config.Zones[0];
        double load = FurnaceModel.SteadyLoadTempC(z, 25, z.MaxPowerW);
        Assert.Equal(load, plant.Bus.Read("anneal.zone1.loadTempC"), 0.05);
        Assert.Equal(load + z.MaxPowerW * z.HeaterToLoadKPerW, plant.Bus.Read("anneal.zone1.heaterTempC"), 0.05);
        Assert.Equal(load, plant.Bus.Read("anneal.zone1.tcTempC"), 0.05);
        Assert.InRange(load, 900, 1100); // kiln-sized: full power tops out near 1000 C
    }

    [Fact]
    public void LossesAt700CAreConductionPlusRadiationInKelvin()
    {
        // Hand figure: 675 K / 0.5 K/W = 1350 W conducted; 0.02 m2 * 5.670e-8 * (973.15^4 - 298.15^4) = 1008 W radiated.
        Assert.Equal(2358.13, FurnaceModel.ZoneLossW(new FurnaceZoneConfig { Name = "z" }, 25, 700), 0.01);
    }

    [Fact]
    public void TimeProportionedSsrAveragesToTheDutyFraction()
    {
        // 40 % of a 2 s cycle: the load's time constant (~1000 s) smooths the pulses to the mean power.
        var config = OneZone();
        var plant = Make(config, out _);
        var ssr = plant.Bus.Get("anneal.zone1.ssrCmd");
        while (plant.TimeS < 30_000)
        {
            double phase = plant.TimeS % 2.0;
            ssr.Value = phase < 0.8 - 1e-9 ? 1 : 0;
            plant.Step(0.1);
        }

        double expected = FurnaceModel.SteadyLoadTempC(config.Zones[0], 25, 0.4 * 5450);
        Assert.Equal(expected, plant.Bus.Read("anneal.zone1.loadTempC"), 1.0);
    }

    [Fact]
    public void RadiationMakesTheProcessGainFallWithTemperature()
    {
        var z = new FurnaceZoneConfig { Name = "z" };
        double gainLow = FurnaceModel.SteadyLoadTempC(z, 25, 1100) - FurnaceModel.SteadyLoadTempC(z, 25, 1000);
        double gainHigh = FurnaceModel.SteadyLoadTempC(z, 25, 4100) - FurnaceModel.SteadyLoadTempC(z, 25, 4000);
        Assert.True(gainHigh < 0.6 * gainLow, $"{gainHigh} K per 100 W at high power vs {gainLow} at low power");
    }

    [Fact]
    public void ThermocoupleLagsARampBySlopeTimesLagPlusDelay()
    {
        // A first-order sensor with dead time d following a ramp of slope r reads r*(tau + d) low.
        var plant = Make(OneZone(), out _);
        plant.Bus.Write("anneal.zone1.ssrCmd", 1);
        plant.RunUntil(600, 0.1);
        double t1 = plant.Bus.Read("anneal.zone1.loadTempC");
        plant.RunUntil(610, 0.1);
        double slope = (plant.Bus.Read("anneal.zone1.loadTempC") - t1) / 10.0;
        double lag = plant.Bus.Read("anneal.zone1.loadTempC") - plant.Bus.Read("anneal.zone1.tcTempC");
        Assert.Equal(slope * (20 + 2), lag, slope * 22 * 0.05);
    }

    [Fact]
    public void SsrStuckOnHeatsWithoutCommandUntilTheContactorOpens()
    {
        var plant = Make(OneZone(), out _);
        plant.Faults.Execute("inject anneal.zone1 ssrstuckon", 0);
        plant.RunUntil(100, 0.1);
        Assert.Equal(5450, plant.Bus.Read("anneal.zone1.powerW"));
        Assert.True(plant.Bus.Read("anneal.zone1.loadTempC") > 30);
        plant.Bus.Write("anneal.contactorCmd", 0);
        plant.Step(0.1);
        Assert.Equal(0, plant.Bus.Read("anneal.zone1.powerW"));
    }

    [Fact]
    public void LostElementRemovesAThirdOfThePower()
    {
        var config = OneZone();
        var plant = Make(config, out _);
        plant.Bus.Write("anneal.zone1.ssrCmd", 1);
        plant.Faults.Execute("inject anneal.zone1 elementlost", 0);
        plant.RunUntil(40_000, 1.0);
        Assert.Equal(5450 * 2.0 / 3.0, plant.Bus.Read("anneal.zone1.powerW"), 1e-9);
        Assert.Equal(FurnaceModel.SteadyLoadTempC(config.Zones[0], 25, 5450 * 2.0 / 3.0), plant.Bus.Read("anneal.zone1.loadTempC"), 0.05);
    }

    [Fact]
    public void PowerFailCutsEveryZone()
    {
        var plant = Make(FurnaceConfig.Default(), out _);
        plant.Bus.Write("anneal.zone1.ssrCmd", 1);
        plant.Bus.Write("anneal.zone3.ssrCmd", 1);
        plant.Faults.Execute("inject anneal powerfail", 0);
        plant.Step(1);
        Assert.Equal(0, plant.Bus.Read("anneal.zone1.powerW"));
        Assert.Equal(0, plant.Bus.Read("anneal.zone3.powerW"));
        plant.Faults.Execute("clear anneal", plant.TimeS);
        plant.Step(1);
        Assert.Equal(5450, plant.Bus.Read("anneal.zone1.powerW"));
    }

    [Fact]
    public void UnheatedZoneIsWarmedByItsNeighbourAndBalancesItsLosses()
    {
        var config = new FurnaceConfig
        {
            Zones = new[] { new FurnaceZoneConfig { Name = "zone1" }, new FurnaceZoneConfig { Name = "zone2" } },
        };
        var plant = Make(config, out _);
        plant.Bus.Write("anneal.zone1.ssrCmd", 1);
        plant.RunUntil(40_000, 1.0);
        double t1 = plant.Bus.Read("anneal.zone1.loadTempC");
        double t2 = plant.Bus.Read("anneal.zone2.loadTempC");
        Assert.True(t2 > 200, $"zone2 at {t2} C");
        Assert.True(t1 < FurnaceModel.SteadyLoadTempC(config.Zones[0], 25, 5450), "zone1 loses heat to zone2");

        // Zone 2 steady state: what flows in through the coupling leaves to ambient.
        double inflow = (t1 - t2) / config.ZoneCouplingKPerW;
        Assert.Equal(FurnaceModel.ZoneLossW(config.Zones[1], 25, t2), inflow, 0.5);

        // Whole furnace: heater power = both zones' losses.
        Assert.Equal(5450, FurnaceModel.ZoneLossW(config.Zones[0], 25, t1) + FurnaceModel.ZoneLossW(config.Zones[1], 25, t2), 1.0);
    }

    [Fact]
    public void OpenThermocoupleReadsUpScaleAndTheLimitChannelIsIndependent()
    {
        var plant = Make(OneZone(), out _);
        plant.Faults.Execute("inject anneal.zone1.tc open", 0);
        plant.Step(0.1);
        Assert.Equal(1250, plant.Bus.Read("anneal.zone1.tc"));
        Assert.InRange(plant.Bus.Read("anneal.zone1.limitTc"), 23, 27);
    }

    [Fact]
    public void NothingHeatsWhileTheContactorIsOpen()
    {
        var plant = new VirtualPlant(1);
        FurnaceModel.AddStation(plant, OneZone());
        plant.Bus.Write("anneal.zone1.ssrCmd", 1);
        plant.RunUntil(100, 1);
        Assert.Equal(25, plant.Bus.Read("anneal.zone1.loadTempC"), 9);
    }
}
