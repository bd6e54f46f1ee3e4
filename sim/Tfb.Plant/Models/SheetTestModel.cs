using System.Numerics;
using Tfb.Plant.Core;
using Tfb.Plant.Faults;

namespace Tfb.Plant.Models;

/// <summary>The sheet-test fixture's analog front end, ADC and loader.</summary>
public sealed record SheetFrontEndConfig
{
    /// <summary>Signal and device prefix.</summary>
    public string Name { get; init; } = "sheettest";
    /// <summary>Mux on-resistance per switch, ohm (4-10).</summary>
    public double MuxRonOhm { get; init; } = 5;
    /// <summary>Charge injected into the sense filter on a switch closing, C (1-25 pC).</summary>
    public double ChargeInjectionC { get; init; } = 10e-12;
    /// <summary>Sense (DC path) anti-alias filter capacitance, F.</summary>
    public double SenseFilterF { get; init; } = 10e-9;
    /// <summary>DC-path anti-alias time constant, s (16 bit settles in 11.8 tau, 24 bit in 17.3 tau).</summary>
    public double DcPathTauS { get; init; } = 1e-3;
    /// <summary>AC-path anti-alias time constant, s.</summary>
    public double AcPathTauS { get; init; } = 0.3e-6;
    /// <summary>Relative mismatch of the current channel's AC-path time constant.</summary>
    public double AcPathMismatch { get; init; } = 0.005;
    /// <summary>Sampling skew of the current channel behind the voltage channel, s.</summary>
    public double ChannelSkewS { get; init; } = 2e-9;
    /// <summary>AC source output resistance, ohm.</summary>
    public double SourceOhm { get; init; } = 10;
    /// <summary>Contact-check current, A.</summary>
    public double ContactCurrentA { get; init; } = 100e-6;
    /// <summary>Contact-check compliance, V.</summary>
    public double ContactComplianceV { get; init; } = 2;
    /// <summary>ADC master clock, Hz: the rate is this divided by an integer (exact, coherent with the source).</summary>
    public int AdcClockHz { get; init; } = 24_000_000;
    /// <summary>Smallest divider (500 kSPS at 24 MHz).</summary>
    public int MinDivider { get; init; } = 48;
    /// <summary>Voltage channel full scale, +-V (24-bit codes).</summary>
    public double VoltageFullScaleV { get; init; } = 5;
    /// <summary>Current channel full scale, +-A (24-bit codes).</summary>
    public double CurrentFullScaleA { get; init; } = 0.01;
    /// <summary>Voltage channel gain error (fraction; 10 ppm after factory calibration).</summary>
    public double VoltageGainError { get; init; } = 10e-6;
    /// <summary>Current channel gain error (fraction).</summary>
    public double CurrentGainError { get; init; } = -0.0005;
    /// <summary>Voltage channel offset, V.</summary>
    public double VoltageOffsetV { get; init; } = 10e-6;
    /// <summary>Current channel offset, A.</summary>
    public double CurrentOffsetA { get; init; } = 2e-9;
    /// <summary>Voltage noise per sample, V rms.</summary>
    public double VoltageNoiseV { get; init; } = 3e-6;
    /// <summary>Current noise per sample, A rms.</summary>
    public double CurrentNoiseA { get; init; } = 30e-9;
    /// <summary>Mains frequency, Hz.</summary>
    public double MainsHz { get; init; } = 50;
    /// <summary>Mains pickup on the voltage channel, V amplitude (plus a third harmonic of a quarter of it).</summary>
    public double MainsPickupV { get; init; } = 20e-6;
    /// <summary>Mains pickup on the current channel, A amplitude.</summary>
    public double MainsPickupA { get; init; } = 20e-9;
    /// <summary>Converter FIFO/DMA depth, frames: older frames are lost (an overrun) when the reader is late.</summary>
    public int FifoFrames { get; init; } = 16384;
    /// <summary>Time to swap sheets once the clamp opens after a test, s.</summary>
    public double LoadTimeS { get; init; } = 3;
}

