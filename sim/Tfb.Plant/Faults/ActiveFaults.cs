namespace Tfb.Plant.Faults;

/// <summary>Bookkeeping of a target's active faults: name, parameters and start time.</summary>
public sealed class ActiveFaultSet
{
    private readonly Dictionary<string, ActiveFault> _active = new(StringComparer.Ordinal);

    /// <summary>Names of active faults.</summary>
    public IReadOnlyCollection<string> Names => _active.Keys;

    /// <summary>Adds or replaces a fault.</summary>
    public void Set(string fault, IReadOnlyList<double> parameters, double timeS) =>
        _active[fault] = new ActiveFault(parameters.ToArray(), timeS);

    /// <summary>True when the fault is active; <paramref name="fault"/> receives its data.</summary>
    public bool TryGet(string fault, out ActiveFault active) => _active.TryGetValue(fault, out active!);

    /// <summary>True when the fault is active.</summary>
    public bool Has(string fault) => _active.ContainsKey(fault);

    /// <summary>Removes every fault.</summary>
    public void Clear() => _active.Clear();

    /// <summary>Parameter <paramref name="index"/> of an active fault, or <paramref name="fallback"/> when not given.</summary>
    public static double Param(ActiveFault f, int index, double fallback) =>
        index < f.Parameters.Length ? f.Parameters[index] : fallback;
}

/// <summary>One active fault.</summary>
/// <param name="Parameters">Parameters given at injection.</param>
/// <param name="StartS">Plant time of injection, s.</param>
public sealed record ActiveFault(double[] Parameters, double StartS);
