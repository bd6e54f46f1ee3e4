using System.Globalization;
using Tfb.Plant.Core;

namespace Tfb.Plant.Faults;

/// <summary>One fault a target accepts: name, parameter count and meaning.</summary>
/// <param name="Name">Fault name as written in scenarios, lower case (e.g. <c>stuck</c>).</param>
/// <param name="MinParams">Fewest numeric parameters.</param>
/// <param name="MaxParams">Most numeric parameters.</param>
/// <param name="Usage">Parameter synopsis with units, e.g. <c>[value]</c>.</param>
/// <param name="Description">What the fault does.</param>
public sealed record FaultDescriptor(string Name, int MinParams, int MaxParams, string Usage, string Description);

/// <summary>Something faults can be injected into: a sensor, an actuator, a span, a roll, a zone.</summary>
public interface IFaultTarget
{
    /// <summary>Target name, e.g. <c>web.span1.loadcell</c> or <c>web.span1</c>.</summary>
    string Name { get; }

    /// <summary>Faults this target accepts.</summary>
    IReadOnlyList<FaultDescriptor> SupportedFaults { get; }

    /// <summary>Applies a fault already checked against <see cref="SupportedFaults"/>. Faults of different names combine.</summary>
    /// <param name="fault">Fault name (one of <see cref="SupportedFaults"/>).</param>
    /// <param name="parameters">Parameters, count within the descriptor's bounds, all finite.</param>
    /// <param name="timeS">Plant time the fault starts, s.</param>
    void ApplyFault(string fault, IReadOnlyList<double> parameters, double timeS);

    /// <summary>Removes every active fault: the target behaves as healthy from the next step.</summary>
    void ClearFaults();

    /// <summary>Names of active faults.</summary>
    IReadOnlyCollection<string> ActiveFaults { get; }
}

/// <summary>A component that owns several fault targets (a web model: its spans and rolls).</summary>
public interface IFaultTargetProvider
{
    /// <summary>The targets.</summary>
    IEnumerable<IFaultTarget> FaultTargets { get; }
}

/// <summary>A fault request or clear was refused; the message says why. Nothing was changed.</summary>
public sealed class FaultException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FaultException(string message)
        : base(message)
    {
    }
}

/// <summary>One applied fault action, for reports.</summary>
/// <param name="TimeS">Plant time applied, s.</param>
/// <param name="Target">Target name.</param>
/// <param name="Action">Fault name, or <c>clear</c>.</param>
/// <param name="Parameters">Parameters as given.</param>
public sealed record FaultEvent(double TimeS, string Target, string Action, IReadOnlyList<double> Parameters);

/// <summary>
/// Drives faults by name and time: <c>inject &lt;target&gt; &lt;fault&gt; [params] [at &lt;time&gt;]</c>,
/// <c>clear &lt;target&gt;|all [at &lt;time&gt;]</c>. Immediate requests act at once; scheduled ones
/// are applied by <see cref="Process"/> at the start of the first plant step at or after their time.
/// </summary>
public sealed class FaultInjector
{
    private const string ClearAction = "clear";
    private readonly Dictionary<string, IFaultTarget> _targets = new(StringComparer.Ordinal);
    private readonly List<Scheduled> _pending = new();
    private readonly List<FaultEvent> _log = new();
    private long _sequence;

    /// <summary>Registered target names, sorted.</summary>
    public IReadOnlyList<string> Targets => _targets.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

    /// <summary>Every fault action applied so far, in order.</summary>
    public IReadOnlyList<FaultEvent> Log => _log;

    /// <summary>Registers a target.</summary>
    /// <exception cref="ArgumentException">The name is taken.</exception>
    public void Register(IFaultTarget target)
    {
        if (!_targets.TryAdd(target.Name, target))
        {
            throw new ArgumentException($"fault target '{target.Name}' is registered already");
        }
    }

    /// <summary>The target of that name, if any.</summary>
    public bool TryGetTarget(string name, out IFaultTarget target) => _targets.TryGetValue(name, out target!);

    /// <summary>Checks a fault request without applying it.</summary>
    /// <returns>Null when valid, else the problem.</returns>
    public string? Check(string target, string fault, IReadOnlyList<double> parameters)
    {
        if (!_targets.TryGetValue(target, out IFaultTarget? t))
        {
            return $"no fault target named '{target}'{Suggest(target)}";
        }

        FaultDescriptor? d = t.SupportedFaults.FirstOrDefault(f => f.Name == fault);
        if (d is null)
        {
            return $"target '{target}' has no fault '{fault}' (it has: {string.Join(", ", t.SupportedFaults.Select(f => f.Name))})";
        }

        if (parameters.Count < d.MinParams || parameters.Count > d.MaxParams)
        {
            string want = d.MinParams == d.MaxParams ? $"{d.MinParams}" : $"{d.MinParams} to {d.MaxParams}";
            return $"fault '{fault}' on '{target}' takes {want} parameter(s) ({fault} {d.Usage}), got {parameters.Count}";
        }

        foreach (double p in parameters)
        {
            if (!double.IsFinite(p))
            {
                return $"fault '{fault}' on '{target}': parameters must be finite numbers";
            }
        }

        return null;
    }

    /// <summary>Checks a clear request (a target name or <c>all</c>).</summary>
    /// <returns>Null when valid, else the problem.</returns>
    public string? CheckClear(string target)
    {
        return target == "all" || _targets.ContainsKey(target) ? null : $"no fault target named '{target}'{Suggest(target)}";
    }

