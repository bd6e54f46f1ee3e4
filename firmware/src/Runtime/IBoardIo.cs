using Tfb.Hal;

namespace Tfb.Runtime
{
    /// <summary>
    /// Every HAL object of one board, looked up by the logical names of its board definition. Real boards
    /// build it from System.Device.* adapters (boards/nano), the virtual board from plant signals
    /// (boards/virtual). Station modules and commissioning commands see only this.
    /// </summary>
    /// <remarks>
    /// Built once at boot, outputs first and in their safe states. Lookups return null for a name the board
    /// does not declare; a module that needs it refuses to start (a missing signal is a fault, never a default).
    /// Read-only after construction, so any thread may look up.
    /// </remarks>
    public interface IBoardIo
    {
        /// <summary>The digital input called <paramref name="name"/>, or null.</summary>
        IDigitalInput DigitalInput(string name);

        /// <summary>The digital output called <paramref name="name"/>, or null.</summary>
        IDigitalOutput DigitalOutput(string name);

        /// <summary>The analog input called <paramref name="name"/>, or null.</summary>
        IAnalogInput AnalogInput(string name);

        /// <summary>The analog or PWM output called <paramref name="name"/>, or null.</summary>
        IAnalogOutput AnalogOutput(string name);

        /// <summary>The SPI device called <paramref name="name"/>, or null.</summary>
        ISpiTransfer SpiDevice(string name);

        /// <summary>
        /// The data-ready-paced ADC behind the SPI device called <paramref name="name"/> as a block source, or
        /// null when the board has no block driver for it (see docs/boards/format.md).
        /// </summary>
        IAdcBlockSource AdcBlockSource(string name);

        /// <summary>The NV partition called <paramref name="name"/>, or null.</summary>
        INvStore NvStore(string name);

        /// <summary>The external supervisor (a no-op supervisor on boards without one, never null).</summary>
        IWatchdog Watchdog { get; }

        /// <summary>The technician console link.</summary>
        ISerialLink Console { get; }

        /// <summary>Drives every output to its declared safe state.</summary>
        void AllOutputsSafe();
    }
}
