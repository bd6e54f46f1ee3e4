using System.Collections;

namespace Tfb.Boards
{
    /// <summary>
    /// Parses the line-based board-definition format (docs/boards/format.md) into a <see cref="BoardDefinition"/>.
    /// Every refused line yields a <see cref="BoardParseError"/> with a stable <see cref="BoardError"/> and the
    /// line number; unknown keywords and keys, duplicate names and duplicate pin use are refused.
    /// </summary>
    /// <remarks>Runs once at boot (allocates freely); never from the scan. Threading: stateless, reentrant.</remarks>
    public static class BoardDefinitionParser
    {
        /// <summary>Longest accepted line, in characters (comments included).</summary>
        public const int MaxLineLength = 240;

        /// <summary>Parses <paramref name="text"/>; throws on the first bad line.</summary>
        /// <exception cref="BoardDefinitionException">The first refused line.</exception>
        public static BoardDefinition Parse(string text)
        {
            BoardDefinition board;
            BoardParseError error;
            if (!TryParse(text, out board, out error)) throw new BoardDefinitionException(error);
            return board;
        }

        /// <summary>Parses <paramref name="text"/>.</summary>
        /// <returns>True with <paramref name="board"/> set; false with <paramref name="error"/> set (board null).</returns>
        public static bool TryParse(string text, out BoardDefinition board, out BoardParseError error)
        {
            board = null;
            error = null;
            if (text == null)
            {
                error = new BoardParseError(BoardError.MissingLine, 0, "no board definition text");
                return false;
            }
            Parser p = new Parser();
            try
            {
                board = p.Run(text);
                return true;
            }
            catch (BoardDefinitionException ex)
            {
                error = ex.Error;
                return false;
            }
        }

        private sealed class Parser
        {
            private const int MaxTokens = 24;

            private readonly string[] _positional = new string[MaxTokens];
            private readonly string[] _keys = new string[MaxTokens];
            private readonly string[] _values = new string[MaxTokens];
            private readonly bool[] _used = new bool[MaxTokens];
            private int _positionalCount;
            private int _optionCount;
            private int _line;

            private readonly BoardDefinition _board = new BoardDefinition();
            private bool _haveMcu;
            private bool _haveClock;
            private int _clockLine;
            private readonly ArrayList _stations = new ArrayList();
            private readonly ArrayList _din = new ArrayList();
            private readonly ArrayList _dout = new ArrayList();
            private readonly ArrayList _ain = new ArrayList();
            private readonly ArrayList _aout = new ArrayList();
            private readonly ArrayList _spi = new ArrayList();
            private readonly ArrayList _spidev = new ArrayList();
            private readonly ArrayList _uart = new ArrayList();
            private readonly ArrayList _i2c = new ArrayList();
            private readonly ArrayList _pinfunc = new ArrayList();
            private readonly ArrayList _nv = new ArrayList();
            // Every claimed pin/signal: key ("#<n>" or "sim:<signal>"), and who claimed it, for the message.
            private readonly ArrayList _pinKeys = new ArrayList();
            private readonly ArrayList _pinOwners = new ArrayList();
            private readonly ArrayList _names = new ArrayList();

            public BoardDefinition Run(string text)
            {
                int start = 0;
                _line = 0;
                while (start <= text.Length)
                {
                    int end = text.IndexOf('\n', start);
                    if (end < 0) end = text.Length;
                    _line++;
                    string raw = text.Substring(start, end - start);
                    if (raw.Length > 0 && raw[raw.Length - 1] == '\r') raw = raw.Substring(0, raw.Length - 1);
                    if (raw.Length > MaxLineLength)
                        Fail(BoardError.LineTooLong, "line has " + raw.Length.ToString() + " characters, at most " + MaxLineLength.ToString() + " are accepted");
                    ParseLine(raw);
                    start = end + 1;
                }
                _line = 0;
                return Finish();
            }

            private void ParseLine(string raw)
            {
                int hash = raw.IndexOf('#');
                string content = hash >= 0 ? raw.Substring(0, hash) : raw;
                Tokenize(content);
                if (_positionalCount == 0)
                {
                    if (_optionCount > 0) Fail(BoardError.BadSyntax, "a line must start with a keyword, not '" + _keys[0] + "='");
                    return;
                }
                string keyword = _positional[0];
                switch (keyword)
                {
                    case "board": Board(); break;
                    case "mcu": Mcu(); break;
                    case "clock": Clock(); break;
                    case "watchdog": Watchdog(); break;
                    case "station": Station(); break;
                    case "din": DigitalIn(); break;
                    case "dout": DigitalOut(); break;
                    case "ain": AnalogIn(); break;
                    case "aout": AnalogOut(); break;
                    case "spi": SpiBus(); break;
                    case "spidev": SpiDevice(); break;
                    case "uart": Uart(); break;
                    case "i2c": I2c(); break;
                    case "pinfunc": PinFunc(); break;
                    case "nv": Nv(); break;
                    case "ethernet": Ethernet(); break;
                    default: Fail(BoardError.UnknownKeyword, "unknown keyword '" + keyword + "'"); break;
                }
                // strap=ok is read by the pin checks; anything else left unread is a key this keyword does not take.
                for (int i = 0; i < _optionCount; i++)
                {
                    if (!_used[i]) Fail(BoardError.UnknownKey, "'" + keyword + "' does not take '" + _keys[i] + "='");
                }
            }

