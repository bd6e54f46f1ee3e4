namespace Tfb.SheetSupervisor;

/// <summary>
/// A progress bar on stderr for large inputs: drawn in place only when stderr is a terminal, silent otherwise
/// (so logs and pipes stay clean). Thread-safe enough for one producer; redraws at most every 1 % step.
/// </summary>
public sealed class ProgressBar : IDisposable
{
    private readonly TextWriter? _err;
    private readonly string _label;
    private int _lastPercent = -1;

    /// <summary>Creates a bar labelled <paramref name="label"/>; inactive when <paramref name="enabled"/> is false.</summary>
    public ProgressBar(string label, bool enabled, TextWriter? err = null)
    {
        _label = label;
        _err = enabled ? err ?? Console.Error : null;
    }

    /// <summary>A bar for an input of <paramref name="inputBytes"/> bytes: on only for large inputs (>= 1 MB) and a terminal stderr.</summary>
    public static ProgressBar ForInput(string label, long inputBytes) =>
        new(label, inputBytes >= 1 << 20 && !Console.IsErrorRedirected);

    /// <summary>Reports progress 0..1.</summary>
    public void Report(double fraction)
    {
        if (_err == null || double.IsNaN(fraction)) return;
        int percent = (int)Math.Clamp(fraction * 100, 0, 100);
        if (percent == _lastPercent) return;
        _lastPercent = percent;
        int filled = percent * 30 / 100;
        _err.Write($"\r{_label} [{new string('#', filled)}{new string('.', 30 - filled)}] {percent,3}%");
        if (percent == 100) _err.Write('\n');
        _err.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_err != null && _lastPercent is >= 0 and < 100) _err.Write('\n');
    }
}
