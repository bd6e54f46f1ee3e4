namespace Tfb.Boards.Tests;

/// <summary>
/// Malformed board definitions: each is refused with its stable code and the line number of the offending
/// line, and nothing is produced.
/// </summary>
public class BoardDefinitionParserTests
{
    // Minimal valid boards; tests append one line (line numbers below count from these).
    private const string Host =
        "board t\n" +                                          // 1
        "mcu host\n" +                                         // 2
        "clock host\n" +                                       // 3
        "station sputter\n" +                                  // 4
        "uart console port=console role=console baud=115200\n"; // 5; appended line = 6

    private const string Esp32 =
        "board e\n" +                                                      // 1
        "mcu esp32\n" +                                                    // 2
        "clock esp32-highres-us\n" +                                       // 3
        "station anneal\n" +                                               // 4
        "watchdog kick=GPIO13 timeout_ms=1600\n" +                         // 5
        "uart console port=COM2 tx=GPIO4 rx=GPIO36 baud=115200 role=console\n" + // 6
        "pinfunc GPIO4 COM2_TX\n" +                                        // 7
        "pinfunc GPIO36 COM2_RX\n";                                        // 8; appended line = 9

    private const string Stm32 =
        "board s\n" +                                                      // 1
        "mcu stm32f769\n" +                                                // 2
        "clock tickcount64-ms\n" +                                         // 3
        "station sputter\n" +                                              // 4
        "watchdog kick=PB8 timeout_ms=1600\n" +                            // 5
        "uart console port=COM6 tx=PC6 rx=PC7 baud=115200 role=console\n"; // 6; appended line = 7

    private static BoardParseError Refused(string text)
    {
        bool ok = BoardDefinitionParser.TryParse(text, out var board, out var error);
        Assert.False(ok, "accepted: " + text);
        Assert.Null(board);
        Assert.NotNull(error);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }

    private static void AssertRefused(string text, BoardError code, int line)
    {
        var e = Refused(text);
        Assert.True(code == e.Code && line == e.LineNumber, $"expected {code} at line {line}, got {e}");
    }

    [Fact]
    public void MinimalBoards_Parse()
    {
        Assert.Equal("t", BoardDefinitionParser.Parse(Host).Name);
        Assert.Equal("e", BoardDefinitionParser.Parse(Esp32).Name);
        Assert.Equal("s", BoardDefinitionParser.Parse(Stm32).Name);
    }

    [Fact]
    public void CommentsBlankLinesTabsAndCrLf_AreAccepted()
    {
        var b = BoardDefinitionParser.Parse("# header\r\n\r\n" + Host.Replace("\n", "\r\n") + "din\tdoor_closed  sim:sputter.door.closed active-high # trailing\r\n");
        Assert.Single(b.DigitalInputs);
        Assert.Equal(8, b.DigitalInputs[0].Line);
        Assert.Equal("sputter.door.closed", b.DigitalInputs[0].Pin.Signal);
    }

    [Fact]
    public void Parse_Throws_WithTheSameError()
    {
        var ex = Assert.Throws<BoardDefinitionException>(() => BoardDefinitionParser.Parse(Host + "frobnicate x\n"));
        Assert.Equal(BoardError.UnknownKeyword, ex.Error.Code);
        Assert.Equal(6, ex.Error.LineNumber);
        Assert.Contains("line 6: BE1 ", ex.Message);
    }

    [Fact]
    public void NullText_IsAMissingLine()
    {
        AssertRefused(null, BoardError.MissingLine, 0);
    }

