using Tfb.SheetSupervisor;

namespace Tfb.SheetSupervisor.Tests;

/// <summary>
/// Small synthetic sheets for the tests (not the plant): a smooth OCV/impedance field over the sheet, a few
/// shorts and opens at chosen cells, binned by simple rules. Deterministic for a seed.
/// </summary>
internal static class SyntheticSheet
{
    public const long StartMs = 1_795_000_000_000;

    public static SheetResults Create(int cols = 6, int rows = 4, int seed = 1, string roll = "R1", string sheetId = "S0001",
        bool allOpen = false, (int X, int Y)? hot = null, (int X, int Y)[]? shorts = null, (int X, int Y)[]? opens = null, bool formed = true)
    {
        var rng = new Random(seed);
        var h = new SheetHeader
        {
            Roll = roll, SheetId = sheetId, Columns = cols, Rows = rows, PitchXMm = 10, PitchYMm = 12, CellWMm = 8, CellHMm = 9,
            Z1Hz = 100000, Z2Hz = 1000, Z3Hz = 10, Formed = formed, Program = "default test", StartMs = StartMs,
        };
        var sheet = new SheetResults(h);
        sheet.Limits.Add(new TestLimit("Contact_Ohm", double.NaN, 5));
        sheet.Limits.Add(new TestLimit("OCV_V", 3.9, 4.25));
        sheet.Limits.Add(new TestLimit("Z2_Ohm", 20, 400));
        int seq = 0;
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < cols; x++)
            {
                var s = new SiteResult
                {
                    Roll = roll, Sheet = sheetId, X = x, Y = y, Seq = seq, TimeMs = StartMs + 1000 + 250L * seq,
                    ContactOhm = Math.Round(0.5 + 0.1 * rng.NextDouble(), 4),
                    OcvV = formed ? Math.Round(4.15 + 0.002 * x - 0.001 * y + 0.0005 * rng.NextDouble(), 5) : double.NaN,
                    LeakageA = formed ? double.NaN : Math.Round(1e-9 * (1 + rng.NextDouble()), 12),
                    Z1Ohm = Math.Round(60 + 0.5 * x, 3), Z1Deg = Math.Round(-20 - 0.1 * y, 2),
                    Z2Ohm = 150.0 + 2 * x + y, Z2Deg = -35.5,
                    Z3Ohm = 900.0 + 10 * y, Z3Deg = -70.25,
                    HardBin = 1, SoftBin = 100,
                };
                seq++;
                if (hot is { } hc && hc.X == x && hc.Y == y)
                {
                    s.OcvV = 4.30;
                    s.Z2Ohm = 1000;
                    s.HardBin = 6;
                    s.SoftBin = 600;
                    s.Flags = 4;
                }
                if (shorts != null && shorts.Contains((x, y)))
                {
                    s.OcvV = 0.05;
                    s.Z2Ohm = 12;
                    s.HardBin = 4;
                    s.SoftBin = 400;
                }
                if (allOpen || opens != null && opens.Contains((x, y)))
                {
                    s.ContactOhm = double.PositiveInfinity;
                    s.OcvV = s.LeakageA = s.Z1Ohm = s.Z1Deg = s.Z2Ohm = s.Z2Deg = s.Z3Ohm = s.Z3Deg = double.NaN;
                    s.HardBin = 5;
                    s.SoftBin = 500;
                    s.Flags = 1;
                }
                sheet.Sites.Add(s);
            }
        }
        sheet.End = new SheetEnd { Sites = sheet.Sites.Count, BinCounts = sheet.CountBins() };
        return sheet;
    }

    public static string ToCsv(params SheetResults[] sheets)
    {
        var w = new StringWriter { NewLine = "\n" };
        ResultsCsv.Write(w, sheets);
        return w.ToString();
    }

    public static string WriteTemp(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), "tfb-sheet-" + Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, text);
        return path;
    }
}
