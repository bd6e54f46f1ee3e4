using System.Collections.Immutable;
using System.Globalization;
using Tfb.Plant.Core;

namespace Tfb.Plant.Scenarios;

/// <summary>The runner's technician consoles: one per board.</summary>
public interface IScenarioConsole
{
    /// <summary>Types one line (without line ending) on the board's console.</summary>
    void SendLine(string board, string text);

    /// <summary>True when the board's console output since start contains <paramref name="text"/>.</summary>
    bool OutputContains(string board, string text);
}

/// <summary>The runner's MQTT side: a Sparkplug host application and the broker.</summary>
public interface IScenarioMqtt
{
    /// <summary>Publishes an NCMD (device null) or DCMD to the board's edge node.</summary>
    void SendCommand(string board, string? device, string metric, ScenarioValue value);

    /// <summary>Stops (false) or restarts (true) the broker.</summary>
    void SetBrokerUp(bool up);
}

/// <summary>The boards' alarm state as the runner sees it.</summary>
public interface IScenarioAlarms
{
    /// <summary>True when the alarm with that stable code is active on the board.</summary>
    bool IsAlarmActive(string board, int code);
}

/// <summary>The last Sparkplug metric values the boards published.</summary>
public interface IScenarioMetrics
{
    /// <summary>The last published value of a metric (node or device metric name as published).</summary>
    bool TryGetMetric(string board, string metric, out ScenarioValue value);
}

/// <summary>The boards the runner provides.</summary>
public interface IScenarioBoards
{
    /// <summary>True when the runner has a board of that name.</summary>
    bool HasBoard(string board);
}

/// <summary>What the runner supplies; steps that need a missing hook make the scenario invalid before it runs.</summary>
public sealed record ScenarioHooks
{
    /// <summary>Consoles (console steps and console expectations).</summary>
    public IScenarioConsole? Console { get; init; }

    /// <summary>MQTT (mqtt and broker steps).</summary>
    public IScenarioMqtt? Mqtt { get; init; }

    /// <summary>Alarms (alarm and noalarm expectations).</summary>
    public IScenarioAlarms? Alarms { get; init; }

    /// <summary>Metrics (metric expectations).</summary>
    public IScenarioMetrics? Metrics { get; init; }

    /// <summary>Board directory: declared boards are checked against it when given.</summary>
    public IScenarioBoards? Boards { get; init; }
}

/// <summary>The scenario cannot run against this plant and these hooks; nothing was run.</summary>
public sealed class ScenarioValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ScenarioValidationException(IReadOnlyList<ScenarioError> errors)
        : base(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
    {
        Errors = errors;
    }

    /// <summary>The problems.</summary>
    public IReadOnlyList<ScenarioError> Errors { get; }
}

/// <summary>Outcome of one step.</summary>
/// <param name="Source">Where the step was written.</param>
/// <param name="Passed">True when the expectation held / the action was carried out.</param>
/// <param name="DecidedAtS">Plant time the outcome was decided, s.</param>
/// <param name="Detail">Observed value or the failure, for people.</param>
public sealed record StepResult(SourceLine Source, bool Passed, double DecidedAtS, string Detail)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{(Passed ? "PASS" : "FAIL")} {Source} @{ScenarioTime.Format(DecidedAtS)}  {Source.Text}  -- {Detail}";
}

