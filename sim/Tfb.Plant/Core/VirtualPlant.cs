using Tfb.Plant.Faults;

namespace Tfb.Plant.Core;

/// <summary>When a component runs within one plant step.</summary>
public enum PlantPhase
{
    /// <summary>Actuators: read commands from the bus, publish what the hardware applies.</summary>
    Actuators = 0,

    /// <summary>Physics: integrate state over dt from applied actuator outputs.</summary>
    Models = 1,

    /// <summary>Sensors: sample model outputs into readings (noise, lag, quantisation, faults).</summary>
    Sensors = 2,
}

/// <summary>Anything the plant steps.</summary>
public interface IPlantComponent
{
    /// <summary>Unique name (also the prefix of the component's signals and its fault target name).</summary>
    string Name { get; }

    /// <summary>The phase the component runs in; within a phase components run in the order added.</summary>
    PlantPhase Phase { get; }

    /// <summary>Advances the component from <paramref name="timeS"/> to <paramref name="timeS"/> + <paramref name="dtS"/>.</summary>
    void Step(double timeS, double dtS);
}

/// <summary>
/// The plant: a signal bus, components stepped in a fixed order (actuators, then models, then
/// sensors; each group in the order added), a fault injector, a seed. Same seed and same inputs
/// give bit-identical trajectories.
/// </summary>
/// <remarks>
/// Time is kept as an integer count of nanoseconds so that 1000 steps of 1 ms end exactly at 1 s.
/// Order of one <see cref="Step"/>: due scheduled faults apply at the current time, then actuators,
/// models and sensors advance by dt, then time advances. Single-threaded.
/// </remarks>
public sealed class VirtualPlant
{
    private readonly List<IPlantComponent> _components = new();
    private IPlantComponent[] _ordered = Array.Empty<IPlantComponent>();
    private bool _orderDirty;
    private long _timeNs;

    /// <summary>Creates an empty plant.</summary>
    /// <param name="seed">Seed every component's own generator is derived from.</param>
    public VirtualPlant(ulong seed)
    {
        Seed = seed;
        Bus = new SignalBus();
        Faults = new FaultInjector();
    }

    /// <summary>The signal bus.</summary>
    public SignalBus Bus { get; }

    /// <summary>Fault injector with every fault target of the added components.</summary>
    public FaultInjector Faults { get; }

    /// <summary>The seed given at construction.</summary>
    public ulong Seed { get; }

    /// <summary>Simulated time since start, s.</summary>
    public double TimeS => _timeNs * 1e-9;

    /// <summary>Simulated time since start, ns (exact).</summary>
    public long TimeNs => _timeNs;

    /// <summary>Number of completed steps.</summary>
    public long StepCount { get; private set; }

    /// <summary>The components in step order.</summary>
    public IReadOnlyList<IPlantComponent> Components
    {
        get
        {
            EnsureOrder();
            return _ordered;
        }
    }

    /// <summary>A generator for one component: derived from the plant seed and the component name.</summary>
    public PlantRandom CreateRandom(string componentName) => PlantRandom.ForComponent(Seed, componentName);

    /// <summary>
    /// Adds a component. Components that are fault targets (or provide several) are registered
    /// with <see cref="Faults"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A component with that name exists already.</exception>
    public T Add<T>(T component)
        where T : IPlantComponent
    {
        if (_components.Any(c => c.Name == component.Name))
        {
            throw new ArgumentException($"a plant component named '{component.Name}' exists already");
        }

        if (StepCount > 0)
        {
            throw new InvalidOperationException("components are added before the first step");
        }

        _components.Add(component);
        _orderDirty = true;
        if (component is IFaultTarget target)
        {
            Faults.Register(target);
        }

        if (component is IFaultTargetProvider provider)
        {
            foreach (IFaultTarget t in provider.FaultTargets)
            {
                Faults.Register(t);
            }
        }

        return component;
    }

    /// <summary>Advances the plant by one step.</summary>
    /// <param name="dtS">Step, s; at least 1 ns, at most 10 s.</param>
    public void Step(double dtS)
    {
        if (!(dtS >= 1e-9 && dtS <= 10.0))
        {
            throw new ArgumentOutOfRangeException(nameof(dtS), dtS, "step must be between 1 ns and 10 s");
        }

        EnsureOrder();
        double t = TimeS;
        Faults.Process(t);
        foreach (IPlantComponent c in _ordered)
        {
            c.Step(t, dtS);
        }

        _timeNs += (long)Math.Round(dtS * 1e9);
        StepCount++;
    }

    /// <summary>Steps until <see cref="TimeS"/> reaches <paramref name="endS"/> (within half a step).</summary>
    public void RunUntil(double endS, double dtS)
    {
        long endNs = (long)Math.Round(endS * 1e9);
        long dtNs = (long)Math.Round(dtS * 1e9);
        while (_timeNs + dtNs / 2 < endNs)
        {
            Step(dtS);
        }
    }

    private void EnsureOrder()
    {
        if (_orderDirty)
        {
            // Stable by phase: OrderBy keeps insertion order within a phase.
            _ordered = _components.OrderBy(c => (int)c.Phase).ToArray();
            _orderDirty = false;
        }
    }
}
