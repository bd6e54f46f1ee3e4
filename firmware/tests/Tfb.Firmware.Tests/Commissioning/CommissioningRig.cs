using System.Text;
using Tfb.Boards;
using Tfb.Boards.Virtual;
using Tfb.Codes;
using Tfb.Commissioning;
using Tfb.Firmware.Tests.Shell;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Runtime;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Commissioning;

internal sealed class FakeDin : IDigitalInput
{
    public bool Active;
    public bool Valid = true;
    public bool TryRead(out bool active)
    {
        active = Valid && Active;
        return Valid;
    }
}

/// <summary>An analog input that applies its calibration like AnalogScaling: (eng - zero) * gain.</summary>
internal sealed class FakeAin : IAnalogInput
{
    public double Eng;
    public bool Valid = true;
    public double Zero;
    public double Gain = 1;
    public bool TryRead(out double value)
    {
        value = Valid ? (Eng - Zero) * Gain : double.NaN;
        return Valid;
    }
}

internal sealed class FakeDout(bool safe) : IDigitalOutput
{
    public readonly bool Safe = safe;
    public bool State { get; private set; } = safe;
    public int Writes;
    public void Write(bool active) { State = active; Writes++; }
    public void SetSafe() => State = Safe;
}

internal sealed class FakeAout : IAnalogOutput
{
    private readonly double _safe;
    public double Fraction;
    public FakeAout(double safe) { _safe = safe; Fraction = safe; }
    public void Write(double fraction) => Fraction = fraction;
    public void SetSafe() => Fraction = _safe;
}

internal sealed class FakeWatchdog(int timeoutMs) : IWatchdog
{
    public int TimeoutMs { get; } = timeoutMs;
    public void Kick() { }
}

internal sealed class FakeSpi(byte[] answer) : ISpiTransfer
{
    public byte[] Answer = answer;
    public bool Fails;
    public bool Transfer(byte[] write, byte[] read, int count)
    {
        if (Fails) return false;
        Array.Copy(Answer, read, count);
        return true;
    }
}

/// <summary>An NV store that can be told to corrupt what it writes (a failing flash).</summary>
internal sealed class FlakyNv(int size) : INvStore
{
    public readonly MemoryNvStore Inner = new(size);
    public bool DropWrites;
    public int Size => Inner.Size;
    public bool Read(int address, byte[] buffer, int offset, int count) => Inner.Read(address, buffer, offset, count);
    public bool Write(int address, byte[] buffer, int offset, int count) => DropWrites || Inner.Write(address, buffer, offset, count);
}

/// <summary>An IBoardIo over in-memory signals for every name of a board definition.</summary>
internal sealed class FakeBoardIo : IBoardIo
{
    public readonly Dictionary<string, FakeDin> Din = new();
    public readonly Dictionary<string, FakeAin> Ain = new();
    public readonly Dictionary<string, FakeDout> Dout = new();
    public readonly Dictionary<string, FakeAout> Aout = new();
    public readonly Dictionary<string, FakeSpi> Spi = new();
    public readonly Dictionary<string, FlakyNv> Nv = new();
    public IWatchdog Watchdog { get; set; }

    public FakeBoardIo(BoardDefinition b)
    {
        foreach (var d in b.DigitalInputs) Din[d.Name] = new FakeDin();
        foreach (var a in b.AnalogInputs) Ain[a.Name] = new FakeAin { Eng = (a.EngMin + a.EngMax) / 2 };
        foreach (var d in b.DigitalOutputs) Dout[d.Name] = new FakeDout(d.SafeActive);
        foreach (var a in b.AnalogOutputs) Aout[a.Name] = new FakeAout(a.SafeFraction);
        foreach (var s in b.SpiDevices ?? []) Spi[s.Name] = new FakeSpi([0, 0]);
        foreach (var n in b.NvPartitions) Nv[n.Name] = new FlakyNv(n.SizeBytes);
        Watchdog = new FakeWatchdog(b.Watchdog?.TimeoutMs ?? 0);
    }

    public IDigitalInput DigitalInput(string name) => Din.GetValueOrDefault(name);
    public IDigitalOutput DigitalOutput(string name) => Dout.GetValueOrDefault(name);
    public IAnalogInput AnalogInput(string name) => Ain.GetValueOrDefault(name);
    public IAnalogOutput AnalogOutput(string name) => Aout.GetValueOrDefault(name);
    public ISpiTransfer SpiDevice(string name) => Spi.GetValueOrDefault(name);
    public IAdcBlockSource AdcBlockSource(string name) => null;
    public INvStore NvStore(string name) => Nv.GetValueOrDefault(name);
    public ISerialLink Console => null!;
    public void AllOutputsSafe()
    {
        foreach (var d in Dout.Values) d.SetSafe();
        foreach (var a in Aout.Values) a.SetSafe();
    }
}

/// <summary>Applies calibrations to the fake inputs (what the composition root does with AnalogScaling).</summary>
internal sealed class FakeCalibrationSink(FakeBoardIo io) : ICalibrationSink
{
    public int Applied;
    public bool ApplyCalibration(string ain, double zero, double gain)
    {
        var a = io.Ain[ain];
        a.Zero = zero;
        a.Gain = gain;
        Applied++;
        return true;
    }
}