/// <summary>
/// The sheet-test station's plant: a <see cref="Sheet"/> of cells in a fixture, a Kelvin analog multiplexer
/// (force and sense banks, on-resistance, break-before-make, charge injection) and signal source driven over
/// SPI, and a two-channel simultaneous-sampling ADC (voltage, current) paced by its own clock in simulated time.
/// </summary>
/// <remarks>
/// Devices on the bus (<see cref="SignalBus.RegisterDevice"/>): <c>sheettest.afe.cs</c> (the front end, an
/// <see cref="SpiTransfer"/> of 8-byte frames) and <c>sheettest.adc.cs</c> (the ADC, <see cref="ReadBlock"/>).
/// Signals: <c>sheettest.fixture.clampCmd</c> (in), <c>sheettest.fixture.sheetPresent</c>,
/// <c>sheettest.sheet.index</c>. Fault targets: <c>sheettest.afe</c> (<c>mute</c>: the front end stops
/// answering) and <c>sheettest.adc</c> (<c>buserror</c> p: each block read fails with probability p).
/// SPI frame (write; the reply comes back in the same transfer): byte 0 command, then arguments little-endian.
/// Reply: byte 0 = 0xA5, byte 1 = command echo, byte 2 = status (0 ok, 1 refused, 2 out of range, 3 unknown).
/// Commands: 0x10 open all switches; 0x11 select x=b1 y=b2 (refused unless all open: break-before-make);
/// 0x20 source off (high-Z); 0x21 DC b1..4 = int32 uV; 0x22 AC b1..3 = frequency Hz, b4..5 = uV rms, b6..7 =
/// DC bias in 100 uV; 0x23 contact-check current; 0x30 ADC b1..4 = clock divider (0 = stop; a (re)start empties
/// the FIFO); 0x40 status (b3 = selected, b4 = x, b5 = y, b6 = source mode).
/// The AC response is the steady state (the firmware discards a settling period before it integrates).
/// </remarks>
public sealed class SheetTestModel : IPlantComponent, IFaultTargetProvider
{
    private const int ModeOff = 0, ModeDc = 1, ModeAc = 2, ModeContact = 3;
    private const double CodesPerUnit = 8388607.0;

    private readonly PlantRandom _random;
    private readonly PlantRandom _noise;
    private readonly SignalRef _clamp, _present, _index;
    private readonly FaultTargetImpl _afeTarget, _adcTarget;
    private long _nowNs;
    private bool _clampWas;
    private bool _tested;
    private double _loadAtS = -1;
    private double _loadedAtS;
    private int _nextSheet;

    // Mux and source.
    private bool _selected;
    private int _selX, _selY;
    private int _mode;
    private double _dcV;
    private double _acHz, _acVrms, _biasV;
    private bool _acDirty = true;
    private Complex _acV, _acI;
    private long _sourceSinceNs;
    // DC path filter: v(t) = target + (v0 - target) exp(-(t - t0)/tau).
    private double _filtV0, _filtTarget;
    private long _filtT0Ns;

    // ADC.
    private int _divider;
    private long _adcStartNs;
    private long _framesMade;
    private readonly int[] _fifo;
    private long _fifoHead, _fifoTail; // frames
    private readonly long[] _fifoFrameNo;

    /// <summary>Creates the station (first sheet loaded, clamp open).</summary>
    public SheetTestModel(VirtualPlant plant, SheetConfig sheet, SheetFrontEndConfig config)
    {
        Config = config;
        SheetConfig = sheet;
        Name = config.Name;
        _random = plant.CreateRandom(config.Name + ".sheets");
        _noise = plant.CreateRandom(config.Name + ".noise");
        var bus = plant.Bus;
        _clamp = bus.Register(config.Name + ".fixture.clampCmd", 0);
        _present = bus.Register(config.Name + ".fixture.sheetPresent", 1);
        _index = bus.Register(config.Name + ".sheet.index", 0);
        _fifo = new int[config.FifoFrames * 2];
        _fifoFrameNo = new long[config.FifoFrames];
        bus.RegisterDevice(config.Name + ".afe.cs", this);
        bus.RegisterDevice(config.Name + ".adc.cs", this);
        _afeTarget = new FaultTargetImpl(config.Name + ".afe", new FaultDescriptor("mute", 0, 0, "mute", "the front end stops answering SPI"));
        _adcTarget = new FaultTargetImpl(config.Name + ".adc", new FaultDescriptor("buserror", 1, 1, "buserror <p>", "each block read fails with probability p"));
        LoadNextSheet(0);
    }

