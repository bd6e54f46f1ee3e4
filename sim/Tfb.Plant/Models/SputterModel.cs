using Tfb.Plant.Core;
using Tfb.Plant.Faults;
using Tfb.Plant.Io;

namespace Tfb.Plant.Models;

/// <summary>Sputter chamber: volume, pumping, gas.</summary>
public sealed record ChamberConfig
{
    /// <summary>Chamber volume V, m3.</summary>
    public double VolumeM3 { get; init; } = 0.1;

    /// <summary>Effective pumping speed S, m3/s (200 L/s).</summary>
    public double PumpSpeedM3PerS { get; init; } = 0.2;

    /// <summary>Leak plus outgassing, Pa m3/s (gives the base pressure Q/S).</summary>
    public double BaseLeakPaM3PerS { get; init; } = 2e-5;

    /// <summary>Mass-flow controller time constant, s.</summary>
    public double MfcLagS { get; init; } = 1.0;

    /// <summary>Mass-flow controller full scale, sccm.</summary>
    public double MfcFullScaleSccm { get; init; } = 100;

    /// <summary>Lowest pressure a plasma strikes and holds at, Pa (1 mTorr).</summary>
    public double StrikeMinPa { get; init; } = 0.133;

    /// <summary>Highest pressure a plasma strikes and holds at, Pa (30 mTorr).</summary>
    public double StrikeMaxPa { get; init; } = 4.0;
}

/// <summary>One RF generator, matching network and cathode.</summary>
public sealed record RfCathodeConfig
{
    /// <summary>Name, e.g. <c>rf1</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Generator forward-power lag tau_gen, s (5-50 ms).</summary>
    public double GeneratorLagS { get; init; } = 0.02;

    /// <summary>Generator full scale, W.</summary>
    public double MaxPowerW { get; init; } = 300;

    /// <summary>Forward power needed to strike, W.</summary>
    public double StrikePowerW { get; init; } = 30;

    /// <summary>Reflection coefficient once the match has tuned.</summary>
    public double GammaTuned { get; init; } = 0.05;

    /// <summary>Extra reflection coefficient right after strike, decaying with <see cref="TuneTimeS"/>.</summary>
    public double GammaDetune { get; init; } = 0.6;

    /// <summary>Match tuning time constant tau_tune, s (0.5-3 s).</summary>
    public double TuneTimeS { get; init; } = 1.0;

    /// <summary>Reflection coefficient with RF on and no plasma (unmatched load).</summary>
    public double GammaNoPlasma { get; init; } = 0.9;

    /// <summary>Target area, cm2 (3 inch: 45.6 cm2).</summary>
    public double TargetAreaCm2 { get; init; } = 45.6;

    /// <summary>Arc rate at <see cref="ArcReferenceWPerCm2"/>, 1/s; the rate scales with the square of power density.</summary>
    public double ArcRatePerS { get; init; } = 0.01;

    /// <summary>Power density the arc rate is given at, W/cm2.</summary>
    public double ArcReferenceWPerCm2 { get; init; } = 3.0;

    /// <summary>Target-plus-backing-plate heat capacity, J/K.</summary>
    public double TargetCapacityJPerK { get; init; } = 800;

    /// <summary>Target-to-cooling-water thermal resistance, K/W.</summary>
    public double TargetToWaterKPerW { get; init; } = 0.05;

    /// <summary>Cooling water temperature, C.</summary>
    public double WaterTempC { get; init; } = 20;

    /// <summary>Nominal cooling-water flow, L/min (1 kW at 2 L/min warms the water by 5.4 K).</summary>
    public double WaterFlowLpm { get; init; } = 2.0;

    /// <summary>Flow below which the flow switch opens, L/min.</summary>
    public double WaterFlowSwitchLpm { get; init; } = 1.0;

    /// <summary>Shutter travel time, s.</summary>
    public double ShutterTravelS { get; init; } = 0.3;
}

