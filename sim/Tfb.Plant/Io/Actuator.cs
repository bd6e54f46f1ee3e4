using Tfb.Plant.Core;
using Tfb.Plant.Faults;

namespace Tfb.Plant.Io;

/// <summary>An actuator: command signal in, applied value out, with limits, rate limit and lag.</summary>
public sealed record ActuatorDefinition
{
    /// <summary>Actuator name and fault target name, e.g. <c>web.unwind.drive</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Command signal written by the board, e.g. <c>web.unwind.torqueCmdNm</c>. Registered by the actuator.</summary>
    public required string Command { get; init; }

    /// <summary>Applied value read by the models, e.g. <c>web.unwind.torqueNm</c>. Registered by the actuator.</summary>
    public required string Output { get; init; }

    /// <summary>Lowest value the hardware can apply.</summary>
    public double Min { get; init; } = double.NegativeInfinity;

    /// <summary>Highest value the hardware can apply.</summary>
    public double Max { get; init; } = double.PositiveInfinity;

    /// <summary>Largest change per second of the applied target (units/s); infinity = none.</summary>
    public double RateLimitPerS { get; init; } = double.PositiveInfinity;

    /// <summary>First-order lag time constant, s (0 = none).</summary>
    public double LagS { get; init; }

    /// <summary>Value applied while the command is NaN or infinite, and at start.</summary>
    public double SafeValue { get; init; }
}

/// <summary>
/// A simulated actuator with faults <c>stuck [value]</c> (output freezes), <c>dead</c> (output goes to
/// the safe value: a tripped drive, an open contactor) and <c>offset value</c>.
/// </summary>
/// <remarks>A non-finite command is not a default: the drive applies its safe value and counts it.</remarks>
public sealed class Actuator : IPlantComponent, IFaultTarget
{
    private static readonly FaultDescriptor[] s_faults =
    {
        new("stuck", 0, 1, "[value]", "applied value freezes at its present value, or at the value given"),
        new("dead", 0, 0, "", "applied value goes to the safe value regardless of the command"),
        new("offset", 1, 1, "<value>", "adds a constant to the applied value"),
    };

    private readonly SignalRef _command;
    private readonly SignalRef _output;
    private readonly ActiveFaultSet _faults = new();
    private double _target;
    private double _applied;

    /// <summary>Creates the actuator and registers its command and output signals (both at the safe value).</summary>
    public Actuator(VirtualPlant plant, ActuatorDefinition definition)
    {
        Definition = definition;
        if (!(definition.Min <= definition.Max) || !(definition.RateLimitPerS > 0) || !(definition.LagS >= 0) ||
            definition.SafeValue < definition.Min || definition.SafeValue > definition.Max)
        {
            throw new ArgumentException($"actuator '{definition.Name}': needs min <= safe value <= max, rate limit > 0, lag >= 0");
        }

        _command = plant.Bus.Register(definition.Command, definition.SafeValue);
        _output = plant.Bus.Register(definition.Output, definition.SafeValue);
        _target = definition.SafeValue;
        _applied = definition.SafeValue;
    }

    /// <summary>The definition.</summary>
    public ActuatorDefinition Definition { get; }

    /// <inheritdoc />
    public string Name => Definition.Name;

    /// <inheritdoc />
    public PlantPhase Phase => PlantPhase.Actuators;

    /// <summary>Steps on which the command was not a finite number.</summary>
    public long InvalidCommandCount { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<FaultDescriptor> SupportedFaults => s_faults;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ActiveFaults => _faults.Names;

    /// <inheritdoc />
    public void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS)
    {
        _faults.Set(fault, fault == "stuck" && parameters.Count == 0 ? new[] { _output.Value } : parameters, timeS);
    }

    /// <inheritdoc />
    public void ClearFaults() => _faults.Clear();

    /// <inheritdoc />
    public void Step(double timeS, double dtS)
    {
        ActuatorDefinition d = Definition;
        double cmd = _command.Value;
        if (!double.IsFinite(cmd) || !_command.Valid)
        {
            InvalidCommandCount++;
            cmd = d.SafeValue;
        }

        if (_faults.Has("dead"))
        {
            cmd = d.SafeValue;
        }

        cmd = Math.Clamp(cmd, d.Min, d.Max);
        double maxStep = d.RateLimitPerS * dtS;
        _target += Math.Clamp(cmd - _target, -maxStep, maxStep);
        _applied = d.LagS > 0 ? _applied + (_target - _applied) * (1.0 - Math.Exp(-dtS / d.LagS)) : _target;

        double outValue = _applied;
        if (_faults.TryGet("offset", out ActiveFault off))
        {
            outValue += off.Parameters[0];
        }

        if (_faults.TryGet("stuck", out ActiveFault stuck))
        {
            outValue = stuck.Parameters[0];
        }

        _output.Value = outValue;
    }
}
