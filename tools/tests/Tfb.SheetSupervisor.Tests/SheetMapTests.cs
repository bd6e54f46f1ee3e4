using SkiaSharp;
using Tfb.SheetSupervisor;

namespace Tfb.SheetSupervisor.Tests;

/// <summary>The PNGs themselves: size, content, and the colours at known cells.</summary>
public sealed class SheetMapTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tfb-sheet-maps-" + Guid.NewGuid().ToString("N"));

    public SheetMapTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SKColor Pixel(SKBitmap bmp, (int X, int Y) p) => bmp.GetPixel(p.X, p.Y);

    private static int Distance(SKColor a, SKColor b) => Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue);

    [Fact]
    public void Heat_map_has_the_requested_size_a_hot_cell_coloured_apart_from_cold_ones_and_marked_NaN_cells()
    {
        var sheet = SyntheticSheet.Create(cols: 6, rows: 4, hot: (2, 1), opens: new[] { (5, 3) });
        var map = SheetMaps.HeatMap(sheet, Measurement.OcvV, new MapOptions { Range = ColorRangeMode.Full });
        string path = Path.Combine(_dir, "ocv.png");
        map.SavePng(path, 700, 600);
        using var bmp = SKBitmap.Decode(path);
        Assert.Equal((700, 600), (bmp.Width, bmp.Height));
        Assert.Equal(23, map.CellsDrawn);
        Assert.Equal(1, map.CellsMarked);

        var hot = Pixel(bmp, map.CellCentrePixel(2, 1));
        var cold1 = Pixel(bmp, map.CellCentrePixel(0, 3)); // lowest OCV corner of the synthetic field
        var cold2 = Pixel(bmp, map.CellCentrePixel(1, 3));
        Assert.True(Distance(hot, cold1) > 150, $"hot {hot} vs cold {cold1}");
        Assert.True(Distance(cold1, cold2) < Distance(hot, cold1), "neighbouring cold cells are closer in colour than hot vs cold");
        // Viridis: the top of the range is yellow (red and green high, blue low), the bottom dark blue/purple.
        Assert.True(hot.Red > 200 && hot.Green > 200 && hot.Blue < 100, $"hot cell {hot} is not the top colour");

        // The open cell: light grey fill (a cross through it), away from the diagonals.
        var (ox, oy) = map.CellCentrePixel(5, 3);
        var (nx, _) = map.CellCentrePixel(4, 3);
        int quarter = (ox - nx) / 5;
        var grey = bmp.GetPixel(ox, oy + quarter);
        Assert.True(Distance(grey, new SKColor(211, 211, 211)) < 20, $"NaN cell {grey} is not light grey");
        Assert.True(bmp.GetPixel(ox, oy).Red < 100, "the NaN cross passes through the cell centre");

        // Cells are at their physical positions: centres one pitch apart, x pitch 10 mm and y pitch 12 mm on square units.
        var c00 = map.CellCentrePixel(0, 0);
        var c10 = map.CellCentrePixel(1, 0);
        var c01 = map.CellCentrePixel(0, 1);
        Assert.True(c01.Y > c00.Y, "row 0 (leading edge) is at the top");
        Assert.InRange((double)(c01.Y - c00.Y) / (c10.X - c00.X), 1.1, 1.3);

        var colours = new HashSet<SKColor>();
        for (int y = 0; y < bmp.Height; y += 3)
        {
            for (int x = 0; x < bmp.Width; x += 3) colours.Add(bmp.GetPixel(x, y));
        }
        Assert.True(colours.Count > 20, "the image has content");
    }

    [Fact]
    public void Robust_range_keeps_a_short_from_washing_out_the_sheet()
    {
        var sheet = SyntheticSheet.Create(cols: 8, rows: 6, shorts: new[] { (7, 5) });
        var full = SheetMaps.HeatMap(sheet, Measurement.OcvV, new MapOptions { Range = ColorRangeMode.Full });
        var robust = SheetMaps.HeatMap(sheet, Measurement.OcvV, new MapOptions());
        Assert.Equal(0.05, full.ColorLo);
        Assert.True(robust.ColorLo > 4.0, $"robust low end {robust.ColorLo}");
        Assert.Equal(full.ColorHi, robust.ColorHi);
    }

    [Fact]
    public void Bin_map_colours_each_cell_by_its_hard_bin()
    {
        var sheet = SyntheticSheet.Create(cols: 5, rows: 5, shorts: new[] { (1, 1) }, opens: new[] { (3, 2) });
        sheet.Sites.RemoveAll(s => s.X == 4 && s.Y == 4); // one cell not tested
        var map = SheetMaps.BinMap(sheet);
        string path = Path.Combine(_dir, "bins.png");
        map.SavePng(path, 800, 600);
        using var bmp = SKBitmap.Decode(path);
        Assert.Equal((800, 600), (bmp.Width, bmp.Height));
        Assert.Equal((24, 1), (map.CellsDrawn, map.CellsMarked));
        Assert.True(Distance(Pixel(bmp, map.CellCentrePixel(1, 1)), SKColor.Parse("#d73027")) < 10, "short = bin 4 red");
        Assert.True(Distance(Pixel(bmp, map.CellCentrePixel(3, 2)), SKColor.Parse("#404040")) < 10, "open = bin 5 dark grey");
        Assert.True(Distance(Pixel(bmp, map.CellCentrePixel(0, 0)), SKColor.Parse("#1a9850")) < 10, "good A = bin 1 green");
        Assert.True(Distance(Pixel(bmp, map.CellCentrePixel(4, 4)), SKColors.White) < 10, "untested = white");
    }

    [Fact]
    public void Map_command_writes_one_png_per_sheet_with_a_sheet_placeholder()
    {
        string input = Path.Combine(_dir, "two.csv");
        File.WriteAllText(input, SyntheticSheet.ToCsv(SyntheticSheet.Create(sheetId: "S0001"), SyntheticSheet.Create(sheetId: "S0002", seed: 3)));
        var err = new StringWriter();
        var code = new SupervisorCommands(new StringWriter(), err).Map(input, "z2", Path.Combine(_dir, "z2-{sheet}.png"), null,
            new MapOptions { WidthPx = 400, HeightPx = 400 });
        Assert.Equal(ExitCode.Ok, code);
        Assert.True(File.Exists(Path.Combine(_dir, "z2-S0001.png")));
        Assert.True(File.Exists(Path.Combine(_dir, "z2-S0002.png")));
    }
}
