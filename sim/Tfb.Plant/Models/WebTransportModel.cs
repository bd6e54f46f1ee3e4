using Tfb.Plant.Core;
using Tfb.Plant.Faults;

namespace Tfb.Plant.Models;

/// <summary>
/// Roll-to-roll web transport: driven rollers and rolls joined by elastic spans, in strain form.
/// </summary>
/// <remarks>
/// <para>Span i between rollers i-1 and i, length L_i (T_0 is the wound-in tension of the unwind roll):
/// <c>dT_i/dt = (E*A/L_i)*(v_i - v_{i-1}) + (1/L_i)*(v_{i-1}*T_{i-1} - v_i*T_i)</c>, T_i &gt;= 0 (a slack web
/// carries no compression). Reported tension adds damping D*(v_i - v_{i-1}).</para>
/// <para>Torque-driven roller: <c>J(R)*dw/dt = R*(T_out - T_in) + u - b*w - Fc*sign(w)</c>, v = R*w;
/// the unwind has no T_in, the rewind no T_out. Speed-driven roller: w = v_ref / R (the drive's inner loop).</para>
/// <para>Rolls: <c>dR/dt = -/+ t*v/(2*pi*R)</c>; <c>J(R) = J_motor + J_core + (pi*rho*W/2)*(R^4 - Rc^4)</c>.
/// Out-of-round: effective radius <c>R*(1 + e*sin(theta))</c>.</para>
/// <para>Integration: semi-implicit Euler (speeds first, then tensions with the new speeds) over substeps
/// no longer than <see cref="WebTransportConfig.MaxSubstepS"/>; the roll-web spring of an empty core
/// rings near 400 rad/s, so 100 us keeps omega*h well under 0.1.</para>
/// <para>Inputs: <c>&lt;name&gt;.&lt;roller&gt;.torqueNm</c> (torque mode) or <c>.speedRefMps</c> (speed mode).
/// Outputs per roller: <c>.speedMps</c>, <c>.omegaRadps</c>, <c>.angleRad</c>, <c>.radiusM</c>, <c>.inertiaKgm2</c>;
/// per span: <c>.tensionN</c>. Fault targets: each span (<c>break</c>), each roller (<c>drag</c>, and
/// <c>outofround</c> on rolls).</para>
/// </remarks>
public sealed class WebTransportModel : IPlantComponent, IFaultTargetProvider
{
    private readonly WebTransportConfig _config;
    private readonly Roller[] _rollers;
    private readonly Span[] _spans;
    private readonly double _stiffnessN;
    private readonly double _rollInertiaFactor;

    /// <summary>Builds the model and registers its signals on the plant's bus.</summary>
    /// <exception cref="ArgumentException">Inconsistent configuration.</exception>
    public WebTransportModel(VirtualPlant plant, WebTransportConfig config)
    {
        _config = config;
        if (config.Rollers.Count < 2 || config.Spans.Count != config.Rollers.Count - 1)
        {
            throw new ArgumentException("a web line needs at least two rollers and exactly one span fewer than rollers");
        }

        if (!(config.MaxSubstepS > 0) || !(config.Web.StiffnessN > 0) || !(config.RollBuildScale > 0))
        {
            throw new ArgumentException("web stiffness, substep and roll build scale must be positive");
        }

        _stiffnessN = config.Web.StiffnessN;
        _rollInertiaFactor = Math.PI * config.Web.DensityKgPerM3 * config.Web.WidthM / 2.0;
        _rollers = config.Rollers.Select(r => new Roller(this, plant, r)).ToArray();
        _spans = config.Spans.Select(s => new Span(this, plant, s)).ToArray();
        if (_rollers.Select(r => r.Config.Name).Concat(_spans.Select(s => s.Config.Name)).Distinct().Count() != _rollers.Length + _spans.Length)
        {
            throw new ArgumentException("roller and span names must be unique");
        }

        for (int i = 1; i < _rollers.Length - 1; i++)
        {
            if (_rollers[i].Config.Kind != RollerKind.Driven)
            {
                throw new ArgumentException("only the first roller can be an unwind and only the last a rewind");
            }
        }

        foreach (Roller r in _rollers)
        {
            r.Publish(0);
        }

        foreach (Span s in _spans)
        {
            s.Publish(0);
        }
    }

