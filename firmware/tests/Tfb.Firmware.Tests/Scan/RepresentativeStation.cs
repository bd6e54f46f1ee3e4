using Tfb.Boards.Virtual;
using Tfb.Codes;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Scan;

namespace Tfb.Firmware.Tests.Scan;

/// <summary>
/// A small station built the way a board composition root builds one, used to measure what a scan allocates
/// (the allocation test and tools/Tfb.Benchmarks link this file): inputs read from fakes, a low-pass filter,
/// a PI tension loop, outputs, a snapshot, a command handler fed every scan, a module alarm raised and reset,
/// and a periodic slow scan that overruns and raises ScanOverrun, reset by command.
/// No xunit here: the benchmark project compiles it too.
/// </summary>
public sealed class RepresentativeStation
{
    public const int SetpointCommand = 2001;
    public const int ModuleAlarm = 2100;
    public const int PeriodUs = 1000;

    public readonly SimulatedClock Clock = new(startUs: 1_000_000);
    public readonly AlarmLog Alarms;
    public readonly LogRing Events;
    public readonly ScanExecutive Exec;
    public readonly StationWatchdog Watchdog = new();
    public readonly RampInput Tension = new(100.0, 0.01);
    public readonly RampInput Speed = new(1.5, 0.0001);
    public readonly StationAnalogOutput Drive = new();
    public readonly StationDigitalOutput Brake = new();
    private readonly ScanCommandQueue _queue;
    private int _pendingTicket;
    private long _scans;

    public RepresentativeStation()
    {
        Alarms = new AlarmLog(128, 16, Clock);
        Events = new LogRing(128, Clock);
        Exec = new ScanExecutive(new ScanConfig(PeriodUs) { TripOverrunCount = 3, TripWindowScans = 100 }, Clock, Watchdog, Alarms, Events);
        _queue = Exec.Commands;
        var bank = new OutputBank(1, 1);
        bank.AddDigital(Brake);
        bank.AddAnalog(Drive);
        Exec.AddSafeState(bank);

        var web = new TensionModule(this);
        Exec.AddCommandHandler(2000, 2099, web);
        Exec.AddTask("inputs", new InputsTask(this, web), 1, 0, 100, 100, runWhenTripped: true);
        Exec.AddTask("filter", new FilterTask(web), 1, 0, 50, 300);
        Exec.AddTask("tension-pi", web, 1, 0, 100, 400);
        Exec.AddTask("outputs", new OutputsTask(this, web), 1, 0, 50, 500);
        Exec.AddTask("alarms", new AlarmTask(this), 10, 3, 50, 550);
        Exec.AddTask("housekeeping", new SlowTask(this), 1000, 500, 200, 600);
        web.DeclareSnapshot(Exec.Snapshot);
        Exec.Seal();
    }

    /// <summary>One step of the lockstep loop, plus what the T2 threads would do around it.</summary>
    public void Scan()
    {
        long n = _scans++;
        _queue.TryPost(SetpointCommand, 1, 0, 0, 120.0 + (n & 7), 0.0);
        if (n % 100 == 0) _queue.TrySubmit(SetpointCommand, 2, 0, 0, 118.0, 0.0, out _pendingTicket);
        if (n % 1000 == 700) _queue.TryPost(ScanCommandCode.ResetScanFaults, 3, 0, 0, 0.0, 0.0);
        if (n % 250 == 17) Exec.RequestStop(4);
        if (n % 250 == 18) Exec.RequestResume(4);
        if (Exec.Started)
        {
            long wait = Exec.NextReleaseUs - Clock.NowMicros;
            if (wait > 0) Clock.Advance(wait);
        }
        Exec.RunOnce();
        if (_pendingTicket != 0)
        {
            _queue.TryWait(_pendingTicket, 0, out ScanCommandReply _);
            _pendingTicket = 0;
        }
    }

    public sealed class StationWatchdog : IWatchdog
    {
        public long Kicks;
        public int TimeoutMs => 100;
        public void Kick() => Kicks++;
    }

    public sealed class StationAnalogOutput : IAnalogOutput
    {
        public double Value;
        public void Write(double fraction) => Value = fraction;
        public void SetSafe() => Value = 0.0;
    }

    public sealed class StationDigitalOutput : IDigitalOutput
    {
        public bool State { get; private set; }
        public void Write(bool active) => State = active;
        public void SetSafe() => State = false;
    }

    /// <summary>A sensor that drifts up and down in a triangle around its centre.</summary>
    public sealed class RampInput : IAnalogInput
    {
        private readonly double _centre;
        private readonly double _step;
        private double _offset;
        private double _direction = 1.0;
        public bool Broken;

        public RampInput(double centre, double step)
        {
            _centre = centre;
            _step = step;
        }

        public bool TryRead(out double value)
        {
            if (Broken)
            {
                value = double.NaN;
                return false;
            }
            _offset += _direction * _step;
            if (_offset > 50 * _step || _offset < -50 * _step) _direction = -_direction;
            value = _centre + _offset;
            return true;
        }
    }