            private void Tokenize(string content)
            {
                _positionalCount = 0;
                _optionCount = 0;
                int i = 0;
                while (i < content.Length)
                {
                    while (i < content.Length && (content[i] == ' ' || content[i] == '\t')) i++;
                    if (i >= content.Length) break;
                    int s = i;
                    while (i < content.Length && content[i] != ' ' && content[i] != '\t') i++;
                    string tok = content.Substring(s, i - s);
                    if (_positionalCount + _optionCount >= MaxTokens) Fail(BoardError.BadSyntax, "more than " + MaxTokens.ToString() + " words on one line");
                    for (int c = 0; c < tok.Length; c++)
                    {
                        if (tok[c] < ' ' || tok[c] > '~') Fail(BoardError.BadSyntax, "non-printable or non-ASCII character in '" + tok + "'");
                    }
                    int eq = tok.IndexOf('=');
                    if (eq < 0)
                    {
                        if (_optionCount > 0) Fail(BoardError.BadSyntax, "'" + tok + "' follows key=value options; positional arguments come first");
                        _positional[_positionalCount++] = tok;
                        continue;
                    }
                    if (eq == 0 || eq == tok.Length - 1) Fail(BoardError.BadSyntax, "'" + tok + "' is not key=value");
                    string key = tok.Substring(0, eq);
                    for (int k = 0; k < _optionCount; k++)
                    {
                        if (_keys[k] == key) Fail(BoardError.DuplicateName, "key '" + key + "' given twice");
                    }
                    _keys[_optionCount] = key;
                    _values[_optionCount] = tok.Substring(eq + 1);
                    _used[_optionCount] = false;
                    _optionCount++;
                }
            }

            // ---- line handlers ----

            private void Board()
            {
                Positionals(2, "board <name>");
                if (_board.Name != null) Fail(BoardError.DuplicateLine, "'board' given twice");
                string name = _positional[1];
                if (!IsBoardName(name)) Fail(BoardError.BadValue, "board name '" + name + "': lower-case letters, digits and '-' only, 1-40 characters");
                _board.Name = name;
            }

            private void Mcu()
            {
                Positionals(2, "mcu esp32|stm32f769|host");
                if (_haveMcu) Fail(BoardError.DuplicateLine, "'mcu' given twice");
                string v = _positional[1];
                if (v == "esp32") _board.Mcu = McuKind.Esp32;
                else if (v == "stm32f769") _board.Mcu = McuKind.Stm32F769;
                else if (v == "host") _board.Mcu = McuKind.Host;
                else Fail(BoardError.BadValue, "unknown mcu '" + v + "' (esp32, stm32f769, host)");
                if (_pinKeys.Count > 0) Fail(BoardError.BadSyntax, "'mcu' must come before any line that names a pin");
                _haveMcu = true;
            }

            private void Clock()
            {
                Positionals(2, "clock esp32-highres-us|tickcount64-ms|host");
                if (_haveClock) Fail(BoardError.DuplicateLine, "'clock' given twice");
                string v = _positional[1];
                if (v == "esp32-highres-us") _board.Clock = ClockSource.Esp32HighResUs;
                else if (v == "tickcount64-ms") _board.Clock = ClockSource.TickCount64Ms;
                else if (v == "host") _board.Clock = ClockSource.Host;
                else Fail(BoardError.BadValue, "unknown clock source '" + v + "' (esp32-highres-us, tickcount64-ms, host)");
                _haveClock = true;
                _clockLine = _line;
            }

            private void Watchdog()
            {
                Positionals(1, "watchdog kick=<pin> timeout_ms=<n>");
                if (_board.Watchdog != null) Fail(BoardError.DuplicateLine, "'watchdog' given twice");
                WatchdogDef w = new WatchdogDef();
                w.Line = _line;
                w.Kick = OutputPin(Required("kick"), "watchdog");
                w.TimeoutMs = IntIn(Required("timeout_ms"), "timeout_ms", 10, 60000);
                _board.Watchdog = w;
            }

            private void Station()
            {
                Positionals(2, "station web-transport|sputter|anneal|sheet-test");
                string v = _positional[1];
                StationKind s;
                if (v == "web-transport") s = StationKind.WebTransport;
                else if (v == "sputter") s = StationKind.Sputter;
                else if (v == "anneal") s = StationKind.Anneal;
                else if (v == "sheet-test") s = StationKind.SheetTest;
                else
                {
                    Fail(BoardError.UnknownStation, "unknown station '" + v + "' (web-transport, sputter, anneal, sheet-test)");
                    return;
                }
                for (int i = 0; i < _stations.Count; i++)
                {
                    if ((StationKind)_stations[i] == s) Fail(BoardError.DuplicateLine, "station '" + v + "' given twice");
                }
                _stations.Add(s);
            }

