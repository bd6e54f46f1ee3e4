namespace Tfb.Plant.Core;

/// <summary>
/// The plant's blackboard: named double signals, each with a validity flag. Models publish plant
/// outputs (<c>web.span1.tensionN</c>), sensors publish readings, the virtual boards write actuator
/// commands (<c>web.unwind.torqueCmdNm</c>). Names are case-sensitive and carry their unit.
/// </summary>
/// <remarks>
/// Registration happens while the plant is built; stepping uses <see cref="SignalRef"/> handles so
/// no per-step lookup or allocation happens. Not thread-safe: the virtual line steps it from one thread.
/// </remarks>
public sealed class SignalBus
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _names = new();
    private double[] _values = new double[16];
    private bool[] _valid = new bool[16];

    /// <summary>All registered names in registration order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Number of registered signals.</summary>
    public int Count => _names.Count;

    /// <summary>Registers a signal (or returns the existing one with that name) with an initial value.</summary>
    /// <param name="name">Dotted name ending in a unit, e.g. <c>web.span1.tensionN</c>.</param>
    /// <param name="initial">Initial value; the signal starts valid.</param>
    /// <exception cref="ArgumentException">The name is empty or contains white space, quotes or '#'.</exception>
    public SignalRef Register(string name, double initial = 0.0)
    {
        ValidateName(name);
        if (_index.TryGetValue(name, out int existing))
        {
            return new SignalRef(this, existing, name);
        }

        int i = _names.Count;
        if (i == _values.Length)
        {
            Array.Resize(ref _values, i * 2);
            Array.Resize(ref _valid, i * 2);
        }

        _names.Add(name);
        _index.Add(name, i);
        _values[i] = initial;
        _valid[i] = true;
        return new SignalRef(this, i, name);
    }

    private readonly Dictionary<string, object> _devices = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers a plant device that a board reaches by a bus item rather than a double signal (an SPI device,
    /// an ADC block source), under the name its chip-select pin names (<c>sheettest.adc.cs</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The name is invalid or taken.</exception>
    public void RegisterDevice(string name, object device)
    {
        ValidateName(name);
        _devices.Add(name, device);
    }

    /// <summary>Looks a device up by name.</summary>
    public bool TryGetDevice(string name, out object? device) => _devices.TryGetValue(name, out device);

    /// <summary>True when a signal of that name exists.</summary>
    public bool Contains(string name) => _index.ContainsKey(name);

    /// <summary>Looks a signal up by name.</summary>
    public bool TryGet(string name, out SignalRef signal)
    {
        if (_index.TryGetValue(name, out int i))
        {
            signal = new SignalRef(this, i, name);
            return true;
        }

        signal = default;
        return false;
    }

    /// <summary>Looks a signal up by name.</summary>
    /// <exception cref="KeyNotFoundException">No signal has that name (the message lists near names).</exception>
    public SignalRef Get(string name)
    {
        if (TryGet(name, out SignalRef s))
        {
            return s;
        }

        throw new KeyNotFoundException($"no plant signal named '{name}'{SuggestSuffix(name)}");
    }

    /// <summary>Current value of a named signal.</summary>
    public double Read(string name) => Get(name).Value;

    /// <summary>Writes a named signal (valid).</summary>
    public void Write(string name, double value) => Get(name).Value = value;

    internal double GetValue(int i) => _values[i];

    internal void SetValue(int i, double v) => _values[i] = v;

    internal bool GetValid(int i) => _valid[i];

    internal void SetValid(int i, bool v) => _valid[i] = v;

    /// <summary>Text that names the closest registered signals, for error messages.</summary>
    public string SuggestSuffix(string name)
    {
        int dot = name.LastIndexOf('.');
        string prefix = dot > 0 ? name.Substring(0, dot + 1) : name;
        var near = _names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Take(6).ToArray();
        return near.Length == 0 ? string.Empty : $" (signals under '{prefix}': {string.Join(", ", near)})";
    }

    /// <summary>Rules for signal names: non-empty, no white space, quotes or '#'.</summary>
    public static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("signal name is empty", nameof(name));
        }

        foreach (char c in name)
        {
            if (char.IsWhiteSpace(c) || c == '"' || c == '#')
            {
                throw new ArgumentException($"signal name '{name}' contains white space, a quote or '#'", nameof(name));
            }
        }
    }
}

/// <summary>A cheap handle to one bus signal (index plus owner); default instance is unbound.</summary>
public readonly struct SignalRef
{
    private readonly SignalBus? _bus;
    private readonly int _index;

    internal SignalRef(SignalBus bus, int index, string name)
    {
        _bus = bus;
        _index = index;
        Name = name;
    }

    /// <summary>The signal's name.</summary>
    public string Name { get; }

    /// <summary>True when the handle refers to a registered signal.</summary>
    public bool IsBound => _bus is not null;

    /// <summary>Value (engineering units named in the signal name). Writing also marks it valid.</summary>
    public double Value
    {
        get => Bus.GetValue(_index);
        set
        {
            Bus.SetValue(_index, value);
            Bus.SetValid(_index, true);
        }
    }

    /// <summary>
    /// False when the source could not deliver this value (sensor dropout): a virtual HAL returns
    /// TryRead = false. The value is then NaN.
    /// </summary>
    public bool Valid => Bus.GetValid(_index);

    /// <summary>
    /// The read a virtual HAL input makes: false when the signal is invalid (dropout) or NaN, with
    /// <paramref name="value"/> NaN. Rails are judged by the adapter, which knows the range.
    /// </summary>
    public bool TryRead(out double value)
    {
        value = Bus.GetValue(_index);
        if (!Bus.GetValid(_index) || double.IsNaN(value))
        {
            value = double.NaN;
            return false;
        }

        return true;
    }

    /// <summary>Writes value and validity together.</summary>
    public void Set(double value, bool valid)
    {
        Bus.SetValue(_index, value);
        Bus.SetValid(_index, valid);
    }

    private SignalBus Bus => _bus ?? throw new InvalidOperationException("unbound signal handle");

    /// <inheritdoc />
    public override string ToString() => _bus is null ? "(unbound)" : $"{Name}={Value}";
}
