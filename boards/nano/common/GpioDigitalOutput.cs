using System;
using System.Device.Gpio;
using Tfb.Boards.Io;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary>
    /// IDigitalOutput over a nanoFramework GPIO pin. Drives the declared safe state as soon as the pin is
    /// open; between reset and that moment the level is set by the board's pull resistors, which the board
    /// documentation requires to match the safe state.
    /// </summary>
    /// <remarks>
    /// Boot: OpenPin makes the pin an output at its default (low) level, then the constructor drives the safe
    /// level, so for a few microseconds an active-low output whose safe level is high is asserted. Outputs that
    /// energize plant are therefore active-high on the boards here (safe = low = the reset level); an active-low
    /// output needs a driver stage that cannot react in microseconds (relay, SSR with input filter).
    /// Threading: scan thread only. Write cost: one native Write (about 10-20 us); no allocation.
    /// </remarks>
    public sealed class GpioDigitalOutput : IDigitalOutput, IDisposable
    {
        private readonly GpioPin _pin;
        private readonly bool _activeHigh;
        private readonly bool _safeActive;
        private readonly string _name;
        private bool _state;

        /// <summary>Opens the pin named by <paramref name="def"/> and drives its safe state.</summary>
        /// <exception cref="InvalidOperationException">The pin cannot be opened in the requested mode.</exception>
        public GpioDigitalOutput(GpioController gpio, DigitalOutputDef def)
        {
            _name = def.Name;
            _activeHigh = def.ActiveHigh;
            _safeActive = def.SafeActive;
            PinMode mode = def.Drive == OutputDrive.OpenDrain ? PinMode.OutputOpenDrain : PinMode.Output;
            if (!gpio.IsPinModeSupported(def.Pin.Number, mode))
                throw new InvalidOperationException("dout " + def.Name + ": " + def.Pin.Text + " does not support pin mode " + ((int)mode).ToString());
            _pin = gpio.OpenPin(def.Pin.Number, mode);
            SetSafe();
        }

        /// <summary>Logical name from the board definition.</summary>
        public string Name { get { return _name; } }

        /// <inheritdoc />
        public bool State { get { return _state; } }

        /// <inheritdoc />
        public void Write(bool active)
        {
            _pin.Write(OutputScaling.ToLevel(active, _activeHigh) ? PinValue.High : PinValue.Low);
            _state = active;
        }

        /// <inheritdoc />
        public void SetSafe()
        {
            Write(_safeActive);
        }

        /// <summary>Drives the safe state and releases the pin.</summary>
        public void Dispose()
        {
            SetSafe();
            _pin.Dispose();
        }
    }
}
