namespace Tfb.SheetSupervisor;

/// <summary>A per-site measurement of the results contract.</summary>
public enum Measurement
{
    /// <summary>Contact check resistance, ohm.</summary>
    ContactOhm,

    /// <summary>Leakage current, A.</summary>
    LeakageA,

    /// <summary>Open-circuit voltage, V.</summary>
    OcvV,

    /// <summary>|Z| at frequency 1, ohm.</summary>
    Z1Ohm,

    /// <summary>Phase at frequency 1, degrees.</summary>
    Z1Deg,

    /// <summary>|Z| at frequency 2, ohm.</summary>
    Z2Ohm,

    /// <summary>Phase at frequency 2, degrees.</summary>
    Z2Deg,

    /// <summary>|Z| at frequency 3, ohm.</summary>
    Z3Ohm,

    /// <summary>Phase at frequency 3, degrees.</summary>
    Z3Deg,
}

/// <summary>Names, units, STDF test numbers and accessors of the measurements; one table, used everywhere.</summary>
public static class Measurements
{
    /// <summary>Every measurement in contract (CSV column) order.</summary>
    public static readonly Measurement[] All =
    {
        Measurement.ContactOhm, Measurement.LeakageA, Measurement.OcvV, Measurement.Z1Ohm, Measurement.Z1Deg,
        Measurement.Z2Ohm, Measurement.Z2Deg, Measurement.Z3Ohm, Measurement.Z3Deg,
    };