            private void DigitalIn()
            {
                Positionals(4, "din <name> <pin> active-high|active-low");
                DigitalInputDef d = new DigitalInputDef();
                d.Line = _line;
                d.Name = NewName(_positional[1]);
                d.Pin = InputPin(_positional[2], d.Name);
                d.ActiveHigh = Polarity(_positional[3]);
                string deb = Optional("debounce_ms");
                d.DebounceMs = deb == null ? 0 : IntIn(deb, "debounce_ms", 0, 10000);
                string pull = Optional("pull");
                d.Pull = PinPull.None;
                if (pull != null)
                {
                    if (pull == "none") d.Pull = PinPull.None;
                    else if (pull == "up") d.Pull = PinPull.Up;
                    else if (pull == "down") d.Pull = PinPull.Down;
                    else Fail(BoardError.BadValue, "pull '" + pull + "' (none, up, down)");
                    if (d.Pull != PinPull.None && McuPins.IsInputOnly(_board.Mcu, d.Pin))
                        Fail(BoardError.BadValue, d.Pin.Text + " has no internal pull resistors (ESP32 GPIO34-39): use pull=none and an external resistor");
                    if (d.Pull != PinPull.None && d.Pin.IsSimulated)
                        Fail(BoardError.BadValue, "a simulated signal has no pull resistor");
                }
                string irq = Optional("irq");
                d.Interrupt = irq != null && YesNo(irq, "irq");
                _din.Add(d);
            }

            private void DigitalOut()
            {
                Positionals(4, "dout <name> <pin> active-high|active-low safe=off|on");
                DigitalOutputDef d = new DigitalOutputDef();
                d.Line = _line;
                d.Name = NewName(_positional[1]);
                d.Pin = OutputPin(_positional[2], d.Name);
                d.ActiveHigh = Polarity(_positional[3]);
                string safe = Required("safe");
                if (safe == "off") d.SafeActive = false;
                else if (safe == "on") d.SafeActive = true;
                else Fail(BoardError.BadValue, "safe '" + safe + "' (off, on)");
                string drive = Optional("drive");
                d.Drive = OutputDrive.PushPull;
                if (drive != null)
                {
                    if (drive == "push-pull") d.Drive = OutputDrive.PushPull;
                    else if (drive == "open-drain") d.Drive = OutputDrive.OpenDrain;
                    else Fail(BoardError.BadValue, "drive '" + drive + "' (push-pull, open-drain)");
                }
                _dout.Add(d);
            }

            private void AnalogIn()
            {
                Positionals(3, "ain <name> <channel|sim:signal>");
                AnalogInputDef a = new AnalogInputDef();
                a.Line = _line;
                a.Name = NewName(_positional[1]);
                if (_board.Mcu == McuKind.Host)
                {
                    RequireMcu();
                    a.Channel = -1;
                    a.Pin = InputPin(_positional[2], a.Name);
                }
                else
                {
                    RequireMcu();
                    a.Channel = IntIn(_positional[2], "channel", 0, 31);
                    string expected = McuPins.AdcChannelPin(_board.Mcu, a.Channel);
                    if (expected == null) Fail(BoardError.BadChannel, "ADC channel " + a.Channel.ToString() + " has no pin on this MCU");
                    string pinText = Required("pin");
                    if (pinText != expected) Fail(BoardError.BadChannel, "ADC channel " + a.Channel.ToString() + " is on " + expected + ", not " + pinText);
                    a.Pin = InputPin(pinText, a.Name);
                }
                double c0, c1, v0, v1, e0, e1;
                Range(Required("counts"), "counts", out c0, out c1);
                if (c0 != (int)c0 || c1 != (int)c1 || c0 < 0 || c1 > 16777215) Fail(BoardError.OutOfRange, "counts must be whole numbers 0..16777215");
                Range(Required("volts"), "volts", out v0, out v1);
                Range(Required("eng"), "eng", out e0, out e1);
                a.CountsMin = (int)c0;
                a.CountsMax = (int)c1;
                a.VoltsMin = v0;
                a.VoltsMax = v1;
                string sensor = Optional("sensor_volts");
                if (sensor == null)
                {
                    a.SensorVoltsMin = v0;
                    a.SensorVoltsMax = v1;
                }
                else
                {
                    double s0, s1;
                    Range(sensor, "sensor_volts", out s0, out s1);
                    a.SensorVoltsMin = s0;
                    a.SensorVoltsMax = s1;
                }
                a.EngMin = e0;
                a.EngMax = e1;
                string unit = Required("unit");
                if (!IsUnit(unit)) Fail(BoardError.BadValue, "unit '" + unit + "': letters, digits, '/', '%', '_' only, at most 12 characters");
                a.Unit = unit;
                string open = Optional("open_below");
                string shortAbove = Optional("short_above");
                a.OpenBelowCounts = open == null ? int.MinValue : IntIn(open, "open_below", a.CountsMin, a.CountsMax);
                a.ShortAboveCounts = shortAbove == null ? int.MaxValue : IntIn(shortAbove, "short_above", a.CountsMin, a.CountsMax);
                if (open != null && shortAbove != null && a.OpenBelowCounts >= a.ShortAboveCounts)
                    Fail(BoardError.OutOfRange, "open_below must be below short_above");
                _ain.Add(a);
            }

