using Tfb.Plant.Core;
using Tfb.Plant.Faults;
using Tfb.Plant.Io;

namespace Tfb.Plant.Models;

/// <summary>One furnace zone: heater node, load node, thermocouple.</summary>
public sealed record FurnaceZoneConfig
{
    /// <summary>Zone name, e.g. <c>zone1</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Heater element heat capacity C_h, J/K.</summary>
    public double HeaterCapacityJPerK { get; init; } = 500;

    /// <summary>Load (chamber, sheet, fixtures) heat capacity C_o, J/K.</summary>
    public double LoadCapacityJPerK { get; init; } = 5000;

    /// <summary>Heater power with the SSR on, W.</summary>
    public double MaxPowerW { get; init; } = 5450;

    /// <summary>Heater-to-load thermal resistance R_ho, K/W.</summary>
    public double HeaterToLoadKPerW { get; init; } = 0.1;

    /// <summary>Load-to-ambient conduction resistance R_o, K/W.</summary>
    public double LoadToAmbientKPerW { get; init; } = 0.5;

    /// <summary>Emissivity times radiating area eps*A, m2 (losses through openings and the shell, lumped).</summary>
    public double EmissivityAreaM2 { get; init; } = 0.02;

    /// <summary>Thermocouple time constant tau_tc, s (sheathed TC in a well: 5-60 s).</summary>
    public double ThermocoupleLagS { get; init; } = 20;

    /// <summary>Transport delay between load and thermocouple, s.</summary>
    public double ThermocoupleDelayS { get; init; } = 2;
}

/// <summary>A multi-zone furnace; adjacent zones exchange heat through <see cref="ZoneCouplingKPerW"/>.</summary>
public sealed record FurnaceConfig
{
    /// <summary>Signal and fault-target prefix, e.g. <c>anneal</c>.</summary>
    public string Name { get; init; } = "anneal";

    /// <summary>Zones in order; zone j couples to zones j-1 and j+1.</summary>
    public required IReadOnlyList<FurnaceZoneConfig> Zones { get; init; }

    /// <summary>Thermal resistance between adjacent load nodes R_oj, K/W.</summary>
    public double ZoneCouplingKPerW { get; init; } = 1.0;

    /// <summary>Ambient temperature, C.</summary>
    public double AmbientC { get; init; } = 25;

    /// <summary>Largest internal integration step, s (heater node: C_h*R_ho = 50 s, so 0.5 s is ample).</summary>
    public double MaxSubstepS { get; init; } = 0.5;

    /// <summary>Extra load-to-ambient conductance of the first zone while the door is open, W/K.</summary>
    public double DoorOpenLossWPerK { get; init; } = 4.0;

    /// <summary>O2 flow with the valve open, slpm.</summary>
    public double O2FlowSlpm { get; init; } = 5.0;

    /// <summary>O2 flow time constant (line volume, mass-flow regulator), s.</summary>
    public double O2FlowLagS { get; init; } = 3.0;

    /// <summary>
    /// Three kiln-sized zones with the reference defaults, except the losses: the door-end zone loses more
    /// (R_o 0.45 K/W) and the middle zone less (0.55 K/W) than the far end (0.5 K/W), so the zones need
    /// different powers at the same temperature, as real furnaces do.
    /// </summary>
    public static FurnaceConfig Default() => new()
    {
        Zones = new[]
        {
            new FurnaceZoneConfig { Name = "zone1", LoadToAmbientKPerW = 0.45 },
            new FurnaceZoneConfig { Name = "zone2", LoadToAmbientKPerW = 0.55 },
            new FurnaceZoneConfig { Name = "zone3" },
        },
    };
}

