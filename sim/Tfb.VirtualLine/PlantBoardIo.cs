using Tfb.Boards;
using Tfb.Boards.Io;
using Tfb.Boards.Virtual;
using Tfb.Commissioning;
using Tfb.Hal;
using Tfb.Plant.Core;
using Tfb.Plant.Models;
using Tfb.Runtime;

namespace Tfb.VirtualLine;

/// <summary>
/// The virtual board's HAL: every item of a host board definition (<c>sim:&lt;signal&gt;</c> pins) bound by name
/// to a plant signal. Inputs read the plant as the board's converters and pins would (polarity, debounce,
/// quantisation to the declared counts, rails as faults, failed reads); outputs write the plant's command
/// signals. The maths is the firmware's own (Debouncer, AnalogScaling), so the virtual board fails where a real
/// one would.
/// </summary>
public sealed class PlantBoardIo : IBoardIo, ICalibrationSink
{
    private readonly Dictionary<string, IDigitalInput> _din = new();
    private readonly Dictionary<string, PlantDigitalOutput> _dout = new();
    private readonly Dictionary<string, IAnalogInput> _ain = new();
    private readonly Dictionary<string, PlantAnalogOutput> _aout = new();
    private readonly Dictionary<string, INvStore> _nv = new();
    private readonly List<PlantDigitalInput> _irq = new();
    private readonly Dictionary<string, ISpiTransfer> _spi = new();
    private readonly Dictionary<string, IAdcBlockSource> _adc = new();

    /// <summary>Binds every item of <paramref name="board"/>; outputs are driven safe first.</summary>
    /// <param name="board">A host board definition.</param>
    /// <param name="bus">The plant's signal bus.</param>
    /// <param name="clock">The line's simulated clock.</param>
    /// <param name="nvFactory">Creates the NV partition for a definition (files under a state folder, or RAM).</param>
    /// <exception cref="InvalidOperationException">An input names a plant signal that does not exist.</exception>
    public PlantBoardIo(BoardDefinition board, SignalBus bus, IClock clock, Func<NvPartitionDef, INvStore> nvFactory)
    {
        foreach (var d in board.DigitalOutputs)
        {
            var o = new PlantDigitalOutput(Output(bus, d.Pin), d);
            o.SetSafe();
            _dout[d.Name] = o;
        }
        foreach (var a in board.AnalogOutputs)
        {
            var o = new PlantAnalogOutput(Output(bus, a.Pin), a);
            o.SetSafe();
            _aout[a.Name] = o;
        }
        foreach (var d in board.DigitalInputs)
        {
            var input = new PlantDigitalInput(Input(bus, d.Pin, d.Name), d, clock);
            _din[d.Name] = input;
            if (d.Interrupt) _irq.Add(input);
        }
        foreach (var a in board.AnalogInputs) _ain[a.Name] = new PlantAnalogInput(Input(bus, a.Pin, a.Name), a);
        foreach (var n in board.NvPartitions) _nv[n.Name] = nvFactory(n);
        // An SPI device whose chip select names a plant device (SignalBus.RegisterDevice) talks to that device;
        // one that is also a paced ADC is reachable as a block source under the same name.
        foreach (var d in board.SpiDevices ?? [])
        {
            if (d.ChipSelect.Signal == null || !bus.TryGetDevice(d.ChipSelect.Signal, out var device)) continue;
            if (device is SheetTestModel sheet)
            {
                _spi[d.Name] = new PlantSpi(sheet);
                _adc[d.Name] = new PlantAdc(sheet);
            }
        }
        Watchdog = board.Watchdog != null
            ? new SimulatedWatchdog(board.Watchdog.TimeoutMs, clock, Output(bus, board.Watchdog.Kick))
            : new SimulatedWatchdog(0, clock, default);
    }