    /// <summary>Component name.</summary>
    public string Name { get; }
    /// <summary>Runs after the actuators, like a model.</summary>
    public PlantPhase Phase => PlantPhase.Models;
    /// <summary>Front-end parameters.</summary>
    public SheetFrontEndConfig Config { get; }
    /// <summary>The configuration new sheets are made with (a scenario or test may replace it before a load).</summary>
    public SheetConfig SheetConfig { get; set; }
    /// <summary>The sheet in the fixture (ground truth).</summary>
    public Sheet CurrentSheet { get; private set; } = null!;
    /// <summary>Plant time the current sheet was loaded, s.</summary>
    public double SheetLoadedAtS => _loadedAtS;
    /// <summary>Select commands refused because a switch was still closed (break-before-make held).</summary>
    public int MakeBeforeBreakRefusals { get; private set; }
    /// <summary>Frames lost because the FIFO was full.</summary>
    public int OverrunCount { get; private set; }
    /// <summary>Frames produced since start.</summary>
    public long FramesProduced { get; private set; }
    /// <summary>Current sample rate per channel, Hz (0 while stopped).</summary>
    public int SampleRateHz => _divider == 0 ? 0 : Config.AdcClockHz / _divider;
    /// <summary>Fault targets.</summary>
    public IEnumerable<IFaultTarget> FaultTargets => new IFaultTarget[] { _afeTarget, _adcTarget };

    /// <summary>Replaces the sheet in the fixture now (tests and the benchmark).</summary>
    public void LoadSheet(SheetConfig config)
    {
        SheetConfig = config;
        LoadNextSheet(_nowNs * 1e-9);
    }

    private void LoadNextSheet(double timeS)
    {
        CurrentSheet = new Sheet(SheetConfig, _nextSheet, _random);
        _index.Value = _nextSheet;
        _nextSheet++;
        _loadedAtS = timeS;
        _present.Value = 1;
        _tested = false;
    }

    /// <inheritdoc />
    public void Step(double timeS, double dtS)
    {
        long endNs = (long)Math.Round((timeS + dtS) * 1e9);
        bool clamp = _clamp.Value >= 0.5;
        if (clamp) _tested = true;
        if (_clampWas && !clamp && _tested)
        {
            _present.Value = 0;
            _loadAtS = timeS + Config.LoadTimeS;
        }
        _clampWas = clamp;
        if (_loadAtS >= 0 && timeS >= _loadAtS)
        {
            _loadAtS = -1;
            LoadNextSheet(timeS);
        }
        Produce(endNs);
        _nowNs = endNs;
    }

    // ---- ADC ----

    private void Produce(long endNs)
    {
        if (_divider == 0) return;
        long target = (long)((Int128)(endNs - _adcStartNs) * Config.AdcClockHz / ((Int128)_divider * 1_000_000_000));
        while (_framesMade < target)
        {
            long k = _framesMade++;
            FramesProduced++;
            double tRel = (k + 1) * (double)_divider / Config.AdcClockHz;
            long tNs = _adcStartNs + (long)Math.Round(tRel * 1e9);
            Sample(tNs, tRel, out double v, out double i);
            if (_fifoTail - _fifoHead >= Config.FifoFrames)
            {
                OverrunCount++;
                continue;
            }
            int slot = (int)(_fifoTail % Config.FifoFrames);
            _fifo[2 * slot] = Code(v * (1 + Config.VoltageGainError) + Config.VoltageOffsetV, Config.VoltageFullScaleV);
            _fifo[2 * slot + 1] = Code(i * (1 + Config.CurrentGainError) + Config.CurrentOffsetA, Config.CurrentFullScaleA);
            _fifoFrameNo[slot] = k;
            _fifoTail++;
        }
    }

    private static int Code(double value, double fullScale)
    {
        double c = Math.Round(value / fullScale * CodesPerUnit);
        return (int)Math.Clamp(c, -CodesPerUnit, CodesPerUnit);
    }

