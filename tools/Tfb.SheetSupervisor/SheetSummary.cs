using System.Globalization;
using System.Text;

namespace Tfb.SheetSupervisor;

/// <summary>Robust statistics of one measurement over the finite values of a sheet.</summary>
/// <param name="Count">Finite values.</param>
/// <param name="Missing">Sites where the value is NaN (not measured) or infinite.</param>
/// <param name="Median">Median (NaN when Count is 0).</param>
/// <param name="Iqr">Interquartile range Q3 - Q1, quantiles by linear interpolation (Hyndman-Fan type 7).</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
public sealed record MeasureStats(int Count, int Missing, double Median, double Iqr, double Min, double Max)
{
    /// <summary>Statistics of the values; NaN and infinities count as missing.</summary>
    public static MeasureStats Of(IEnumerable<double> values)
    {
        var finite = new List<double>();
        int missing = 0;
        foreach (double v in values)
        {
            if (double.IsFinite(v)) finite.Add(v);
            else missing++;
        }
        if (finite.Count == 0) return new MeasureStats(0, missing, double.NaN, double.NaN, double.NaN, double.NaN);
        finite.Sort();
        return new MeasureStats(finite.Count, missing, Quantile(finite, 0.5), Quantile(finite, 0.75) - Quantile(finite, 0.25), finite[0], finite[^1]);
    }

    /// <summary>Quantile p of sorted values by linear interpolation between order statistics (type 7).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        double h = (sorted.Count - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}

/// <summary>The per-sheet summary: sites, yield, bin counts and percentages, per-measurement statistics.</summary>
public sealed class SheetSummary
{
    private SheetSummary(SheetResults sheet)
    {
        Sheet = sheet;
        BinCounts = sheet.CountBins();
        Sites = sheet.Sites.Count;
        Good = BinCounts[0] + BinCounts[1];
        foreach (var m in Measurements.All)
        {
            Stats[m] = MeasureStats.Of(sheet.Sites.Select(s => Measurements.Get(s, m)));
        }
    }

    /// <summary>The sheet summarised.</summary>
    public SheetResults Sheet { get; }

    /// <summary>Sites tested (rows in the input).</summary>
    public int Sites { get; }

    /// <summary>Sites in the good bins 1 and 2.</summary>
    public long Good { get; }

    /// <summary>Good / sites, 0..1 (NaN for a sheet without sites).</summary>
    public double Yield => Sites == 0 ? double.NaN : (double)Good / Sites;

    /// <summary>Counts of hard bins 1..9 from the rows (index 0 = bin 1).</summary>
    public long[] BinCounts { get; }

    /// <summary>Statistics per measurement.</summary>
    public Dictionary<Measurement, MeasureStats> Stats { get; } = new();

    /// <summary>Summarises a sheet.</summary>
    public static SheetSummary Of(SheetResults sheet) => new(sheet);

    /// <summary>Plain-text report (invariant culture), as <c>summary</c> prints it.</summary>
    public string Format()
    {
        var ci = CultureInfo.InvariantCulture;
        var h = Sheet.Header;
        var b = new StringBuilder();
        b.Append(ci, $"roll {h.Roll}  sheet {h.SheetId}  {h.Columns} x {h.Rows} cells, pitch {NumberFormat.Format(h.PitchXMm)} x {NumberFormat.Format(h.PitchYMm)} mm");
        b.Append(ci, $"  {(h.Formed ? "formed" : "before formation")}  program {(h.Program.Length > 0 ? h.Program : "?")}\n");
        b.Append(ci, $"sites {Sites} of {h.Columns * h.Rows}  good {Good}  yield {(double.IsNaN(Yield) ? "n/a" : (100 * Yield).ToString("F2", ci) + " %")}");
        b.Append(Sheet.End == null ? "  (no end record)\n" : "\n");
        b.Append("hard bin                  count       %\n");
        for (int i = 0; i < HardBins.Count; i++)
        {
            double pct = Sites == 0 ? 0 : 100.0 * BinCounts[i] / Sites;
            b.Append(ci, $"  {i + 1} {HardBins.Name(i + 1),-20} {BinCounts[i],7} {pct,7:F2}\n");
        }
        var soft = Sheet.Sites.GroupBy(s => (s.SoftBin, s.HardBin)).OrderBy(g => g.Key.SoftBin).ThenBy(g => g.Key.HardBin).ToList();
        b.Append("soft bin (-> hard)        count       %\n");
        foreach (var g in soft)
        {
            b.Append(ci, $"  {g.Key.SoftBin,5} (-> {g.Key.HardBin})            {g.Count(),7} {100.0 * g.Count() / Math.Max(1, Sites),7:F2}\n");
        }
        b.Append("measurement          unit      n   miss        median           IQR           min           max\n");
        foreach (var m in Measurements.All)
        {
            var s = Stats[m];
            b.Append(ci, $"  {Measurements.TestName(m),-18} {Measurements.Unit(m),-4} {s.Count,6} {s.Missing,6} {G(s.Median),13} {G(s.Iqr),13} {G(s.Min),13} {G(s.Max),13}\n");
        }
        return b.ToString();
    }

    private static string G(double v) => double.IsNaN(v) ? "-" : v.ToString("G6", CultureInfo.InvariantCulture);
}
