using System.Globalization;

namespace Tfb.Plant.Scenarios;

/// <summary>
/// Times in scenario files: a non-negative decimal number immediately followed by a unit,
/// <c>ms</c>, <c>s</c>, <c>min</c> or <c>h</c> (e.g. <c>150ms</c>, <c>2.5s</c>, <c>1.5min</c>).
/// A bare number is refused: a missing unit is the commonest scenario bug.
/// </summary>
public static class ScenarioTime
{
    /// <summary>Longest time a scenario may name, s (1000 h; plant time in ns would hold 292 years).</summary>
    public const double MaxSeconds = 3.6e6;

    /// <summary>Parses a time token.</summary>
    /// <param name="token">The token.</param>
    /// <param name="seconds">Seconds on success.</param>
    /// <param name="error">The problem on failure.</param>
    public static bool TryParse(string token, out double seconds, out string? error)
    {
        seconds = 0;
        int i = 0;
        while (i < token.Length && (char.IsAsciiDigit(token[i]) || token[i] == '.'))
        {
            i++;
        }

        string number = token.Substring(0, i);
        string unit = token.Substring(i);
        double scale = unit switch
        {
            "ms" => 1e-3,
            "s" => 1.0,
            "min" => 60.0,
            "h" => 3600.0,
            _ => double.NaN,
        };

        if (number.Length == 0 || number.Count(c => c == '.') > 1 || number[0] == '.' || number[^1] == '.' ||
            !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
        {
            error = $"'{token}' is not a time: write a non-negative number and a unit, e.g. 2.5s, 150ms, 1min";
            return false;
        }

        if (double.IsNaN(scale))
        {
            error = unit.Length == 0
                ? $"time '{token}' has no unit (use ms, s, min or h)"
                : $"time '{token}' has unknown unit '{unit}' (use ms, s, min or h)";
            return false;
        }

        if (value * scale > MaxSeconds)
        {
            error = $"time '{token}' is longer than the longest run (1000 h)";
            return false;
        }

        seconds = value * scale;
        error = null;
        return true;
    }

    /// <summary>Formats seconds for messages: <c>12.000s</c>.</summary>
    public static string Format(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture) + "s";
}