    private void Sample(long tNs, double tRel, out double v, out double i)
    {
        double tS = tNs * 1e-9;
        double mainsPhase = 2 * Math.PI * Config.MainsHz * tS;
        v = Config.VoltageNoiseV * _noise.NextGaussian() + Config.MainsPickupV * (Math.Sin(mainsPhase) + 0.25 * Math.Sin(3 * mainsPhase + 0.4));
        i = Config.CurrentNoiseA * _noise.NextGaussian() + Config.MainsPickupA * Math.Sin(mainsPhase + 1.1);
        SheetCell? cell = _selected ? CurrentSheet.Cell(_selX, _selY) : null;
        bool touching = cell != null && !double.IsInfinity(cell.ContactOhm);
        switch (_mode)
        {
            case ModeOff:
                v += FilteredV(tNs);
                break;
            case ModeDc:
                v += FilteredV(tNs);
                if (touching)
                {
                    double dcR = CurrentSheet.DcSeriesOhm(cell!) + Config.MuxRonOhm + cell!.ContactOhm / 2;
                    double cEff = CurrentSheet.Config.Formed ? cell.CpeQ : CurrentSheet.Config.BlockingCpeQ * CurrentSheet.Config.CellWMm * CurrentSheet.Config.CellHMm / 100;
                    double age = (tNs - _sourceSinceNs) * 1e-9;
                    double ocv = CurrentSheet.Ocv(cell, (tS - _loadedAtS) / 3600);
                    i += (_dcV - ocv) / cell.LeakageOhm + (_dcV - ocv) / dcR * Math.Exp(-age / (dcR * cEff));
                }
                break;
            case ModeContact:
                if (cell != null)
                {
                    double r = cell.ContactOhm + 2 * Config.MuxRonOhm;
                    double ic = double.IsInfinity(r) ? 0 : Math.Min(Config.ContactCurrentA, Config.ContactComplianceV / r);
                    v += double.IsInfinity(r) ? Config.ContactComplianceV : ic * r;
                    i += ic;
                }
                else
                {
                    v += Config.ContactComplianceV;
                }
                break;
            case ModeAc:
                v += _biasV;
                if (touching)
                {
                    if (_acDirty)
                    {
                        // Phasors of this cell and frequency, once per configuration (not per sample).
                        Complex z = CurrentSheet.Impedance(cell!, _acHz);
                        double wc = 2 * Math.PI * _acHz;
                        Complex cur = _acVrms * Math.Sqrt(2) / (Config.SourceOhm + Config.MuxRonOhm + cell!.ContactOhm / 2 + z);
                        Complex hv = 1.0 / new Complex(1, wc * Config.AcPathTauS);
                        Complex hi = Complex.FromPolarCoordinates(1, -wc * Config.ChannelSkewS) / new Complex(1, wc * Config.AcPathTauS * (1 + Config.AcPathMismatch));
                        _acV = cur * z * hv;
                        _acI = cur * hi;
                        _acDirty = false;
                    }
                    double ph = 2 * Math.PI * _acHz * tRel;
                    double c = Math.Cos(ph), sn = Math.Sin(ph);
                    v += _acV.Real * c - _acV.Imaginary * sn;
                    i += _acI.Real * c - _acI.Imaginary * sn;
                }
                break;
        }
    }

    private double FilteredV(long tNs)
    {
        double age = (tNs - _filtT0Ns) * 1e-9;
        return _filtTarget + (_filtV0 - _filtTarget) * Math.Exp(-age / Config.DcPathTauS);
    }

    // The sense node's target changed (select, deselect, source): restart the exponential from where it is.
    private void Retarget(double target, double stepV)
    {
        _filtV0 = FilteredV(_nowNs) + stepV;
        _filtT0Ns = _nowNs;
        _filtTarget = target;
    }

    private double SenseTarget()
    {
        if (!_selected) return 0;
        SheetCell c = CurrentSheet.Cell(_selX, _selY);
        if (double.IsInfinity(c.ContactOhm)) return 0;
        if (_mode == ModeDc) return _dcV;
        return CurrentSheet.Ocv(c, (_nowNs * 1e-9 - _loadedAtS) / 3600);
    }