            private void AnalogOut()
            {
                Positionals(4, "aout <name> pwm|dac <pin>");
                AnalogOutputDef a = new AnalogOutputDef();
                a.Line = _line;
                a.Name = NewName(_positional[1]);
                string kind = _positional[2];
                if (kind == "pwm") a.Kind = AnalogOutputKind.Pwm;
                else if (kind == "dac") a.Kind = AnalogOutputKind.Dac;
                else Fail(BoardError.BadValue, "aout kind '" + kind + "' (pwm, dac)");
                a.Pin = OutputPin(_positional[3], a.Name);
                a.Channel = -1;
                if (a.Kind == AnalogOutputKind.Pwm)
                {
                    a.FrequencyHz = IntIn(Required("freq_hz"), "freq_hz", 1, 1000000);
                }
                else if (_board.Mcu != McuKind.Host)
                {
                    a.Channel = IntIn(Required("ch"), "ch", 0, 7);
                    string expected = McuPins.DacChannelPin(_board.Mcu, a.Channel);
                    if (expected == null) Fail(BoardError.BadChannel, "DAC channel " + a.Channel.ToString() + " does not exist on this MCU");
                    if (expected != a.Pin.Text) Fail(BoardError.BadChannel, "DAC channel " + a.Channel.ToString() + " is on " + expected + ", not " + a.Pin.Text);
                }
                double safe;
                string safeText = Required("safe");
                if (!TextNumbers.TryParseDouble(safeText, out safe)) Fail(BoardError.BadValue, "safe '" + safeText + "' is not a number");
                if (safe < 0.0 || safe > 1.0) Fail(BoardError.OutOfRange, "safe must be a fraction 0..1 of full scale");
                a.SafeFraction = safe;
                string active = Optional("active");
                a.ActiveHigh = true;
                if (active != null)
                {
                    if (active == "high") a.ActiveHigh = true;
                    else if (active == "low") a.ActiveHigh = false;
                    else Fail(BoardError.BadValue, "active '" + active + "' (high, low)");
                }
                _aout.Add(a);
            }

            private void SpiBus()
            {
                Positionals(2, "spi <busId> sck=<pin> miso=<pin> mosi=<pin>");
                SpiBusDef b = new SpiBusDef();
                b.Line = _line;
                b.BusId = IntIn(_positional[1], "bus id", 1, 6);
                for (int i = 0; i < _spi.Count; i++)
                {
                    if (((SpiBusDef)_spi[i]).BusId == b.BusId) Fail(BoardError.DuplicateName, "SPI bus " + b.BusId.ToString() + " given twice");
                }
                string owner = "spi" + b.BusId.ToString();
                b.Sck = OutputPin(Required("sck"), owner + ".sck");
                b.Miso = InputPin(Required("miso"), owner + ".miso");
                b.Mosi = OutputPin(Required("mosi"), owner + ".mosi");
                _spi.Add(b);
            }

            private void SpiDevice()
            {
                Positionals(2, "spidev <name> bus=<id> cs=<pin> mode=0..3 clock_hz=<n>");
                SpiDeviceDef d = new SpiDeviceDef();
                d.Line = _line;
                d.Name = NewName(_positional[1]);
                d.BusId = IntIn(Required("bus"), "bus", 1, 6);
                d.ChipSelect = OutputPin(Required("cs"), d.Name + ".cs");
                d.Mode = IntIn(Required("mode"), "mode", 0, 3);
                d.ClockHz = IntIn(Required("clock_hz"), "clock_hz", 1000, 80000000);
                _spidev.Add(d);
            }

            private void Uart()
            {
                Positionals(2, "uart <name> port=<COMn> tx=<pin> rx=<pin> baud=<n> [role=console|aux]");
                UartDef u = new UartDef();
                u.Line = _line;
                u.Name = NewName(_positional[1]);
                u.Port = Required("port");
                RequireMcu();
                if (_board.Mcu == McuKind.Host)
                {
                    if (!McuPins.IsSignalName(u.Port)) Fail(BoardError.BadValue, "port '" + u.Port + "' is not a name");
                    string tx = Optional("tx");
                    string rx = Optional("rx");
                    if (tx != null) u.Tx = OutputPin(tx, u.Name + ".tx");
                    if (rx != null) u.Rx = InputPin(rx, u.Name + ".rx");
                }
                else
                {
                    if (u.Port.Length != 4 || u.Port.Substring(0, 3) != "COM" || u.Port[3] < '1' || u.Port[3] > '8')
                        Fail(BoardError.BadValue, "port '" + u.Port + "' (COM1..COM8)");
                    for (int i = 0; i < _uart.Count; i++)
                    {
                        if (((UartDef)_uart[i]).Port == u.Port) Fail(BoardError.DuplicateName, "port " + u.Port + " given twice");
                    }
                    u.Tx = OutputPin(Required("tx"), u.Name + ".tx");
                    u.Rx = InputPin(Required("rx"), u.Name + ".rx");
                }
                u.Baud = IntIn(Required("baud"), "baud", 300, 5000000);
                string role = Optional("role");
                if (role != null)
                {
                    if (role == "console") u.IsConsole = true;
                    else if (role != "aux") Fail(BoardError.BadValue, "role '" + role + "' (console, aux)");
                }
                if (u.IsConsole)
                {
                    for (int i = 0; i < _uart.Count; i++)
                    {
                        if (((UartDef)_uart[i]).IsConsole) Fail(BoardError.DuplicateLine, "a second role=console UART");
                    }
                }
                _uart.Add(u);
            }

