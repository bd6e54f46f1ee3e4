using System.Collections.Immutable;
using System.Globalization;

namespace Tfb.Plant.Scenarios;

/// <summary>
/// A parsed scenario file: immutable. Built only by <see cref="ScenarioParser"/>; a file with any
/// error produces no scenario at all.
/// </summary>
/// <param name="SourceName">File name (or label) used in messages.</param>
/// <param name="Title">Optional title from the <c>scenario</c> line; empty if none.</param>
/// <param name="Seed">Plant seed (<c>seed</c> line; 1 when absent).</param>
/// <param name="DurationS">Run length, s (<c>duration</c> line, required).</param>
/// <param name="Boards">Boards the steps address (<c>board</c> lines), in declaration order.</param>
/// <param name="TraceSignals">Signals to trace (<c>trace</c> lines), in order, without duplicates.</param>
/// <param name="Steps">Steps in file order (which is also time order).</param>
public sealed record Scenario(
    string SourceName,
    string Title,
    ulong Seed,
    double DurationS,
    ImmutableArray<string> Boards,
    ImmutableArray<string> TraceSignals,
    ImmutableArray<ScenarioStep> Steps);

/// <summary>Where a step came from.</summary>
/// <param name="File">Source name.</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Text">The line as written, trimmed.</param>
public sealed record SourceLine(string File, int Line, string Text)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>A step: something done or checked at a time.</summary>
/// <param name="Source">Where it was written.</param>
/// <param name="AtS">When it starts, s from scenario start.</param>
public abstract record ScenarioStep(SourceLine Source, double AtS);

/// <summary><c>console &lt;board&gt; &lt;text&gt;</c>: a line typed on the board's technician console.</summary>
public sealed record ConsoleStep(SourceLine Source, double AtS, string Board, string Text) : ScenarioStep(Source, AtS);

/// <summary>
/// <c>mqtt ncmd &lt;board&gt; &lt;metric&gt; &lt;value&gt;</c> or <c>mqtt dcmd &lt;board&gt; &lt;device&gt; &lt;metric&gt; &lt;value&gt;</c>:
/// a Sparkplug command from the host application.
/// </summary>
/// <param name="Source">Where it was written.</param>
/// <param name="AtS">When it is sent, s.</param>
/// <param name="Board">Board (edge node) addressed.</param>
/// <param name="Device">Device name for DCMD; null for NCMD.</param>
/// <param name="Metric">Metric name, e.g. <c>Node Control/Rebirth</c>.</param>
/// <param name="Value">Value to write.</param>
public sealed record MqttCommandStep(SourceLine Source, double AtS, string Board, string? Device, string Metric, ScenarioValue Value)
    : ScenarioStep(Source, AtS);

/// <summary><c>broker down</c> / <c>broker up</c>: the MQTT broker goes away or comes back.</summary>
public sealed record BrokerStep(SourceLine Source, double AtS, bool Up) : ScenarioStep(Source, AtS);

/// <summary><c>fault &lt;target&gt; &lt;fault&gt; [numbers]</c>: injects a plant fault.</summary>
public sealed record FaultStep(SourceLine Source, double AtS, string Target, string Fault, ImmutableArray<double> Parameters)
    : ScenarioStep(Source, AtS);

/// <summary><c>clear &lt;target&gt;|all</c>: clears plant faults.</summary>
public sealed record ClearFaultStep(SourceLine Source, double AtS, string Target) : ScenarioStep(Source, AtS);

/// <summary>
/// <c>set &lt;signal&gt; &lt;number&gt;</c>: writes a plant bus signal once (a command or input). For
/// plant-only runs; with boards attached a board writing the same signal overwrites it on its next scan.
/// </summary>
public sealed record SetSignalStep(SourceLine Source, double AtS, string Signal, double Value) : ScenarioStep(Source, AtS);

/// <summary>How an expectation is judged over time.</summary>
public enum ExpectWindow
{
    /// <summary><c>at t expect ...</c>: true at the first sample at or after t.</summary>
    At,

    /// <summary><c>at t expect ... for d</c>: true at every sample in [t, t + d].</summary>
    For,

    /// <summary><c>within d expect ...</c>: true at some sample in [t, t + d], t the previous step's time.</summary>
    Within,
}

/// <summary>An expectation step.</summary>
/// <param name="Source">Where it was written.</param>
/// <param name="AtS">Start of the window, s.</param>
/// <param name="Condition">What must hold.</param>
/// <param name="Window">How it is judged.</param>
/// <param name="EndS">End of the window, s (= AtS for <see cref="ExpectWindow.At"/>).</param>
public sealed record ExpectStep(SourceLine Source, double AtS, ExpectCondition Condition, ExpectWindow Window, double EndS)
    : ScenarioStep(Source, AtS);

