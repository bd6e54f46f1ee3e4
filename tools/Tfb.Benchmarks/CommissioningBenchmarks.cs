using BenchmarkDotNet.Attributes;
using Tfb.Boards;
using Tfb.Boards.Virtual;
using Tfb.Commissioning;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Runtime;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Benchmarks;

/// <summary>
/// Host time of one run of the commissioning scan task on the virtual board (6 din, 5 ain, 8 outputs), idle and
/// with one force held. Run: dotnet run -c Release --project tools/Tfb.Benchmarks -- --filter '*Commissioning*'
/// </summary>
public class CommissioningBenchmarks
{
    private CommissioningScan _scan;
    private readonly ScanContext _ctx = new();
    private SimulatedClock _clock;

    [Params(false, true)]
    public bool Forced;

    [GlobalSetup]
    public void Setup()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "TfbFirmware.sln"))) dir = Path.GetDirectoryName(dir);
        var board = BoardDefinitionParser.Parse(File.ReadAllText(Path.Combine(dir, "boards", "virtual", "virtual.board")));
        _clock = new SimulatedClock();
        var io = new ForcingBoardIo(new BenchIo(), board);
        var settings = new SettingsRegistry(64);
        var events = new LogRing(256, _clock);
        var core = new ShellCore(settings, null, new AlarmLog(32, 16, _clock), events, _clock, null, new IdleLine(), null);
        var module = CommissioningModule.Register(core, board, io, new NullSink(), null);
        module.AddForcePermit(new AllowAll());
        _scan = module.ScanTask;
        _scan.Run(_ctx);
        if (Forced)
        {
            // RequestForce is internal (the console path checks idle and permits first); index 4 = heater_z1_ssr.
            typeof(CommissioningScan).GetMethod("RequestForce", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
                .Invoke(_scan, [4, 1.0, 3_600_000_000L]);
            _scan.Run(_ctx);
        }
    }

    [Benchmark]
    public void Run()
    {
        _clock.Advance(10_000);
        _scan.Run(_ctx);
    }

    private sealed class BenchIo : IBoardIo
    {
        public IDigitalInput DigitalInput(string name) => new Din();
        public IDigitalOutput DigitalOutput(string name) => new Dout();
        public IAnalogInput AnalogInput(string name) => new Ain();
        public IAnalogOutput AnalogOutput(string name) => new Aout();
        public ISpiTransfer SpiDevice(string name) => null;
        public IAdcBlockSource AdcBlockSource(string name) => null;
        public INvStore NvStore(string name) => null;
        public IWatchdog Watchdog => null;
        public ISerialLink Console => null;
        public void AllOutputsSafe() { }
    }

    private sealed class Din : IDigitalInput { public bool TryRead(out bool active) { active = true; return true; } }
    private sealed class Ain : IAnalogInput { public bool TryRead(out double value) { value = 1.5; return true; } }
    private sealed class Dout : IDigitalOutput { public bool State { get; private set; } public void Write(bool active) => State = active; public void SetSafe() => State = false; }
    private sealed class Aout : IAnalogOutput { public void Write(double fraction) { } public void SetSafe() { } }
    private sealed class NullSink : ICalibrationSink { public bool ApplyCalibration(string ain, double zero, double gain) => true; }
    private sealed class AllowAll : IForcePermit
    {
        public ForceVerdict Check(string output, bool analog, double value, out int interlockCode) { interlockCode = 0; return ForceVerdict.Allow; }
    }
    private sealed class IdleLine : ILineControl
    {
        public bool IsIdle => true;
        public bool RequestStop(out Tfb.Codes.ErrorCode error) { error = 0; return true; }
        public bool RequestResume(out Tfb.Codes.ErrorCode error) { error = 0; return true; }
        public bool RequestReset(out Tfb.Codes.ErrorCode error) { error = 0; return true; }
    }
}
