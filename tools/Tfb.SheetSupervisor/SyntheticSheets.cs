namespace Tfb.SheetSupervisor;

/// <summary>Options of <see cref="SyntheticSheets"/>.</summary>
public sealed class SynthOptions
{
    /// <summary>Columns.</summary>
    public int Columns { get; set; } = 20;

    /// <summary>Rows.</summary>
    public int Rows { get; set; } = 25;

    /// <summary>Sheets (S0001, S0002 ...).</summary>
    public int Sheets { get; set; } = 1;

    /// <summary>Random seed (same seed, same file).</summary>
    public int Seed { get; set; } = 1;

    /// <summary>Shorts per sheet (Poisson mean).</summary>
    public double ShortsPerSheet { get; set; } = 3;

    /// <summary>Opens per sheet (Poisson mean).</summary>
    public double OpensPerSheet { get; set; } = 2;
}

/// <summary>
/// Synthetic demonstration sheets: NOT measured data and not the plant model. A LiPON thickness field (cross-web
/// tilt plus a centre bump, a few %) sets the 100 kHz |Z|; the OCV follows a smooth state-of-charge field; shorts
/// and opens are scattered at random. Used for the documentation's sample figures and for load measurements of the
/// tool (<c>synth</c> command); every file it writes says <c>program=synthetic</c> and roll <c>SYNTH</c>.
/// </summary>
public static class SyntheticSheets
{
    /// <summary>Creates the sheets.</summary>
    public static List<SheetResults> Create(SynthOptions o)
    {
        var rng = new Random(o.Seed);
        var sheets = new List<SheetResults>();
        long t0 = 1_795_000_000_000;
        for (int k = 0; k < o.Sheets; k++)
        {
            string id = "S" + (k + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            var h = new SheetHeader
            {
                Roll = "SYNTH", SheetId = id, Columns = o.Columns, Rows = o.Rows, PitchXMm = 12, PitchYMm = 12, CellWMm = 10, CellHMm = 10,
                Z1Hz = 100000, Z2Hz = 1000, Z3Hz = 10, Formed = true, Program = "synthetic", StartMs = t0,
            };
            var sheet = new SheetResults(h);
            sheet.Limits.Add(new TestLimit("Contact_Ohm", double.NaN, 5));
            sheet.Limits.Add(new TestLimit("OCV_V", 4.0, 4.25));
            sheet.Limits.Add(new TestLimit("Z1_Ohm", double.NaN, 150));
            var shorts = Scatter(rng, o.Columns, o.Rows, Poisson(rng, o.ShortsPerSheet));
            var opens = Scatter(rng, o.Columns, o.Rows, Poisson(rng, o.OpensPerSheet));
            long seq = 0;
            for (int y = 0; y < o.Rows; y++)
            {
                for (int x = 0; x < o.Columns; x++)
                {
                    double u = o.Columns > 1 ? (double)x / (o.Columns - 1) - 0.5 : 0, v = o.Rows > 1 ? (double)y / (o.Rows - 1) - 0.5 : 0;
                    double thickness = 1.5 * (1 + 0.04 * u + 0.03 * Math.Exp(-(u * u + v * v) / 0.08) + 0.004 * Gauss(rng)); // um
                    double rLipon = 65 * thickness / 1.5;
                    double rs = 0.3 + 0.05 * rng.NextDouble();
                    var s = new SiteResult
                    {
                        Roll = h.Roll, Sheet = id, X = x, Y = y, Seq = seq, TimeMs = t0 + 1000 + 700 * seq,
                        ContactOhm = 0.4 + 0.3 * rng.NextDouble(),
                        OcvV = 4.16 - 0.01 * v + 0.006 * u * u + 0.0003 * Gauss(rng),
                        Z1Ohm = rs + rLipon, Z1Deg = -8 - 4 * thickness / 1.5,
                        Z2Ohm = rs + rLipon + 60 * (1 + 0.05 * Gauss(rng)), Z2Deg = -25 + 2 * Gauss(rng),
                        Z3Ohm = 900 * (1 + 0.03 * Gauss(rng)), Z3Deg = -72 + Gauss(rng),
                        HardBin = 1, SoftBin = 100,
                    };
                    if (s.Z1Ohm > 70) { s.HardBin = 2; s.SoftBin = 200; }
                    if (shorts.Contains((x, y)))
                    {
                        s.OcvV = 0.2 * rng.NextDouble();
                        s.Z1Ohm = s.Z2Ohm = s.Z3Ohm = 10 + 40 * rng.NextDouble();
                        s.Z1Deg = s.Z2Deg = s.Z3Deg = -1;
                        s.HardBin = 4;
                        s.SoftBin = 410;
                    }
                    else if (opens.Contains((x, y)))
                    {
                        s.ContactOhm = double.PositiveInfinity;
                        s.OcvV = s.Z1Ohm = s.Z1Deg = s.Z2Ohm = s.Z2Deg = s.Z3Ohm = s.Z3Deg = double.NaN;
                        s.HardBin = 5;
                        s.SoftBin = 510;
                        s.Flags = 1;
                    }
                    sheet.Sites.Add(s);
                    seq++;
                }
            }
            sheet.End = new SheetEnd { Sites = sheet.Sites.Count, BinCounts = sheet.CountBins() };
            sheets.Add(sheet);
            t0 += 1000 + 700 * seq + 60_000;
        }
        return sheets;
    }

    private static HashSet<(int, int)> Scatter(Random rng, int cols, int rows, int n)
    {
        var set = new HashSet<(int, int)>();
        n = Math.Min(n, cols * rows);
        while (set.Count < n) set.Add((rng.Next(cols), rng.Next(rows)));
        return set;
    }

    private static int Poisson(Random rng, double mean)
    {
        double l = Math.Exp(-mean), p = 1;
        int k = 0;
        do
        {
            k++;
            p *= rng.NextDouble();
        }
        while (p > l);
        return k - 1;
    }

    private static double Gauss(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
