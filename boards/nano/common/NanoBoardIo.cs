using System;
using System.Device.Gpio;
using Tfb.Hal;
using Tfb.Commissioning;
using Tfb.Runtime;

namespace Tfb.Boards.Nano
{
    /// <summary>Creates the INvStore of a partition whose backing is MCU-specific (STM32 backup memory).</summary>
    public delegate INvStore NvStoreFactory(NvPartitionDef def);

    /// <summary>
    /// Every HAL adapter of a real board, built from its <see cref="BoardDefinition"/>: outputs first (each
    /// driven to its safe state as it opens), then the watchdog, inputs, buses, console and NV partitions.
    /// Station modules look adapters up by their logical names.
    /// </summary>
    /// <remarks>
    /// Construct once at boot, before the scan starts; construction allocates and throws
    /// InvalidOperationException naming the item when hardware refuses a pin. On ESP32 apply the pin routing
    /// (Esp32PinRouting.Apply) first. Threading: the lookups are read-only after construction.
    /// </remarks>
    public sealed class NanoBoardIo : IBoardIo, ICalibrationSink
    {
        private static readonly NoWatchdog s_noWatchdog = new NoWatchdog();
        private readonly GpioController _gpio;
        private readonly GpioDigitalInput[] _din;
        private readonly GpioDigitalOutput[] _dout;
        private readonly AdcAnalogInput[] _ain;
        private readonly IAnalogOutput[] _aout;
        private readonly string[] _aoutNames;
        private readonly SpiTransferAdapter[] _spi;
        private readonly INvStore[] _nv;
        private readonly string[] _nvNames;
        private readonly GpioWatchdog _watchdog;
        private readonly SerialLink _console;

        /// <summary>Opens every item of <paramref name="board"/>.</summary>
        /// <param name="board">Parsed definition of this board.</param>
        /// <param name="clock">The board's clock adapter (debounce timing).</param>
        /// <param name="backupStores">Factory for backup-memory partitions, or null when the board has none.</param>
        public NanoBoardIo(BoardDefinition board, IClock clock, NvStoreFactory backupStores)
        {
            _gpio = new GpioController();

            _dout = new GpioDigitalOutput[board.DigitalOutputs.Length];
            for (int i = 0; i < _dout.Length; i++) _dout[i] = new GpioDigitalOutput(_gpio, board.DigitalOutputs[i]);
            _aout = new IAnalogOutput[board.AnalogOutputs.Length];
            _aoutNames = new string[_aout.Length];
            for (int i = 0; i < _aout.Length; i++)
            {
                AnalogOutputDef a = board.AnalogOutputs[i];
                _aoutNames[i] = a.Name;
                if (a.Kind == AnalogOutputKind.Pwm) _aout[i] = new PwmAnalogOutput(a);
                else _aout[i] = new DacAnalogOutput(a);
            }

            if (board.Watchdog != null) _watchdog = new GpioWatchdog(_gpio, board.Watchdog);

            _din = new GpioDigitalInput[board.DigitalInputs.Length];
            for (int i = 0; i < _din.Length; i++) _din[i] = new GpioDigitalInput(_gpio, board.DigitalInputs[i], clock);
            _ain = new AdcAnalogInput[board.AnalogInputs.Length];
            for (int i = 0; i < _ain.Length; i++) _ain[i] = new AdcAnalogInput(board.AnalogInputs[i]);
            _spi = new SpiTransferAdapter[board.SpiDevices.Length];
            for (int i = 0; i < _spi.Length; i++) _spi[i] = new SpiTransferAdapter(board.SpiDevices[i]);

            _console = new SerialLink(board.ConsoleUart);

            _nv = new INvStore[board.NvPartitions.Length];
            _nvNames = new string[_nv.Length];
            for (int i = 0; i < _nv.Length; i++)
            {
                NvPartitionDef n = board.NvPartitions[i];
                _nvNames[i] = n.Name;
                if (n.Backing == NvBacking.File) _nv[i] = new FileNvStore(n);
                else if (backupStores != null) _nv[i] = backupStores(n);
                else throw new InvalidOperationException("nv " + n.Name + ": backup memory needs an MCU-specific store factory");
            }
        }

        /// <summary>The external supervisor (a no-op when the board declares none).</summary>
        public IWatchdog Watchdog { get { return _watchdog != null ? (IWatchdog)_watchdog : s_noWatchdog; } }

        /// <summary>The technician console UART.</summary>
        public ISerialLink Console { get { return _console; } }

        /// <summary>Digital inputs in board-file order.</summary>
        public GpioDigitalInput[] DigitalInputs { get { return _din; } }

        /// <summary>Digital outputs in board-file order.</summary>
        public GpioDigitalOutput[] DigitalOutputs { get { return _dout; } }

        /// <summary>Analog inputs in board-file order.</summary>
        public AdcAnalogInput[] AnalogInputs { get { return _ain; } }

        /// <summary>The digital input named <paramref name="name"/>, or null.</summary>
        public IDigitalInput DigitalInput(string name)
        {
            for (int i = 0; i < _din.Length; i++) if (_din[i].Name == name) return _din[i];
            return null;
        }

        /// <summary>The digital output named <paramref name="name"/>, or null.</summary>
        public IDigitalOutput DigitalOutput(string name)
        {
            for (int i = 0; i < _dout.Length; i++) if (_dout[i].Name == name) return _dout[i];
            return null;
        }

        /// <summary>The analog input named <paramref name="name"/>, or null.</summary>
        public IAnalogInput AnalogInput(string name)
        {
            for (int i = 0; i < _ain.Length; i++) if (_ain[i].Name == name) return _ain[i];
            return null;
        }

        /// <summary>The analog output named <paramref name="name"/>, or null.</summary>
        public IAnalogOutput AnalogOutput(string name)
        {
            for (int i = 0; i < _aout.Length; i++) if (_aoutNames[i] == name) return _aout[i];
            return null;
        }

        /// <summary>The SPI device named <paramref name="name"/>, or null.</summary>
        public ISpiTransfer SpiDevice(string name)
        {
            for (int i = 0; i < _spi.Length; i++) if (_spi[i].Name == name) return _spi[i];
            return null;
        }

        /// <summary>
        /// No block-read ADC driver exists for the nano boards yet: null, so a module that needs one refuses
        /// to start on them.
        /// </summary>
        public IAdcBlockSource AdcBlockSource(string name)
        {
            return null;
        }

        /// <summary>The NV partition named <paramref name="name"/>, or null.</summary>
        public INvStore NvStore(string name)
        {
            for (int i = 0; i < _nv.Length; i++) if (_nvNames[i] == name) return _nv[i];
            return null;
        }

        /// <summary>Applies a commissioning calibration to the named analog input's scaling (scan thread).</summary>
        public bool ApplyCalibration(string ain, double zero, double gain)
        {
            for (int i = 0; i < _ain.Length; i++)
            {
                if (_ain[i].Name == ain) return _ain[i].Scaling.SetCalibration(zero, gain);
            }
            return false;
        }

        /// <summary>Drives every output to its declared safe state (fault, shutdown). Scan thread only.</summary>
        public void AllOutputsSafe()
        {
            for (int i = 0; i < _dout.Length; i++) _dout[i].SetSafe();
            for (int i = 0; i < _aout.Length; i++) _aout[i].SetSafe();
        }
    }
}