/// <summary>
/// RF sputter station: one chamber and its cathodes. Chamber <c>V*dp/dt = Q_gas + Q_leak - S*p</c>,
/// MFC first order; generator <c>dP_fwd/dt = (P_cmd - P_fwd)/tau_gen</c> while RF is on; the plasma
/// strikes when P_fwd reaches the strike power inside the pressure window and goes out outside it;
/// reflection <c>Gamma = Gamma_tuned + Gamma_detune*exp(-(t - t_strike)/tau_tune)</c>,
/// <c>P_ref = Gamma^2 * P_fwd</c> (Gamma_no_plasma while unlit); arcs are a Poisson process with rate
/// <c>rate_ref * (P_del/A / density_ref)^2</c>, each one a step with full reflection; target
/// <c>C*dT/dt = 0.75*P_del - (T - T_water)/R</c>.
/// </summary>
/// <remarks>
/// Inputs: <c>&lt;name&gt;.chamber.flowCmdSccm</c>, per cathode <c>.rfOnCmd</c> (&gt;= 0.5 on) and
/// <c>.powerCmdW</c>. Outputs: <c>.chamber.flowSccm</c>, <c>.chamber.pressurePa</c>; per cathode
/// <c>.forwardW</c>, <c>.reflectedW</c>, <c>.deliveredW</c>, <c>.plasmaOn</c>, <c>.arcCount</c>,
/// <c>.targetTempC</c>. Fault targets: the chamber (<c>leak</c>, <c>pumpfail</c>) and each cathode
/// (<c>nostrike</c>, <c>detune</c>, <c>arcstorm</c>, <c>coolingloss</c>, <c>genloop</c>, <c>genovertemp</c>).
/// Arcs draw from the cathode's own generator, so they are reproducible per seed.
/// Hard-wired side (what the sputter board's interlock inputs see): door <c>sputter.door.closed</c>
/// (fault target <c>sputter.door</c>: <c>open</c>); per cathode the cooling water <c>.water.flowLpm</c>,
/// the flow switch <c>.water.flowOk</c> and the return temperature <c>.water.returnC</c>
/// (<c>T_in + 0.75*P_del/(m_dot*c_p)</c>), the generator's interlock loop and status bits
/// <c>.gen.interlockOk</c> (loop closed: door closed, own water flow, web permit <c>wire.web_ok</c>, no
/// <c>genloop</c> fault), <c>.gen.overtempOk</c>, <c>.gen.setpointReached</c>; the generator only makes power
/// while its loop is closed and it is not over temperature (the T0 chain, without firmware). DAC setpoints as
/// a fraction of full scale: <c>.setpointFraction</c> (adds to <c>.powerCmdW</c>). Shutter
/// <c>.shutterCmd</c> -> <c>.shutterOpen</c> (0..1 travel). Gas lines <c>sputter.gas.&lt;ar|o2|n2&gt;</c>:
/// <c>.valveCmd</c>, <c>.setpointFraction</c> (of the MFC full scale), <c>.flowSccm</c>; they add to the
/// chamber's direct <c>flowCmdSccm</c>.
/// </remarks>
public sealed class SputterModel : IPlantComponent, IFaultTargetProvider
{
    /// <summary>1 sccm in Pa m3/s (101325 Pa * 1e-6 m3 per 60 s).</summary>
    public const double PaM3PerSPerSccm = 101325e-6 / 60.0;

    /// <summary>Process gases, in the order of their <c>sputter.gas.&lt;gas&gt;</c> lines.</summary>
    public static readonly string[] Gases = { "ar", "o2", "n2" };

    private readonly ChamberTarget _chamber;
    private readonly Cathode[] _cathodes;
    private readonly DoorTarget _door;
    private readonly SignalRef _webOk;

    /// <summary>Builds the station and registers its signals.</summary>
    public SputterModel(VirtualPlant plant, string name, ChamberConfig chamber, IReadOnlyList<RfCathodeConfig> cathodes)
    {
        Name = name;
        if (cathodes.Count == 0 || cathodes.Select(c => c.Name).Distinct().Count() != cathodes.Count || cathodes.Any(c => c.Name == "chamber"))
        {
            throw new ArgumentException("a sputter station needs uniquely named cathodes (not 'chamber')");
        }

        _chamber = new ChamberTarget(plant, name + ".chamber", name + ".gas", chamber);
        _cathodes = cathodes.Select(c => new Cathode(plant, name + "." + c.Name, c)).ToArray();
        _door = new DoorTarget(plant, name + ".door");
        // The hard-wired permit from the web board: a wire the web board's output drives (de-energized at rest).
        _webOk = plant.Bus.Register("wire.web_ok", 0);
    }

