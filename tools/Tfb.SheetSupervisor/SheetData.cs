namespace Tfb.SheetSupervisor;

/// <summary>
/// The sheet-start record of the results contract (docs/supervisor.md): identity, geometry, test frequencies.
/// Lengths in mm, frequencies in Hz, times in ms since the Unix epoch (UTC). NaN means "not given".
/// </summary>
public sealed class SheetHeader
{
    /// <summary>Roll id (STDF lot).</summary>
    public string Roll { get; set; } = "";

    /// <summary>Sheet id (STDF wafer).</summary>
    public string SheetId { get; set; } = "";

    /// <summary>Cell columns (X count).</summary>
    public int Columns { get; set; }

    /// <summary>Cell rows (Y count).</summary>
    public int Rows { get; set; }

    /// <summary>Centre-to-centre cell distance along X, mm.</summary>
    public double PitchXMm { get; set; } = double.NaN;

    /// <summary>Centre-to-centre cell distance along Y, mm.</summary>
    public double PitchYMm { get; set; } = double.NaN;

    /// <summary>Cell width (X), mm.</summary>
    public double CellWMm { get; set; } = double.NaN;

    /// <summary>Cell height (Y), mm.</summary>
    public double CellHMm { get; set; } = double.NaN;

    /// <summary>Impedance frequency 1, Hz.</summary>
    public double Z1Hz { get; set; } = double.NaN;

    /// <summary>Impedance frequency 2, Hz.</summary>
    public double Z2Hz { get; set; } = double.NaN;

    /// <summary>Impedance frequency 3, Hz.</summary>
    public double Z3Hz { get; set; } = double.NaN;

    /// <summary>True after formation (OCV measured), false before (leakage measured).</summary>
    public bool Formed { get; set; }

    /// <summary>Test program name.</summary>
    public string Program { get; set; } = "";

    /// <summary>Sheet start time, ms since the Unix epoch (UTC); 0 when unknown.</summary>
    public long StartMs { get; set; }

    /// <summary>True when the geometry came from a sheet-start record (false: inferred from the sites seen).</summary>
    public bool GeometryKnown { get; set; } = true;

    /// <summary>A copy.</summary>
    public SheetHeader Clone() => (SheetHeader)MemberwiseClone();
}

/// <summary>Static limits of one test for one sheet (STDF PTR limits). NaN = no limit on that side.</summary>
/// <param name="Test">Contract test name, e.g. <c>OCV_V</c> (see <see cref="Measurements"/>).</param>
/// <param name="Lo">Low limit in the test's unit.</param>
/// <param name="Hi">High limit in the test's unit.</param>
public sealed record TestLimit(string Test, double Lo, double Hi);

/// <summary>One tested site (cell). Measurements in the units of their names; NaN = not measured.</summary>
public sealed class SiteResult
{
    /// <summary>Roll id.</summary>
    public string Roll { get; set; } = "";

    /// <summary>Sheet id.</summary>
    public string Sheet { get; set; } = "";

    /// <summary>Column, 0-based, 0 at the left seen from the coated side.</summary>
    public int X { get; set; }

    /// <summary>Row, 0-based, 0 at the leading edge.</summary>
    public int Y { get; set; }

    /// <summary>Site order number within the sheet, 0-based.</summary>
    public long Seq { get; set; }

    /// <summary>Measurement time, ms since the Unix epoch (UTC).</summary>
    public long TimeMs { get; set; }

    /// <summary>Contact (Kelvin) check resistance, ohm.</summary>
    public double ContactOhm { get; set; } = double.NaN;

    /// <summary>Leakage current at the test voltage, A.</summary>
    public double LeakageA { get; set; } = double.NaN;

    /// <summary>Open-circuit voltage, V.</summary>
    public double OcvV { get; set; } = double.NaN;

    /// <summary>|Z| at frequency 1, ohm.</summary>
    public double Z1Ohm { get; set; } = double.NaN;