/// <summary>Pass/fail report of a run.</summary>
/// <param name="SourceName">Scenario source.</param>
/// <param name="Seed">Seed the plant ran with.</param>
/// <param name="EndS">Plant time when the report was made, s.</param>
/// <param name="Expectations">Every expectation's outcome, in file order.</param>
/// <param name="ActionFailures">Actions that could not be carried out (a hook threw, a fault was refused).</param>
public sealed record ScenarioReport(
    string SourceName,
    ulong Seed,
    double EndS,
    ImmutableArray<StepResult> Expectations,
    ImmutableArray<StepResult> ActionFailures)
{
    /// <summary>True when every expectation passed and every action was carried out.</summary>
    public bool Passed => ActionFailures.IsEmpty && Expectations.All(e => e.Passed);

    /// <summary>A plain-text report, one line per expectation and failed action, then a verdict.</summary>
    public string ToText()
    {
        var lines = new List<string> { $"scenario {SourceName} seed {Seed.ToString(CultureInfo.InvariantCulture)} ran to {ScenarioTime.Format(EndS)}" };
        lines.AddRange(Expectations.Select(e => e.ToString()));
        lines.AddRange(ActionFailures.Select(e => e.ToString()));
        int failed = Expectations.Count(e => !e.Passed) + ActionFailures.Length;
        lines.Add(Passed ? $"PASSED ({Expectations.Length} expectations)" : $"FAILED ({failed} of {Expectations.Length + ActionFailures.Length})");
        return string.Join('\n', lines) + "\n";
    }
}

/// <summary>
/// Runs a scenario's steps against a plant in lockstep with the runner's loop. Per step of the virtual
/// line the runner calls <see cref="BeforeStep"/> (actions due at the present time fire), steps the
/// plant and the boards by one period, then calls <see cref="AfterStep"/> (expectations are judged at
/// the new time); at the end <see cref="Finish"/>. <see cref="RunPlantOnly"/> does the same loop for
/// scenarios that need no firmware.
/// </summary>
/// <remarks>
/// Actions at t act from t on; an expectation at t sees the state at t, before actions at t act.
/// Construction validates everything (signal names, fault targets, faults and parameters, hooks,
/// boards) and throws <see cref="ScenarioValidationException"/> on any problem, so nothing runs.
/// </remarks>
public sealed class ScenarioExecutor
{
    private const double SlackS = 1e-9;
    private readonly VirtualPlant _plant;
    private readonly ScenarioHooks _hooks;
    private readonly ScenarioStep[] _actions;
    private readonly Pending[] _expectations;
    private readonly List<StepResult> _actionFailures = new();
    private int _nextAction;

    /// <summary>Validates and prepares the run.</summary>
    /// <exception cref="ScenarioValidationException">The scenario does not fit the plant or hooks.</exception>
    public ScenarioExecutor(Scenario scenario, VirtualPlant plant, ScenarioHooks? hooks = null)
    {
        Scenario = scenario;
        _plant = plant;
        _hooks = hooks ?? new ScenarioHooks();
        List<ScenarioError> errors = Validate(scenario, plant, _hooks);
        if (errors.Count > 0)
        {
            throw new ScenarioValidationException(errors);
        }

        _actions = scenario.Steps.Where(s => s is not ExpectStep).ToArray();
        _expectations = scenario.Steps.OfType<ExpectStep>().Select(e => new Pending(e)).ToArray();
    }

    /// <summary>The scenario.</summary>
    public Scenario Scenario { get; }

    /// <summary>True once the plant reached the scenario's duration.</summary>
    public bool IsComplete => _plant.TimeS >= Scenario.DurationS - SlackS;

