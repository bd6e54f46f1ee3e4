using Tfb.Plant.Core;

namespace Tfb.Plant.Models;

/// <summary>
/// An incremental encoder on a roller as a capture-timer peripheral reports it: edges of a quantised angle, the
/// mean period between edges and the time since the last edge, both in microseconds.
/// </summary>
/// <remarks>
/// <para>Reads the encoder sensor (<c>web.&lt;roller&gt;.encoder</c>, rad; NaN or invalid while it drops out:
/// no edges then). Counts = floor(angle * CountsPerRev / 2 pi). Edge times inside a plant step are interpolated
/// linearly (a capture unit timestamps each edge; the step is short against any change of speed).</para>
/// <para>Outputs: <c>encPeriodUs</c> = (time of the newest edge - time of the newest edge of the previous report)
/// / edges between them, held until new edges arrive; <c>encAgeUs</c> = time since the newest edge. Both
/// saturate at <see cref="MaxUs"/> (a 24-bit microsecond timer). At 3 mm/min a 100 mm roller at 10 000 counts
/// per revolution gives an edge every 1.25 s, so period, not count per gate, carries the speed.</para>
/// </remarks>
public sealed class WebEncoderInterface : IPlantComponent
{
    /// <summary>Saturation of the capture timer, us (2^24 - 1).</summary>
    public const double MaxUs = 16777215;

    private readonly SignalRef _angle;
    private readonly SignalRef _period;
    private readonly SignalRef _age;
    private readonly SignalRef _count;
    private bool _hasAngle;
    private double _lastAngle;
    private double _lastEdgeS = double.NaN;
    private double _periodUs = MaxUs;

    /// <summary>Registers <c>&lt;roller&gt;.encPeriodUs</c>, <c>.encAgeUs</c>, <c>.encCount</c>.</summary>
    public WebEncoderInterface(VirtualPlant plant, string rollerPrefix, int countsPerRev)
    {
        if (countsPerRev < 1) throw new ArgumentException("counts per revolution must be positive");
        Name = rollerPrefix + ".encoderInterface";
        CountsPerRev = countsPerRev;
        _angle = plant.Bus.Get(rollerPrefix + ".encoder");
        _period = plant.Bus.Register(rollerPrefix + ".encPeriodUs", MaxUs);
        _age = plant.Bus.Register(rollerPrefix + ".encAgeUs", MaxUs);
        _count = plant.Bus.Register(rollerPrefix + ".encCount");
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Edges per revolution (after any x4 decoding).</summary>
    public int CountsPerRev { get; }

    /// <inheritdoc />
    public PlantPhase Phase => PlantPhase.Sensors;

    /// <inheritdoc />
    public void Step(double timeS, double dtS)
    {
        double endS = timeS + dtS;
        bool ok = _angle.TryRead(out double a) && double.IsFinite(a);
        if (ok && _hasAngle)
        {
            double scale = CountsPerRev / (2.0 * Math.PI);
            double c0 = Math.Floor(_lastAngle * scale);
            double c1 = Math.Floor(a * scale);
            double edges = Math.Abs(c1 - c0);
            if (edges > 0)
            {
                // Newest edge: the boundary nearest the new angle, crossed at a linearly interpolated time.
                double boundary = a >= _lastAngle ? c1 : c1 + 1;
                double frac = (boundary / scale - _lastAngle) / (a - _lastAngle);
                double edgeS = timeS + Math.Clamp(frac, 0.0, 1.0) * dtS;
                if (!double.IsNaN(_lastEdgeS))
                {
                    _periodUs = Math.Min(MaxUs, (edgeS - _lastEdgeS) * 1e6 / edges);
                }

                _lastEdgeS = edgeS;
                _count.Value = c1;
            }
        }

        if (ok)
        {
            _lastAngle = a;
            _hasAngle = true;
        }
        else
        {
            // Dropout: no edges; when pulses return the angle jump is not counted as edges.
            _hasAngle = false;
        }

        _period.Value = _periodUs;
        _age.Value = double.IsNaN(_lastEdgeS) ? MaxUs : Math.Min(MaxUs, (endS - _lastEdgeS) * 1e6);
    }
}