            private void I2c()
            {
                Positionals(2, "i2c <busId> sda=<pin> scl=<pin> [clock_hz=100000|400000]");
                I2cBusDef b = new I2cBusDef();
                b.Line = _line;
                b.BusId = IntIn(_positional[1], "bus id", 1, 4);
                for (int i = 0; i < _i2c.Count; i++)
                {
                    if (((I2cBusDef)_i2c[i]).BusId == b.BusId) Fail(BoardError.DuplicateName, "I2C bus " + b.BusId.ToString() + " given twice");
                }
                string owner = "i2c" + b.BusId.ToString();
                b.Sda = OutputPin(Required("sda"), owner + ".sda");
                b.Scl = OutputPin(Required("scl"), owner + ".scl");
                string clock = Optional("clock_hz");
                b.ClockHz = clock == null ? 100000 : IntIn(clock, "clock_hz", 10000, 1000000);
                _i2c.Add(b);
            }

            private void PinFunc()
            {
                Positionals(3, "pinfunc <pin> <function>");
                RequireMcu();
                PinFunctionDef f = new PinFunctionDef();
                f.Line = _line;
                if (_board.Mcu == McuKind.Host) Fail(BoardError.NotOnThisMcu, "pinfunc has no meaning on the host MCU");
                f.Pin = McuPins.Parse(_board.Mcu, _positional[1]);
                if (f.Pin == null) Fail(BoardError.BadPin, "'" + _positional[1] + "' is not a pin of this MCU");
                f.Function = _positional[2];
                f.Esp32FunctionValue = -1;
                f.Stm32AlternateFunction = -1;
                if (_board.Mcu == McuKind.Esp32)
                {
                    f.Esp32FunctionValue = McuPins.Esp32FunctionValue(f.Function);
                    if (f.Esp32FunctionValue < 0) Fail(BoardError.BadValue, "'" + f.Function + "' is not an ESP32 DeviceFunction name (COMn_TX, PWMn, SPIn_CLOCK, I2Cn_DATA, ADC1_CHn...)");
                }
                else
                {
                    int colon = f.Function.IndexOf(':');
                    int af = colon > 2 && f.Function.Substring(0, 2) == "AF" ? TextNumbers.ParseIntOrMin(f.Function.Substring(2, colon - 2)) : int.MinValue;
                    if (af < 0 || af > 15 || colon == f.Function.Length - 1)
                        Fail(BoardError.BadValue, "'" + f.Function + "' is not AF<0..15>:<signal> (e.g. AF8:USART6_TX)");
                    f.Stm32AlternateFunction = af;
                }
                for (int i = 0; i < _pinfunc.Count; i++)
                {
                    if (((PinFunctionDef)_pinfunc[i]).Pin.Number == f.Pin.Number) Fail(BoardError.DuplicatePin, "pinfunc for " + f.Pin.Text + " given twice");
                }
                _pinfunc.Add(f);
            }

            private void Nv()
            {
                Positionals(2, "nv <name> size=<bytes> backing=file|backup [path=<file>] [offset=<n>]");
                RequireMcu();
                NvPartitionDef n = new NvPartitionDef();
                n.Line = _line;
                n.Name = NewName(_positional[1]);
                n.SizeBytes = IntIn(Required("size"), "size", 16, 16777216);
                string backing = Required("backing");
                if (backing == "file")
                {
                    n.Backing = NvBacking.File;
                    n.Path = Required("path");
                    if (!IsPath(n.Path)) Fail(BoardError.BadValue, "path '" + n.Path + "': letters, digits, ':', '\\', '/', '.', '_', '-' only");
                    for (int i = 0; i < _nv.Count; i++)
                    {
                        NvPartitionDef o = (NvPartitionDef)_nv[i];
                        if (o.Path == n.Path) Fail(BoardError.DuplicatePin, "path " + n.Path + " already used by nv '" + o.Name + "'");
                    }
                }
                else if (backing == "backup")
                {
                    if (_board.Mcu != McuKind.Stm32F769) Fail(BoardError.NotOnThisMcu, "backup memory exists only on STM32 targets");
                    n.Backing = NvBacking.BackupMemory;
                    n.Offset = IntIn(Required("offset"), "offset", 0, 4095);
                    // STM32F7 backup SRAM is 4 KB; the adapter also checks BackupMemory.Size at run time.
                    if (n.Offset + n.SizeBytes > 4096) Fail(BoardError.OutOfRange, "offset+size exceeds the 4096-byte backup SRAM");
                    for (int i = 0; i < _nv.Count; i++)
                    {
                        NvPartitionDef o = (NvPartitionDef)_nv[i];
                        if (o.Backing == NvBacking.BackupMemory && n.Offset < o.Offset + o.SizeBytes && o.Offset < n.Offset + n.SizeBytes)
                            Fail(BoardError.DuplicatePin, "backup range overlaps nv '" + o.Name + "'");
                    }
                }
                else Fail(BoardError.BadValue, "backing '" + backing + "' (file, backup)");
                _nv.Add(n);
            }

