using Tfb.Plant.Core;

namespace Tfb.Plant.Models;

/// <summary>The whole line's plant: web transport, sputter and anneal stations with their default wiring.</summary>
public static class VirtualLinePlant
{
    /// <summary>
    /// Builds a plant with <see cref="WebStation.Add"/>, <see cref="SputterModel.AddStation"/> and
    /// <see cref="FurnaceModel.AddStation"/> and <see cref="SheetTestModel.AddStation"/> (default configurations), all at rest: drives at their
    /// safe values, RF off, gas off, contactor open, every node at ambient.
    /// </summary>
    /// <param name="seed">Scenario seed.</param>
    public static VirtualPlant Build(ulong seed)
    {
        var plant = new VirtualPlant(seed);
        WebStation.Add(plant);
        SputterModel.AddStation(plant);
        FurnaceModel.AddStation(plant);
        SheetTestModel.AddStation(plant);
        return plant;
    }
}