    /// <summary>Every problem that keeps <paramref name="scenario"/> from running on this plant with these hooks.</summary>
    public static List<ScenarioError> Validate(Scenario scenario, VirtualPlant plant, ScenarioHooks hooks)
    {
        var errors = new List<ScenarioError>();
        void Add(SourceLine s, string m) => errors.Add(new ScenarioError(s.File, s.Line, m));

        foreach (string sig in scenario.TraceSignals)
        {
            if (!plant.Bus.Contains(sig))
            {
                errors.Add(new ScenarioError(scenario.SourceName, 0, $"traced signal '{sig}' does not exist{plant.Bus.SuggestSuffix(sig)}"));
            }
        }

        if (hooks.Boards is not null)
        {
            foreach (string b in scenario.Boards.Where(b => !hooks.Boards.HasBoard(b)))
            {
                errors.Add(new ScenarioError(scenario.SourceName, 0, $"board '{b}' is not on this virtual line"));
            }
        }

        foreach (ScenarioStep step in scenario.Steps)
        {
            switch (step)
            {
                case FaultStep f:
                    if (plant.Faults.Check(f.Target, f.Fault, f.Parameters) is string fe)
                    {
                        Add(f.Source, fe);
                    }

                    break;
                case ClearFaultStep c:
                    if (plant.Faults.CheckClear(c.Target) is string ce)
                    {
                        Add(c.Source, ce);
                    }

                    break;
                case SetSignalStep ss when !plant.Bus.Contains(ss.Signal):
                    Add(ss.Source, $"no plant signal named '{ss.Signal}'{plant.Bus.SuggestSuffix(ss.Signal)}");
                    break;
                case ConsoleStep when hooks.Console is null:
                    Add(step.Source, "console steps need a runner with consoles");
                    break;
                case MqttCommandStep or BrokerStep when hooks.Mqtt is null:
                    Add(step.Source, "mqtt and broker steps need a runner with MQTT");
                    break;
                case ExpectStep e:
                    switch (e.Condition)
                    {
                        case SignalCondition sc when !plant.Bus.Contains(sc.Signal):
                            Add(e.Source, $"no plant signal named '{sc.Signal}'{plant.Bus.SuggestSuffix(sc.Signal)}");
                            break;
                        case SignalValidityCondition vc when !plant.Bus.Contains(vc.Signal):
                            Add(e.Source, $"no plant signal named '{vc.Signal}'{plant.Bus.SuggestSuffix(vc.Signal)}");
                            break;
                        case AlarmCondition when hooks.Alarms is null:
                            Add(e.Source, "alarm expectations need a runner with alarm access");
                            break;
                        case MetricCondition when hooks.Metrics is null:
                            Add(e.Source, "metric expectations need a runner with metric access");
                            break;
                        case ConsoleOutputCondition when hooks.Console is null:
                            Add(e.Source, "console expectations need a runner with consoles");
                            break;
                    }

                    break;
            }
        }

        return errors;
    }

    /// <summary>Fires the actions due at the plant's present time (faults, console lines, MQTT).</summary>
    public void BeforeStep()
    {
        double now = _plant.TimeS;
        while (_nextAction < _actions.Length && _actions[_nextAction].AtS <= now + SlackS)
        {
            ScenarioStep step = _actions[_nextAction++];
            try
            {
                switch (step)
                {
                    case FaultStep f:
                        _plant.Faults.Inject(f.Target, f.Fault, now, f.Parameters.ToArray());
                        break;
                    case ClearFaultStep c:
                        _plant.Faults.Clear(c.Target, now);
                        break;
                    case SetSignalStep ss:
                        _plant.Bus.Write(ss.Signal, ss.Value);
                        break;
                    case ConsoleStep c:
                        _hooks.Console!.SendLine(c.Board, c.Text);
                        break;
                    case MqttCommandStep m:
                        _hooks.Mqtt!.SendCommand(m.Board, m.Device, m.Metric, m.Value);
                        break;
                    case BrokerStep b:
                        _hooks.Mqtt!.SetBrokerUp(b.Up);
                        break;
                }
            }
            catch (Exception ex)
            {
                _actionFailures.Add(new StepResult(step.Source, false, now, $"action failed: {ex.Message}"));
            }
        }
    }

    /// <summary>Judges the expectations whose window includes the plant's present time.</summary>
    public void AfterStep()
    {
        double now = _plant.TimeS;
        foreach (Pending p in _expectations)
        {
            if (p.Result is not null || now < p.Step.AtS - SlackS)
            {
                continue;
            }

            (bool holds, string observed) = Evaluate(p.Step.Condition);
            p.LastObserved = observed;
            switch (p.Step.Window)
            {
                case ExpectWindow.At:
                    p.Result = new StepResult(p.Step.Source, holds, now, observed);
                    break;
                case ExpectWindow.For:
                    if (!holds)
                    {
                        p.Result = new StepResult(p.Step.Source, false, now, $"{observed} (must hold until {ScenarioTime.Format(p.Step.EndS)})");
                    }
                    else if (now >= p.Step.EndS - SlackS)
                    {
                        p.Result = new StepResult(p.Step.Source, true, now, $"held from {ScenarioTime.Format(p.Step.AtS)}; last {observed}");
                    }

                    break;
                case ExpectWindow.Within:
                    if (holds)
                    {
                        p.Result = new StepResult(p.Step.Source, true, now, observed);
                    }
                    else if (now >= p.Step.EndS - SlackS)
                    {
                        p.Result = new StepResult(p.Step.Source, false, now, $"never held by {ScenarioTime.Format(p.Step.EndS)}; last {observed}");
                    }

                    break;
            }
        }
    }