    /// <summary>Phase at frequency 1, degrees.</summary>
    public double Z1Deg { get; set; } = double.NaN;

    /// <summary>|Z| at frequency 2, ohm.</summary>
    public double Z2Ohm { get; set; } = double.NaN;

    /// <summary>Phase at frequency 2, degrees.</summary>
    public double Z2Deg { get; set; } = double.NaN;

    /// <summary>|Z| at frequency 3, ohm.</summary>
    public double Z3Ohm { get; set; } = double.NaN;

    /// <summary>Phase at frequency 3, degrees.</summary>
    public double Z3Deg { get; set; } = double.NaN;

    /// <summary>Hard bin 1..9 (<see cref="HardBins"/>).</summary>
    public int HardBin { get; set; }

    /// <summary>Soft bin (cause; each maps to one hard bin).</summary>
    public int SoftBin { get; set; }

    /// <summary>Bit 0 retested, bit 1 downgraded by neighbours, bit 2 dynamic-limit fail, bit 3 EIS sampled.</summary>
    public uint Flags { get; set; }

    /// <summary>A copy.</summary>
    public SiteResult Clone() => (SiteResult)MemberwiseClone();
}

/// <summary>The sheet-end record: sites tested and the board's own hard-bin counts.</summary>
public sealed class SheetEnd
{
    /// <summary>Sites tested, as the board counted them.</summary>
    public long Sites { get; set; }

    /// <summary>Counts for hard bins 1..9 (index 0 = bin 1), as the board counted them.</summary>
    public long[] BinCounts { get; set; } = new long[HardBins.Count];
}

/// <summary>One sheet: its header, limits, sites in arrival order and (when seen) its end record.</summary>
public sealed class SheetResults
{
    /// <summary>Creates an empty sheet.</summary>
    public SheetResults(SheetHeader header) => Header = header;

    /// <summary>The sheet-start record.</summary>
    public SheetHeader Header { get; }

    /// <summary>Static limits per test (at most one per test).</summary>
    public List<TestLimit> Limits { get; } = new();

    /// <summary>Tested sites in arrival order, at most one per cell.</summary>
    public List<SiteResult> Sites { get; } = new();

    /// <summary>The sheet-end record; null while the sheet is open or when it never arrived.</summary>
    public SheetEnd? End { get; set; }

    /// <summary>The limit of a test, or null.</summary>
    public TestLimit? LimitFor(string test)
    {
        foreach (var l in Limits)
        {
            if (string.Equals(l.Test, test, StringComparison.OrdinalIgnoreCase)) return l;
        }
        return null;
    }

    /// <summary>Hard-bin counts 1..9 computed from the sites (index 0 = bin 1).</summary>
    public long[] CountBins()
    {
        var counts = new long[HardBins.Count];
        foreach (var s in Sites)
        {
            if (s.HardBin >= 1 && s.HardBin <= HardBins.Count) counts[s.HardBin - 1]++;
        }
        return counts;
    }
}

/// <summary>A results file: sheets in file order.</summary>
public sealed class ResultsFile
{
    /// <summary>The sheets.</summary>
    public List<SheetResults> Sheets { get; } = new();
}

/// <summary>The hard-bin table of the reference (process-and-plant.md, "Sheet test").</summary>
public static class HardBins
{
    /// <summary>Number of hard bins (1..9).</summary>
    public const int Count = 9;

    private static readonly string[] s_names =
    {
        "good A", "good B", "re-form", "short", "open/contact", "high impedance", "low OCV/K-value", "EIS shape", "edge/excluded",
    };

    /// <summary>The bin's name ("good A" ...), or "bin N" outside 1..9.</summary>
    public static string Name(int bin) => bin >= 1 && bin <= Count ? s_names[bin - 1] : "bin " + bin;

    /// <summary>True for the good bins (1 good A, 2 good B): they count for yield and pass in STDF.</summary>
    public static bool IsGood(int bin) => bin == 1 || bin == 2;
}
