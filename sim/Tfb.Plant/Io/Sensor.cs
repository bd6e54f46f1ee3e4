using Tfb.Plant.Core;
using Tfb.Plant.Faults;

namespace Tfb.Plant.Io;

/// <summary>What a sensor reads when its wiring is open or shorted.</summary>
public enum SensorRail
{
    /// <summary>The top of the range (a thermocouple with up-scale burn-out, a pulled-up input).</summary>
    High,

    /// <summary>The bottom of the range.</summary>
    Low,

    /// <summary>Not a number (a digital sensor reporting a fault code).</summary>
    NaN,
}

/// <summary>A sensor: which plant signal it measures and how its reading departs from the truth.</summary>
/// <remarks>
/// Reading = quantise(clamp(gain * lag(source) + offset + noise)). The output signal is named
/// <see cref="Name"/> and is in the unit of the source; the virtual HAL returns TryRead = false
/// when the output is invalid, NaN or at a rail, as a real adapter does.
/// </remarks>
public sealed record SensorDefinition
{
    /// <summary>Sensor name and output signal name, e.g. <c>web.span1.loadcell</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The plant signal measured, e.g. <c>web.span1.tensionN</c>.</summary>
    public required string Source { get; init; }

    /// <summary>Bottom of the measuring range (rail), source units.</summary>
    public double RangeMin { get; init; } = double.NegativeInfinity;

    /// <summary>Top of the measuring range (rail), source units.</summary>
    public double RangeMax { get; init; } = double.PositiveInfinity;

    /// <summary>Converter resolution over the range; 0 = not quantised. Needs a finite range.</summary>
    public int AdcBits { get; init; }

    /// <summary>Gain error (1 = exact).</summary>
    public double Gain { get; init; } = 1.0;

    /// <summary>Offset, source units.</summary>
    public double Offset { get; init; }

    /// <summary>White gaussian noise standard deviation, source units.</summary>
    public double NoiseStd { get; init; }

    /// <summary>First-order lag time constant, s (0 = none).</summary>
    public double LagS { get; init; }

    /// <summary>Reading with an open circuit.</summary>
    public SensorRail OpenReads { get; init; } = SensorRail.High;

    /// <summary>Reading with a short circuit.</summary>
    public SensorRail ShortReads { get; init; } = SensorRail.Low;
}

/// <summary>
/// A simulated sensor with faults: <c>stuck [value]</c>, <c>open</c>, <c>short</c>, <c>drift rate/s</c>,
/// <c>noisy std</c>, <c>offset value</c>, <c>nan</c>, <c>dropout [probability]</c>.
/// </summary>
public sealed class Sensor : IPlantComponent, IFaultTarget
{
    private static readonly FaultDescriptor[] s_faults =
    {
        new("stuck", 0, 1, "[value]", "reading freezes at the last value, or at the value given"),
        new("open", 0, 0, "", "open circuit: reads the definition's open rail (high, low or NaN)"),
        new("short", 0, 0, "", "short circuit: reads the definition's short rail"),
        new("drift", 1, 1, "<rate per s>", "offset grows linearly from injection time, source units per second"),
        new("noisy", 1, 1, "<std>", "extra gaussian noise, source units"),
        new("offset", 1, 1, "<value>", "extra constant offset, source units"),
        new("nan", 0, 0, "", "reads NaN (still flagged valid: the converter returned garbage)"),
        new("dropout", 0, 1, "[probability]", "reads fail (valid = false, value NaN) with the given probability per step, default 1"),
    };

    private readonly SignalRef _source;
    private readonly SignalRef _output;
    private readonly PlantRandom _random;
    private readonly ActiveFaultSet _faults = new();
    private double _lagged;
    private bool _started;
    private double _lastOutput = double.NaN;

