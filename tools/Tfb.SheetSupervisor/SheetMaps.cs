using ScottPlot;

namespace Tfb.SheetSupervisor;

/// <summary>How the colour range of a heat map is chosen.</summary>
public enum ColorRangeMode
{
    /// <summary>Q1 - 3 IQR .. Q3 + 3 IQR, clipped to the data: one shorted cell does not wash out the sheet. Cells outside are drawn in the end colour with a black outline.</summary>
    Robust,

    /// <summary>Smallest to largest finite value.</summary>
    Full,
}

/// <summary>Options of the sheet maps.</summary>
public sealed class MapOptions
{
    /// <summary>Image width, px.</summary>
    public int WidthPx { get; set; } = 900;

    /// <summary>Image height, px.</summary>
    public int HeightPx { get; set; } = 1000;

    /// <summary>Colour range of heat maps.</summary>
    public ColorRangeMode Range { get; set; } = ColorRangeMode.Robust;

    /// <summary>Fixed colour range low end (overrides <see cref="Range"/> when both ends are given).</summary>
    public double? RangeLo { get; set; }

    /// <summary>Fixed colour range high end.</summary>
    public double? RangeHi { get; set; }
}

/// <summary>A rendered sheet map: the plot and where its cells landed in the image.</summary>
public sealed class SheetMap
{
    private readonly SheetHeader _h;

    internal SheetMap(Plot plot, SheetHeader header, int cellsDrawn, int cellsMarked, double lo, double hi)
    {
        Plot = plot;
        _h = header;
        CellsDrawn = cellsDrawn;
        CellsMarked = cellsMarked;
        ColorLo = lo;
        ColorHi = hi;
    }

    /// <summary>The ScottPlot plot (for callers that want to add to it).</summary>
    public Plot Plot { get; }

    /// <summary>Cells drawn with a value colour (heat map) or a bin colour (bin map).</summary>
    public int CellsDrawn { get; }

    /// <summary>Cells drawn as "not measured" (heat map: NaN/infinite) or "not tested" (bin map).</summary>
    public int CellsMarked { get; }

    /// <summary>Colour range low end (heat map), in the measurement's unit.</summary>
    public double ColorLo { get; }

    /// <summary>Colour range high end (heat map).</summary>
    public double ColorHi { get; }

    /// <summary>Writes the PNG.</summary>
    public void SavePng(string path, int widthPx, int heightPx) => Plot.SavePng(path, widthPx, heightPx);

    /// <summary>The image pixel at the centre of cell (x, y); valid after <see cref="SavePng"/>.</summary>
    public (int X, int Y) CellCentrePixel(int x, int y)
    {
        var (cx, cy) = SheetMaps.CellCentre(_h, x, y);
        var p = Plot.GetPixel(new Coordinates(cx, cy));
        return ((int)Math.Round(p.X), (int)Math.Round(p.Y));
    }
}

/// <summary>
/// Sheet heat maps and bin maps (ScottPlot, headless). Cells are drawn at their physical positions: cell (x, y)
/// is a cell-size rectangle centred at ((x + 0.5) pitch_x, (y + 0.5) pitch_y) mm, seen from the coated side,
/// row 0 (leading edge) at the top. A sheet without known geometry is drawn on the cell grid (1 unit per cell).
/// </summary>
public static class SheetMaps
{
    /// <summary>Cell centre in plot units (mm, or cells when the geometry is unknown).</summary>
    public static (double X, double Y) CellCentre(SheetHeader h, int x, int y)
    {
        var (px, py, _, _) = Geometry(h);
        return ((x + 0.5) * px, (y + 0.5) * py);
    }

    private static (double PitchX, double PitchY, double W, double H) Geometry(SheetHeader h) =>
        h.GeometryKnown && h.PitchXMm > 0 && h.PitchYMm > 0 && h.CellWMm > 0 && h.CellHMm > 0
            ? (h.PitchXMm, h.PitchYMm, h.CellWMm, h.CellHMm)
            : (1.0, 1.0, 0.9, 0.9);