    /// <summary>
    /// The default two-cathode station, <c>sputter.rf1</c> (LiCoO2) and <c>sputter.rf2</c> (Li3PO4), with
    /// readbacks: per cathode <c>.forwardReadback</c> and <c>.reflectedReadback</c> (W, 0..full scale,
    /// 12-bit, as the generator's 0-10 V analog outputs scale), and a chamber gauge
    /// <c>sputter.chamber.gauge</c> (Pa, 0..13.3 Pa capacitance manometer, 16-bit, 1 mPa noise).
    /// </summary>
    public static SputterModel AddStation(VirtualPlant plant)
    {
        var cathodes = new[] { new RfCathodeConfig { Name = "rf1" }, new RfCathodeConfig { Name = "rf2" } };
        SputterModel model = plant.Add(new SputterModel(plant, "sputter", new ChamberConfig(), cathodes));
        foreach (RfCathodeConfig c in cathodes)
        {
            string p = "sputter." + c.Name;
            plant.Add(new Sensor(plant, new SensorDefinition { Name = p + ".forwardReadback", Source = p + ".forwardW", RangeMin = 0, RangeMax = c.MaxPowerW, AdcBits = 12, NoiseStd = 0.2 }));
            plant.Add(new Sensor(plant, new SensorDefinition { Name = p + ".reflectedReadback", Source = p + ".reflectedW", RangeMin = 0, RangeMax = c.MaxPowerW, AdcBits = 12, NoiseStd = 0.2 }));
        }

        plant.Add(new Sensor(plant, new SensorDefinition
        {
            Name = "sputter.chamber.gauge",
            Source = "sputter.chamber.pressurePa",
            RangeMin = 0,
            RangeMax = 13.3,
            AdcBits = 16,
            NoiseStd = 0.001,
        }));
        return model;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public PlantPhase Phase => PlantPhase.Models;

    /// <inheritdoc />
    public IEnumerable<IFaultTarget> FaultTargets => new IFaultTarget[] { _chamber, _door }.Concat(_chamber.GasTargets).Concat(_cathodes);

    /// <inheritdoc />
    public void Step(double timeS, double dtS)
    {
        _chamber.Step(dtS);
        bool door = _door.Step();
        bool web = _webOk.TryRead(out double w) && w >= 0.5;
        foreach (Cathode c in _cathodes)
        {
            c.Step(timeS, dtS, _chamber.PressurePa, _chamber.Config, door && web);
        }
    }

    private sealed class DoorTarget : IFaultTarget
    {
        private static readonly FaultDescriptor[] s_faults =
        {
            new("open", 0, 0, "", "chamber door or lid opened (its switch opens)"),
        };

        private readonly ActiveFaultSet _faults = new();
        private readonly SignalRef _closed;

        public DoorTarget(VirtualPlant plant, string name)
        {
            Name = name;
            _closed = plant.Bus.Register(name + ".closed", 1);
        }

        public string Name { get; }

        public IReadOnlyList<FaultDescriptor> SupportedFaults => s_faults;

        public IReadOnlyCollection<string> ActiveFaults => _faults.Names;

        public void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS) => _faults.Set(fault, parameters, timeS);

        public void ClearFaults() => _faults.Clear();

        public bool Step()
        {
            bool closed = !_faults.Has("open");
            _closed.Value = closed ? 1 : 0;
            return closed;
        }
    }

    private sealed class ChamberTarget : IFaultTarget
    {
        private static readonly FaultDescriptor[] s_faults =
        {
            new("leak", 1, 1, "<Pa m3/s>", "air leak (a vent, a seal): extra gas load"),
            new("pumpfail", 0, 0, "", "pump stops: speed falls to 1 % (the valve still conducts to the backing line)"),
            new("throttleopen", 0, 0, "", "throttle valve fails fully open: pumping speed x5 (pressure falls below the window)"),
        };

        private readonly ActiveFaultSet _faults = new();
        private readonly SignalRef _flowCmd;
        private readonly SignalRef _flow;
        private readonly SignalRef _pressure;
        private readonly SignalRef[] _valve;
        private readonly SignalRef[] _setpoint;
        private readonly SignalRef[] _gasFlow;
        private readonly double[] _gasSccm;
        private readonly GasLineTarget[] _gasTargets;
        private double _flowSccm;

