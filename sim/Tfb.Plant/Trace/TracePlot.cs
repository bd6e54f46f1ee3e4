using ScottPlot;

namespace Tfb.Plant.Trace;

/// <summary>
/// Renders a trace to PNG with ScottPlot: one panel per signal (each has its own unit), stacked,
/// time on the shared x axis. Invalid and NaN samples leave gaps. Runs headless (SkiaSharp with its
/// Linux native assets, no X server).
/// </summary>
public static class TracePlot
{
    /// <summary>Saves the plot.</summary>
    /// <param name="trace">The trace.</param>
    /// <param name="path">PNG file to write.</param>
    /// <param name="width">Image width, px.</param>
    /// <param name="panelHeight">Height of each signal's panel, px.</param>
    /// <param name="title">Title over the first panel; none when null.</param>
    public static void SavePng(TraceRecorder trace, string path, int width = 1200, int panelHeight = 220, string? title = null)
    {
        if (width < 200 || panelHeight < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "plot at least 200 px wide and 100 px per panel");
        }

        var multiplot = new Multiplot();
        int n = trace.Signals.Count;
        multiplot.AddPlots(n);
        double[] xs = trace.Times.ToArray();
        for (int i = 0; i < n; i++)
        {
            Plot plot = multiplot.GetPlot(i);
            IReadOnlyList<double> values = trace.Values(i);
            IReadOnlyList<bool> valid = trace.Valid(i);
            double[] ys = new double[xs.Length];
            for (int k = 0; k < ys.Length; k++)
            {
                ys[k] = valid[k] ? values[k] : double.NaN;
            }

            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = trace.Signals[i];
            line.LineWidth = 1.5f;
            plot.ShowLegend(Alignment.UpperRight);
            plot.XLabel(i == n - 1 ? "time (s)" : string.Empty);
            if (i == 0 && title is not null)
            {
                plot.Title(title);
            }
        }

        multiplot.SavePng(path, width, panelHeight * n);
    }
}