            private void Ethernet()
            {
                Positionals(1, "ethernet phy=<part> [addr=<n>] [mdc=<pin>] [mdio=<pin>] [clock=<pin>] [power=<pin>] [dhcp=yes|no]");
                RequireMcu();
                if (_board.Ethernet != null) Fail(BoardError.DuplicateLine, "'ethernet' given twice");
                EthernetDef e = new EthernetDef();
                e.Line = _line;
                e.Phy = Required("phy");
                bool hostPhy = e.Phy == "host";
                if (_board.Mcu == McuKind.Host != hostPhy) Fail(BoardError.BadValue, "phy '" + e.Phy + "': host MCU uses phy=host, real MCUs name the PHY part");
                if (!hostPhy && e.Phy != "LAN8720" && e.Phy != "LAN8742A" && e.Phy != "IP101" && e.Phy != "RTL8201" && e.Phy != "DP83848")
                    Fail(BoardError.BadValue, "unknown PHY '" + e.Phy + "' (LAN8720, LAN8742A, IP101, RTL8201, DP83848)");
                string addr = Optional("addr");
                e.PhyAddress = addr == null ? 0 : IntIn(addr, "addr", 0, 31);
                string dhcp = Optional("dhcp");
                e.Dhcp = dhcp == null || YesNo(dhcp, "dhcp");
                if (_board.Mcu == McuKind.Esp32)
                {
                    // The ESP32 EMAC routes MDC/MDIO through the GPIO matrix; the RMII data pins are fixed.
                    e.Mdc = OutputPin(Required("mdc"), "ethernet.mdc");
                    e.Mdio = OutputPin(Required("mdio"), "ethernet.mdio");
                    string clock = Required("clock");
                    if (clock != "GPIO0" && clock != "GPIO16" && clock != "GPIO17")
                        Fail(BoardError.BadPin, "RMII reference clock must be GPIO0 (in), GPIO16 or GPIO17 (out), not " + clock);
                    e.RefClock = OutputPin(clock, "ethernet.clock");
                    string power = Optional("power");
                    if (power != null) e.PhyPower = OutputPin(power, "ethernet.power");
                    string[] rmii = McuPins.FixedEthernetPins(_board.Mcu);
                    for (int i = 0; i < rmii.Length; i++) Claim(McuPins.Parse(_board.Mcu, rmii[i]), "ethernet.rmii");
                }
                _board.Ethernet = e;
            }

            // ---- final checks ----

            private BoardDefinition Finish()
            {
                if (_board.Name == null) Fail(BoardError.MissingLine, "no 'board <name>' line");
                if (!_haveMcu) Fail(BoardError.MissingLine, "no 'mcu' line");
                if (!_haveClock) Fail(BoardError.MissingLine, "no 'clock' line");
                bool clockOk = (_board.Clock == ClockSource.Host && _board.Mcu == McuKind.Host)
                    || (_board.Clock == ClockSource.Esp32HighResUs && _board.Mcu == McuKind.Esp32)
                    || (_board.Clock == ClockSource.TickCount64Ms && _board.Mcu != McuKind.Host);
                if (!clockOk)
                {
                    _line = _clockLine;
                    Fail(BoardError.ClockNotSupported, "this clock source does not exist on this MCU");
                }
                if (_stations.Count == 0) Fail(BoardError.MissingLine, "no 'station' line: a board runs at least one station module");
                if (_board.Watchdog == null && _board.Mcu != McuKind.Host)
                    Fail(BoardError.MissingLine, "no 'watchdog' line: a real board needs its external supervisor (nanoFramework has no watchdog API)");
                bool console = false;
                for (int i = 0; i < _uart.Count; i++) if (((UartDef)_uart[i]).IsConsole) console = true;
                if (!console) Fail(BoardError.MissingLine, "no UART with role=console (the technician console)");

                for (int i = 0; i < _spidev.Count; i++)
                {
                    SpiDeviceDef d = (SpiDeviceDef)_spidev[i];
                    bool found = false;
                    for (int k = 0; k < _spi.Count; k++) if (((SpiBusDef)_spi[k]).BusId == d.BusId) found = true;
                    if (!found)
                    {
                        _line = d.Line;
                        Fail(BoardError.UnknownReference, "SPI device '" + d.Name + "' is on bus " + d.BusId.ToString() + ", which no 'spi' line declares");
                    }
                }
                for (int i = 0; i < _pinfunc.Count; i++)
                {
                    PinFunctionDef f = (PinFunctionDef)_pinfunc[i];
                    if (_pinKeys.IndexOf(PinKey(f.Pin)) < 0)
                    {
                        _line = f.Line;
                        Fail(BoardError.UnknownReference, "pinfunc for " + f.Pin.Text + ", which no item uses");
                    }
                }
                if (_board.Mcu == McuKind.Esp32) CheckEsp32Routing();
                _line = 0;

                _board.Stations = new StationKind[_stations.Count];
                for (int i = 0; i < _stations.Count; i++) _board.Stations[i] = (StationKind)_stations[i];
                _board.DigitalInputs = (DigitalInputDef[])_din.ToArray(typeof(DigitalInputDef));
                _board.DigitalOutputs = (DigitalOutputDef[])_dout.ToArray(typeof(DigitalOutputDef));
                _board.AnalogInputs = (AnalogInputDef[])_ain.ToArray(typeof(AnalogInputDef));
                _board.AnalogOutputs = (AnalogOutputDef[])_aout.ToArray(typeof(AnalogOutputDef));
                _board.SpiBuses = (SpiBusDef[])_spi.ToArray(typeof(SpiBusDef));
                _board.SpiDevices = (SpiDeviceDef[])_spidev.ToArray(typeof(SpiDeviceDef));
                _board.Uarts = (UartDef[])_uart.ToArray(typeof(UartDef));
                _board.I2cBuses = (I2cBusDef[])_i2c.ToArray(typeof(I2cBusDef));
                _board.PinFunctions = (PinFunctionDef[])_pinfunc.ToArray(typeof(PinFunctionDef));
                _board.NvPartitions = (NvPartitionDef[])_nv.ToArray(typeof(NvPartitionDef));
                return _board;
            }

