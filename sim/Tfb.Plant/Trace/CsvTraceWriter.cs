using System.Globalization;
using System.Text;

namespace Tfb.Plant.Trace;

/// <summary>
/// Writes a trace as CSV: header <c>time_s,&lt;signal&gt;,...</c>, one row per sample, LF line ends,
/// UTF-8 without BOM, invariant culture. Time with 9 decimals (exact nanoseconds); values in the
/// shortest text that reads back to the same double ("R"); NaN as <c>NaN</c>; an invalid sample
/// (sensor dropout) as an empty field. Same seed, same inputs: byte-identical files.
/// </summary>
public static class CsvTraceWriter
{
    /// <summary>Writes the trace to a text writer.</summary>
    public static void Write(TraceRecorder trace, TextWriter writer)
    {
        writer.Write("time_s");
        foreach (string s in trace.Signals)
        {
            writer.Write(',');
            writer.Write(s);
        }

        writer.Write('\n');
        int columns = trace.Signals.Count;
        for (int row = 0; row < trace.Count; row++)
        {
            writer.Write(trace.Times[row].ToString("F9", CultureInfo.InvariantCulture));
            for (int c = 0; c < columns; c++)
            {
                writer.Write(',');
                if (trace.Valid(c)[row])
                {
                    writer.Write(Format(trace.Values(c)[row]));
                }
            }

            writer.Write('\n');
        }
    }

    /// <summary>Writes the trace to a file (created or replaced).</summary>
    public static void WriteFile(TraceRecorder trace, string path)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        Write(trace, writer);
    }

    /// <summary>The trace as a string.</summary>
    public static string ToCsv(TraceRecorder trace)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(trace, writer);
        return writer.ToString();
    }

    private static string Format(double v) => double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);
}