        public ChamberTarget(VirtualPlant plant, string name, string gasPrefix, ChamberConfig config)
        {
            if (!(config.VolumeM3 > 0 && config.PumpSpeedM3PerS > 0 && config.BaseLeakPaM3PerS >= 0 && config.MfcLagS > 0 && config.StrikeMinPa < config.StrikeMaxPa))
            {
                throw new ArgumentException("chamber: volume, pump speed and MFC lag must be positive and the strike window ordered");
            }

            Name = name;
            Config = config;
            PressurePa = config.BaseLeakPaM3PerS / config.PumpSpeedM3PerS;
            _flowCmd = plant.Bus.Register(name + ".flowCmdSccm", 0);
            _flow = plant.Bus.Register(name + ".flowSccm", 0);
            _pressure = plant.Bus.Register(name + ".pressurePa", PressurePa);
            _valve = new SignalRef[Gases.Length];
            _setpoint = new SignalRef[Gases.Length];
            _gasFlow = new SignalRef[Gases.Length];
            _gasSccm = new double[Gases.Length];
            for (int i = 0; i < Gases.Length; i++)
            {
                string g = gasPrefix + "." + Gases[i];
                _valve[i] = plant.Bus.Register(g + ".valveCmd", 0);
                _setpoint[i] = plant.Bus.Register(g + ".setpointFraction", 0);
                _gasFlow[i] = plant.Bus.Register(g + ".flowSccm", 0);
            }

            _gasTargets = Gases.Select(g => new GasLineTarget(gasPrefix + "." + g)).ToArray();
        }

        public IEnumerable<IFaultTarget> GasTargets => _gasTargets;

        public string Name { get; }

        public ChamberConfig Config { get; }

        public double PressurePa { get; private set; }

        public IReadOnlyList<FaultDescriptor> SupportedFaults => s_faults;

        public IReadOnlyCollection<string> ActiveFaults => _faults.Names;

        public void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS) => _faults.Set(fault, parameters, timeS);

        public void ClearFaults() => _faults.Clear();

