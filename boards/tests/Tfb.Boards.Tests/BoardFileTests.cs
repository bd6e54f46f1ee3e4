namespace Tfb.Boards.Tests;

/// <summary>The checked-in board files: every one parses, and the facts the station code relies on hold.</summary>
public class BoardFileTests
{
    public static TheoryData<string> Boards()
    {
        var data = new TheoryData<string>();
        foreach (var f in Repo.BoardFiles()) data.Add(System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(f)));
        return data;
    }

    private static BoardDefinition Load(string board) =>
        BoardDefinitionParser.Parse(File.ReadAllText(Repo.Path("boards", board, board + ".board")));

    [Fact]
    public void TheVirtualAndBothRealBoardsExist()
    {
        var names = Repo.BoardFiles().Select(f => System.IO.Path.GetFileNameWithoutExtension(f)).ToArray();
        Assert.Contains("virtual", names);
        Assert.Contains("olimex-esp32-poe", names);
        Assert.Contains("stm32f769i-disco", names);
    }

    [Theory]
    [MemberData(nameof(Boards))]
    public void EveryBoardFile_Parses_AndIsNamedLikeItsFolder(string board)
    {
        bool ok = BoardDefinitionParser.TryParse(File.ReadAllText(Repo.Path("boards", board, board + ".board")), out var def, out var error);
        Assert.True(ok, error?.ToString());
        Assert.Equal(board, def.Name);
        Assert.NotNull(def.ConsoleUart);
        Assert.NotEmpty(def.Stations);
    }

    [Theory]
    [MemberData(nameof(Boards))]
    public void EveryOutput_HasADeclaredSafeState_ThatDeEnergizesPowerOutputs(string board)
    {
        var def = Load(board);
        foreach (var o in def.DigitalOutputs)
        {
            // Only an indicator may be on in the safe state; anything that energizes plant is off.
            if (o.Name != "trip_lamp") Assert.False(o.SafeActive, $"{board}: {o.Name} is on in its safe state");
        }
        foreach (var a in def.AnalogOutputs) Assert.Equal(0.0, a.SafeFraction);
    }

    [Fact]
    public void VirtualBoard_OffersEveryLogicalSignalOfTheRealBoards_WithTheSameDirectionAndPolarity()
    {
        var v = Load("virtual");
        foreach (var real in new[] { Load("olimex-esp32-poe"), Load("stm32f769i-disco") })
        {
            foreach (var s in real.Stations) Assert.True(v.RunsStation(s), $"virtual does not run {s}");
            foreach (var d in real.DigitalInputs)
            {
                var m = v.FindDigitalInput(d.Name);
                Assert.True(m != null, $"virtual lacks din {d.Name} of {real.Name}");
                Assert.Equal(d.ActiveHigh, m.ActiveHigh);
                Assert.Equal(d.Interrupt, m.Interrupt);
            }
            foreach (var d in real.DigitalOutputs)
            {
                var m = v.FindDigitalOutput(d.Name);
                Assert.True(m != null, $"virtual lacks dout {d.Name} of {real.Name}");
                Assert.Equal(d.SafeActive, m.SafeActive);
            }
            foreach (var a in real.AnalogInputs)
            {
                var m = v.FindAnalogInput(a.Name);
                Assert.True(m != null, $"virtual lacks ain {a.Name} of {real.Name}");
                Assert.Equal(a.Unit, m.Unit);
                Assert.Equal(a.EngMin, m.EngMin);
                Assert.Equal(a.EngMax, m.EngMax);
            }
            foreach (var a in real.AnalogOutputs) Assert.NotNull(v.FindAnalogOutput(a.Name));
        }
    }

    [Fact]
    public void Esp32Poe_RoutesEveryMatrixPin_AndReservesTheRmiiPins()
    {
        var b = Load("olimex-esp32-poe");
        Assert.Equal(McuKind.Esp32, b.Mcu);
        Assert.Equal(ClockSource.Esp32HighResUs, b.Clock);
        Assert.Equal(0x30200, b.PinFunctions.Single(f => f.Pin.Text == "GPIO4").Esp32FunctionValue); // COM2_TX
        Assert.Equal(0x30201, b.PinFunctions.Single(f => f.Pin.Text == "GPIO36").Esp32FunctionValue); // COM2_RX
        Assert.Equal(0x10102, b.PinFunctions.Single(f => f.Pin.Text == "GPIO14").Esp32FunctionValue); // SPI1_CLOCK
        Assert.Equal("LAN8720", b.Ethernet.Phy);
        // ADC1 channel 3 is GPIO39.
        Assert.Equal(3, b.FindAnalogInput("o2_flow").Channel);
        Assert.Equal(39, b.FindAnalogInput("o2_flow").Pin.Number);
        Assert.Equal(1600, b.Watchdog.TimeoutMs);
    }

    [Fact]
    public void Stm32Disco_UsesArduinoHeaderPins_WithNanoFrameworkNumbering()
    {
        var b = Load("stm32f769i-disco");
        Assert.Equal(McuKind.Stm32F769, b.Mcu);
        Assert.Equal(ClockSource.TickCount64Ms, b.Clock);
        // PJ1 = port J (index 9) * 16 + 1.
        Assert.Equal(9 * 16 + 1, b.FindDigitalInput("door_closed").Pin.Number);
        Assert.Equal("COM6", b.ConsoleUart.Port);
        Assert.Equal(0, b.FindAnalogOutput("rf_setpoint").Channel);
        Assert.Equal("PA4", b.FindAnalogOutput("rf_setpoint").Pin.Text);
        var boot = b.FindNvPartition("bootlog");
        Assert.Equal(NvBacking.BackupMemory, boot.Backing);
        Assert.Equal(2, b.FindSpiDevice("gauge_adc").BusId);
        Assert.Equal(8, b.PinFunctions.Single(f => f.Pin.Text == "PC6").Stm32AlternateFunction);
    }

    [Fact]
    public void AnalogScaling_FieldsCarryTheFileValues()
    {
        var a = Load("stm32f769i-disco").FindAnalogInput("water_return_temp");
        Assert.Equal(0, a.CountsMin);
        Assert.Equal(4095, a.CountsMax);
        Assert.Equal(3.3, a.VoltsMax);
        Assert.Equal(0.6, a.SensorVoltsMin);
        Assert.Equal(3.0, a.SensorVoltsMax);
        Assert.Equal(600, a.OpenBelowCounts);
        Assert.Equal(4000, a.ShortAboveCounts);
        Assert.Equal("degC", a.Unit);
    }
}