            // On ESP32 the UART, PWM, SPI and I2C peripherals reach pins through the GPIO matrix, so every such
            // pin needs a pinfunc line naming the matching DeviceFunction (the adapters apply them at boot).
            private void CheckEsp32Routing()
            {
                for (int i = 0; i < _uart.Count; i++)
                {
                    UartDef u = (UartDef)_uart[i];
                    NeedFunction(u.Tx, u.Port + "_TX", u.Line);
                    NeedFunction(u.Rx, u.Port + "_RX", u.Line);
                }
                for (int i = 0; i < _aout.Count; i++)
                {
                    AnalogOutputDef a = (AnalogOutputDef)_aout[i];
                    if (a.Kind != AnalogOutputKind.Pwm) continue;
                    PinFunctionDef f = FindFunction(a.Pin);
                    if (f == null || f.Function.Length < 4 || f.Function.Substring(0, 3) != "PWM")
                    {
                        _line = a.Line;
                        Fail(BoardError.PinFunctionMismatch, "PWM output " + a.Pin.Text + " needs 'pinfunc " + a.Pin.Text + " PWMn'");
                    }
                }
                for (int i = 0; i < _spi.Count; i++)
                {
                    SpiBusDef b = (SpiBusDef)_spi[i];
                    if (b.BusId > 2)
                    {
                        _line = b.Line;
                        Fail(BoardError.OutOfRange, "ESP32 nanoFramework SPI buses are 1 and 2");
                    }
                    string p = "SPI" + b.BusId.ToString();
                    NeedFunction(b.Sck, p + "_CLOCK", b.Line);
                    NeedFunction(b.Miso, p + "_MISO", b.Line);
                    NeedFunction(b.Mosi, p + "_MOSI", b.Line);
                }
                for (int i = 0; i < _i2c.Count; i++)
                {
                    I2cBusDef b = (I2cBusDef)_i2c[i];
                    string p = "I2C" + b.BusId.ToString();
                    NeedFunction(b.Sda, p + "_DATA", b.Line);
                    NeedFunction(b.Scl, p + "_CLOCK", b.Line);
                }
            }

            private void NeedFunction(PinRef pin, string function, int line)
            {
                PinFunctionDef f = FindFunction(pin);
                if (f == null || f.Function != function)
                {
                    _line = line;
                    Fail(BoardError.PinFunctionMismatch, pin.Text + " needs 'pinfunc " + pin.Text + " " + function + "'" + (f == null ? "" : ", not " + f.Function));
                }
            }

            private PinFunctionDef FindFunction(PinRef pin)
            {
                for (int i = 0; i < _pinfunc.Count; i++)
                {
                    PinFunctionDef f = (PinFunctionDef)_pinfunc[i];
                    if (f.Pin.Number == pin.Number) return f;
                }
                return null;
            }

            // ---- helpers ----

            private void Fail(BoardError code, string message)
            {
                throw new BoardDefinitionException(new BoardParseError(code, _line, message));
            }

            private void Positionals(int count, string usage)
            {
                if (_positionalCount < count) Fail(BoardError.MissingArgument, "usage: " + usage);
                if (_positionalCount > count) Fail(BoardError.BadSyntax, "unexpected '" + _positional[count] + "'; usage: " + usage);
            }

            private void RequireMcu()
            {
                if (!_haveMcu) Fail(BoardError.MissingLine, "'mcu' must come before this line");
            }

            private string Optional(string key)
            {
                for (int i = 0; i < _optionCount; i++)
                {
                    if (_keys[i] == key)
                    {
                        _used[i] = true;
                        return _values[i];
                    }
                }
                return null;
            }

            private string Required(string key)
            {
                string v = Optional(key);
                if (v == null) Fail(BoardError.MissingArgument, "'" + _positional[0] + "' needs " + key + "=");
                return v;
            }

            private bool StrapAcknowledged()
            {
                string v = Optional("strap");
                if (v == null) return false;
                if (v != "ok") Fail(BoardError.BadValue, "strap '" + v + "' (only strap=ok)");
                return true;
            }