        public void Step(double dtS)
        {
            double cmd = _flowCmd.Value;
            cmd = double.IsFinite(cmd) ? Math.Clamp(cmd, 0, Config.MfcFullScaleSccm) : 0;
            double k = 1 - Math.Exp(-dtS / Config.MfcLagS);
            _flowSccm += (cmd - _flowSccm) * k;
            double total = _flowSccm;
            for (int i = 0; i < _gasSccm.Length; i++)
            {
                // A closed shut-off valve upstream of the MFC stops the flow whatever the setpoint says.
                double f = _setpoint[i].Value;
                double gasCmd = _valve[i].Value >= 0.5 && double.IsFinite(f) ? Math.Clamp(f, 0, 1) * Config.MfcFullScaleSccm : 0;
                gasCmd *= _gasTargets[i].FlowFactor;
                _gasSccm[i] += (gasCmd - _gasSccm[i]) * k;
                _gasFlow[i].Value = _gasSccm[i];
                total += _gasSccm[i];
            }

            double q = total * PaM3PerSPerSccm + Config.BaseLeakPaM3PerS +
                       (_faults.TryGet("leak", out ActiveFault leak) ? leak.Parameters[0] : 0);
            double s = Config.PumpSpeedM3PerS * (_faults.Has("pumpfail") ? 0.01 : 1.0) * (_faults.Has("throttleopen") ? 5.0 : 1.0);

            // Exact solution over the step for constant Q and S: p -> Q/S with time constant V/S.
            double pInf = q / s;
            PressurePa = pInf + (PressurePa - pInf) * Math.Exp(-dtS * s / Config.VolumeM3);
            _flow.Value = _flowSccm;
            _pressure.Value = PressurePa;
        }
    }

    private sealed class GasLineTarget(string name) : IFaultTarget
    {
        private static readonly FaultDescriptor[] s_faults =
        {
            new("blocked", 0, 0, "", "line blocked (clogged filter, empty cylinder): no flow whatever the MFC setpoint"),
            new("drift", 1, 1, "<factor>", "MFC delivers factor x setpoint (calibration drift)"),
        };

        private readonly ActiveFaultSet _faults = new();

        public string Name { get; } = name;

        public IReadOnlyList<FaultDescriptor> SupportedFaults => s_faults;

        public IReadOnlyCollection<string> ActiveFaults => _faults.Names;

        public double FlowFactor => _faults.Has("blocked") ? 0 : (_faults.TryGet("drift", out ActiveFault d) ? Math.Max(0, d.Parameters[0]) : 1);

        public void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS) => _faults.Set(fault, parameters, timeS);

        public void ClearFaults() => _faults.Clear();
    }

    private sealed class Cathode : IFaultTarget
    {
        private static readonly FaultDescriptor[] s_faults =
        {
            new("nostrike", 0, 0, "", "plasma never lights (dirty target, bad ignition)"),
            new("detune", 1, 1, "<gamma>", "match drifts: adds to the tuned reflection coefficient (0.33 gives about 11 % reflected)"),
            new("arcstorm", 1, 1, "<arcs per s>", "extra arc rate on top of the power-dependent rate"),
            new("coolingloss", 0, 0, "", "cooling water stops: flow 0, the flow switch opens, target-to-water resistance x20"),
            new("genloop", 0, 0, "", "the generator's own interlock loop opens (its status bit drops, it makes no power)"),
            new("genovertemp", 0, 0, "", "generator over temperature: status bit drops, no power"),
            new("chillerfail", 1, 1, "<K>", "cooling water arrives this much warmer (chiller failed): return temperature rises"),
        };

        // Water: density 1 kg/L, c_p 4186 J/(kg K).
        private const double WaterJPerKPerLpm = 4186.0 / 60.0;

        private readonly RfCathodeConfig _c;
        private readonly PlantRandom _random;
        private readonly ActiveFaultSet _faults = new();
        private readonly SignalRef _onCmd;
        private readonly SignalRef _powerCmd;
        private readonly SignalRef _forward;
        private readonly SignalRef _reflected;
        private readonly SignalRef _delivered;
        private readonly SignalRef _plasma;
        private readonly SignalRef _arcs;
        private readonly SignalRef _targetTemp;
        private readonly SignalRef _setpointFraction;
        private readonly SignalRef _flowLpm;
        private readonly SignalRef _flowOk;
        private readonly SignalRef _returnC;
        private readonly SignalRef _genLoop;
        private readonly SignalRef _genOvertemp;
        private readonly SignalRef _setpointReached;
        private readonly SignalRef _shutterCmd;
        private readonly SignalRef _shutterOpen;
        private double _shutter;
        private double _forwardW;
        private bool _lit;
        private double _strikeS;
        private long _arcCount;
        private double _targetC;

        public Cathode(VirtualPlant plant, string name, RfCathodeConfig c)
        {
            if (!(c.GeneratorLagS > 0 && c.MaxPowerW > 0 && c.TuneTimeS > 0 && c.TargetAreaCm2 > 0 && c.ArcRatePerS >= 0 &&
                  c.TargetCapacityJPerK > 0 && c.TargetToWaterKPerW > 0 && c.GammaTuned >= 0 && c.GammaTuned + c.GammaDetune <= 1 && c.GammaNoPlasma <= 1))
            {
                throw new ArgumentException($"cathode '{c.Name}': lags, power, area, capacity, resistance must be positive; reflection at most 1");
            }

            Name = name;
            _c = c;
            _random = plant.CreateRandom(name);
            _targetC = c.WaterTempC;
            _onCmd = plant.Bus.Register(name + ".rfOnCmd", 0);
            _powerCmd = plant.Bus.Register(name + ".powerCmdW", 0);
            _forward = plant.Bus.Register(name + ".forwardW", 0);
            _reflected = plant.Bus.Register(name + ".reflectedW", 0);
            _delivered = plant.Bus.Register(name + ".deliveredW", 0);
            _plasma = plant.Bus.Register(name + ".plasmaOn", 0);
            _arcs = plant.Bus.Register(name + ".arcCount", 0);
            _targetTemp = plant.Bus.Register(name + ".targetTempC", c.WaterTempC);
            _setpointFraction = plant.Bus.Register(name + ".setpointFraction", 0);
            _flowLpm = plant.Bus.Register(name + ".water.flowLpm", c.WaterFlowLpm);
            _flowOk = plant.Bus.Register(name + ".water.flowOk", 1);
            _returnC = plant.Bus.Register(name + ".water.returnC", c.WaterTempC);
            _genLoop = plant.Bus.Register(name + ".gen.interlockOk", 0);
            _genOvertemp = plant.Bus.Register(name + ".gen.overtempOk", 1);
            _setpointReached = plant.Bus.Register(name + ".gen.setpointReached", 0);
            _shutterCmd = plant.Bus.Register(name + ".shutterCmd", 0);
            _shutterOpen = plant.Bus.Register(name + ".shutterOpen", 0);
        }

        public string Name { get; }

        public IReadOnlyList<FaultDescriptor> SupportedFaults => s_faults;

        public IReadOnlyCollection<string> ActiveFaults => _faults.Names;

        public void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS) => _faults.Set(fault, parameters, timeS);

        public void ClearFaults() => _faults.Clear();

        public void Step(double timeS, double dtS, double pressurePa, ChamberConfig chamber, bool chainClosed)
        {
            bool cooling = !_faults.Has("coolingloss");
            double flow = cooling ? _c.WaterFlowLpm : 0;
            bool flowOk = flow >= _c.WaterFlowSwitchLpm;
            bool loop = chainClosed && flowOk && !_faults.Has("genloop");
            bool overtempOk = !_faults.Has("genovertemp");

            // The T0 chain: an open loop or an over-temperature generator makes no power, whatever the RF-on line says.
            bool on = _onCmd.Value >= 0.5 && loop && overtempOk;
            double cmd = _powerCmd.Value + _setpointFraction.Value * _c.MaxPowerW;
            cmd = on && double.IsFinite(cmd) ? Math.Clamp(cmd, 0, _c.MaxPowerW) : 0;
            _forwardW += (cmd - _forwardW) * (1 - Math.Exp(-dtS / _c.GeneratorLagS));
            double endS = timeS + dtS;

            bool inWindow = pressurePa >= chamber.StrikeMinPa && pressurePa <= chamber.StrikeMaxPa;
            if (!on || !inWindow || _faults.Has("nostrike"))
            {
                _lit = false;
            }
            else if (!_lit && _forwardW >= _c.StrikePowerW)
            {
                _lit = true;
                _strikeS = endS;
            }

            double gamma = _lit
                ? _c.GammaTuned + _c.GammaDetune * Math.Exp(-(endS - _strikeS) / _c.TuneTimeS)
                : (on ? _c.GammaNoPlasma : 0);
            if (_faults.TryGet("detune", out ActiveFault detune))
            {
                gamma = Math.Min(1.0, gamma + detune.Parameters[0]);
            }

            double reflected = gamma * gamma * _forwardW;
            if (_lit)
            {
                double density = (_forwardW - reflected) / _c.TargetAreaCm2 / _c.ArcReferenceWPerCm2;
                double rate = _c.ArcRatePerS * density * density +
                              (_faults.TryGet("arcstorm", out ActiveFault storm) ? storm.Parameters[0] : 0);
                if (rate > 0 && _random.NextDouble() < 1 - Math.Exp(-rate * dtS))
                {
                    _arcCount++;
                    reflected = _forwardW; // the arc shorts the load for this step
                }
            }

            double delivered = _lit ? _forwardW - reflected : 0;
            double r = _c.TargetToWaterKPerW * (cooling ? 1 : 20);
            double inletC = _c.WaterTempC + (_faults.TryGet("chillerfail", out ActiveFault chiller) ? chiller.Parameters[0] : 0);
            double toWaterW = (_targetC - inletC) / r;
            _targetC += (0.75 * delivered - toWaterW) / _c.TargetCapacityJPerK * dtS;

            // Return water: the heat taken from the target warms the flow (stagnant water: it follows the target).
            double returnC = flow > 0 ? inletC + Math.Max(0, toWaterW) / (flow * WaterJPerKPerLpm) : _targetC;
            double travel = dtS / _c.ShutterTravelS;
            _shutter = _shutterCmd.Value >= 0.5 ? Math.Min(1, _shutter + travel) : Math.Max(0, _shutter - travel);

            _flowLpm.Value = flow;
            _flowOk.Value = flowOk ? 1 : 0;
            _returnC.Value = returnC;
            _genLoop.Value = loop ? 1 : 0;
            _genOvertemp.Value = overtempOk ? 1 : 0;
            _setpointReached.Value = on && cmd > 0 && Math.Abs(_forwardW - cmd) <= 0.02 * _c.MaxPowerW ? 1 : 0;
            _shutterOpen.Value = _shutter;

            _forward.Value = _forwardW;
            _reflected.Value = reflected;
            _delivered.Value = delivered;
            _plasma.Value = _lit ? 1 : 0;
            _arcs.Value = _arcCount;
            _targetTemp.Value = _targetC;
        }
    }
}