    /// <inheritdoc />
    public string Name => _config.Name;

    /// <inheritdoc />
    public PlantPhase Phase => PlantPhase.Models;

    /// <summary>The configuration.</summary>
    public WebTransportConfig Config => _config;

    /// <inheritdoc />
    public IEnumerable<IFaultTarget> FaultTargets => _rollers.Cast<IFaultTarget>().Concat(_spans);

    /// <summary>Roll inertia for an outer radius: J_motor + J_core + (pi*rho*W/2)*(R^4 - Rc^4), kg m2.</summary>
    public double InertiaAt(RollerConfig roller, double radiusM)
    {
        double j = roller.MotorInertiaKgM2 + roller.CoreInertiaKgM2;
        if (roller.Kind != RollerKind.Driven)
        {
            double rc = roller.CoreRadiusM;
            j += _rollInertiaFactor * (Math.Pow(radiusM, 4) - Math.Pow(rc, 4));
        }

        return j;
    }

    /// <inheritdoc />
    public void Step(double timeS, double dtS)
    {
        int n = Math.Max(1, (int)Math.Ceiling(dtS / _config.MaxSubstepS - 1e-9));
        double h = dtS / n;
        foreach (Roller r in _rollers)
        {
            r.LatchInput();
        }

        for (int k = 0; k < n; k++)
        {
            Substep(h);

            // A line at rest (nothing turning, forces within static friction) maps its state onto
            // itself; the model is time-invariant within a step, so the remaining substeps would too.
            if (k == 0 && IsAtRest())
            {
                break;
            }
        }

        foreach (Roller r in _rollers)
        {
            r.Publish(dtS);
        }

        for (int i = 0; i < _spans.Length; i++)
        {
            _spans[i].Publish(_rollers[i + 1].SurfaceSpeed - _rollers[i].SurfaceSpeed);
        }
    }

    private bool IsAtRest()
    {
        foreach (Roller r in _rollers)
        {
            if (!r.IsStill)
            {
                return false;
            }
        }

        foreach (Span sp in _spans)
        {
            if (!sp.IsSteady)
            {
                return false;
            }
        }

        return true;
    }

    private void Substep(double h)
    {
        // Speeds first, from the tensions at the start of the substep (reported tensions include damping).
        for (int k = 0; k < _rollers.Length; k++)
        {
            double tIn = k > 0 ? _spans[k - 1].Reported(_rollers[k].SurfaceSpeed - _rollers[k - 1].SurfaceSpeed) : 0.0;
            double tOut = k < _spans.Length ? _spans[k].Reported(_rollers[k + 1].SurfaceSpeed - _rollers[k].SurfaceSpeed) : 0.0;
            _rollers[k].AdvanceSpeed(tIn, tOut, h);
        }

        // Tensions with the new speeds (semi-implicit), upstream first so T_{i-1} is this substep's value.
        double upstreamTension = _config.WoundInTensionN;
        for (int i = 0; i < _spans.Length; i++)
        {
            _spans[i].Advance(_rollers[i].SurfaceSpeed, _rollers[i + 1].SurfaceSpeed, upstreamTension, h);
            upstreamTension = _spans[i].TensionN;
        }

        foreach (Roller r in _rollers)
        {
            r.AdvanceGeometry(h);
        }
    }

    private sealed class Roller : IFaultTarget
    {
        private static readonly FaultDescriptor[] s_rollFaults =
        {
            new("drag", 1, 1, "<Nm>", "bearing drag step: extra Coulomb friction torque, N m (torque-driven rollers)"),
            new("outofround", 1, 1, "<e>", "out-of-round roll: effective radius R*(1 + e*sin(theta)), e a fraction (e.g. 0.001)"),
        };

        private static readonly FaultDescriptor[] s_rollerFaults = { s_rollFaults[0] };