            private int IntIn(string text, string what, int min, int max)
            {
                int v = TextNumbers.ParseIntOrMin(text);
                if (v == int.MinValue) Fail(BoardError.BadValue, what + " '" + text + "' is not a whole number");
                if (v < min || v > max) Fail(BoardError.OutOfRange, what + " " + text + " is outside " + min.ToString() + ".." + max.ToString());
                return v;
            }

            private void Range(string text, string what, out double lo, out double hi)
            {
                lo = double.NaN;
                hi = double.NaN;
                int dots = text.IndexOf("..");
                if (dots <= 0 || dots + 2 >= text.Length) Fail(BoardError.BadValue, what + " '" + text + "' is not a range A..B");
                if (!TextNumbers.TryParseDouble(text.Substring(0, dots), out lo) || !TextNumbers.TryParseDouble(text.Substring(dots + 2), out hi))
                    Fail(BoardError.BadValue, what + " '" + text + "' is not a range of two numbers");
                if (!(lo < hi)) Fail(BoardError.OutOfRange, what + " range must rise (A < B); put the inversion in the other range");
            }

            private bool Polarity(string text)
            {
                if (text == "active-high") return true;
                if (text == "active-low") return false;
                Fail(BoardError.BadValue, "polarity '" + text + "' (active-high, active-low)");
                return false;
            }

            private bool YesNo(string text, string what)
            {
                if (text == "yes") return true;
                if (text == "no") return false;
                Fail(BoardError.BadValue, what + " '" + text + "' (yes, no)");
                return false;
            }

            private string NewName(string name)
            {
                if (!IsItemName(name)) Fail(BoardError.BadValue, "name '" + name + "': lower-case letters, digits and '_', starting with a letter, at most 32 characters");
                if (_names.IndexOf(name) >= 0) Fail(BoardError.DuplicateName, "name '" + name + "' is already used");
                _names.Add(name);
                return name;
            }

            private PinRef InputPin(string text, string owner)
            {
                return UsePin(text, owner, false);
            }

            private PinRef OutputPin(string text, string owner)
            {
                return UsePin(text, owner, true);
            }

            private PinRef UsePin(string text, string owner, bool drives)
            {
                RequireMcu();
                PinRef pin = McuPins.Parse(_board.Mcu, text);
                if (pin == null)
                {
                    if (_board.Mcu == McuKind.Host) Fail(BoardError.BadPin, "'" + text + "': the host MCU takes simulated signals only (sim:<station>.<signal>)");
                    if (_board.Mcu == McuKind.Esp32) Fail(BoardError.BadPin, "'" + text + "' is not an ESP32 pin (GPIO0..GPIO39, bonded pins only)");
                    Fail(BoardError.BadPin, "'" + text + "' is not an STM32F769 pin (PA0..PK15)");
                }
                if (McuPins.IsReserved(_board.Mcu, pin)) Fail(BoardError.PinReserved, pin.Text + " is reserved on this MCU (flash, deploy/debug UART or on-board Ethernet)");
                if (drives && McuPins.IsInputOnly(_board.Mcu, pin)) Fail(BoardError.InputOnlyPin, pin.Text + " is input-only and cannot drive " + owner);
                if (McuPins.IsStrapping(_board.Mcu, pin) && !StrapAcknowledged())
                    Fail(BoardError.StrappingPin, pin.Text + " is a strapping pin sampled at reset; check the circuit and add strap=ok to the line");
                Claim(pin, owner);
                return pin;
            }

            private void Claim(PinRef pin, string owner)
            {
                string key = PinKey(pin);
                int at = _pinKeys.IndexOf(key);
                if (at >= 0) Fail(BoardError.DuplicatePin, pin.Text + " is already used by " + (string)_pinOwners[at]);
                _pinKeys.Add(key);
                _pinOwners.Add(owner + " (line " + _line.ToString() + ")");
            }

            private static string PinKey(PinRef pin)
            {
                return pin.IsSimulated ? "sim:" + pin.Signal : "#" + pin.Number.ToString();
            }

            private static bool IsItemName(string s)
            {
                if (s.Length == 0 || s.Length > 32 || s[0] < 'a' || s[0] > 'z') return false;
                for (int i = 1; i < s.Length; i++)
                {
                    char c = s[i];
                    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
                }
                return true;
            }

            private static bool IsBoardName(string s)
            {
                if (s.Length == 0 || s.Length > 40 || s[0] < 'a' || s[0] > 'z') return false;
                for (int i = 1; i < s.Length; i++)
                {
                    char c = s[i];
                    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
                }
                return true;
            }

            private static bool IsUnit(string s)
            {
                if (s.Length == 0 || s.Length > 12) return false;
                for (int i = 0; i < s.Length; i++)
                {
                    char c = s[i];
                    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '%' || c == '_')) return false;
                }
                return true;
            }

            private static bool IsPath(string s)
            {
                if (s.Length == 0 || s.Length > 120) return false;
                for (int i = 0; i < s.Length; i++)
                {
                    char c = s[i];
                    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '\\' || c == '/' || c == '.' || c == '_' || c == '-')) return false;
                }
                return true;
            }
        }
    }
}