    /// <summary>
    /// Builds the heat map of one measurement. Cells without a finite value are grey with a cross ("not
    /// measured"); untested cells are white outlines.
    /// </summary>
    /// <exception cref="SupervisorException"><see cref="ExitCode.NoMeasuredData"/> when no cell has a finite value.</exception>
    public static SheetMap HeatMap(SheetResults sheet, Measurement m, MapOptions? options = null)
    {
        options ??= new MapOptions();
        var h = sheet.Header;
        var values = sheet.Sites.Select(s => Measurements.Get(s, m)).Where(double.IsFinite).ToList();
        if (values.Count == 0)
        {
            throw new SupervisorException(ExitCode.NoMeasuredData,
                $"sheet {h.SheetId}: {Measurements.TestName(m)} has no finite value on any of its {sheet.Sites.Count} tested cells"
                + (sheet.Sites.Count > 0 && sheet.Sites.All(s => s.HardBin == 5) ? " (every cell is open/contact, bin 5)"
                    : m == Measurement.OcvV && !h.Formed ? " (the sheet is before formation: OCV is not measured, leakage is)"
                    : m == Measurement.LeakageA && h.Formed ? " (the sheet is formed: leakage is not measured, OCV is)" : ""));
        }
        values.Sort();
        double lo = values[0], hi = values[^1];
        if (options.RangeLo.HasValue && options.RangeHi.HasValue && options.RangeLo < options.RangeHi)
        {
            lo = options.RangeLo.Value;
            hi = options.RangeHi.Value;
        }
        else if (options.Range == ColorRangeMode.Robust)
        {
            double q1 = MeasureStats.Quantile(values, 0.25), q3 = MeasureStats.Quantile(values, 0.75);
            lo = Math.Max(lo, q1 - 3 * (q3 - q1));
            hi = Math.Min(hi, q3 + 3 * (q3 - q1));
        }
        if (!(hi > lo))
        {
            // All equal: a small symmetric span keeps the colour bar drawable.
            double span = Math.Abs(lo) > 0 ? Math.Abs(lo) * 1e-3 : 1e-9;
            lo -= span;
            hi += span;
        }

        var plot = NewPlot(h, $"{Measurements.Describe(m, h)}");
        var colorAxis = new FixedColorAxis(new ScottPlot.Colormaps.Viridis(), lo, hi);
        var (px, py, w, ch) = Geometry(h);
        var tested = new bool[h.Columns, h.Rows];
        int drawn = 0, marked = 0;
        foreach (var s in sheet.Sites)
        {
            if (s.X >= h.Columns || s.Y >= h.Rows) continue;
            tested[s.X, s.Y] = true;
            double v = Measurements.Get(s, m);
            var (cx, cy) = ((s.X + 0.5) * px, (s.Y + 0.5) * py);
            var rect = plot.Add.Rectangle(cx - w / 2, cx + w / 2, cy - ch / 2, cy + ch / 2);
            if (!double.IsFinite(v))
            {
                rect.FillColor = Colors.LightGray;
                rect.LineWidth = 0;
                var l1 = plot.Add.Line(cx - w / 2, cy - ch / 2, cx + w / 2, cy + ch / 2);
                var l2 = plot.Add.Line(cx - w / 2, cy + ch / 2, cx + w / 2, cy - ch / 2);
                l1.LineColor = l2.LineColor = Colors.Black;
                l1.LineWidth = l2.LineWidth = 1;
                marked++;
                continue;
            }
            double t = (Math.Clamp(v, lo, hi) - lo) / (hi - lo);
            rect.FillColor = colorAxis.Colormap.GetColor(t);
            bool outside = v < lo || v > hi;
            rect.LineWidth = outside ? 2 : 0;
            rect.LineColor = Colors.Black;
            drawn++;
        }
        AddUntested(plot, h, tested);

        var bar = plot.Add.ColorBar(colorAxis, Edge.Right);
        bar.Label = $"{Measurements.TestName(m)} ({Measurements.Unit(m)})";
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "not measured (NaN)", FillColor = Colors.LightGray });
        if (values[0] < lo || values[^1] > hi)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = "outside colour range", FillColor = Colors.White, OutlineColor = Colors.Black, OutlineWidth = 2 });
        }
        plot.ShowLegend(Edge.Bottom);
        FinishAxes(plot, h);
        return new SheetMap(plot, h, drawn, marked, lo, hi);
    }

    private static readonly Color[] s_binColors =
    {
        Color.FromHex("#1a9850"), // 1 good A
        Color.FromHex("#91cf60"), // 2 good B
        Color.FromHex("#fee08b"), // 3 re-form
        Color.FromHex("#d73027"), // 4 short
        Color.FromHex("#404040"), // 5 open/contact
        Color.FromHex("#fc8d59"), // 6 high impedance
        Color.FromHex("#762a83"), // 7 low OCV/K-value
        Color.FromHex("#4575b4"), // 8 EIS shape
        Color.FromHex("#bababa"), // 9 edge/excluded
    };

    /// <summary>The fill colour of a hard bin in bin maps.</summary>
    public static Color BinColor(int bin) => bin >= 1 && bin <= HardBins.Count ? s_binColors[bin - 1] : Colors.Magenta;

    /// <summary>Builds the bin map: each tested cell in its hard bin's colour, a legend of the bins with counts.</summary>
    public static SheetMap BinMap(SheetResults sheet, MapOptions? options = null)
    {
        var h = sheet.Header;
        var counts = sheet.CountBins();
        long good = counts[0] + counts[1];
        string yield = sheet.Sites.Count == 0 ? "n/a" : (100.0 * good / sheet.Sites.Count).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " %";
        var plot = NewPlot(h, $"hard bins, yield {yield}");
        var (px, py, w, ch) = Geometry(h);
        var tested = new bool[h.Columns, h.Rows];
        int drawn = 0;
        foreach (var s in sheet.Sites)
        {
            if (s.X >= h.Columns || s.Y >= h.Rows) continue;
            tested[s.X, s.Y] = true;
            var (cx, cy) = ((s.X + 0.5) * px, (s.Y + 0.5) * py);
            var rect = plot.Add.Rectangle(cx - w / 2, cx + w / 2, cy - ch / 2, cy + ch / 2);
            rect.FillColor = BinColor(s.HardBin);
            rect.LineWidth = 0;
            drawn++;
        }
        int untested = AddUntested(plot, h, tested);
        for (int bin = 1; bin <= HardBins.Count; bin++)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"{bin} {HardBins.Name(bin)} ({counts[bin - 1]})", FillColor = BinColor(bin) });
        }
        if (untested > 0)
        {
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"not tested ({untested})", FillColor = Colors.White, OutlineColor = Colors.Gray, OutlineWidth = 1 });
        }
        plot.ShowLegend(Edge.Right);
        FinishAxes(plot, h);
        return new SheetMap(plot, h, drawn, untested, double.NaN, double.NaN);
    }

    private static Plot NewPlot(SheetHeader h, string title)
    {
        var plot = new Plot();
        string program = h.Program.Length > 0 ? $" ({h.Program})" : "";
        plot.Title($"roll {h.Roll} sheet {h.SheetId}{program}: {title}" + (h.GeometryKnown ? "" : " (geometry unknown: cell grid)"));
        plot.XLabel(h.GeometryKnown ? "x (mm), seen from the coated side" : "column");
        plot.YLabel(h.GeometryKnown ? "y (mm) from the leading edge" : "row");
        return plot;
    }

    private static int AddUntested(Plot plot, SheetHeader h, bool[,] tested)
    {
        var (px, py, w, ch) = Geometry(h);
        int n = 0;
        for (int x = 0; x < h.Columns; x++)
        {
            for (int y = 0; y < h.Rows; y++)
            {
                if (tested[x, y]) continue;
                var (cx, cy) = ((x + 0.5) * px, (y + 0.5) * py);
                var rect = plot.Add.Rectangle(cx - w / 2, cx + w / 2, cy - ch / 2, cy + ch / 2);
                rect.FillColor = Colors.White;
                rect.LineColor = Colors.Gray;
                rect.LineWidth = 1;
                n++;
            }
        }
        return n;
    }

    private static void FinishAxes(Plot plot, SheetHeader h)
    {
        var (px, py, _, _) = Geometry(h);
        plot.Axes.SetLimits(0, h.Columns * px, h.Rows * py, 0);
        plot.Axes.SquareUnits();
        plot.HideGrid();
    }

    /// <summary>A colour axis with a fixed range (the colour bar's source).</summary>
    private sealed class FixedColorAxis : IHasColorAxis
    {
        private readonly double _lo, _hi;

        public FixedColorAxis(IColormap colormap, double lo, double hi)
        {
            Colormap = colormap;
            _lo = lo;
            _hi = hi;
        }

        public IColormap Colormap { get; }

        public ScottPlot.Range GetRange() => new(_lo, _hi);
    }
}