/// <summary>The generated BoardDefinitionText.g.cs of every real board matches its .board file.</summary>
public class GeneratedDefinitionTests
{
    public static TheoryData<string> RealBoards() => new() { "olimex-esp32-poe", "stm32f769i-disco" };

    [Theory]
    [MemberData(nameof(RealBoards))]
    public void GeneratedSource_IsUpToDate(string board)
    {
        var boardFile = Repo.Path("boards", board, board + ".board");
        var expected = Tfb.BoardGen.BoardSourceGenerator.Generate(File.ReadAllText(boardFile), board + ".board");
        var actual = File.ReadAllText(Repo.Path("boards", board, Tfb.BoardGen.BoardSourceGenerator.OutputFileName)).Replace("\r\n", "\n");
        Assert.True(expected == actual,
            $"boards/{board}/{Tfb.BoardGen.BoardSourceGenerator.OutputFileName} is stale: run dotnet run --project tools/Tfb.BoardGen -- boards/{board}/{board}.board");
    }

    [Fact]
    public void Generator_ReproducesTheTextExactly_SoDeviceLineNumbersMatchTheFile()
    {
        var text = "board t\nmcu host\nclock host\nstation sputter\nuart c port=c role=console baud=9600\nnv s size=64 backing=file path=C:\\x\\\"q\".nv\n";
        // The quote makes the path invalid, so the generator must refuse it rather than emit a broken constant.
        Assert.Throws<BoardDefinitionException>(() => Tfb.BoardGen.BoardSourceGenerator.Generate(text, "t.board"));

        var good = "board t\nmcu host\nclock host\nstation sputter\nuart c port=c role=console baud=9600\nnv s size=64 backing=file path=C:\\x\\s.nv # c:\\ \"quoted\"\n";
        var src = Tfb.BoardGen.BoardSourceGenerator.Generate(good, "t.board");
        // Evaluate the emitted literal the way C# does: concatenate the quoted pieces and unescape.
        var pieces = System.Text.RegularExpressions.Regex.Matches(src, "^\\s+\"((?:[^\"\\\\]|\\\\.)*)\"", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => System.Text.RegularExpressions.Regex.Unescape(m.Groups[1].Value));
        Assert.Equal(good, string.Concat(pieces));
    }
}