    /// <summary>Copies up to <paramref name="maxCount"/> samples (whole frames: voltage, current) from the FIFO.</summary>
    /// <returns>Samples copied, 0 when none is ready, -1 on an injected bus error.</returns>
    public int ReadBlock(int[] samples, int offset, int maxCount, out long firstSampleMicros)
    {
        firstSampleMicros = 0;
        if (_adcTarget.Active && _noise.Chance(_adcTarget.Parameter)) return -1;
        long frames = Math.Min(_fifoTail - _fifoHead, maxCount / 2);
        if (frames <= 0) return 0;
        int first = (int)(_fifoHead % Config.FifoFrames);
        long k = _fifoFrameNo[first];
        firstSampleMicros = (_adcStartNs + (long)Math.Round((k + 1) * (double)_divider / Config.AdcClockHz * 1e9)) / 1000;
        // A block never spans a gap (an overrun): the reader's timestamps stay true.
        int n = 0;
        while (n < frames)
        {
            int slot = (int)(_fifoHead % Config.FifoFrames);
            if (_fifoFrameNo[slot] != k + n) break;
            samples[offset + 2 * n] = _fifo[2 * slot];
            samples[offset + 2 * n + 1] = _fifo[2 * slot + 1];
            _fifoHead++;
            n++;
        }
        return 2 * n;
    }

    /// <summary>One SPI transfer to the front end (see the remarks for the frame).</summary>
    public bool SpiTransfer(byte[] write, byte[] read, int count)
    {
        if (count < 8) return false;
        Array.Clear(read, 0, count);
        if (_afeTarget.Active) return true; // the line floats: all zero, no ack
        read[0] = 0xA5;
        read[1] = write[0];
        _acDirty = true;
        byte status = 0;
        switch (write[0])
        {
            case 0x10:
                if (_selected) Retarget(0, 0);
                _selected = false;
                if (_mode != ModeOff) { _mode = ModeOff; _sourceSinceNs = _nowNs; }
                break;
            case 0x11:
                if (_selected) { status = 1; MakeBeforeBreakRefusals++; break; }
                if (write[1] >= CurrentSheet.Config.Columns || write[2] >= CurrentSheet.Config.Rows) { status = 2; break; }
                _selected = true;
                _selX = write[1];
                _selY = write[2];
                Retarget(SenseTarget(), Config.ChargeInjectionC / Config.SenseFilterF);
                break;
            case 0x20:
                _mode = ModeOff;
                _sourceSinceNs = _nowNs;
                Retarget(SenseTarget(), 0);
                break;
            case 0x21:
                _mode = ModeDc;
                _dcV = BitConverter.ToInt32(write, 1) * 1e-6;
                _sourceSinceNs = _nowNs;
                Retarget(SenseTarget(), 0);
                break;
            case 0x22:
                _acHz = write[1] | (write[2] << 8) | (write[3] << 16);
                _acVrms = (write[4] | (write[5] << 8)) * 1e-6;
                _biasV = (write[6] | (write[7] << 8)) * 1e-4;
                if (_acHz <= 0 || _acVrms > 0.05) { status = 2; break; }
                _mode = ModeAc;
                _sourceSinceNs = _nowNs;
                break;
            case 0x23:
                _mode = ModeContact;
                _sourceSinceNs = _nowNs;
                break;
            case 0x30:
                int div = BitConverter.ToInt32(write, 1);
                if (div != 0 && div < Config.MinDivider) { status = 2; break; }
                _divider = div;
                _adcStartNs = _nowNs;
                _framesMade = 0;
                _fifoHead = _fifoTail = 0;
                break;
            case 0x40:
                read[3] = (byte)(_selected ? 1 : 0);
                read[4] = (byte)_selX;
                read[5] = (byte)_selY;
                read[6] = (byte)_mode;
                break;
            default:
                status = 3;
                break;
        }
        read[2] = status;
        return true;
    }

    private sealed class FaultTargetImpl(string name, FaultDescriptor fault) : IFaultTarget
    {
        private readonly HashSet<string> _active = new();
        public string Name => name;
        public IReadOnlyList<FaultDescriptor> SupportedFaults => new[] { fault };
        public bool Active => _active.Count > 0;
        public double Parameter { get; private set; }
        public void ApplyFault(string f, IReadOnlyList<double> parameters, double timeS)
        {
            _active.Add(f);
            Parameter = parameters.Count > 0 ? parameters[0] : 0;
        }
        public void ClearFaults() => _active.Clear();
        public IReadOnlyCollection<string> ActiveFaults => _active;
    }

    /// <summary>Adds the sheet-test station (default sheet, unformed, and front end) to <paramref name="plant"/>.</summary>
    public static SheetTestModel AddStation(VirtualPlant plant) =>
        plant.Add(new SheetTestModel(plant, new SheetConfig(), new SheetFrontEndConfig()));
}
