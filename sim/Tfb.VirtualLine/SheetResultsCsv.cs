using System.Globalization;
using Tfb.Stations.SheetTest;

namespace Tfb.VirtualLine;

/// <summary>
/// The sheet-test results file (the results contract's CSV): per sheet a <c># sheet</c> header, one
/// <c># limit</c> line per test with a limit, the column header, one row per cell in site order, and
/// <c># end</c>. UTF-8, invariant culture, '\n' line ends, <c>nan</c> for not measured; values with spaces
/// are percent-encoded. The one formatter of this file in the firmware's repository (the virtual line and the
/// benchmark use it).
/// </summary>
public static class SheetResultsCsv
{
    /// <summary>The column header line.</summary>
    public const string Header = "roll,sheet,x,y,seq,time_ms,contact_ohm,leakage_a,ocv_v,z1_ohm,z1_deg,z2_ohm,z2_deg,z3_ohm,z3_deg,hard_bin,soft_bin,flags";

    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>Writes one binned sheet.</summary>
    public static void Write(TextWriter w, SheetTable t)
    {
        string sheet = SheetResultPublisher.SheetId(t.SheetNumber);
        string roll = Encode(t.RollId);
        w.Write($"# sheet roll={roll} sheet={sheet} cols={t.Columns} rows={t.Rows} pitch_x_mm={R(t.PitchXMm)} pitch_y_mm={R(t.PitchYMm)} " +
                $"cell_w_mm={R(t.CellWMm)} cell_h_mm={R(t.CellHMm)} z1_hz={t.FrequencyHz[0]} z2_hz={t.FrequencyHz[1]} z3_hz={t.FrequencyHz[2]} " +
                $"formed={(t.Formed ? 1 : 0)} program={Encode(t.Program)} start_ms={t.StartMs}\n");
        for (int k = 0; k < SheetTests.Count; k++)
        {
            if (double.IsNaN(t.LimitLo[k]) && double.IsNaN(t.LimitHi[k])) continue;
            w.Write($"# limit test={SheetTests.FileNames[k]} lo={R(t.LimitLo[k])} hi={R(t.LimitHi[k])}\n");
        }
        w.Write(Header + "\n");
        for (int s = 0; s < t.SiteCount; s++)
        {
            int c = t.Order[s];
            long time = t.Tested[c] ? t.TimeMs[c] : t.EndMs;
            w.Write($"{roll},{sheet},{c % t.Columns},{c / t.Columns},{s},{time},{F(t.ContactOhm[c])},{F(t.LeakageA[c])},{F(t.OcvV[c])}," +
                    $"{F(t.ZOhm[c * 3])},{F(t.ZDeg[c * 3])},{F(t.ZOhm[c * 3 + 1])},{F(t.ZDeg[c * 3 + 1])},{F(t.ZOhm[c * 3 + 2])},{F(t.ZDeg[c * 3 + 2])}," +
                    $"{t.HardBin[c]},{t.SoftBin[c]},{t.Flags[c]}\n");
        }
        w.Write($"# end sheet={sheet} sites={t.SitesTested} bins={SheetResultPublisher.BinCounts(t)}\n");
    }

    /// <summary>
    /// Appends every sheet the sheet-test boards of <paramref name="line"/> bin from now on to
    /// <paramref name="path"/> (created empty now). Runs on the line's thread when a sheet completes.
    /// </summary>
    /// <returns>The number of sheet-test boards attached.</returns>
    public static int Attach(Line line, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, "");
        int n = 0;
        foreach (var b in line.Boards)
        {
            for (int i = 0; i < b.Runtime.ModuleCount; i++)
            {
                if (b.Runtime.Module(i) is not SheetTestModule m) continue;
                m.Sequencer.SheetCompleted = t =>
                {
                    using var w = new StreamWriter(path, append: true, new System.Text.UTF8Encoding(false));
                    Write(w, t);
                };
                n++;
            }
        }
        return n;
    }

    private static string F(float v) => float.IsNaN(v) ? "nan" : v.ToString("R", s_inv);

    private static string R(double v) => double.IsNaN(v) ? "nan" : v.ToString("R", s_inv);

    private static string Encode(string v) => v.Replace("%", "%25", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal);
}