/// <summary>A station module's permit: owns the listed outputs, denies while its interlock is tripped.</summary>
internal sealed class FakePermit(int interlockCode, params string[] owned) : IForcePermit
{
    public bool Tripped;
    public int Calls;
    public ForceVerdict Check(string output, bool analog, double value, out int code)
    {
        Interlocked.Increment(ref Calls);
        code = 0;
        if (Array.IndexOf(owned, output) < 0) return ForceVerdict.NotMine;
        if (Tripped) { code = interlockCode; return ForceVerdict.Deny; }
        return ForceVerdict.Allow;
    }
}

internal sealed class FakeTester : IConnectionTester
{
    public int Result;
    public MqttConnectOptions Last;
    public SimulatedClock Clock;
    public int TestConnection(MqttConnectOptions options, out string detail)
    {
        Last = options;
        Clock.Advance(42_000);
        detail = Result == 0 ? "connack accepted" : "connack refused";
        return Result;
    }
}

/// <summary>The virtual board with a console, fake I/O, the commissioning module and a session.</summary>
internal sealed class CommissioningRig
{
    public const string SpiLines = "spi 1 sck=sim:t.sck miso=sim:t.miso mosi=sim:t.mosi\nspidev id_chip bus=1 cs=sim:t.cs mode=0 clock_hz=1000000\n";

    public readonly SimulatedClock Clock = new();
    public readonly BoardDefinition Board;
    public readonly FakeBoardIo RawIo;
    public readonly ForcingBoardIo Io;
    public readonly SettingsRegistry Settings = new(64);
    public readonly MemoryNvStore SettingsNv = new(8192);
    public readonly AlarmLog Alarms;
    public readonly LogRing Events;
    public readonly SettingsStore Store;
    public readonly FakeLine Line = new();
    public readonly ShellCore Core;
    public readonly BoardIdentity Identity = new("0.1.0", "abc1234 2026-11-27", "virtual", "sputter anneal", "R2R-01-SPU");
    public readonly FakeCalibrationSink Sink;
    public readonly FakeTester Tester = new();
    public readonly CommissioningModule Module;
    private readonly ScanContext _ctx = new();

    public CommissioningRig(bool withSpi = false, bool withSink = true, bool withTester = true)
    {
        string text = File.ReadAllText(RepoPath("boards", "virtual", "virtual.board"));
        if (withSpi) text += SpiLines;
        Board = BoardDefinitionParser.Parse(text);
        RawIo = new FakeBoardIo(Board);
        Io = new ForcingBoardIo(RawIo, Board);
        Alarms = new AlarmLog(32, 16, Clock);
        Events = new LogRing(256, Clock);
        Store = new SettingsStore(SettingsNv, Settings, Alarms, Events);
        Core = new ShellCore(Settings, Store, Alarms, Events, Clock, Identity, Line, null);
        Sink = new FakeCalibrationSink(RawIo);
        Tester.Clock = Clock;
        Module = CommissioningModule.Register(Core, Board, Io, withSink ? Sink : null, withTester ? Tester : null);
    }

    public static string RepoPath(params string[] parts)
    {
        var dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "TfbFirmware.sln"))) dir = Path.GetDirectoryName(dir);
        Assert.NotNull(dir);
        return Path.Combine([dir!, .. parts]);
    }

    /// <summary>One run of the commissioning scan task, then the clock moves one 10 ms scan on.</summary>
    public void Scan(int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            Module.ScanTask.Run(_ctx);
            Clock.Advance(10_000);
        }
    }

    public CTerm Term(AccessLevel level)
    {
        var t = new CTerm(this);
        if (level != AccessLevel.Operator) t.Login(level);
        return t;
    }

    public int[] EventCodes() => Enumerable.Range(Events.OldestSeq, Events.NextSeq - Events.OldestSeq)
        .Select(s => { Events.TryGet(s, out var e); return e.Code; }).ToArray();

    public int CountEvents(EventCode code) => EventCodes().Count(c => c == (int)code);

    public int Index(string setting)
    {
        int i = Settings.IndexOf(setting);
        Assert.True(i >= 0, setting);
        return i;
    }
}

internal sealed class CTerm
{
    public readonly CommissioningRig Rig;
    public readonly FakeLink Link = new();
    public readonly ShellSession Session;

    public CTerm(CommissioningRig rig)
    {
        Rig = rig;
        Session = new ShellSession(rig.Core, Link, false, ShellSession.DefaultMaxLineLength);
    }

    public string[] Cmd(string line)
    {
        byte[] b = Encoding.Latin1.GetBytes(line + "\r\n");
        Session.Feed(b, 0, b.Length);
        return Term.Lines(Link.Take());
    }

    public string Last(string line) => Cmd(line)[^1];

    public string[] Poll()
    {
        Session.Poll();
        return Term.Lines(Link.Take());
    }

    public void Login(AccessLevel level)
    {
        string name = level == AccessLevel.Engineer ? "engineer" : "technician";
        string pw = level == AccessLevel.Engineer ? ShellCore.DefaultEngineerPassword : ShellCore.DefaultTechnicianPassword;
        Assert.Equal(["password:"], Cmd("login " + name));
        Assert.Equal("ok", Cmd(pw)[^1]);
    }
}