        private readonly WebTransportModel _owner;
        private readonly ActiveFaultSet _faults = new();
        private readonly SignalRef _input;
        private readonly SignalRef _speed;
        private readonly SignalRef _omega;
        private readonly SignalRef _angle;
        private readonly SignalRef _radius;
        private readonly SignalRef _inertia;
        private double _inputValue;
        private double _radiusM;
        private double _omegaRadps;
        private double _angleRad;

        public Roller(WebTransportModel owner, VirtualPlant plant, RollerConfig config)
        {
            _owner = owner;
            Config = config;
            if (!(config.RadiusM > 0) || (config.Kind != RollerKind.Driven && !(config.CoreRadiusM > 0 && config.CoreRadiusM <= config.RadiusM)))
            {
                throw new ArgumentException($"roller '{config.Name}': radius must be positive and a roll's core no larger than the roll");
            }

            string p = owner._config.Name + "." + config.Name + ".";
            Name = owner._config.Name + "." + config.Name;
            _input = config.Mode == DriveMode.Torque
                ? plant.Bus.Register(p + "torqueNm")
                : plant.Bus.Register(p + "speedRefMps", owner._config.InitialSpeedMps);
            _speed = plant.Bus.Register(p + "speedMps");
            _omega = plant.Bus.Register(p + "omegaRadps");
            _angle = plant.Bus.Register(p + "angleRad");
            _radius = plant.Bus.Register(p + "radiusM");
            _inertia = plant.Bus.Register(p + "inertiaKgm2");
            _radiusM = config.RadiusM;
            _omegaRadps = owner._config.InitialSpeedMps / config.RadiusM;
        }

        public RollerConfig Config { get; }

        public string Name { get; }

        public IReadOnlyList<FaultDescriptor> SupportedFaults => Config.Kind == RollerKind.Driven ? s_rollerFaults : s_rollFaults;

        public IReadOnlyCollection<string> ActiveFaults => _faults.Names;

        public double SurfaceSpeed => EffectiveRadius * _omegaRadps;

        private double EffectiveRadius =>
            _faults.TryGet("outofround", out ActiveFault f) ? _radiusM * (1.0 + f.Parameters[0] * Math.Sin(_angleRad)) : _radiusM;

        public void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS) => _faults.Set(fault, parameters, timeS);

        public void ClearFaults() => _faults.Clear();

        public void LatchInput()
        {
            // A NaN input is passed on as a frozen drive (no torque, speed held): the actuator in
            // front of the model already replaces invalid commands with its safe value.
            double v = _input.Value;
            _inputValue = double.IsFinite(v) ? v : (Config.Mode == DriveMode.Torque ? 0.0 : _inputValue);
        }

        /// <summary>True when the roller stood still through the last substep.</summary>
        public bool IsStill { get; private set; }

        public void AdvanceSpeed(double tensionInN, double tensionOutN, double h)
        {
            double before = _omegaRadps;
            AdvanceSpeedCore(tensionInN, tensionOutN, h);
            IsStill = before == 0.0 && _omegaRadps == 0.0;
        }

        private void AdvanceSpeedCore(double tensionInN, double tensionOutN, double h)
        {
            if (Config.Mode == DriveMode.Speed)
            {
                _omegaRadps = _inputValue / _radiusM;
                return;
            }

            double fc = Config.CoulombNm + (_faults.TryGet("drag", out ActiveFault drag) ? drag.Parameters[0] : 0.0);
            double drive = EffectiveRadius * (tensionOutN - tensionInN) + _inputValue - Config.ViscousNmsPerRad * _omegaRadps;
            double j = _owner.InertiaAt(Config, _radiusM);
            if (_omegaRadps == 0.0 && Math.Abs(drive) <= fc)
            {
                return; // static friction holds
            }

            double friction = _omegaRadps != 0.0 ? fc * Math.Sign(_omegaRadps) : fc * Math.Sign(drive);
            double next = _omegaRadps + (drive - friction) * h / j;

            // Coulomb friction stops a roller; it never reverses it.
            if (_omegaRadps != 0.0 && Math.Sign(next) != Math.Sign(_omegaRadps) && Math.Abs(drive) <= fc)
            {
                next = 0.0;
            }

            _omegaRadps = next;
        }