    /// <summary>The web tension loop: first-order filter, PI with clamping anti-windup, a setpoint by command.</summary>
    private sealed class TensionModule : IScanTask, IScanCommandHandler
    {
        private readonly RepresentativeStation _station;
        public double RawTensionN = double.NaN;
        public double SpeedMps = double.NaN;
        public double FilteredTensionN = double.NaN;
        public double SetpointN = 120.0;
        public double DriveFraction;
        public bool InputFault;
        private double _integral;
        private int _fTension, _fFiltered, _fSetpoint, _fDrive, _fSpeed, _fScan, _fFault;
        private ScanSnapshot _snapshot;

        public TensionModule(RepresentativeStation station) { _station = station; }

        public void DeclareSnapshot(ScanSnapshot s)
        {
            _snapshot = s;
            _fTension = s.AddDouble("web.TensionN");
            _fFiltered = s.AddDouble("web.FilteredTensionN");
            _fSetpoint = s.AddDouble("web.SetpointN");
            _fDrive = s.AddDouble("web.DriveFraction");
            _fSpeed = s.AddDouble("web.SpeedMps");
            _fScan = s.AddInt("web.ScanLow");
            _fFault = s.AddBool("web.InputFault");
        }

        public void Filter(double dtS)
        {
            const double TauS = 0.02;
            if (double.IsNaN(FilteredTensionN)) FilteredTensionN = RawTensionN;
            double alpha = dtS / (TauS + dtS);
            FilteredTensionN += alpha * (RawTensionN - FilteredTensionN);
        }

        public void Run(ScanContext ctx)
        {
            const double Kp = 0.004, Ki = 0.05;
            if (InputFault || ctx.StopRequested)
            {
                DriveFraction = 0.0;
                _integral = 0.0;
            }
            else
            {
                double error = SetpointN - FilteredTensionN;
                double candidate = _integral + Ki * error * ctx.DtS;
                double output = Kp * error + candidate;
                if (output > 1.0) output = 1.0;
                else if (output < 0.0) output = 0.0;
                else _integral = candidate;           // integrate only while not saturated
                DriveFraction = output;
            }
            _station.Clock.Advance(40);
        }

        public void Publish(long scan)
        {
            _snapshot.SetDouble(_fTension, RawTensionN);
            _snapshot.SetDouble(_fFiltered, FilteredTensionN);
            _snapshot.SetDouble(_fSetpoint, SetpointN);
            _snapshot.SetDouble(_fDrive, DriveFraction);
            _snapshot.SetDouble(_fSpeed, SpeedMps);
            _snapshot.SetInt(_fScan, (int)(scan & 0x7FFFFFFF));
            _snapshot.SetBool(_fFault, InputFault);
        }

        public int Execute(ScanCommand command, ScanContext ctx)
        {
            if (command.Code != SetpointCommand) return (int)ErrorCode.UnknownCommand;
            double v = command.Value0;
            if (double.IsNaN(v) || v < 0.0 || v > 500.0) return (int)ErrorCode.OutOfRange;
            SetpointN = v;
            command.ResultDouble = v;
            return ScanCommand.Ok;
        }
    }

    private sealed class InputsTask : IScanTask
    {
        private readonly RepresentativeStation _s;
        private readonly TensionModule _m;
        public InputsTask(RepresentativeStation s, TensionModule m) { _s = s; _m = m; }

        public void Run(ScanContext ctx)
        {
            bool ok = _s.Tension.TryRead(out _m.RawTensionN);
            ok &= _s.Speed.TryRead(out _m.SpeedMps);
            _m.InputFault = !ok;
            _s.Clock.Advance(30);
        }
    }

    private sealed class FilterTask : IScanTask
    {
        private readonly TensionModule _m;
        public FilterTask(TensionModule m) { _m = m; }
        public void Run(ScanContext ctx) => _m.Filter(ctx.DtS);
    }

    private sealed class OutputsTask : IScanTask
    {
        private readonly RepresentativeStation _s;
        private readonly TensionModule _m;
        public OutputsTask(RepresentativeStation s, TensionModule m) { _s = s; _m = m; }

        public void Run(ScanContext ctx)
        {
            _s.Drive.Write(_m.DriveFraction);
            _s.Brake.Write(!_m.InputFault);
            _m.Publish(ctx.ScanNumber);
            _s.Clock.Advance(20);
        }
    }

    /// <summary>Raises a module alarm for a while and resets it (as a module does when its condition clears and the operator resets).</summary>
    private sealed class AlarmTask : IScanTask
    {
        private readonly RepresentativeStation _s;
        public AlarmTask(RepresentativeStation s) { _s = s; }

        public void Run(ScanContext ctx)
        {
            long phase = ctx.ScanNumber % 500;
            if (phase == 3) _s.Alarms.Raise(ModuleAlarm, (int)(ctx.ScanNumber & 0xFFFF));
            else if (phase == 253) _s.Alarms.Reset(ModuleAlarm);
        }
    }

    /// <summary>Once every 1000 scans takes 1.5 periods: an overrun, ScanOverrun raised, later reset by command.</summary>
    private sealed class SlowTask : IScanTask
    {
        private readonly RepresentativeStation _s;
        public SlowTask(RepresentativeStation s) { _s = s; }
        public void Run(ScanContext ctx) => _s.Clock.Advance(1500);
    }
}