    private static SignalRef Input(SignalBus bus, PinRef pin, string item)
    {
        if (pin.Signal == null) throw new InvalidOperationException($"{item}: {pin.Text} is not a plant signal");
        if (!bus.TryGet(pin.Signal, out var s))
            throw new InvalidOperationException($"{item}: the plant has no signal '{pin.Signal}'{bus.SuggestSuffix(pin.Signal)}");
        return s;
    }

    // Outputs may name a signal the plant does not model yet (a lamp, the watchdog line): it is created.
    private static SignalRef Output(SignalBus bus, PinRef pin)
    {
        if (pin.Signal == null) throw new InvalidOperationException($"{pin.Text} is not a plant signal");
        return bus.TryGet(pin.Signal, out var s) ? s : bus.Register(pin.Signal);
    }

    /// <inheritdoc />
    public IDigitalInput? DigitalInput(string name) => _din.GetValueOrDefault(name);
    /// <inheritdoc />
    public IDigitalOutput? DigitalOutput(string name) => _dout.GetValueOrDefault(name);
    /// <inheritdoc />
    public IAnalogInput? AnalogInput(string name) => _ain.GetValueOrDefault(name);
    /// <inheritdoc />
    public IAnalogOutput? AnalogOutput(string name) => _aout.GetValueOrDefault(name);
    /// <inheritdoc />
    public ISpiTransfer? SpiDevice(string name) => _spi.GetValueOrDefault(name);
    /// <inheritdoc />
    public IAdcBlockSource? AdcBlockSource(string name) => _adc.GetValueOrDefault(name);
    /// <inheritdoc />
    public INvStore? NvStore(string name) => _nv.GetValueOrDefault(name);
    /// <inheritdoc />
    public IWatchdog Watchdog { get; }
    /// <summary>The supervisor model (expiries counted when the scan stops kicking).</summary>
    public SimulatedWatchdog Supervisor => (SimulatedWatchdog)Watchdog;
    /// <inheritdoc />
    public ISerialLink Console => throw new NotSupportedException("virtual consoles are opened per connection by the virtual line");

    /// <summary>Applies a commissioning calibration to an analog input's scaling (scan thread).</summary>
    public bool ApplyCalibration(string ain, double zero, double gain) =>
        _ain.TryGetValue(ain, out var input) && ((PlantAnalogInput)input).Scaling.SetCalibration(zero, gain);

    /// <summary>
    /// The pin-change interrupts of the virtual board: every <c>irq=yes</c> input whose plant level changed since
    /// the previous call latches the drop for the scan (as <see cref="EdgeLatch"/> does on a real board) and calls
    /// its <see cref="IPinChangeListener"/>. The line calls this right after each plant step, before any scan, so a
    /// fast path acts within the plant step in which the signal changed (no scan in between).
    /// </summary>
    public void FirePinChanges()
    {
        foreach (var input in _irq) input.PollEdge();
    }

    /// <inheritdoc />
    public void AllOutputsSafe()
    {
        foreach (var o in _dout.Values) o.SetSafe();
        foreach (var o in _aout.Values) o.SetSafe();
    }

    private sealed class PlantSpi(SheetTestModel device) : ISpiTransfer
    {
        public bool Transfer(byte[] write, byte[] read, int count) => device.SpiTransfer(write, read, count);
    }

    private sealed class PlantAdc(SheetTestModel device) : IAdcBlockSource
    {
        public int SampleRateHz => device.SampleRateHz;
        public int Channels => 2;
        public int OverrunCount => device.OverrunCount;
        public int ReadBlock(int[] samples, int offset, int maxCount, out long firstSampleMicros) =>
            device.ReadBlock(samples, offset, maxCount, out firstSampleMicros);
    }

    private sealed class PlantDigitalInput(SignalRef signal, DigitalInputDef def, IClock clock) : IDigitalInput, IPinChangeSource
    {
        private readonly Debouncer _debounce = new(def.DebounceMs);
        private readonly EdgeLatch _latch = new();
        private IPinChangeListener? _listener;
        private int _tag;
        private bool _seen;
        private bool _lastActive;