/// <summary>
/// Anneal furnace: per zone a heater node and a load node with conduction and radiation losses,
/// coupled zones, a lagged and delayed thermocouple, a time-proportioned SSR behind a main contactor.
/// </summary>
/// <remarks>
/// <para><c>C_h*dT_h/dt = P*u - (T_h - T_o)/R_ho</c>;
/// <c>C_o*dT_o/dt = (T_h - T_o)/R_ho - (T_o - T_amb)/R_o - eps*sigma*A*(T_o^4 - T_amb^4) + sum_j (T_j - T_o)/R_oj</c>
/// (radiation in kelvin); <c>tau_tc*dT_tc/dt = T_o(t - delay) - T_tc</c>.</para>
/// <para>u = 1 while <c>&lt;name&gt;.&lt;zone&gt;.ssrCmd</c> &gt;= 0.5 (or the SSR is stuck on) and
/// <c>&lt;name&gt;.contactorCmd</c> &gt;= 0.5 and the supply is up; the firmware time-proportions the SSR
/// and the plant integrates the on/off pattern. Both commands start at 0 (de-energised).</para>
/// <para>Outputs per zone: <c>.heaterTempC</c>, <c>.loadTempC</c>, <c>.tcTempC</c>, <c>.powerW</c>; for the
/// furnace <c>&lt;name&gt;.door.closed</c> (1 closed), <c>&lt;name&gt;.o2.flowSlpm</c> (follows
/// <c>&lt;name&gt;.o2.valveCmd</c> with a first-order lag) and <c>&lt;name&gt;.supply.ok</c>.
/// Fault targets: each zone (<c>ssrstuckon</c>, <c>elementlost [fraction]</c>) and the furnace
/// (<c>powerfail [durationS]</c>: no heater power, for the given time or until cleared; <c>dooropen</c>: the door
/// switch reads open and the first zone loses <see cref="FurnaceConfig.DoorOpenLossWPerK"/> more;
/// <c>o2lost</c>: no O2 flow whatever the valve). Thermocouple faults (open, short, ...) belong to the sensors added by
/// <see cref="AddStation"/>.</para>
/// </remarks>
public sealed class FurnaceModel : IPlantComponent, IFaultTargetProvider, IFaultTarget
{
    /// <summary>Stefan-Boltzmann constant, W/(m2 K4).</summary>
    public const double StefanBoltzmann = 5.670374419e-8;

    /// <summary>Kelvin offset.</summary>
    public const double KelvinOffset = 273.15;

    private static readonly FaultDescriptor[] s_faults =
    {
        new("powerfail", 0, 1, "[durationS]", "supply lost: no heater power for durationS (default: until cleared)"),
        new("dooropen", 0, 0, "", "door open: the door switch reads open, the door-end zone loses heat"),
        new("o2lost", 0, 0, "", "O2 supply lost: no flow whatever the valve command"),
    };

    private readonly FurnaceConfig _config;
    private readonly Zone[] _zones;
    private readonly SignalRef _contactor;
    private readonly SignalRef _door;
    private readonly SignalRef _o2Valve;
    private readonly SignalRef _o2Flow;
    private readonly SignalRef _supply;
    private readonly ActiveFaultSet _faults = new();
    private double _timeS;
    private double _o2FlowSlpm;

    /// <summary>Builds the model (all nodes at ambient) and registers its signals.</summary>
    public FurnaceModel(VirtualPlant plant, FurnaceConfig config)
    {
        _config = config;
        if (config.Zones.Count == 0 || !(config.ZoneCouplingKPerW > 0) || !(config.MaxSubstepS > 0) ||
            config.Zones.Select(z => z.Name).Distinct().Count() != config.Zones.Count)
        {
            throw new ArgumentException("a furnace needs uniquely named zones, a positive coupling resistance and substep");
        }

        _contactor = plant.Bus.Register(config.Name + ".contactorCmd", 0);
        _door = plant.Bus.Register(config.Name + ".door.closed", 1);
        _o2Valve = plant.Bus.Register(config.Name + ".o2.valveCmd", 0);
        _o2Flow = plant.Bus.Register(config.Name + ".o2.flowSlpm", 0);
        _supply = plant.Bus.Register(config.Name + ".supply.ok", 1);
        _zones = config.Zones.Select(z => new Zone(this, plant, z)).ToArray();
    }

    /// <inheritdoc />
    public string Name => _config.Name;

    /// <inheritdoc />
    public PlantPhase Phase => PlantPhase.Models;

    /// <summary>The configuration.</summary>
    public FurnaceConfig Config => _config;

    /// <inheritdoc />
    public IEnumerable<IFaultTarget> FaultTargets => _zones;

    /// <inheritdoc />
    public IReadOnlyList<FaultDescriptor> SupportedFaults => s_faults;

    /// <inheritdoc />
    public IReadOnlyCollection<string> ActiveFaults => _faults.Names;