    /// <summary>The report; expectations not yet decided fail as "not reached".</summary>
    public ScenarioReport Finish()
    {
        double now = _plant.TimeS;
        var results = _expectations.Select(p => p.Result ?? new StepResult(
            p.Step.Source,
            false,
            now,
            $"not decided: run ended at {ScenarioTime.Format(now)}" + (p.LastObserved is null ? string.Empty : $"; last {p.LastObserved}"))).ToImmutableArray();
        var failures = _actionFailures.ToList();
        for (int i = _nextAction; i < _actions.Length; i++)
        {
            failures.Add(new StepResult(_actions[i].Source, false, now, $"not reached: run ended at {ScenarioTime.Format(now)}"));
        }

        return new ScenarioReport(Scenario.SourceName, Scenario.Seed, now, results, failures.ToImmutableArray());
    }

    /// <summary>
    /// Runs the scenario on the plant alone for its duration (no firmware), calling
    /// <paramref name="afterEachStep"/> after each step (e.g. a trace recorder).
    /// </summary>
    public ScenarioReport RunPlantOnly(double dtS, Action<VirtualPlant>? afterEachStep = null)
    {
        if (_plant.StepCount == 0)
        {
            AfterStep(); // expectations at 0 s see the initial state
        }

        long endNs = (long)Math.Round(Scenario.DurationS * 1e9);
        long dtNs = (long)Math.Round(dtS * 1e9);
        while (_plant.TimeNs + dtNs / 2 < endNs)
        {
            BeforeStep();
            _plant.Step(dtS);
            AfterStep();
            afterEachStep?.Invoke(_plant);
        }

        return Finish();
    }

    private (bool Holds, string Observed) Evaluate(ExpectCondition c)
    {
        switch (c)
        {
            case SignalCondition s:
            {
                SignalRef r = _plant.Bus.Get(s.Signal);
                double v = r.Value;
                string text = $"{s.Signal} = {v.ToString("R", CultureInfo.InvariantCulture)}{(r.Valid ? string.Empty : " (invalid)")}, expected {s.Comparison}";
                return (r.Valid && s.Comparison.Holds(v), text);
            }

            case SignalValidityCondition s:
            {
                bool valid = _plant.Bus.Get(s.Signal).Valid;
                return (valid == s.Valid, $"{s.Signal} is {(valid ? "valid" : "invalid")}");
            }

            case AlarmCondition a:
            {
                bool active = _hooks.Alarms!.IsAlarmActive(a.Board, a.Code);
                return (active == a.Active, $"alarm {a.Code} on {a.Board} is {(active ? "active" : "not active")}");
            }

            case MetricCondition m:
            {
                if (!_hooks.Metrics!.TryGetMetric(m.Board, m.Metric, out ScenarioValue value))
                {
                    return (false, $"metric '{m.Metric}' of {m.Board} not published");
                }

                return (m.Comparison.Holds(value), $"metric '{m.Metric}' of {m.Board} = {value}, expected {m.Comparison}");
            }

            case ConsoleOutputCondition o:
            {
                bool found = _hooks.Console!.OutputContains(o.Board, o.Text);
                return (found, $"console of {o.Board} {(found ? "contains" : "does not contain")} \"{o.Text}\"");
            }

            default:
                return (false, "unknown condition");
        }
    }

    private sealed class Pending
    {
        public Pending(ExpectStep step) => Step = step;

        public ExpectStep Step { get; }

        public StepResult? Result { get; set; }

        public string? LastObserved { get; set; }
    }
}
