using Tfb.Plant.Core;

namespace Tfb.Plant.Trace;

/// <summary>
/// Records chosen bus signals per plant step into memory (time, value, valid), for CSV and plots.
/// </summary>
/// <remarks>Handles are resolved once; <see cref="Sample"/> only copies doubles (amortised growth).</remarks>
public sealed class TraceRecorder
{
    private readonly SignalRef[] _signals;
    private readonly List<double> _times = new();
    private readonly List<double>[] _values;
    private readonly List<bool>[] _valid;
    private long _calls;

    /// <summary>Creates a recorder for the named signals.</summary>
    /// <param name="bus">The plant bus.</param>
    /// <param name="signals">Signal names, in column order; at least one.</param>
    /// <param name="sampleEvery">Record every n-th call of <see cref="Sample"/> (1 = every step).</param>
    /// <exception cref="KeyNotFoundException">A signal does not exist.</exception>
    public TraceRecorder(SignalBus bus, IEnumerable<string> signals, int sampleEvery = 1)
    {
        _signals = signals.Select(bus.Get).ToArray();
        if (_signals.Length == 0 || sampleEvery < 1)
        {
            throw new ArgumentException("trace at least one signal, sampling every step or less often");
        }

        SampleEvery = sampleEvery;
        _values = _signals.Select(_ => new List<double>()).ToArray();
        _valid = _signals.Select(_ => new List<bool>()).ToArray();
    }

    /// <summary>Signal names, in column order.</summary>
    public IReadOnlyList<string> Signals => _signals.Select(s => s.Name).ToArray();

    /// <summary>Decimation factor.</summary>
    public int SampleEvery { get; }

    /// <summary>Recorded rows.</summary>
    public int Count => _times.Count;

    /// <summary>Row times, s.</summary>
    public IReadOnlyList<double> Times => _times;

    /// <summary>Values of column <paramref name="signal"/>.</summary>
    public IReadOnlyList<double> Values(int signal) => _values[signal];

    /// <summary>Valid flags of column <paramref name="signal"/>.</summary>
    public IReadOnlyList<bool> Valid(int signal) => _valid[signal];

    /// <summary>Records the current bus values at plant time <paramref name="timeS"/> (subject to decimation).</summary>
    public void Sample(double timeS)
    {
        if (_calls++ % SampleEvery != 0)
        {
            return;
        }

        _times.Add(timeS);
        for (int i = 0; i < _signals.Length; i++)
        {
            _values[i].Add(_signals[i].Value);
            _valid[i].Add(_signals[i].Valid);
        }
    }
}