    [Theory]
    // keywords, keys and syntax
    [InlineData("frobnicate x", BoardError.UnknownKeyword)]
    [InlineData("DIN door sim:a.b active-high", BoardError.UnknownKeyword)]
    [InlineData("din door sim:a.b active-high colour=red", BoardError.UnknownKey)]
    [InlineData("din door sim:a.b active-high debounce_ms=5 debounce_ms=6", BoardError.DuplicateName)]
    [InlineData("din door sim:a.b", BoardError.MissingArgument)]
    [InlineData("din door sim:a.b active-high extra", BoardError.BadSyntax)]
    [InlineData("din door debounce_ms=5 sim:a.b active-high", BoardError.BadSyntax)]
    [InlineData("din door sim:a.b active-high debounce_ms=", BoardError.BadSyntax)]
    [InlineData("=5", BoardError.BadSyntax)]
    [InlineData("din d\u00f6or sim:a.b active-high", BoardError.BadSyntax)]
    // values
    [InlineData("din door sim:a.b active-sideways", BoardError.BadValue)]
    [InlineData("din Door sim:a.b active-high", BoardError.BadValue)]
    [InlineData("din 1door sim:a.b active-high", BoardError.BadValue)]
    [InlineData("din door sim:a.b active-high debounce_ms=five", BoardError.BadValue)]
    [InlineData("din door sim:a.b active-high debounce_ms=-1", BoardError.OutOfRange)]
    [InlineData("din door sim:a.b active-high debounce_ms=10001", BoardError.OutOfRange)]
    [InlineData("din door sim:a.b active-high irq=maybe", BoardError.BadValue)]
    [InlineData("din door sim:a.b active-high pull=up", BoardError.BadValue)]
    [InlineData("dout rf sim:a.b active-high", BoardError.MissingArgument)]
    [InlineData("dout rf sim:a.b active-high safe=maybe", BoardError.BadValue)]
    [InlineData("dout rf sim:a.b active-high safe=off drive=tristate", BoardError.BadValue)]
    [InlineData("ain t sim:a.b counts=0..4095 volts=0..3.3 eng=0..100", BoardError.MissingArgument)]
    [InlineData("ain t sim:a.b counts=0..4095 volts=3.3..0 eng=0..100 unit=V", BoardError.OutOfRange)]
    [InlineData("ain t sim:a.b counts=0-4095 volts=0..3.3 eng=0..100 unit=V", BoardError.BadValue)]
    [InlineData("ain t sim:a.b counts=0..4095 volts=0..3,3 eng=0..100 unit=V", BoardError.BadValue)]
    [InlineData("ain t sim:a.b counts=0..4095.5 volts=0..3.3 eng=0..100 unit=V", BoardError.OutOfRange)]
    [InlineData("ain t sim:a.b counts=0..4095 volts=0..3.3 eng=0..100 unit=deg C", BoardError.BadSyntax)]
    [InlineData("ain t sim:a.b counts=0..4095 volts=0..3.3 eng=0..100 unit=V open_below=5000", BoardError.OutOfRange)]
    [InlineData("ain t sim:a.b counts=0..4095 volts=0..3.3 eng=0..100 unit=V open_below=3000 short_above=2000", BoardError.OutOfRange)]
    [InlineData("aout p pwm sim:a.b safe=0", BoardError.MissingArgument)]
    [InlineData("aout p pwm sim:a.b freq_hz=1000 safe=1.5", BoardError.OutOfRange)]
    [InlineData("aout p pwm sim:a.b freq_hz=1000 safe=NaN", BoardError.BadValue)]
    [InlineData("aout p triac sim:a.b safe=0", BoardError.BadValue)]
    [InlineData("station welding", BoardError.UnknownStation)]
    [InlineData("station sputter", BoardError.DuplicateLine)]
    [InlineData("board again", BoardError.DuplicateLine)]
    [InlineData("mcu host", BoardError.DuplicateLine)]
    [InlineData("clock host", BoardError.DuplicateLine)]
    [InlineData("uart second port=aux role=console baud=9600", BoardError.DuplicateLine)]
    [InlineData("uart second port=aux role=boss baud=9600", BoardError.BadValue)]
    [InlineData("nv s size=10 backing=file path=a.nv", BoardError.OutOfRange)]
    [InlineData("nv s size=1024 backing=eeprom", BoardError.BadValue)]
    [InlineData("nv s size=1024 backing=file", BoardError.MissingArgument)]
    [InlineData("nv s size=1024 backing=file path=a*b", BoardError.BadValue)]
    [InlineData("nv s size=1024 backing=backup offset=0", BoardError.NotOnThisMcu)]
    [InlineData("ethernet phy=LAN8720", BoardError.BadValue)]
    [InlineData("pinfunc sim:a.b PWM1", BoardError.NotOnThisMcu)]
    // pins on the host
    [InlineData("din door GPIO4 active-high", BoardError.BadPin)]
    [InlineData("din door sim: active-high", BoardError.BadPin)]
    [InlineData("din door sim:a..b. active-high", BoardError.BadPin)]
    [InlineData("din door sim:uart console active-high", BoardError.BadSyntax)]
    public void HostBoard_BadLine_IsRefusedWithItsCodeAndLine(string line, BoardError code)
    {
        AssertRefused(Host + line + "\n", code, 6);
    }

    [Fact]
    public void DuplicateNames_AcrossKinds_AreRefused_AtTheSecondLine()
    {
        AssertRefused(Host + "din door sim:a.b active-high\ndout door sim:a.c active-high safe=off\n", BoardError.DuplicateName, 7);
    }