    /// <inheritdoc />
    public void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS) => _faults.Set(fault, parameters, timeS);

    /// <inheritdoc />
    public void ClearFaults() => _faults.Clear();

    /// <summary>
    /// Steady-state load temperature of an isolated zone (no coupling) for a mean heater power:
    /// solves <c>P = (T_o - T_amb)/R_o + eps*sigma*A*(T_o^4 - T_amb^4)</c> by bisection, C.
    /// </summary>
    public static double SteadyLoadTempC(FurnaceZoneConfig zone, double ambientC, double powerW)
    {
        double lo = ambientC, hi = ambientC + 5000;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (ZoneLossW(zone, ambientC, mid) < powerW)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return 0.5 * (lo + hi);
    }

    /// <summary>Heat lost by a zone's load node to ambient at a load temperature, W (conduction plus radiation).</summary>
    public static double ZoneLossW(FurnaceZoneConfig zone, double ambientC, double loadTempC)
    {
        double tk = loadTempC + KelvinOffset, ak = ambientC + KelvinOffset;
        return (loadTempC - ambientC) / zone.LoadToAmbientKPerW + zone.EmissivityAreaM2 * StefanBoltzmann * (Math.Pow(tk, 4) - Math.Pow(ak, 4));
    }

    /// <inheritdoc />
    public void Step(double timeS, double dtS)
    {
        bool powerUp = !PowerFailing(timeS);
        bool supplied = _contactor.Value >= 0.5 && powerUp;
        bool doorOpen = _faults.Has("dooropen");
        _door.Value = doorOpen ? 0 : 1;
        _supply.Value = powerUp ? 1 : 0;
        double o2Target = _o2Valve.Value >= 0.5 && powerUp && !_faults.Has("o2lost") ? _config.O2FlowSlpm : 0;
        _o2FlowSlpm += (o2Target - _o2FlowSlpm) * (1.0 - Math.Exp(-dtS / _config.O2FlowLagS));
        _o2Flow.Value = _o2FlowSlpm;
        foreach (Zone z in _zones)
        {
            z.LatchInput(supplied);
        }

        int n = Math.Max(1, (int)Math.Ceiling(dtS / _config.MaxSubstepS - 1e-9));
        double h = dtS / n;
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < _zones.Length; j++)
            {
                double coupling = 0;
                if (j > 0)
                {
                    coupling += (_zones[j - 1].LoadC - _zones[j].LoadC) / _config.ZoneCouplingKPerW;
                }

                if (j < _zones.Length - 1)
                {
                    coupling += (_zones[j + 1].LoadC - _zones[j].LoadC) / _config.ZoneCouplingKPerW;
                }

                if (j == 0 && doorOpen)
                {
                    coupling -= (_zones[0].LoadC - _config.AmbientC) * _config.DoorOpenLossWPerK;
                }

                _zones[j].ComputeRates(coupling);
            }

            _timeS = timeS + (k + 1) * h;
            foreach (Zone z in _zones)
            {
                z.Integrate(h, _timeS);
            }
        }

        foreach (Zone z in _zones)
        {
            z.Publish();
        }
    }

    /// <summary>True while a power failure is in force at <paramref name="timeS"/> (a timed one ends by itself).</summary>
    public bool PowerFailing(double timeS)
    {
        if (!_faults.TryGet("powerfail", out ActiveFault f))
        {
            return false;
        }

        double duration = ActiveFaultSet.Param(f, 0, 0);
        return !(duration > 0) || timeS < f.StartS + duration - 1e-9;
    }

    /// <summary>Type K thermocouple channel: -50..1250 C, 16-bit, 0.3 C rms noise; an open TC reads up-scale (burn-out).</summary>
    public static SensorDefinition Thermocouple(string name, string source) => new()
    {
        Name = name,
        Source = source,
        RangeMin = -50,
        RangeMax = 1250,
        AdcBits = 16,
        NoiseStd = 0.3,
        OpenReads = SensorRail.High,
        ShortReads = SensorRail.Low,
    };

    /// <summary>
    /// Adds the furnace and per zone a control thermocouple <c>&lt;name&gt;.&lt;zone&gt;.tc</c> and an
    /// independent limit thermocouple <c>&lt;name&gt;.&lt;zone&gt;.limitTc</c> (both read <c>.tcTempC</c>,
    /// each with its own noise and faults).
    /// </summary>
    public static FurnaceModel AddStation(VirtualPlant plant, FurnaceConfig? config = null)
    {
        config ??= FurnaceConfig.Default();
        FurnaceModel model = plant.Add(new FurnaceModel(plant, config));
        foreach (FurnaceZoneConfig z in config.Zones)
        {
            string p = config.Name + "." + z.Name;
            plant.Add(new Sensor(plant, Thermocouple(p + ".tc", p + ".tcTempC")));
            plant.Add(new Sensor(plant, Thermocouple(p + ".limitTc", p + ".tcTempC")));
        }

        plant.Add(new Sensor(plant, new SensorDefinition
        {
            Name = config.Name + ".o2.flow",
            Source = config.Name + ".o2.flowSlpm",
            RangeMin = 0,
            RangeMax = 10,
            AdcBits = 12,
            NoiseStd = 0.02,
        }));

        return model;
    }

    private sealed class Zone : IFaultTarget
    {
        private static readonly FaultDescriptor[] s_faults =
        {
            new("ssrstuckon", 0, 0, "", "SSR welded on: full power whenever the contactor is closed, whatever the command"),
            new("elementlost", 0, 1, "[fraction]", "heater element open: power falls by the fraction given, default 1/3"),
        };

        private readonly FurnaceModel _owner;
        private readonly FurnaceZoneConfig _z;
        private readonly ActiveFaultSet _faults = new();
        private readonly SignalRef _ssr;
        private readonly SignalRef _heater;
        private readonly SignalRef _load;
        private readonly SignalRef _tc;
        private readonly SignalRef _power;
        private readonly Queue<(double TimeS, double TempC)> _delayLine = new();
        private double _heaterC;
        private double _tcC;
        private double _delayedC;
        private double _powerW;
        private double _dHeater;
        private double _dLoad;

        public Zone(FurnaceModel owner, VirtualPlant plant, FurnaceZoneConfig z)
        {
            _owner = owner;
            _z = z;
            if (!(z.HeaterCapacityJPerK > 0 && z.LoadCapacityJPerK > 0 && z.MaxPowerW >= 0 && z.HeaterToLoadKPerW > 0 &&
                  z.LoadToAmbientKPerW > 0 && z.EmissivityAreaM2 >= 0 && z.ThermocoupleLagS > 0 && z.ThermocoupleDelayS >= 0))
            {
                throw new ArgumentException($"furnace zone '{z.Name}': capacities, resistances and TC lag must be positive");
            }

            Name = owner._config.Name + "." + z.Name;
            double amb = owner._config.AmbientC;
            _heaterC = amb;
            LoadC = amb;
            _tcC = amb;
            _delayedC = amb;
            _ssr = plant.Bus.Register(Name + ".ssrCmd", 0);
            _heater = plant.Bus.Register(Name + ".heaterTempC", amb);
            _load = plant.Bus.Register(Name + ".loadTempC", amb);
            _tc = plant.Bus.Register(Name + ".tcTempC", amb);
            _power = plant.Bus.Register(Name + ".powerW", 0);
        }

        public string Name { get; }

        public double LoadC { get; private set; }

        public IReadOnlyList<FaultDescriptor> SupportedFaults => s_faults;

        public IReadOnlyCollection<string> ActiveFaults => _faults.Names;

        public void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS) => _faults.Set(fault, parameters, timeS);

        public void ClearFaults() => _faults.Clear();

        public void LatchInput(bool supplied)
        {
            bool on = _ssr.Value >= 0.5 || _faults.Has("ssrstuckon");
            double fraction = 1.0;
            if (_faults.TryGet("elementlost", out ActiveFault lost))
            {
                fraction = 1.0 - Math.Clamp(ActiveFaultSet.Param(lost, 0, 1.0 / 3.0), 0.0, 1.0);
            }

            _powerW = supplied && on ? _z.MaxPowerW * fraction : 0.0;
        }

        public void ComputeRates(double couplingW)
        {
            double toLoad = (_heaterC - LoadC) / _z.HeaterToLoadKPerW;
            _dHeater = (_powerW - toLoad) / _z.HeaterCapacityJPerK;
            _dLoad = (toLoad - ZoneLossW(_z, _owner._config.AmbientC, LoadC) + couplingW) / _z.LoadCapacityJPerK;
        }

        public void Integrate(double h, double timeS)
        {
            _heaterC += _dHeater * h;
            LoadC += _dLoad * h;

            // Transport delay: the TC sees the load as it was ThermocoupleDelayS ago.
            _delayLine.Enqueue((timeS, LoadC));
            while (_delayLine.Count > 0 && _delayLine.Peek().TimeS <= timeS - _z.ThermocoupleDelayS + 1e-9)
            {
                _delayedC = _delayLine.Dequeue().TempC;
            }

            _tcC += (_delayedC - _tcC) * (1.0 - Math.Exp(-h / _z.ThermocoupleLagS));
        }

        public void Publish()
        {
            _heater.Value = _heaterC;
            _load.Value = LoadC;
            _tc.Value = _tcC;
            _power.Value = _powerW;
        }
    }
}