        public bool TryRead(out bool active)
        {
            active = false;
            if (!signal.TryRead(out double level)) return false;
            bool raw = (level >= 0.5) == def.ActiveHigh;
            // An irq input's drop seen by the change detector skips the debounce, as on a real board.
            if (def.Interrupt && _latch.ConsumeDrop()) _debounce.Force(false, clock.NowMicros);
            else _debounce.Update(raw, clock.NowMicros);
            active = _debounce.State;
            return true;
        }

        public void SetListener(IPinChangeListener? listener, int tag)
        {
            _tag = tag;
            _listener = listener;
        }

        // A signal that cannot be read counts as de-asserted (an open loop), like a broken wire on a real pin.
        // The level at the first poll is the boot level, not an edge (a GPIO interrupt fires on changes only).
        public void PollEdge()
        {
            bool active = signal.TryRead(out double level) && (level >= 0.5) == def.ActiveHigh;
            if (!_seen)
            {
                _seen = true;
                _lastActive = active;
                return;
            }
            if (active == _lastActive) return;
            _lastActive = active;
            _latch.OnLevel(active);
            _listener?.OnPinChanged(_tag, active);
        }
    }

    private sealed class PlantDigitalOutput(SignalRef signal, DigitalOutputDef def) : IDigitalOutput
    {
        public bool State { get; private set; }

        public void Write(bool active)
        {
            State = active;
            signal.Value = OutputScaling.ToLevel(active, def.ActiveHigh) ? 1.0 : 0.0;
        }

        public void SetSafe() => Write(def.SafeActive);
    }

    private sealed class PlantAnalogOutput(SignalRef signal, AnalogOutputDef def) : IAnalogOutput
    {
        // Host pins carry the fraction of full scale itself; the plant model owns what full scale means.
        public void Write(double fraction) => signal.Value = OutputScaling.Sanitize(fraction, def.SafeFraction);

        public void SetSafe() => signal.Value = def.SafeFraction;
    }

    private sealed class PlantAnalogInput(SignalRef signal, AnalogInputDef def) : IAnalogInput
    {
        private readonly AnalogScaling _scaling = new(def);

        public AnalogScaling Scaling => _scaling;

        public bool TryRead(out double value)
        {
            value = double.NaN;
            if (!signal.TryRead(out double eng) || double.IsNaN(eng) || double.IsInfinity(eng)) return false;
            // The simulated converter: engineering value -> counts (rounded, clamped to the converter's range).
            double span = def.EngMax - def.EngMin;
            double c = def.CountsMin + (eng - def.EngMin) / span * (def.CountsMax - def.CountsMin);
            int counts = (int)Math.Round(Math.Clamp(c, def.CountsMin, def.CountsMax));
            return _scaling.Convert(counts, out value) == AnalogStatus.Ok;
        }
    }
}

/// <summary>
/// The external supervisor of a virtual board: each kick toggles the board's watchdog signal (as the GPIO of a
/// real board does) and restarts the timeout on the simulated clock; a board whose scan stops kicking is seen
/// as <see cref="Expired"/>.
/// </summary>
public sealed class SimulatedWatchdog(int timeoutMs, IClock clock, SignalRef kickLine) : IWatchdog
{
    private long _lastKickUs = clock.NowMicros;
    private bool _level;

    /// <inheritdoc />
    public int TimeoutMs => timeoutMs;

    /// <summary>Kicks so far.</summary>
    public long Kicks { get; private set; }

    /// <inheritdoc />
    public void Kick()
    {
        _lastKickUs = clock.NowMicros;
        Kicks++;
        _level = !_level;
        if (kickLine.IsBound) kickLine.Value = _level ? 1 : 0;
    }

    /// <summary>True when the timeout passed without a kick (a real supervisor would reset the board now).</summary>
    public bool Expired => timeoutMs > 0 && clock.NowMicros - _lastKickUs > timeoutMs * 1000L;
}