    [Fact]
    public void DuplicateSignal_IsRefused_NamingTheFirstUser()
    {
        var e = Refused(Host + "din door sim:a.b active-high\ndin door2 sim:a.b active-high\n");
        Assert.Equal(BoardError.DuplicatePin, e.Code);
        Assert.Equal(7, e.LineNumber);
        Assert.Contains("door (line 6)", e.Message);
    }

    [Fact]
    public void LineTooLong_IsRefused()
    {
        AssertRefused(Host + "# " + new string('x', BoardDefinitionParser.MaxLineLength) + "\n", BoardError.LineTooLong, 6);
    }

    [Theory]
    [InlineData("mcu host\nclock host\nstation sputter\nuart c port=c role=console baud=9600\n", BoardError.MissingLine)] // no board
    [InlineData("board t\nclock host\nstation sputter\n", BoardError.MissingLine)] // no mcu
    [InlineData("board t\nmcu host\nstation sputter\nuart c port=c role=console baud=9600\n", BoardError.MissingLine)] // no clock
    [InlineData("board t\nmcu host\nclock host\nuart c port=c role=console baud=9600\n", BoardError.MissingLine)] // no station
    [InlineData("board t\nmcu host\nclock host\nstation sputter\n", BoardError.MissingLine)] // no console
    [InlineData("board t\nmcu esp32\nclock esp32-highres-us\nstation anneal\nuart console port=COM2 tx=GPIO4 rx=GPIO36 baud=115200 role=console\npinfunc GPIO4 COM2_TX\npinfunc GPIO36 COM2_RX\n", BoardError.MissingLine)] // no watchdog
    [InlineData("", BoardError.MissingLine)]
    public void MissingRequiredLines_AreRefused_AsTheWholeFile(string text, BoardError code)
    {
        AssertRefused(text, code, 0);
    }

    [Fact]
    public void PinBeforeMcu_IsRefused()
    {
        AssertRefused("board t\ndin door sim:a.b active-high\nmcu host\n", BoardError.MissingLine, 2);
    }

    [Theory]
    [InlineData("board t\nmcu host\nclock esp32-highres-us\nstation sputter\nuart c port=c role=console baud=9600\n", 3)]
    [InlineData("board t\nmcu stm32f769\nclock esp32-highres-us\nstation sputter\nwatchdog kick=PB8 timeout_ms=100\nuart c port=COM6 tx=PC6 rx=PC7 role=console baud=9600\n", 3)]
    [InlineData("board t\nmcu esp32\nclock host\nstation sputter\n", 3)]
    public void ClockSourceTheMcuLacks_IsRefused_AtTheClockLine(string text, int line)
    {
        AssertRefused(text, BoardError.ClockNotSupported, line);
    }