        public void AdvanceGeometry(double h)
        {
            double v = SurfaceSpeed;
            _angleRad += _omegaRadps * h;
            if (Config.Kind == RollerKind.Driven)
            {
                return;
            }

            double dr = _owner._config.Web.ThicknessM * _owner._config.RollBuildScale * v / (2.0 * Math.PI * _radiusM) * h;
            _radiusM += Config.Kind == RollerKind.Unwind ? -dr : dr;
            _radiusM = Math.Max(_radiusM, Config.CoreRadiusM);
        }

        public void Publish(double dtS)
        {
            _speed.Value = SurfaceSpeed;
            _omega.Value = _omegaRadps;
            _angle.Value = _angleRad;
            _radius.Value = _radiusM;
            _inertia.Value = _owner.InertiaAt(Config, _radiusM);
        }
    }

    private sealed class Span : IFaultTarget
    {
        private static readonly FaultDescriptor[] s_faults =
        {
            new("break", 0, 0, "", "web break: tension collapses to zero and stays there until cleared (re-threaded, slack)"),
            new("thermalstep", 1, 1, "<K>", "the span runs hotter by the given temperature: tension falls by E*A*alpha*dT (hot span)"),
        };

        private readonly WebTransportModel _owner;
        private readonly ActiveFaultSet _faults = new();
        private readonly SignalRef _tension;

        public Span(WebTransportModel owner, VirtualPlant plant, SpanConfig config)
        {
            _owner = owner;
            Config = config;
            if (!(config.LengthM > 0) || !(config.InitialTensionN >= 0) || !(config.DampingNsPerM >= 0))
            {
                throw new ArgumentException($"span '{config.Name}': length must be positive, tension and damping not negative");
            }

            Name = owner._config.Name + "." + config.Name;
            _tension = plant.Bus.Register(Name + ".tensionN", config.InitialTensionN);
            TensionN = config.InitialTensionN;
        }

        public SpanConfig Config { get; }

        public string Name { get; }

        public double TensionN { get; private set; }

        public IReadOnlyList<FaultDescriptor> SupportedFaults => s_faults;

        public IReadOnlyCollection<string> ActiveFaults => _faults.Names;

        public void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS)
        {
            _faults.Set(fault, parameters, timeS);
            if (fault == "break")
            {
                TensionN = 0.0;
            }
        }

        public void ClearFaults()
        {
            if (_faults.Has("break"))
            {
                TensionN = 0.0; // re-threaded: starts slack
            }

            _faults.Clear();
        }

        public double Reported(double stretchRateMps)
        {
            if (_faults.Has("break"))
            {
                return 0.0;
            }

            // Hot span: T = E*A*(strain - alpha*dTemp). The state keeps the total strain the web carries
            // on; the free thermal strain only relieves the force while the web is in this span.
            double thermalN = _faults.TryGet("thermalstep", out ActiveFault hot)
                ? _owner._stiffnessN * _owner._config.Web.ThermalExpansionPerK * hot.Parameters[0]
                : 0.0;
            return Math.Max(0.0, TensionN - thermalN + Config.DampingNsPerM * stretchRateMps);
        }

        /// <summary>True when the tension did not change in the last substep.</summary>
        public bool IsSteady { get; private set; }

        public void Advance(double vInMps, double vOutMps, double upstreamTensionN, double h)
        {
            double before = TensionN;
            if (_faults.Has("break"))
            {
                TensionN = 0.0;
            }
            else
            {
                double l = Config.LengthM;
                double dT = (_owner._stiffnessN / l) * (vOutMps - vInMps) + (vInMps * upstreamTensionN - vOutMps * TensionN) / l;
                TensionN = Math.Max(0.0, TensionN + dT * h);
            }

            IsSteady = TensionN == before;
        }

        public void Publish(double stretchRateMps) => _tension.Value = Reported(stretchRateMps);
    }
}