    /// <summary>Applies a fault now.</summary>
    /// <exception cref="FaultException">Unknown target or fault, or bad parameters; nothing changed.</exception>
    public void Inject(string target, string fault, double timeS, params double[] parameters)
    {
        string? problem = Check(target, fault, parameters);
        if (problem is not null)
        {
            throw new FaultException(problem);
        }

        _targets[target].ApplyFault(fault, parameters, timeS);
        _log.Add(new FaultEvent(timeS, target, fault, parameters));
    }

    /// <summary>Clears one target's faults (or every target's with <c>all</c>) now.</summary>
    /// <exception cref="FaultException">Unknown target.</exception>
    public void Clear(string target, double timeS)
    {
        string? problem = CheckClear(target);
        if (problem is not null)
        {
            throw new FaultException(problem);
        }

        if (target == "all")
        {
            foreach (IFaultTarget t in _targets.Values)
            {
                t.ClearFaults();
            }
        }
        else
        {
            _targets[target].ClearFaults();
        }

        _log.Add(new FaultEvent(timeS, target, ClearAction, Array.Empty<double>()));
    }

    /// <summary>Schedules a fault; checked now, applied by <see cref="Process"/>.</summary>
    /// <exception cref="FaultException">Invalid request or time; nothing scheduled.</exception>
    public void Schedule(double atS, string target, string fault, params double[] parameters)
    {
        string? problem = Check(target, fault, parameters) ?? CheckTime(atS);
        if (problem is not null)
        {
            throw new FaultException(problem);
        }

        _pending.Add(new Scheduled(atS, _sequence++, target, fault, (double[])parameters.Clone()));
    }

    /// <summary>Schedules a clear; checked now, applied by <see cref="Process"/>.</summary>
    /// <exception cref="FaultException">Unknown target or bad time.</exception>
    public void ScheduleClear(double atS, string target)
    {
        string? problem = CheckClear(target) ?? CheckTime(atS);
        if (problem is not null)
        {
            throw new FaultException(problem);
        }

        _pending.Add(new Scheduled(atS, _sequence++, target, ClearAction, Array.Empty<double>()));
    }

    /// <summary>
    /// Executes one text command: <c>inject &lt;target&gt; &lt;fault&gt; [params...] [at &lt;time&gt;]</c> or
    /// <c>clear &lt;target&gt;|all [at &lt;time&gt;]</c>. Times carry a unit (ms, s, min, h). Without
    /// <c>at</c> the action applies now (<paramref name="nowS"/>).
    /// </summary>
    /// <exception cref="FaultException">Malformed command or invalid request; nothing changed.</exception>
    public void Execute(string command, double nowS)
    {
        string[] words = command.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2)
        {
            throw new FaultException("expected 'inject <target> <fault> [params] [at <time>]' or 'clear <target>|all [at <time>]'");
        }

        double? atS = null;
        int end = words.Length;
        if (words.Length >= 4 && words[^2] == "at")
        {
            if (!Scenarios.ScenarioTime.TryParse(words[^1], out double t, out string? timeError))
            {
                throw new FaultException(timeError!);
            }

            atS = t;
            end -= 2;
        }

        if (words[0] == "inject")
        {
            if (end < 3)
            {
                throw new FaultException("inject needs a target and a fault name");
            }

            var p = new double[end - 3];
            for (int i = 3; i < end; i++)
            {
                if (!double.TryParse(words[i], NumberStyles.Float, CultureInfo.InvariantCulture, out p[i - 3]))
                {
                    throw new FaultException($"fault parameter '{words[i]}' is not a number");
                }
            }

            if (atS is double a)
            {
                Schedule(a, words[1], words[2], p);
            }
            else
            {
                Inject(words[1], words[2], nowS, p);
            }
        }
        else if (words[0] == ClearAction)
        {
            if (end != 2)
            {
                throw new FaultException("clear takes one target name or 'all'");
            }

            if (atS is double a)
            {
                ScheduleClear(a, words[1]);
            }
            else
            {
                Clear(words[1], nowS);
            }
        }
        else
        {
            throw new FaultException($"unknown fault command '{words[0]}' (inject, clear)");
        }
    }

    /// <summary>Applies scheduled actions due at or before <paramref name="timeS"/>, in time then request order.</summary>
    public void Process(double timeS)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        // 1 ns slack: schedule times are decimal seconds, plant time is integer nanoseconds.
        var due = _pending.Where(s => s.AtS <= timeS + 1e-9).OrderBy(s => s.AtS).ThenBy(s => s.Sequence).ToList();
        foreach (Scheduled s in due)
        {
            _pending.Remove(s);
            if (s.Fault == ClearAction)
            {
                Clear(s.Target, timeS);
            }
            else
            {
                Inject(s.Target, s.Fault, timeS, s.Parameters);
            }
        }
    }

    private static string? CheckTime(double atS) =>
        double.IsFinite(atS) && atS >= 0 ? null : $"fault time {atS} s must be finite and not negative";

    private string Suggest(string name)
    {
        int dot = name.LastIndexOf('.');
        string prefix = dot > 0 ? name.Substring(0, dot) : name;
        var near = _targets.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal).Take(8).ToArray();
        return near.Length == 0 ? string.Empty : $" (targets under '{prefix}': {string.Join(", ", near)})";
    }

    private sealed record Scheduled(double AtS, long Sequence, string Target, string Fault, double[] Parameters);
}
