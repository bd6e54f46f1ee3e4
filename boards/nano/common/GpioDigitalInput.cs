using System;
using System.Device.Gpio;
using Tfb.Boards.Io;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary>
    /// IDigitalInput over a nanoFramework GPIO pin: polarity and time debounce from the board definition,
    /// and for <c>irq=yes</c> inputs a pin-change callback that latches every de-assertion so the scan sees a
    /// drop shorter than a scan period or the debounce time, and calls the module's
    /// <see cref="IPinChangeListener"/> (the fast interlock path: RF off without waiting for the scan).
    /// </summary>
    /// <remarks>
    /// Threading: <see cref="TryRead"/> on the scan thread; the change callback runs on the GPIO event
    /// thread and only touches the <see cref="EdgeLatch"/>. TryRead cost: one native Read (about 10 us) plus
    /// arithmetic; no allocation.
    /// </remarks>
    public sealed class GpioDigitalInput : IDigitalInput, IPinChangeSource, IDisposable
    {
        private readonly GpioPin _pin;
        private readonly bool _activeHigh;
        private readonly Debouncer _debouncer;
        private readonly EdgeLatch _latch;
        private readonly IClock _clock;
        private readonly string _name;
        private IPinChangeListener _listener;
        private int _listenerTag;

        /// <summary>Opens the pin named by <paramref name="def"/>.</summary>
        /// <param name="gpio">The board's one GPIO controller.</param>
        /// <param name="def">Parsed input line.</param>
        /// <param name="clock">Scan clock (debounce timing).</param>
        /// <exception cref="InvalidOperationException">The pin cannot be opened in the requested mode.</exception>
        public GpioDigitalInput(GpioController gpio, DigitalInputDef def, IClock clock)
        {
            _name = def.Name;
            _activeHigh = def.ActiveHigh;
            _clock = clock;
            _debouncer = new Debouncer(def.DebounceMs);
            PinMode mode = def.Pull == PinPull.Up ? PinMode.InputPullUp : def.Pull == PinPull.Down ? PinMode.InputPullDown : PinMode.Input;
            if (!gpio.IsPinModeSupported(def.Pin.Number, mode))
                throw new InvalidOperationException("din " + def.Name + ": " + def.Pin.Text + " does not support pin mode " + ((int)mode).ToString());
            _pin = gpio.OpenPin(def.Pin.Number, mode);
            if (def.Interrupt)
            {
                _latch = new EdgeLatch();
                _pin.ValueChanged += OnValueChanged;
            }
        }

        /// <summary>Logical name from the board definition.</summary>
        public string Name { get { return _name; } }

        /// <summary>The de-assertion latch of an interrupt input, or null for a polled one.</summary>
        public EdgeLatch Latch { get { return _latch; } }

        /// <inheritdoc />
        public bool TryRead(out bool active)
        {
            active = false;
            bool high;
            try
            {
                high = _pin.Read() == PinValue.High;
            }
            catch (Exception)
            {
                return false;
            }
            long now = _clock.NowMicros;
            bool raw = high == _activeHigh;
            if (_latch != null && _latch.ConsumeDrop()) _debouncer.Force(false, now);
            else _debouncer.Update(raw, now);
            active = _debouncer.State;
            return true;
        }

        /// <summary>Sets the pin-change listener (boot thread, before the scan starts). Polled inputs ignore it.</summary>
        public void SetListener(IPinChangeListener listener, int tag)
        {
            _listenerTag = tag;
            _listener = listener;
        }

        private void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            bool high = (e.ChangeType & PinEventTypes.Rising) != 0;
            bool active = high == _activeHigh;
            _latch.OnLevel(active);
            IPinChangeListener listener = _listener;
            if (listener != null) listener.OnPinChanged(_listenerTag, active);
        }

        /// <summary>Releases the pin.</summary>
        public void Dispose()
        {
            if (_latch != null) _pin.ValueChanged -= OnValueChanged;
            _pin.Dispose();
        }
    }
}