/// <summary>docs/boards/&lt;board&gt;.md has a pin-table row for every pin-bearing item of the board file, with the same pin.</summary>
public class BoardDocTests
{
    public static TheoryData<string> RealBoards() => new() { "olimex-esp32-poe", "stm32f769i-disco" };

    [Theory]
    [MemberData(nameof(RealBoards))]
    public void PinTable_ListsEveryItemWithItsPin(string board)
    {
        var def = BoardDefinitionParser.Parse(File.ReadAllText(Repo.Path("boards", board, board + ".board")));
        var rows = File.ReadAllLines(Repo.Path("docs", "boards", board + ".md"))
            .Where(l => l.StartsWith("| ") && !l.StartsWith("| item") && !l.StartsWith("|---"))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .Select(c => (Item: c[1], Pin: c[3]))
            .ToArray();
        void Has(string item, PinRef pin)
        {
            Assert.True(rows.Any(r => r.Item == item && r.Pin.Split(" / ").Contains(pin.Text)),
                $"docs/boards/{board}.md has no pin-table row '{item}' with pin {pin.Text}");
        }
        foreach (var d in def.DigitalInputs) Has(d.Name, d.Pin);
        foreach (var d in def.DigitalOutputs) Has(d.Name, d.Pin);
        foreach (var a in def.AnalogInputs) Has(a.Name, a.Pin);
        foreach (var a in def.AnalogOutputs) Has(a.Name, a.Pin);
        foreach (var s in def.SpiDevices) Has(s.Name, s.ChipSelect);
        Has("console (TX)", def.ConsoleUart.Tx);
        Has("console (RX)", def.ConsoleUart.Rx);
        Has("watchdog kick", def.Watchdog.Kick);
        foreach (var b in def.SpiBuses)
        {
            Has($"spi{b.BusId} SCK", b.Sck);
            Has($"spi{b.BusId} MISO", b.Miso);
            Has($"spi{b.BusId} MOSI", b.Mosi);
        }
    }
}

/// <summary>Rules the adapters rely on that the parser does not enforce for every board.</summary>
public class RealBoardRuleTests
{
    [Theory]
    [InlineData("olimex-esp32-poe")]
    [InlineData("stm32f769i-disco")]
    public void OutputsThatAreOffWhenSafe_AreActiveHigh_SoTheBootLevelCannotAssertThem(string board)
    {
        // GpioDigitalOutput opens a pin low before driving its safe level: an active-low output with safe=off
        // would be asserted for microseconds at every boot.
        var def = BoardDefinitionParser.Parse(File.ReadAllText(Repo.Path("boards", board, board + ".board")));
        foreach (var o in def.DigitalOutputs.Where(o => !o.SafeActive)) Assert.True(o.ActiveHigh, $"{board}: {o.Name} is active-low with safe=off");
    }

    [Theory]
    [InlineData("olimex-esp32-poe")]
    [InlineData("stm32f769i-disco")]
    public void RealBoards_HaveEthernetWatchdogAndFileSettings(string board)
    {
        var def = BoardDefinitionParser.Parse(File.ReadAllText(Repo.Path("boards", board, board + ".board")));
        Assert.NotNull(def.Ethernet);
        Assert.NotNull(def.Watchdog);
        Assert.Equal(NvBacking.File, def.FindNvPartition("settings").Backing);
        Assert.NotNull(def.FindNvPartition("events"));
    }
}