    [Theory]
    [InlineData("din a GPIO40 active-high", BoardError.BadPin)]
    [InlineData("din a GPIO20 active-high", BoardError.BadPin)]
    [InlineData("din a GPIO04 active-high", BoardError.BadPin)]
    [InlineData("din a PA1 active-high", BoardError.BadPin)]
    [InlineData("din a sim:x.y active-high", BoardError.BadPin)]
    [InlineData("din a GPIO6 active-high", BoardError.PinReserved)] // SPI flash
    [InlineData("din a GPIO1 active-high", BoardError.PinReserved)] // UART0 wire protocol
    [InlineData("dout a GPIO34 active-high safe=off", BoardError.InputOnlyPin)]
    [InlineData("dout a GPIO39 active-high safe=off", BoardError.InputOnlyPin)]
    [InlineData("din a GPIO35 active-high pull=up", BoardError.BadValue)] // no pulls on 34-39
    [InlineData("dout a GPIO12 active-high safe=off", BoardError.StrappingPin)]
    [InlineData("dout a GPIO0 active-high safe=off", BoardError.StrappingPin)]
    [InlineData("dout a GPIO12 active-high safe=off strap=yes", BoardError.BadValue)]
    [InlineData("din a GPIO4 active-high", BoardError.DuplicatePin)] // console TX
    [InlineData("din a GPIO13 active-high", BoardError.DuplicatePin)] // watchdog
    [InlineData("ain a 8 pin=GPIO25 counts=0..4095 volts=0..3.3 eng=0..1 unit=V", BoardError.BadChannel)]
    [InlineData("ain a 4 pin=GPIO33 counts=0..4095 volts=0..3.3 eng=0..1 unit=V", BoardError.BadChannel)] // ch4 is GPIO32
    [InlineData("ain a 4 counts=0..4095 volts=0..3.3 eng=0..1 unit=V", BoardError.MissingArgument)]
    [InlineData("ain a x pin=GPIO32 counts=0..4095 volts=0..3.3 eng=0..1 unit=V", BoardError.BadValue)]
    [InlineData("aout a dac GPIO26 ch=0 safe=0", BoardError.BadChannel)] // DAC1 is GPIO25
    [InlineData("aout a dac GPIO32 ch=5 safe=0", BoardError.BadChannel)]
    [InlineData("aout a pwm GPIO32 freq_hz=1000 safe=0", BoardError.PinFunctionMismatch)] // no pinfunc PWMn
    [InlineData("pinfunc GPIO32 PWM17", BoardError.BadValue)]
    [InlineData("pinfunc GPIO32 COM5_TX", BoardError.BadValue)]
    [InlineData("pinfunc GPIO32 AF8:USART6_TX", BoardError.BadValue)]
    [InlineData("pinfunc GPIO32 PWM1", BoardError.UnknownReference)] // pin used by nothing
    [InlineData("pinfunc GPIO4 COM2_RX", BoardError.DuplicatePin)] // second pinfunc for GPIO4
    [InlineData("spidev tc bus=1 cs=GPIO14 mode=1 clock_hz=1000000", BoardError.UnknownReference)]
    [InlineData("spidev tc bus=1 cs=GPIO14 mode=4 clock_hz=1000000", BoardError.OutOfRange)]
    [InlineData("spi 3 sck=GPIO14 miso=GPIO32 mosi=GPIO33", BoardError.OutOfRange)]
    [InlineData("spi 1 sck=GPIO14 miso=GPIO32 mosi=GPIO33", BoardError.PinFunctionMismatch)]
    [InlineData("uart aux port=COM9 tx=GPIO32 rx=GPIO33 baud=9600", BoardError.BadValue)]
    [InlineData("uart aux port=COM2 tx=GPIO32 rx=GPIO33 baud=9600", BoardError.DuplicateName)]
    [InlineData("uart aux port=COM3 tx=GPIO32 rx=GPIO33 baud=100", BoardError.OutOfRange)]
    [InlineData("watchdog kick=GPIO32 timeout_ms=1600", BoardError.DuplicateLine)]
    [InlineData("nv b size=64 backing=backup offset=0", BoardError.NotOnThisMcu)]
    [InlineData("ethernet phy=LAN8720 mdc=GPIO23 mdio=GPIO18 clock=GPIO5 strap=ok", BoardError.BadPin)]
    [InlineData("ethernet phy=KSZ8081 mdc=GPIO23 mdio=GPIO18 clock=GPIO17", BoardError.BadValue)]
    [InlineData("ethernet phy=LAN8720 mdio=GPIO18 clock=GPIO17", BoardError.MissingArgument)]
    [InlineData("ethernet phy=host", BoardError.BadValue)]
    public void Esp32Board_BadLine_IsRefused(string line, BoardError code)
    {
        var e = Refused(Esp32 + line + "\n");
        Assert.True(code == e.Code, $"expected {code}, got {e}");
        Assert.Contains(e.LineNumber, new[] { 0, 9 });
        if (e.LineNumber == 0) Assert.Contains(code, new[] { BoardError.MissingLine });
    }

    [Fact]
    public void Esp32_EthernetClaimsTheRmiiPins_SoTheDacBehindThemIsRefused()
    {
        // DAC1 is GPIO25 = RMII RXD0: the Ethernet line took it, whichever comes first.
        var eth = "ethernet phy=LAN8720 mdc=GPIO23 mdio=GPIO18 clock=GPIO17\n";
        AssertRefused(Esp32 + eth + "aout a dac GPIO25 ch=0 safe=0\n", BoardError.DuplicatePin, 10);
        AssertRefused(Esp32 + "aout a dac GPIO25 ch=0 safe=0\n" + eth, BoardError.DuplicatePin, 10);
        AssertRefused(Esp32 + eth + "din a GPIO19 active-high\n", BoardError.DuplicatePin, 10);
    }

    [Fact]
    public void Esp32_PwmWithItsPinFunction_Parses_AndMapsTheDeviceFunctionValue()
    {
        var b = BoardDefinitionParser.Parse(Esp32 + "aout heat pwm GPIO32 freq_hz=1000 safe=0\npinfunc GPIO32 PWM3\n");
        Assert.Equal(0x40300, b.PinFunctions.Single(f => f.Pin.Number == 32).Esp32FunctionValue);
        Assert.Equal(1000, b.AnalogOutputs[0].FrequencyHz);
    }

