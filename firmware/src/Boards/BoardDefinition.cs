namespace Tfb.Boards
{
    /// <summary>Microcontroller family a board definition targets; it decides which pin names exist.</summary>
    public enum McuKind
    {
        /// <summary>The host build (virtual line): every pin is a simulated signal (<c>sim:</c>).</summary>
        Host = 0,
        /// <summary>Espressif ESP32 (classic, dual core): pins GPIO0..GPIO39, nanoFramework pin number = GPIO number.</summary>
        Esp32 = 1,
        /// <summary>ST STM32F769: pins PA0..PK15, nanoFramework pin number = port index * 16 + pin.</summary>
        Stm32F769 = 2,
    }

    /// <summary>Monotonic clock the clock adapter reads.</summary>
    public enum ClockSource
    {
        /// <summary>The lockstep runner of the virtual line.</summary>
        Host = 0,
        /// <summary>ESP32 <c>HighResTimer.GetCurrent()</c>, 1 us resolution.</summary>
        Esp32HighResUs = 1,
        /// <summary><c>Environment.TickCount64</c>, 1 ms resolution (every nanoFramework target).</summary>
        TickCount64Ms = 2,
    }

    /// <summary>Station modules a board can run.</summary>
    public enum StationKind
    {
        /// <summary>Unwind / process drum / rewind.</summary>
        WebTransport = 0,
        /// <summary>Two-cathode RF sputter.</summary>
        Sputter = 1,
        /// <summary>Multi-zone anneal furnace.</summary>
        Anneal = 2,
        /// <summary>Sheet test (per-site analog multiplexing).</summary>
        SheetTest = 3,
    }

    /// <summary>Input pull resistor.</summary>
    public enum PinPull
    {
        /// <summary>No pull (external resistor or driven signal).</summary>
        None = 0,
        /// <summary>Internal pull-up.</summary>
        Up = 1,
        /// <summary>Internal pull-down.</summary>
        Down = 2,
    }

    /// <summary>Output driver type.</summary>
    public enum OutputDrive
    {
        /// <summary>Push-pull.</summary>
        PushPull = 0,
        /// <summary>Open drain (external pull-up).</summary>
        OpenDrain = 1,
    }

    /// <summary>How an analog output is produced.</summary>
    public enum AnalogOutputKind
    {
        /// <summary>PWM duty cycle (filtered or driving an SSR).</summary>
        Pwm = 0,
        /// <summary>On-chip DAC.</summary>
        Dac = 1,
    }

    /// <summary>Where an NV partition lives.</summary>
    public enum NvBacking
    {
        /// <summary>A file on the internal flash file system (or a host file on the virtual board).</summary>
        File = 0,
        /// <summary>STM32 battery-backed backup memory.</summary>
        BackupMemory = 1,
    }

    /// <summary>
    /// A pin reference: a physical MCU pin (nanoFramework pin number) or a simulated plant signal (virtual board).
    /// </summary>
    public sealed class PinRef
    {
        /// <summary>Creates a pin reference.</summary>
        /// <param name="text">The name as written in the file (GPIO34, PC7, sim:sputter.door.closed).</param>
        /// <param name="number">nanoFramework pin number, or -1 for a simulated signal.</param>
        /// <param name="signal">The plant signal name without the sim: prefix, or null for a physical pin.</param>
        public PinRef(string text, int number, string signal)
        {
            Text = text;
            Number = number;
            Signal = signal;
        }

        /// <summary>The name as written in the board file.</summary>
        public string Text { get; }

        /// <summary>nanoFramework (logical) pin number; -1 for a simulated signal.</summary>
        public int Number { get; }

        /// <summary>Plant signal name (virtual board), or null.</summary>
        public string Signal { get; }

        /// <summary>True for a simulated plant signal.</summary>
        public bool IsSimulated { get { return Signal != null; } }
    }

    /// <summary>A digital input line: <c>din &lt;name&gt; &lt;pin&gt; active-high|active-low [debounce_ms=N] [pull=none|up|down] [irq=yes]</c>.</summary>
    public sealed class DigitalInputDef
    {
        /// <summary>Logical name the station modules look up.</summary>
        public string Name;
        /// <summary>Pin or signal.</summary>
        public PinRef Pin;
        /// <summary>True when a high level means asserted.</summary>
        public bool ActiveHigh;
        /// <summary>Time the raw level must hold before the logical state follows, in milliseconds (0 = none).</summary>
        public int DebounceMs;
        /// <summary>Pull resistor.</summary>
        public PinPull Pull;
        /// <summary>True when the adapter registers a pin-change callback (fast interlock path) instead of only polling.</summary>
        public bool Interrupt;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>A digital output line: <c>dout &lt;name&gt; &lt;pin&gt; active-high|active-low safe=off|on [drive=push-pull|open-drain]</c>.</summary>
    public sealed class DigitalOutputDef
    {
        /// <summary>Logical name.</summary>
        public string Name;
        /// <summary>Pin or signal.</summary>
        public PinRef Pin;
        /// <summary>True when a high level means asserted.</summary>
        public bool ActiveHigh;
        /// <summary>Logical state driven at construction, on every fault and on SetSafe (normally false: de-energize to trip).</summary>
        public bool SafeActive;
        /// <summary>Driver type.</summary>
        public OutputDrive Drive;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>
    /// An analog input line:
    /// <c>ain &lt;name&gt; &lt;channel|sim:signal&gt; [pin=P] counts=A..B volts=A..B eng=A..B unit=U [open_below=N] [short_above=N]</c>.
    /// Scaling is linear: counts to volts over the converter range, volts to engineering units over the sensor range.
    /// </summary>
    public sealed class AnalogInputDef
    {
        /// <summary>Logical name.</summary>
        public string Name;
        /// <summary>ADC controller channel number; -1 on the virtual board.</summary>
        public int Channel;
        /// <summary>Physical pin of the channel (documentation and duplicate-use check), or the simulated signal.</summary>
        public PinRef Pin;
        /// <summary>Converter count at <see cref="VoltsMin"/>.</summary>
        public int CountsMin;
        /// <summary>Converter count at <see cref="VoltsMax"/>.</summary>
        public int CountsMax;
        /// <summary>Volts at the pin at <see cref="CountsMin"/>.</summary>
        public double VoltsMin;
        /// <summary>Volts at the pin at <see cref="CountsMax"/>.</summary>
        public double VoltsMax;
        /// <summary>Sensor volts that mean <see cref="EngMin"/> (signal conditioning: e.g. 0.5 V = 0 degC).</summary>
        public double SensorVoltsMin;
        /// <summary>Sensor volts that mean <see cref="EngMax"/>.</summary>
        public double SensorVoltsMax;
        /// <summary>Engineering value at <see cref="SensorVoltsMin"/>.</summary>
        public double EngMin;
        /// <summary>Engineering value at <see cref="SensorVoltsMax"/>.</summary>
        public double EngMax;
        /// <summary>Engineering unit (N, Pa, degC, W, V, sccm...).</summary>
        public string Unit;
        /// <summary>Counts at or below this mean an open input (broken wire, 4-20 mA loop open); int.MinValue = no check.</summary>
        public int OpenBelowCounts;
        /// <summary>Counts at or above this mean a shorted input or saturation; int.MaxValue = no check.</summary>
        public int ShortAboveCounts;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>An analog output line: <c>aout &lt;name&gt; pwm|dac &lt;pin&gt; safe=F [freq_hz=N] [ch=N] [active=high|low]</c>.</summary>
    public sealed class AnalogOutputDef
    {
        /// <summary>Logical name.</summary>
        public string Name;
        /// <summary>PWM or DAC.</summary>
        public AnalogOutputKind Kind;
        /// <summary>Pin or signal.</summary>
        public PinRef Pin;
        /// <summary>DAC channel (DAC only; -1 otherwise).</summary>
        public int Channel;
        /// <summary>PWM frequency in Hz (PWM only; 0 for DAC).</summary>
        public int FrequencyHz;
        /// <summary>Fraction of full scale driven at construction and on SetSafe (0..1, normally 0).</summary>
        public double SafeFraction;
        /// <summary>True when a high level / full duty means full scale (false inverts the duty cycle).</summary>
        public bool ActiveHigh;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>An SPI bus: <c>spi &lt;busId&gt; sck=P miso=P mosi=P</c>.</summary>
    public sealed class SpiBusDef
    {
        /// <summary>nanoFramework bus id (ESP32: 1 or 2; STM32: the SPIn number).</summary>
        public int BusId;
        /// <summary>Clock pin.</summary>
        public PinRef Sck;
        /// <summary>Data in.</summary>
        public PinRef Miso;
        /// <summary>Data out.</summary>
        public PinRef Mosi;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>A device on an SPI bus: <c>spidev &lt;name&gt; bus=N cs=P mode=0..3 clock_hz=N</c>.</summary>
    public sealed class SpiDeviceDef
    {
        /// <summary>Logical name.</summary>
        public string Name;
        /// <summary>Bus id of a declared <c>spi</c> line.</summary>
        public int BusId;
        /// <summary>Chip-select pin (driven by the SPI driver, active low).</summary>
        public PinRef ChipSelect;
        /// <summary>SPI mode 0..3.</summary>
        public int Mode;
        /// <summary>Clock frequency in Hz.</summary>
        public int ClockHz;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>A UART: <c>uart &lt;name&gt; port=COMn tx=P rx=P baud=N [role=console|aux]</c>.</summary>
    public sealed class UartDef
    {
        /// <summary>Logical name.</summary>
        public string Name;
        /// <summary>nanoFramework port name (COM1..COM8), or a host name on the virtual board.</summary>
        public string Port;
        /// <summary>Transmit pin.</summary>
        public PinRef Tx;
        /// <summary>Receive pin.</summary>
        public PinRef Rx;
        /// <summary>Baud rate.</summary>
        public int Baud;
        /// <summary>True for the technician console port (exactly one per board).</summary>
        public bool IsConsole;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>An I2C bus: <c>i2c &lt;busId&gt; sda=P scl=P [clock_hz=N]</c>.</summary>
    public sealed class I2cBusDef
    {
        /// <summary>nanoFramework bus id.</summary>
        public int BusId;
        /// <summary>Data pin.</summary>
        public PinRef Sda;
        /// <summary>Clock pin.</summary>
        public PinRef Scl;
        /// <summary>Bus clock in Hz (100000 or 400000).</summary>
        public int ClockHz;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>
    /// An alternate pin function: <c>pinfunc &lt;pin&gt; &lt;function&gt;</c>. ESP32: a nanoFramework DeviceFunction name
    /// that the adapters route with Configuration.SetPinFunction at boot. STM32: <c>AF&lt;n&gt;:&lt;signal&gt;</c>, fixed in
    /// the native target image, recorded so the definition and the pin table agree.
    /// </summary>
    public sealed class PinFunctionDef
    {
        /// <summary>The pin.</summary>
        public PinRef Pin;
        /// <summary>Function name as written (COM2_TX, PWM1, SPI1_CLOCK, AF8:USART6_TX).</summary>
        public string Function;
        /// <summary>ESP32 DeviceFunction value; -1 on STM32 (routing is in the native image).</summary>
        public int Esp32FunctionValue;
        /// <summary>STM32 alternate function number; -1 on ESP32.</summary>
        public int Stm32AlternateFunction;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>A non-volatile partition: <c>nv &lt;name&gt; size=N backing=file|backup [path=P] [offset=N]</c>.</summary>
    public sealed class NvPartitionDef
    {
        /// <summary>Partition name (settings, events, sfq...).</summary>
        public string Name;
        /// <summary>Size in bytes.</summary>
        public int SizeBytes;
        /// <summary>Backing storage.</summary>
        public NvBacking Backing;
        /// <summary>File path (file backing); null otherwise.</summary>
        public string Path;
        /// <summary>Byte offset inside backup memory (backup backing); 0 otherwise.</summary>
        public int Offset;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>
    /// Ethernet: <c>ethernet phy=NAME [addr=N] [mdc=P] [mdio=P] [clock=P] [power=P] [dhcp=yes|no]</c>. On a real MCU the
    /// RMII data pins are reserved by this line (they are fixed in silicon) in addition to the named ones.
    /// </summary>
    public sealed class EthernetDef
    {
        /// <summary>PHY part (LAN8720, LAN8742A, host).</summary>
        public string Phy;
        /// <summary>PHY SMI address.</summary>
        public int PhyAddress;
        /// <summary>Management clock pin, or null when fixed by the MCU.</summary>
        public PinRef Mdc;
        /// <summary>Management data pin, or null when fixed.</summary>
        public PinRef Mdio;
        /// <summary>RMII reference-clock pin, or null when fixed.</summary>
        public PinRef RefClock;
        /// <summary>PHY power-enable pin, or null.</summary>
        public PinRef PhyPower;
        /// <summary>True for DHCP (static addressing is a setting, not board data).</summary>
        public bool Dhcp;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>External watchdog supervisor: <c>watchdog kick=P timeout_ms=N</c>; the adapter toggles the pin per kick.</summary>
    public sealed class WatchdogDef
    {
        /// <summary>Kick pin (toggled once per completed scan).</summary>
        public PinRef Kick;
        /// <summary>Supervisor timeout in milliseconds (from the supervisor chip's datasheet, minimum value).</summary>
        public int TimeoutMs;
        /// <summary>1-based line in the board file.</summary>
        public int Line;
    }

    /// <summary>
    /// A parsed board definition (boards are data). Produced by <see cref="BoardDefinitionParser"/>; immutable by
    /// convention after parsing. Threading: read-only, safe to share.
    /// </summary>
    public sealed class BoardDefinition
    {
        /// <summary>Board name (the <c>board</c> line).</summary>
        public string Name;
        /// <summary>MCU family.</summary>
        public McuKind Mcu;
        /// <summary>Monotonic clock source.</summary>
        public ClockSource Clock;
        /// <summary>External watchdog supervisor; null only on the host MCU when the file declares none.</summary>
        public WatchdogDef Watchdog;
        /// <summary>Station modules that run on this board, in file order.</summary>
        public StationKind[] Stations;
        /// <summary>Digital inputs in file order.</summary>
        public DigitalInputDef[] DigitalInputs;
        /// <summary>Digital outputs in file order.</summary>
        public DigitalOutputDef[] DigitalOutputs;
        /// <summary>Analog inputs in file order.</summary>
        public AnalogInputDef[] AnalogInputs;
        /// <summary>Analog (PWM/DAC) outputs in file order.</summary>
        public AnalogOutputDef[] AnalogOutputs;
        /// <summary>SPI buses.</summary>
        public SpiBusDef[] SpiBuses;
        /// <summary>SPI devices.</summary>
        public SpiDeviceDef[] SpiDevices;
        /// <summary>UARTs.</summary>
        public UartDef[] Uarts;
        /// <summary>I2C buses.</summary>
        public I2cBusDef[] I2cBuses;
        /// <summary>Alternate pin functions.</summary>
        public PinFunctionDef[] PinFunctions;
        /// <summary>Non-volatile partitions.</summary>
        public NvPartitionDef[] NvPartitions;
        /// <summary>Ethernet, or null when the board has none.</summary>
        public EthernetDef Ethernet;

        /// <summary>True when the board runs <paramref name="station"/>.</summary>
        public bool RunsStation(StationKind station)
        {
            for (int i = 0; i < Stations.Length; i++) if (Stations[i] == station) return true;
            return false;
        }

        /// <summary>The digital input named <paramref name="name"/>, or null.</summary>
        public DigitalInputDef FindDigitalInput(string name)
        {
            for (int i = 0; i < DigitalInputs.Length; i++) if (DigitalInputs[i].Name == name) return DigitalInputs[i];
            return null;
        }

        /// <summary>The digital output named <paramref name="name"/>, or null.</summary>
        public DigitalOutputDef FindDigitalOutput(string name)
        {
            for (int i = 0; i < DigitalOutputs.Length; i++) if (DigitalOutputs[i].Name == name) return DigitalOutputs[i];
            return null;
        }

        /// <summary>The analog input named <paramref name="name"/>, or null.</summary>
        public AnalogInputDef FindAnalogInput(string name)
        {
            for (int i = 0; i < AnalogInputs.Length; i++) if (AnalogInputs[i].Name == name) return AnalogInputs[i];
            return null;
        }

        /// <summary>The analog output named <paramref name="name"/>, or null.</summary>
        public AnalogOutputDef FindAnalogOutput(string name)
        {
            for (int i = 0; i < AnalogOutputs.Length; i++) if (AnalogOutputs[i].Name == name) return AnalogOutputs[i];
            return null;
        }

        /// <summary>The SPI device named <paramref name="name"/>, or null.</summary>
        public SpiDeviceDef FindSpiDevice(string name)
        {
            for (int i = 0; i < SpiDevices.Length; i++) if (SpiDevices[i].Name == name) return SpiDevices[i];
            return null;
        }

        /// <summary>The SPI bus with id <paramref name="busId"/>, or null.</summary>
        public SpiBusDef FindSpiBus(int busId)
        {
            for (int i = 0; i < SpiBuses.Length; i++) if (SpiBuses[i].BusId == busId) return SpiBuses[i];
            return null;
        }

        /// <summary>The NV partition named <paramref name="name"/>, or null.</summary>
        public NvPartitionDef FindNvPartition(string name)
        {
            for (int i = 0; i < NvPartitions.Length; i++) if (NvPartitions[i].Name == name) return NvPartitions[i];
            return null;
        }

        /// <summary>The console UART (the parser guarantees exactly one).</summary>
        public UartDef ConsoleUart
        {
            get
            {
                for (int i = 0; i < Uarts.Length; i++) if (Uarts[i].IsConsole) return Uarts[i];
                return null;
            }
        }
    }
}
