using System.Device.Gpio;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary>
    /// External supervisor kicked over a GPIO (nanoFramework 1.x has no watchdog API): each <see cref="Kick"/>
    /// toggles the WDI pin, which restarts the supervisor's timeout (TPS3823-class: any edge). If the scan
    /// stops completing, the supervisor resets the MCU and the outputs fall to their hardware safe state.
    /// </summary>
    /// <remarks>Threading: scan thread only. Kick cost: one native Toggle; no allocation.</remarks>
    public sealed class GpioWatchdog : IWatchdog
    {
        private readonly GpioPin _pin;
        private readonly int _timeoutMs;

        /// <summary>Opens the kick pin as an output, low.</summary>
        public GpioWatchdog(GpioController gpio, WatchdogDef def)
        {
            _timeoutMs = def.TimeoutMs;
            _pin = gpio.OpenPin(def.Kick.Number, PinMode.Output);
            _pin.Write(PinValue.Low);
        }

        /// <inheritdoc />
        public int TimeoutMs { get { return _timeoutMs; } }

        /// <inheritdoc />
        public void Kick()
        {
            _pin.Toggle();
        }
    }
}