    [Fact]
    public void Esp32_UartRoutedToTheWrongFunction_IsRefused_AtTheUartLine()
    {
        var text = Esp32.Replace("pinfunc GPIO36 COM2_RX", "pinfunc GPIO36 COM3_RX");
        var e = Refused(text);
        Assert.Equal(BoardError.PinFunctionMismatch, e.Code);
        Assert.Equal(6, e.LineNumber);
        Assert.Contains("COM2_RX", e.Message);
    }

    [Theory]
    [InlineData("din a PA9 active-high", BoardError.PinReserved)] // ST-LINK VCP
    [InlineData("din a PG13 active-high", BoardError.PinReserved)] // RMII TXD0
    [InlineData("din a PL1 active-high", BoardError.BadPin)]
    [InlineData("din a PA16 active-high", BoardError.BadPin)]
    [InlineData("din a PA01 active-high", BoardError.BadPin)]
    [InlineData("din a GPIO4 active-high", BoardError.BadPin)]
    [InlineData("ain a 1 pin=PA6 counts=0..4095 volts=0..3.3 eng=0..1 unit=V", BoardError.BadChannel)] // ch1 is PA4
    [InlineData("ain a 5 pin=PA6 counts=0..4095 volts=0..3.3 eng=0..1 unit=V", BoardError.BadChannel)] // internal sensor
    [InlineData("aout a dac PA6 ch=0 safe=0", BoardError.BadChannel)]
    [InlineData("pinfunc PC6 AF16:USART6_TX", BoardError.BadValue)]
    [InlineData("pinfunc PC6 USART6_TX", BoardError.BadValue)]
    [InlineData("pinfunc PC6 AF8:", BoardError.BadValue)]
    [InlineData("nv b size=4096 backing=backup offset=1", BoardError.OutOfRange)]
    [InlineData("nv b size=64 backing=backup", BoardError.MissingArgument)]
    [InlineData("dout a PB8 active-high safe=off", BoardError.DuplicatePin)] // watchdog kick
    public void Stm32Board_BadLine_IsRefused(string line, BoardError code)
    {
        AssertRefused(Stm32 + line + "\n", code, 7);
    }

    [Fact]
    public void Stm32_OverlappingBackupPartitions_AreRefused()
    {
        AssertRefused(Stm32 + "nv a size=128 backing=backup offset=0\nnv b size=64 backing=backup offset=100\n", BoardError.DuplicatePin, 8);
        var ok = BoardDefinitionParser.Parse(Stm32 + "nv a size=128 backing=backup offset=0\nnv b size=64 backing=backup offset=128\n");
        Assert.Equal(128, ok.FindNvPartition("b").Offset);
    }

    [Fact]
    public void Stm32_DacOnA1_ConflictsWithAdcChannel1OnTheSamePin()
    {
        AssertRefused(Stm32 + "aout sp dac PA4 ch=0 safe=0\nain a 1 pin=PA4 counts=0..4095 volts=0..3.3 eng=0..1 unit=V\n", BoardError.DuplicatePin, 8);
    }

    [Fact]
    public void SamePathForTwoPartitions_IsRefused()
    {
        AssertRefused(Host + "nv a size=64 backing=file path=x.nv\nnv b size=64 backing=file path=x.nv\n", BoardError.DuplicatePin, 7);
    }

    [Fact]
    public void StrapOk_OnALineWithoutStrappingPin_IsAnUnknownKey()
    {
        AssertRefused(Esp32 + "din a GPIO32 active-high strap=ok\n", BoardError.UnknownKey, 9);
    }

    [Fact]
    public void ErrorCodes_AreStable()
    {
        // Codes are printed as BE<n> and documented in docs/boards/format.md; their numbers never change.
        Assert.Equal(1, (int)BoardError.UnknownKeyword);
        Assert.Equal(8, (int)BoardError.DuplicatePin);
        Assert.Equal(13, (int)BoardError.InputOnlyPin);
        Assert.Equal(21, (int)BoardError.NotOnThisMcu);
    }
}

/// <summary>docs/boards/format.md's error table and the BoardError enum are the same list.</summary>
public class BoardErrorDocTests
{
    [Fact]
    public void ErrorTable_MatchesTheEnum()
    {
        var rows = File.ReadAllLines(Repo.Path("docs", "boards", "format.md"))
            .Where(l => l.StartsWith("| BE"))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Select(c => (Code: int.Parse(c[1].Substring(2)), Name: c[2]))
            .ToArray();
        var values = Enum.GetValues<BoardError>().Where(e => e != BoardError.None).Select(e => ((int)e, e.ToString())).ToArray();
        Assert.Equal(values, rows.Select(r => (r.Code, r.Name)).ToArray());
    }
}
