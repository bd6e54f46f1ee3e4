using System;
using System.Device.Pwm;
using Tfb.Boards.Io;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary>
    /// IAnalogOutput as a PWM duty cycle. On ESP32 the pin must be routed to a PWM function first (the board's
    /// pinfunc lines, applied by Esp32PinRouting before adapters are built).
    /// </summary>
    /// <remarks>Threading: scan thread only; no allocation per write.</remarks>
    public sealed class PwmAnalogOutput : IAnalogOutput, IDisposable
    {
        private readonly PwmChannel _pwm;
        private readonly double _safe;
        private readonly bool _activeHigh;
        private readonly string _name;

        /// <summary>Opens PWM on the pin of <paramref name="def"/>, started at the safe value.</summary>
        /// <exception cref="InvalidOperationException">No timer channel maps to the pin (CreateFromPin returned null).</exception>
        public PwmAnalogOutput(AnalogOutputDef def)
        {
            _name = def.Name;
            _safe = def.SafeFraction;
            _activeHigh = def.ActiveHigh;
            _pwm = PwmChannel.CreateFromPin(def.Pin.Number, def.FrequencyHz, OutputScaling.ToDuty(_safe, _activeHigh));
            if (_pwm == null) throw new InvalidOperationException("aout " + def.Name + ": no PWM timer channel on " + def.Pin.Text);
            _pwm.Start();
        }

        /// <summary>Logical name from the board definition.</summary>
        public string Name { get { return _name; } }

        /// <inheritdoc />
        public void Write(double fraction)
        {
            _pwm.DutyCycle = OutputScaling.ToDuty(OutputScaling.Sanitize(fraction, _safe), _activeHigh);
        }

        /// <inheritdoc />
        public void SetSafe()
        {
            _pwm.DutyCycle = OutputScaling.ToDuty(_safe, _activeHigh);
        }

        /// <summary>Drives the safe value and releases the channel.</summary>
        public void Dispose()
        {
            SetSafe();
            _pwm.Dispose();
        }
    }
}