    /// <summary>The command-line name: contact, leakage, ocv, z1, z2, z3, phase1, phase2, phase3.</summary>
    public static string CliName(Measurement m) => m switch
    {
        Measurement.ContactOhm => "contact",
        Measurement.LeakageA => "leakage",
        Measurement.OcvV => "ocv",
        Measurement.Z1Ohm => "z1",
        Measurement.Z1Deg => "phase1",
        Measurement.Z2Ohm => "z2",
        Measurement.Z2Deg => "phase2",
        Measurement.Z3Ohm => "z3",
        Measurement.Z3Deg => "phase3",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    /// <summary>The CSV column name (contact_ohm ...).</summary>
    public static string Column(Measurement m) => m switch
    {
        Measurement.ContactOhm => "contact_ohm",
        Measurement.LeakageA => "leakage_a",
        Measurement.OcvV => "ocv_v",
        Measurement.Z1Ohm => "z1_ohm",
        Measurement.Z1Deg => "z1_deg",
        Measurement.Z2Ohm => "z2_ohm",
        Measurement.Z2Deg => "z2_deg",
        Measurement.Z3Ohm => "z3_ohm",
        Measurement.Z3Deg => "z3_deg",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    /// <summary>The contract's test name (limits, STDF TEST_TXT): Contact_Ohm, Leakage_A, OCV_V, Z1_Ohm, Z1_Deg ...</summary>
    public static string TestName(Measurement m) => m switch
    {
        Measurement.ContactOhm => "Contact_Ohm",
        Measurement.LeakageA => "Leakage_A",
        Measurement.OcvV => "OCV_V",
        Measurement.Z1Ohm => "Z1_Ohm",
        Measurement.Z1Deg => "Z1_Deg",
        Measurement.Z2Ohm => "Z2_Ohm",
        Measurement.Z2Deg => "Z2_Deg",
        Measurement.Z3Ohm => "Z3_Ohm",
        Measurement.Z3Deg => "Z3_Deg",
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    /// <summary>Unit text (STDF UNITS, colour bar): Ohm, A, V, deg.</summary>
    public static string Unit(Measurement m) => m switch
    {
        Measurement.ContactOhm or Measurement.Z1Ohm or Measurement.Z2Ohm or Measurement.Z3Ohm => "Ohm",
        Measurement.LeakageA => "A",
        Measurement.OcvV => "V",
        _ => "deg",
    };

    /// <summary>STDF TEST_NUM: 100 contact, 200 leakage, 300 OCV, 410/411 Z1 |Z|/phase, 420/421 Z2, 430/431 Z3.</summary>
    public static uint StdfTestNumber(Measurement m) => m switch
    {
        Measurement.ContactOhm => 100,
        Measurement.LeakageA => 200,
        Measurement.OcvV => 300,
        Measurement.Z1Ohm => 410,
        Measurement.Z1Deg => 411,
        Measurement.Z2Ohm => 420,
        Measurement.Z2Deg => 421,
        Measurement.Z3Ohm => 430,
        Measurement.Z3Deg => 431,
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    /// <summary>A description with the sheet's frequency where it has one, e.g. "|Z| at 1000 Hz".</summary>
    public static string Describe(Measurement m, SheetHeader h) => m switch
    {
        Measurement.ContactOhm => "contact resistance",
        Measurement.LeakageA => "leakage current",
        Measurement.OcvV => "open-circuit voltage",
        Measurement.Z1Ohm => "|Z| at " + Hz(h.Z1Hz),
        Measurement.Z1Deg => "phase at " + Hz(h.Z1Hz),
        Measurement.Z2Ohm => "|Z| at " + Hz(h.Z2Hz),
        Measurement.Z2Deg => "phase at " + Hz(h.Z2Hz),
        Measurement.Z3Ohm => "|Z| at " + Hz(h.Z3Hz),
        Measurement.Z3Deg => "phase at " + Hz(h.Z3Hz),
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    /// <summary>A frequency for people: "100 kHz", "1 kHz", "10 Hz", "f?" when unknown.</summary>
    public static string Hz(double hz) => double.IsNaN(hz) ? "f?"
        : hz >= 1e6 ? (hz / 1e6).ToString("G4", System.Globalization.CultureInfo.InvariantCulture) + " MHz"
        : hz >= 1e3 ? (hz / 1e3).ToString("G4", System.Globalization.CultureInfo.InvariantCulture) + " kHz"
        : hz.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) + " Hz";

    /// <summary>Parses a command-line name (case-insensitive; also the CSV column and test names).</summary>
    public static bool TryParse(string text, out Measurement m)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(text, CliName(candidate), StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, Column(candidate), StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, TestName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                m = candidate;
                return true;
            }
        }
        m = default;
        return false;
    }

    /// <summary>The site's value of a measurement (NaN = not measured).</summary>
    public static double Get(SiteResult s, Measurement m) => m switch
    {
        Measurement.ContactOhm => s.ContactOhm,
        Measurement.LeakageA => s.LeakageA,
        Measurement.OcvV => s.OcvV,
        Measurement.Z1Ohm => s.Z1Ohm,
        Measurement.Z1Deg => s.Z1Deg,
        Measurement.Z2Ohm => s.Z2Ohm,
        Measurement.Z2Deg => s.Z2Deg,
        Measurement.Z3Ohm => s.Z3Ohm,
        Measurement.Z3Deg => s.Z3Deg,
        _ => throw new ArgumentOutOfRangeException(nameof(m)),
    };

    /// <summary>Sets the site's value of a measurement.</summary>
    public static void Set(SiteResult s, Measurement m, double value)
    {
        switch (m)
        {
            case Measurement.ContactOhm: s.ContactOhm = value; break;
            case Measurement.LeakageA: s.LeakageA = value; break;
            case Measurement.OcvV: s.OcvV = value; break;
            case Measurement.Z1Ohm: s.Z1Ohm = value; break;
            case Measurement.Z1Deg: s.Z1Deg = value; break;
            case Measurement.Z2Ohm: s.Z2Ohm = value; break;
            case Measurement.Z2Deg: s.Z2Deg = value; break;
            case Measurement.Z3Ohm: s.Z3Ohm = value; break;
            case Measurement.Z3Deg: s.Z3Deg = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(m));
        }
    }
}

/// <summary>Culture-free number text of the results file: shortest round-trip, <c>nan</c>, <c>inf</c>, <c>-inf</c>.</summary>
public static class NumberFormat
{
    /// <summary>Formats a double so that <see cref="TryParse(string, out double)"/> gives it back exactly.</summary>
    public static string Format(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsPositiveInfinity(v)) return "inf";
        if (double.IsNegativeInfinity(v)) return "-inf";
        return v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a number: decimal/exponent text, nan, inf, -inf, +inf (case-insensitive). No thousands separators.</summary>
    public static bool TryParse(string text, out double v) => TryParse(text.AsSpan(), out v);

    /// <summary>As <see cref="TryParse(string, out double)"/>, on a span (no string allocated).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out double v)
    {
        var t = text.Trim();
        if (t.Equals("nan", StringComparison.OrdinalIgnoreCase)) { v = double.NaN; return true; }
        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("+inf", StringComparison.OrdinalIgnoreCase)
            || t.Equals("infinity", StringComparison.OrdinalIgnoreCase)) { v = double.PositiveInfinity; return true; }
        if (t.Equals("-inf", StringComparison.OrdinalIgnoreCase) || t.Equals("-infinity", StringComparison.OrdinalIgnoreCase))
        {
            v = double.NegativeInfinity;
            return true;
        }
        return double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out v)
            && !double.IsNaN(v) && !double.IsInfinity(v);
    }

    /// <summary>A float widened to the double with the same shortest decimal text (4.15f becomes 4.15, not 4.1500000953...).</summary>
    public static double FromFloat(float f)
    {
        if (float.IsNaN(f)) return double.NaN;
        if (float.IsInfinity(f)) return f > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        return double.Parse(f.ToString("R", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
    }
}