    /// <summary>Creates the sensor; its source signal must exist, its output signal is registered.</summary>
    /// <exception cref="ArgumentException">Invalid definition.</exception>
    public Sensor(VirtualPlant plant, SensorDefinition definition)
    {
        Definition = definition;
        if (!(definition.RangeMin < definition.RangeMax))
        {
            throw new ArgumentException($"sensor '{definition.Name}': range min must be below max");
        }

        if (definition.AdcBits < 0 || definition.AdcBits > 32 ||
            (definition.AdcBits > 0 && !(double.IsFinite(definition.RangeMin) && double.IsFinite(definition.RangeMax))))
        {
            throw new ArgumentException($"sensor '{definition.Name}': ADC bits 0..32, and quantisation needs a finite range");
        }

        if (!(definition.NoiseStd >= 0 && definition.LagS >= 0))
        {
            throw new ArgumentException($"sensor '{definition.Name}': noise and lag must not be negative");
        }

        _source = plant.Bus.Get(definition.Source);
        _output = plant.Bus.Register(definition.Name, double.NaN);
        _random = plant.CreateRandom(definition.Name);
    }

    /// <summary>The definition.</summary>
    public SensorDefinition Definition { get; }

    /// <inheritdoc />
    public string Name => Definition.Name;

    /// <inheritdoc />
    public PlantPhase Phase => PlantPhase.Sensors;

    /// <summary>The output signal (reading plus valid flag).</summary>
    public SignalRef Output => _output;

    /// <inheritdoc />
    public IReadOnlyList<FaultDescriptor> SupportedFaults => s_faults;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ActiveFaults => _faults.Names;

    /// <inheritdoc />
    public void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS)
    {
        if (fault == "stuck" && parameters.Count == 0)
        {
            // Freeze at what the reader saw last.
            _faults.Set(fault, new[] { _lastOutput }, timeS);
            return;
        }

        _faults.Set(fault, parameters, timeS);
    }

    /// <inheritdoc />
    public void ClearFaults() => _faults.Clear();

    /// <inheritdoc />
    public void Step(double timeS, double dtS)
    {
        SensorDefinition d = Definition;
        double truth = _source.Value;
        if (!_started || !double.IsFinite(_lagged))
        {
            _lagged = truth;
            _started = true;
        }
        else if (d.LagS > 0)
        {
            _lagged += (truth - _lagged) * (1.0 - Math.Exp(-dtS / d.LagS));
        }
        else
        {
            _lagged = truth;
        }

        double endS = timeS + dtS;
        double v = d.Gain * _lagged + d.Offset;
        if (d.NoiseStd > 0)
        {
            v += d.NoiseStd * _random.NextGaussian();
        }

        if (_faults.TryGet("drift", out ActiveFault drift))
        {
            v += drift.Parameters[0] * (endS - drift.StartS);
        }

        if (_faults.TryGet("offset", out ActiveFault off))
        {
            v += off.Parameters[0];
        }

        if (_faults.TryGet("noisy", out ActiveFault noisy))
        {
            v += noisy.Parameters[0] * _random.NextGaussian();
        }

        v = Quantise(v);
        bool valid = true;
        if (_faults.TryGet("stuck", out ActiveFault stuck))
        {
            v = stuck.Parameters[0];
        }

        if (_faults.Has("short"))
        {
            v = Rail(d.ShortReads);
        }

        if (_faults.Has("open"))
        {
            v = Rail(d.OpenReads);
        }

        if (_faults.Has("nan"))
        {
            v = double.NaN;
        }

        if (_faults.TryGet("dropout", out ActiveFault dropout) && _random.Chance(ActiveFaultSet.Param(dropout, 0, 1.0)))
        {
            v = double.NaN;
            valid = false;
        }

        _output.Set(v, valid);
        if (valid)
        {
            _lastOutput = v;
        }
    }

    private double Quantise(double v)
    {
        SensorDefinition d = Definition;
        if (double.IsNaN(v))
        {
            return v;
        }

        v = Math.Clamp(v, d.RangeMin, d.RangeMax);
        if (d.AdcBits == 0)
        {
            return v;
        }

        double codes = Math.Pow(2, d.AdcBits) - 1;
        double lsb = (d.RangeMax - d.RangeMin) / codes;
        double code = Math.Round((v - d.RangeMin) / lsb, MidpointRounding.AwayFromZero);
        return d.RangeMin + Math.Clamp(code, 0, codes) * lsb;
    }

    private double Rail(SensorRail rail) => rail switch
    {
        SensorRail.High => Definition.RangeMax,
        SensorRail.Low => Definition.RangeMin,
        _ => double.NaN,
    };
}