/// <summary>Something an expectation checks.</summary>
public abstract record ExpectCondition;

/// <summary><c>signal &lt;name&gt; &lt;comparison&gt;</c>: a plant bus signal (must also be valid).</summary>
public sealed record SignalCondition(string Signal, Comparison Comparison) : ExpectCondition;

/// <summary><c>signal &lt;name&gt; valid|invalid</c>: the signal's valid flag.</summary>
public sealed record SignalValidityCondition(string Signal, bool Valid) : ExpectCondition;

/// <summary><c>alarm &lt;board&gt; &lt;code&gt;</c> (active) or <c>noalarm &lt;board&gt; &lt;code&gt;</c> (not active).</summary>
public sealed record AlarmCondition(string Board, int Code, bool Active) : ExpectCondition;

/// <summary><c>metric &lt;board&gt; &lt;metric&gt; &lt;comparison&gt;</c>: a Sparkplug metric the board published.</summary>
public sealed record MetricCondition(string Board, string Metric, Comparison Comparison) : ExpectCondition;

/// <summary><c>console &lt;board&gt; contains &lt;text&gt;</c>: the board's console output so far contains the text.</summary>
public sealed record ConsoleOutputCondition(string Board, string Text) : ExpectCondition;

/// <summary>Comparison kinds.</summary>
public enum ComparisonKind
{
    /// <summary><c>between lo hi</c>, inclusive.</summary>
    Between,

    /// <summary><c>above x</c>, strict.</summary>
    Above,

    /// <summary><c>below x</c>, strict.</summary>
    Below,

    /// <summary><c>equals v</c>: numbers exactly, booleans, text (metrics only).</summary>
    Equals,
}

/// <summary>A comparison against numbers or a value.</summary>
public sealed record Comparison(ComparisonKind Kind, double Low, double High, ScenarioValue? Value)
{
    /// <summary>True when <paramref name="x"/> satisfies the comparison; NaN never does.</summary>
    public bool Holds(double x) => Kind switch
    {
        ComparisonKind.Between => x >= Low && x <= High,
        ComparisonKind.Above => x > Low,
        ComparisonKind.Below => x < High,
        ComparisonKind.Equals => Value is { Kind: ScenarioValueKind.Number } v && x == v.Number,
        _ => false,
    };

    /// <summary>True when a typed value satisfies the comparison.</summary>
    public bool Holds(ScenarioValue value)
    {
        if (Kind == ComparisonKind.Equals)
        {
            return Value is not null && Value.Equals(value);
        }

        return value.Kind == ScenarioValueKind.Number && Holds(value.Number);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ComparisonKind.Between => $"between {Fmt(Low)} and {Fmt(High)}",
        ComparisonKind.Above => $"above {Fmt(Low)}",
        ComparisonKind.Below => $"below {Fmt(High)}",
        _ => $"equal to {Value}",
    };

    private static string Fmt(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Kinds of typed values in scenario files.</summary>
public enum ScenarioValueKind
{
    /// <summary><c>true</c> / <c>false</c>.</summary>
    Bool,

    /// <summary>A finite number.</summary>
    Number,

    /// <summary>A quoted string.</summary>
    Text,
}

/// <summary>A typed value: bare <c>true</c>/<c>false</c>, a bare number, or a quoted string.</summary>
public sealed record ScenarioValue(ScenarioValueKind Kind, bool Bool, double Number, string Text)
{
    /// <summary>A boolean.</summary>
    public static ScenarioValue Of(bool b) => new(ScenarioValueKind.Bool, b, 0, string.Empty);

    /// <summary>A number.</summary>
    public static ScenarioValue Of(double x) => new(ScenarioValueKind.Number, false, x, string.Empty);

    /// <summary>A string.</summary>
    public static ScenarioValue Of(string s) => new(ScenarioValueKind.Text, false, 0, s);

    /// <summary>True when the number has no fractional part (send as an integer metric).</summary>
    public bool IsInteger => Kind == ScenarioValueKind.Number && Math.Floor(Number) == Number && Math.Abs(Number) < 9.2e18;

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ScenarioValueKind.Bool => Bool ? "true" : "false",
        ScenarioValueKind.Number => Number.ToString("R", CultureInfo.InvariantCulture),
        _ => "\"" + Text + "\"",
    };
}
