using Tfb.Plant.Core;
using Tfb.Plant.Faults;

namespace Tfb.Plant.Models;

/// <summary>
/// The analog interface of one web drive as a board sees it: an enable line, a reference as a fraction of full
/// scale (the board's <c>aout</c>) and a ready contact. Runs in the actuator phase before the drive actuator.
/// </summary>
/// <remarks>
/// <para>Signals (prefix <c>web.&lt;roller&gt;.</c>): inputs <c>enableCmd</c> (0/1), <c>refCmd</c> (fraction
/// 0..1); output <c>ready</c> (1 = drive healthy). Torque drives read the reference bipolar, 0.5 = 0 N m:
/// torque = (2*ref - 1) * <see cref="FullScale"/> (a +-10 V reference on a 0..1 output stage). Speed drives
/// read it unipolar: speed = ref * <see cref="FullScale"/> m/s.</para>
/// <para>While enabled the interface owns the drive's command signal; on disable it writes the drive's zero
/// once (the drive coasts or decelerates on its own ramp) and then leaves the command alone, so plant-only
/// scenarios can still write the command signals directly.</para>
/// <para>Fault <c>trip</c>: the drive trips (ready drops, command zero) until cleared.</para>
/// </remarks>
public sealed class WebDriveInterface : IPlantComponent, IFaultTarget
{
    private static readonly FaultDescriptor[] s_faults =
    {
        new("trip", 0, 0, "", "the drive trips: ready contact opens, the drive applies zero"),
    };

    private readonly ActiveFaultSet _faults = new();
    private readonly SignalRef _enable;
    private readonly SignalRef _reference;
    private readonly SignalRef _ready;
    private readonly SignalRef _command;
    private readonly bool _bipolar;
    private bool _wasEnabled;

    /// <summary>Registers the interface signals; <paramref name="commandSignal"/> is the drive actuator's command.</summary>
    public WebDriveInterface(VirtualPlant plant, string rollerPrefix, string commandSignal, bool bipolar, double fullScale)
    {
        Name = rollerPrefix + ".interface";
        FullScale = fullScale;
        _bipolar = bipolar;
        _enable = plant.Bus.Register(rollerPrefix + ".enableCmd");
        _reference = plant.Bus.Register(rollerPrefix + ".refCmd", bipolar ? 0.5 : 0.0);
        _ready = plant.Bus.Register(rollerPrefix + ".ready", 1.0);
        _command = plant.Bus.TryGet(commandSignal, out SignalRef c) ? c : plant.Bus.Register(commandSignal);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Full scale: N m (torque drives) or m/s (speed drives).</summary>
    public double FullScale { get; }

    /// <inheritdoc />
    public PlantPhase Phase => PlantPhase.Actuators;

    /// <inheritdoc />
    public IReadOnlyList<FaultDescriptor> SupportedFaults => s_faults;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ActiveFaults => _faults.Names;

    /// <inheritdoc />
    public void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS) => _faults.Set(fault, parameters, timeS);

    /// <inheritdoc />
    public void ClearFaults() => _faults.Clear();

    /// <inheritdoc />
    public void Step(double timeS, double dtS)
    {
        bool tripped = _faults.Has("trip");
        _ready.Value = tripped ? 0.0 : 1.0;
        bool enabled = !tripped && _enable.Value >= 0.5;
        if (enabled)
        {
            double r = _reference.Value;
            // A non-finite reference is passed on: the drive applies its safe value and counts it.
            _command.Value = _bipolar ? (2.0 * r - 1.0) * FullScale : r * FullScale;
        }
        else if (_wasEnabled || tripped)
        {
            _command.Value = 0.0;
        }

        _wasEnabled = enabled;
    }
}
