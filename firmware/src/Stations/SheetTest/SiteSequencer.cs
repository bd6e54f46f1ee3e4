using System.Threading;
using Tfb.Codes;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Scan;

namespace Tfb.Stations.SheetTest
{
    /// <summary>Sequencer states (<see cref="SiteSequencer.State"/>).</summary>
    public static class SequencerState
    {
        /// <summary>No sheet requested.</summary>
        public const int Idle = 0;
        /// <summary>Waiting for a sheet in the fixture.</summary>
        public const int WaitSheet = 1;
        /// <summary>Measuring sites.</summary>
        public const int Testing = 2;
        /// <summary>Paused (operator, line stop or contact loss): the current site restarts on resume.</summary>
        public const int Paused = 3;
        /// <summary>Binning the measured sheet.</summary>
        public const int Binning = 4;
        /// <summary>Waiting for the results of earlier sheets to be queued (store-and-forward back-pressure).</summary>
        public const int WaitQueue = 5;
        /// <summary>Waiting for the tested sheet to be unloaded.</summary>
        public const int WaitUnload = 6;
        /// <summary>Front end not responding: stopped until the alarm is reset.</summary>
        public const int Faulted = 7;

        /// <summary>Names for status lines.</summary>
        public static readonly string[] Names = { "Idle", "WaitSheet", "Testing", "Paused", "Binning", "WaitQueue", "WaitUnload", "Faulted" };
    }

    /// <summary>Called on the scan thread when a sheet is binned (host tools: results files). Must not block.</summary>
    public delegate void SheetCompletedHandler(SheetTable table);

    /// <summary>
    /// The site sequencer (a scan task): per sheet a scan list over the grid; per site select (break before make)
    /// -> settle -> contact check (retest once) -> leakage (before formation) or OCV (after) -> impedance at three
    /// frequencies -> optional EIS sweep -> deselect. Measurements consume the sampling core's ring by sample
    /// timestamps (samples before a step's settle time are discarded), so a step ends as soon as its data is in.
    /// </summary>
    /// <remarks>
    /// Results land in a <see cref="SheetTable"/> (two, double-buffered): when a sheet ends it is binned over a
    /// few scans and handed to the publisher (store-and-forward); the next sheet starts only in a free table, so
    /// queue back-pressure pauses the sequencer and no site is ever dropped. Pause stops the current site and
    /// restarts it on resume. Requests from other threads are flags consumed at the start of the next scan.
    /// No allocation per scan.
    /// </remarks>
    public sealed class SiteSequencer : IScanTask, ISafeState
    {
        private const int StepContact = 0, StepLeak = 1, StepOcv = 2, StepZ = 3, StepEis = 4;
        private const int KindDc = 0, KindTone = 1;
        private const double CodesFs = 8388607.0;
        private const int ReqStart = 1, ReqPause = 2, ReqResume = 3, ReqAbort = 4;
        /// <summary>EIS sweep points (Hz), log-spaced; each integrates 2 periods (at least 20 ms).</summary>
        public static readonly int[] EisFrequenciesHz = { 100000, 20000, 5000, 1000, 200, 50, 10 };

        private readonly FrontEndDriver _fe;
        private readonly SamplingCore _core;
        private readonly bool _pumpInline;
        private readonly IClock _clock;
        private readonly AlarmLog _alarms;
        private readonly SheetSettings _settings;
        private readonly IDigitalInput _sheetPresent;
        private readonly IDigitalOutput _clamp;
        private readonly SheetParameters _p = new SheetParameters();
        private readonly SheetTable[] _tables = { new SheetTable(), new SheetTable() };
        private readonly SheetBinning _binning = new SheetBinning();
        private readonly DcAverager _dc = new DcAverager();
        private readonly ToneDft _dft = new ToneDft();
        private readonly double[] _eisZ = new double[7];
        private readonly double[] _eisDeg = new double[7];

        private int _request;
        private int _reqX0, _reqY0, _reqX1, _reqY1, _reqSheets;
        private int _state;
        private int _frontEndOk = 1;
        private int _lastSiteSeq = -1;
        private int _sheetsDone;
        private int _nextSheetNumber = 1;
        private int _sheetsLeft;
        private int _x0, _y0, _x1, _y1;
        private bool _publisherAttached;
        private SheetTable _t;
        private int _siteIdx;
        private int _siteCount;
        private int _step;
        private int _zIndex;
        private int _retests;
        private int _consecutiveOpen;
        private int _kind;
        private int _rateHz;
        private long _discardUntilUs;
        private long _stepDeadlineUs;
        private int _probeCountdown;
        private bool _selectRefused;
        private int _refusedSelects;

        /// <summary>Creates the sequencer.</summary>
        /// <param name="frontEnd">Mux and source driver.</param>
        /// <param name="core">Sampling core (its ring is consumed here).</param>
        /// <param name="pumpInline">True when no reader thread exists: the scan pumps the converter (virtual line).</param>
        /// <param name="clock">Monotonic and wall clock.</param>
        /// <param name="alarms">Alarm log.</param>
        /// <param name="settings">The declared settings.</param>
        /// <param name="sheetPresent">Fixture sensor (null: a sheet is always there).</param>
        /// <param name="clamp">Fixture clamp (null: none).</param>
        public SiteSequencer(FrontEndDriver frontEnd, SamplingCore core, bool pumpInline, IClock clock, AlarmLog alarms,
            SheetSettings settings, IDigitalInput sheetPresent, IDigitalOutput clamp)
        {
            _fe = frontEnd;
            _core = core;
            _pumpInline = pumpInline;
            _clock = clock;
            _alarms = alarms;
            _settings = settings;
            _sheetPresent = sheetPresent;
            _clamp = clamp;
        }

        /// <summary>Host hook called when a sheet is binned (scan thread).</summary>
        public SheetCompletedHandler SheetCompleted;

        /// <summary>Current state (<see cref="SequencerState"/>; any thread).</summary>
        public int State { get { return Interlocked.CompareExchange(ref _state, 0, 0); } }

        /// <summary>Sequence number of the last completed site of the current sheet (-1 none; any thread).</summary>
        public int LastSiteSeq { get { return Interlocked.CompareExchange(ref _lastSiteSeq, 0, 0); } }

        /// <summary>Sheets binned since boot.</summary>
        public int SheetsDone { get { return Interlocked.CompareExchange(ref _sheetsDone, 0, 0); } }

        /// <summary>True when the last front-end transfer answered.</summary>
        public bool FrontEndHealthy { get { return Interlocked.CompareExchange(ref _frontEndOk, 0, 0) != 0; } }

        /// <summary>The two result tables (the publisher reads the Complete ones).</summary>
        public SheetTable Table(int i) { return _tables[i]; }

        /// <summary>The binning of the last sheet (medians and robust sigmas).</summary>
        public SheetBinning Binning { get { return _binning; } }

        /// <summary>The parameters of the current (last) sheet.</summary>
        public SheetParameters Parameters { get { return _p; } }

        /// <summary>Last EIS sweep |Z| (ohm) per <see cref="EisFrequenciesHz"/> point.</summary>
        public double[] EisZ { get { return _eisZ; } }

        /// <summary>Last EIS sweep phase (degrees).</summary>
        public double[] EisDeg { get { return _eisDeg; } }

        /// <summary>Set (before the first sheet) when a store-and-forward publisher frees the tables; otherwise they free on completion.</summary>
        public bool PublisherAttached { get { return _publisherAttached; } set { _publisherAttached = value; } }

        /// <summary>Requests sheets over the window (x0,y0)-(x1,y1) inclusive; <paramref name="sheets"/> 0 = until stopped (any thread; checked by the caller).</summary>
        public void RequestStart(int x0, int y0, int x1, int y1, int sheets)
        {
            _reqX0 = x0;
            _reqY0 = y0;
            _reqX1 = x1;
            _reqY1 = y1;
            _reqSheets = sheets;
            Interlocked.Exchange(ref _request, ReqStart);
        }

        /// <summary>Requests a pause (the current site is restarted on resume).</summary>
        public void RequestPause() { Interlocked.Exchange(ref _request, ReqPause); }

        /// <summary>Requests a resume.</summary>
        public void RequestResume() { Interlocked.Exchange(ref _request, ReqResume); }

        /// <summary>Requests an abort: the sheet ends now; untested sites are binned 9 (not tested) and everything measured is published.</summary>
        public void RequestAbort() { Interlocked.Exchange(ref _request, ReqAbort); }

        /// <summary>One scan.</summary>
        public void Run(ScanContext ctx)
        {
            if (_pumpInline) _core.Pump();
            long now = _clock.NowMicros;
            int req = Interlocked.Exchange(ref _request, 0);
            if (ctx.StopRequested && _state == SequencerState.Testing) req = ReqPause;
            if (ctx.ResumeRequested && _state == SequencerState.Paused && req == 0) req = ReqResume;
            HandleRequest(req, now);

            switch (_state)
            {
                case SequencerState.WaitSheet: WaitSheet(now); break;
                case SequencerState.Testing: Measure(now); break;
                case SequencerState.Binning: BinStep(); break;
                case SequencerState.WaitQueue: TryBeginSheet(now); break;
                case SequencerState.WaitUnload:
                    bool present;
                    if (_sheetPresent == null || (_sheetPresent.TryRead(out present) && !present)) SetState(SequencerState.WaitSheet);
                    break;
                case SequencerState.Faulted:
                    if (--_probeCountdown <= 0)
                    {
                        _probeCountdown = 50;
                        Interlocked.Exchange(ref _frontEndOk, _fe.OpenAll() == FrontEndDriver.Ok ? 1 : 0);
                        if (FrontEndHealthy && !_alarms.IsActive((int)AlarmCode.SheetFrontEndNotResponding)) SetState(SequencerState.Idle);
                    }
                    break;
                default:
                    if (_core.Ring.Fill > 0) _core.Ring.Flush();
                    break;
            }
        }

        private void HandleRequest(int req, long now)
        {
            if (req == ReqStart && (_state == SequencerState.Idle || _state == SequencerState.WaitUnload))
            {
                _x0 = _reqX0;
                _y0 = _reqY0;
                _x1 = _reqX1;
                _y1 = _reqY1;
                _sheetsLeft = _reqSheets;
                SetState(SequencerState.WaitSheet);
            }
            else if (req == ReqPause && _state == SequencerState.Testing)
            {
                Quiet();
                SetState(SequencerState.Paused);
            }
            else if (req == ReqResume && _state == SequencerState.Paused)
            {
                SetClamp(true);
                SetState(SequencerState.Testing);
                StartSite(now);
            }
            else if (req == ReqAbort)
            {
                _sheetsLeft = 1;
                if (_state == SequencerState.Testing || _state == SequencerState.Paused)
                {
                    Quiet();
                    EndSheet(true);
                }
                else if (_state == SequencerState.WaitSheet || _state == SequencerState.WaitQueue || _state == SequencerState.WaitUnload)
                {
                    SetClamp(false);
                    SetState(SequencerState.Idle);
                }
            }
        }

        /// <summary>
        /// Safe state (scan trip, task fault): every switch open, source off, converter stopped; a sheet being
        /// measured pauses (resuming is a deliberate operator action and restarts the interrupted site), a
        /// pending multi-sheet run is cancelled. Idempotent; no allocation.
        /// </summary>
        public void EnterSafeState()
        {
            _fe.OpenAll();
            _fe.SourceOff();
            _fe.AdcRate(0);
            if (_state == SequencerState.Testing) SetState(SequencerState.Paused);
            else if (_state == SequencerState.WaitSheet || _state == SequencerState.WaitQueue || _state == SequencerState.WaitUnload) SetState(SequencerState.Idle);
        }

        private void WaitSheet(long now)
        {
            bool present = true;
            if (_sheetPresent != null && !(_sheetPresent.TryRead(out present) && present)) return;
            SetClamp(true);
            TryBeginSheet(now);
        }

        private void TryBeginSheet(long now)
        {
            SheetTable t = null;
            for (int i = 0; i < _tables.Length && t == null; i++) if (_tables[i].TryMove(SheetTable.Free, SheetTable.Filling)) t = _tables[i];
            if (t == null)
            {
                SetState(SequencerState.WaitQueue);
                return;
            }

            _settings.Capture(_p);
            int inverted = _p.FirstInvertedLimit();
            if (inverted >= 0 || _p.Columns * _p.Rows > SheetTable.MaxSites || _x1 >= _p.Columns || _y1 >= _p.Rows)
            {
                t.TryMove(SheetTable.Filling, SheetTable.Free);
                _alarms.Raise((int)AlarmCode.SheetLimitsInvalid, inverted);
                SetClamp(false);
                SetState(SequencerState.Idle);
                return;
            }

            _t = t;
            t.Reset(_p.Columns, _p.Rows);
            t.RollId = _settings.RollId;
            t.Program = _settings.Program;
            t.SheetNumber = _nextSheetNumber++;
            t.PitchXMm = _p.PitchXMm;
            t.PitchYMm = _p.PitchYMm;
            t.CellWMm = _p.CellWMm;
            t.CellHMm = _p.CellHMm;
            t.Formed = _p.Formed;
            t.StartMs = _clock.UtcUnixMillis;
            for (int k = 0; k < 3; k++) t.FrequencyHz[k] = _p.FrequencyHz[k];
            for (int k = 0; k < SheetTests.Count; k++)
            {
                t.LimitLo[k] = _p.LimitLo[k];
                t.LimitHi[k] = _p.LimitHi[k];
            }

            // Scan list: the window, serpentine by rows, minus the edge exclusion. Excluded cells follow the tested
            // ones in the order table (bin 9) so every cell gets a record.
            int n = 0;
            int e = _p.EdgeExclude;
            for (int y = _y0; y <= _y1; y++)
            {
                for (int j = 0; j <= _x1 - _x0; j++)
                {
                    int x = ((y - _y0) & 1) == 0 ? _x0 + j : _x1 - j;
                    if (x < e || y < e || x >= _p.Columns - e || y >= _p.Rows - e) continue;
                    t.Order[n++] = (short)(y * _p.Columns + x);
                }
            }

            _siteCount = n;
            _siteIdx = 0;
            _consecutiveOpen = 0;
            Interlocked.Exchange(ref _lastSiteSeq, -1);
            SetState(SequencerState.Testing);
            if (n == 0) EndSheet(false);
            else StartSite(now);
        }

        // ---- per site ----

        private void StartSite(long now)
        {
            int cell = _t.Order[_siteIdx];
            _retests = 0;
            _t.Flags[cell] = 0;
            if (!Select(cell)) return;
            BeginContact(now);
        }

        private bool Select(int cell)
        {
            int r = _fe.Select(cell % _p.Columns, cell / _p.Columns);
            if (r == FrontEndDriver.Ok) return true;
            if (r == FrontEndDriver.NoResponse) FrontEndFault();
            else _selectRefused = true; // the fixture has no such cell (grid larger than the fixture): bin 9/903 next scan
            return false;
        }

        private void BeginContact(long now)
        {
            _step = StepContact;
            if (!Command(_fe.SourceContact())) return;
            int rate = 64 * _p.MainsHz;
            if (!StartAdc(rate, now)) return;
            _kind = KindDc;
            _dc.Begin(Frames(_p.ContactUs, rate));
            _discardUntilUs = now + _p.SettleUs;
            _stepDeadlineUs = _discardUntilUs + _p.ContactUs + 200000;
        }

        private void BeginLeakOrOcv(long now)
        {
            int rate = 64 * _p.MainsHz;
            if (_p.Formed)
            {
                _step = StepOcv;
                if (!Command(_fe.SourceOff())) return;
                if (!StartAdc(rate, now)) return;
                _dc.BeginMains(_p.OcvCycles, 64);
                _discardUntilUs = now;
            }
            else
            {
                _step = StepLeak;
                if (!Command(_fe.SourceDc(_p.LeakVoltageV))) return;
                if (!StartAdc(rate, now)) return;
                _dc.BeginMains(_p.LeakCycles, 64);
                _discardUntilUs = now + _p.LeakSettleUs;
            }

            _kind = KindDc;
            _stepDeadlineUs = _discardUntilUs + 1000000L * _dc.Remaining / rate + 200000;
        }

        private void BeginTone(int step, int frequencyHz, int periods, long now)
        {
            _step = step;
            int cell = _t.Order[_siteIdx];
            double bias = _p.Formed && !float.IsNaN(_t.OcvV[cell]) ? _t.OcvV[cell] : 0;
            if (!Command(_fe.SourceAc(frequencyHz, _p.ExcitationVrms, bias))) return;
            int spp = SamplesPerPeriod(frequencyHz);
            int rate = spp * frequencyHz;
            if (!StartAdc(rate, now)) return;
            _kind = KindTone;
            _dft.Prepare(spp, spp * periods);
            // Discard one period (at least 1 ms): the cell's response to the excitation's start.
            long periodUs = 1000000L / frequencyHz;
            _discardUntilUs = now + (periodUs > 1000 ? periodUs : 1000);
            _stepDeadlineUs = _discardUntilUs + periodUs * periods + 200000;
        }

        /// <summary>
        /// Samples per period for a coherent rate: the most in 3..256 for which the clock divides exactly and the
        /// rate is allowed; 0 if none. Oversampling averages the converter's white noise (a 10 Hz point on a
        /// blocking cell carries only a few uA).
        /// </summary>
        public static int SamplesPerPeriodFor(int clockHz, int maxRateHz, int frequencyHz)
        {
            for (int spp = ToneDft.MaxSamplesPerPeriod; spp >= 3; spp--)
            {
                long rate = (long)spp * frequencyHz;
                if (rate <= maxRateHz && clockHz % rate == 0) return spp;
            }

            return 0;
        }

        private int SamplesPerPeriod(int frequencyHz) { return SamplesPerPeriodFor(_p.AdcClockHz, _p.AdcMaxRateHz, frequencyHz); }

        private bool StartAdc(int rateHz, long now)
        {
            if (rateHz <= 0 || _p.AdcClockHz % rateHz != 0)
            {
                MeasurementFailed(now);
                return false;
            }

            _rateHz = rateHz;
            if (!Command(_fe.AdcRate(_p.AdcClockHz / rateHz))) return false;
            // Everything in the ring predates this configuration.
            _core.Ring.Flush();
            return true;
        }

        private static int Frames(int us, int rateHz)
        {
            long f = (long)us * rateHz / 1000000;
            return f < 1 ? 1 : (int)f;
        }

        private bool Command(int result)
        {
            if (result == FrontEndDriver.Ok) return true;
            FrontEndFault();
            return false;
        }

        /// <summary>Selects the front end refused (cells the fixture does not have), since boot.</summary>
        public int RefusedSelects { get { return Interlocked.CompareExchange(ref _refusedSelects, 0, 0); } }

        private void Measure(long now)
        {
            if (_selectRefused)
            {
                // One refused site per scan: no recursion through a run of missing cells.
                _selectRefused = false;
                Interlocked.Increment(ref _refusedSelects);
                MeasurementFailed(now);
                return;
            }

            SampleRing ring = _core.Ring;
            int[] s = ring.Samples;
            int offset, count, consumed;
            long t0;
            // Several steps may finish in one scan when their data is already in (never on the virtual line: each
            // step restarts the converter).
            while (_state == SequencerState.Testing && ring.TryPeek(out offset, out count, out t0, out consumed))
            {
                int frames = count / 2;
                long firstUs = t0 + (long)(consumed / 2) * 1000000 / _rateHz;
                int skip = 0;
                if (firstUs < _discardUntilUs)
                {
                    long lateUs = _discardUntilUs - firstUs;
                    long sk = (lateUs * _rateHz + 999999) / 1000000;
                    skip = sk > frames ? frames : (int)sk;
                }

                int taken = 0;
                if (skip < frames)
                {
                    taken = _kind == KindDc ? _dc.Add(s, offset + 2 * skip, frames - skip) : _dft.Add(s, offset + 2 * skip, frames - skip);
                }

                ring.Advance(2 * (skip + taken));
                if ((_kind == KindDc ? _dc.Remaining : _dft.Remaining) == 0)
                {
                    CompleteStep(now);
                    // The converter was restarted: what is left in the ring is stale.
                    ring.Flush();
                    break;
                }
            }

            if (_state == SequencerState.Testing && now > _stepDeadlineUs)
            {
                _alarms.Raise((int)AlarmCode.SheetAdcFault, _siteIdx);
                MeasurementFailed(now);
            }
        }

        private void CompleteStep(long now)
        {
            int cell = _t.Order[_siteIdx];
            SheetTable t = _t;
            double vScale = _p.VoltageFullScaleV / CodesFs;
            double iScale = _p.CurrentFullScaleA / CodesFs;
            switch (_step)
            {
                case StepContact:
                    double v = _dc.Mean0 * vScale;
                    double i = _dc.Mean1 * iScale;
                    double r = i > 1e-6 ? v / i - 2 * _p.MuxRonOhm : 1e9;
                    if (r > 1e9) r = 1e9;
                    t.ContactOhm[cell] = (float)r;
                    bool open = r >= _p.Binning.OpenOhm;
                    bool fail = open || (!double.IsNaN(_p.LimitHi[SheetTests.Contact]) && r > _p.LimitHi[SheetTests.Contact]);
                    if (fail && _retests < _p.ContactRetests)
                    {
                        _retests++;
                        t.Flags[cell] |= SiteFlags.Retested;
                        if (!Select(cell)) return;
                        BeginContact(now);
                        return;
                    }

                    if (open)
                    {
                        _consecutiveOpen++;
                        if (_consecutiveOpen >= _p.MaxConsecutiveOpen)
                        {
                            t.SoftBin[cell] = SoftBins.ContactOpen;
                            FinishSite(now, false);
                            _alarms.Raise((int)AlarmCode.SheetContactLoss, _consecutiveOpen);
                            _consecutiveOpen = 0;
                            if (_state == SequencerState.Testing)
                            {
                                Quiet();
                                SetState(SequencerState.Paused);
                            }

                            return;
                        }
                    }
                    else
                    {
                        _consecutiveOpen = 0;
                    }

                    if (fail)
                    {
                        t.SoftBin[cell] = (short)(open ? SoftBins.ContactOpen : SoftBins.ContactHigh);
                        FinishSite(now, true);
                        return;
                    }

                    BeginLeakOrOcv(now);
                    return;
                case StepLeak:
                    t.LeakageA[cell] = (float)(_dc.Mean1 * iScale);
                    break;
                case StepOcv:
                    t.OcvV[cell] = (float)(_dc.Mean0 * vScale);
                    break;
                case StepZ:
                case StepEis:
                    double mag, deg;
                    Impedance(vScale, iScale, out mag, out deg);
                    if (_step == StepZ)
                    {
                        t.ZOhm[cell * 3 + _zIndex] = (float)mag;
                        t.ZDeg[cell * 3 + _zIndex] = (float)deg;
                    }
                    else
                    {
                        _eisZ[_zIndex] = mag;
                        _eisDeg[_zIndex] = deg;
                    }

                    _zIndex++;
                    break;
            }

            if (_step == StepLeak || _step == StepOcv) _zIndex = 0;
            if (_step != StepEis && _zIndex < 3)
            {
                BeginTone(StepZ, _p.FrequencyHz[_zIndex], _p.Periods[_zIndex], now);
                return;
            }

            if (_step == StepZ && _p.EisEvery > 0 && _siteIdx % _p.EisEvery == 0)
            {
                _zIndex = 0;
                t.Flags[cell] |= SiteFlags.EisSampled;
                _step = StepEis;
            }

            if (_step == StepEis && _zIndex < EisFrequenciesHz.Length)
            {
                int f = EisFrequenciesHz[_zIndex];
                int periods = f >= 100 ? f / 50 : 2; // 20 ms of data, at least 2 periods
                BeginTone(StepEis, f, periods, now);
                return;
            }

            FinishSite(now, true);
        }

        private void Impedance(double vScale, double iScale, out double mag, out double deg)
        {
            double vr = _dft.Re0 * vScale, vi = _dft.Im0 * vScale;
            double ir = _dft.Re1 * iScale, ii = _dft.Im1 * iScale;
            double iMag2 = ir * ir + ii * ii;
            double vMag2 = vr * vr + vi * vi;
            if (!(iMag2 > 0))
            {
                mag = double.NaN;
                deg = double.NaN;
                return;
            }

            mag = System.Math.Sqrt(vMag2 / iMag2);
            deg = (System.Math.Atan2(vi, vr) - System.Math.Atan2(ii, ir)) * 180 / System.Math.PI;
            if (deg > 180) deg -= 360;
            if (deg <= -180) deg += 360;
        }

        private void MeasurementFailed(long now)
        {
            int cell = _t.Order[_siteIdx];
            _t.SoftBin[cell] = SoftBins.MeasurementFailed;
            FinishSite(now, true);
        }

        private void FinishSite(long now, bool advance)
        {
            int cell = _t.Order[_siteIdx];
            _t.Tested[cell] = true;
            _t.TimeMs[cell] = _clock.UtcUnixMillis;
            _t.SitesTested = _siteIdx + 1;
            Interlocked.Exchange(ref _lastSiteSeq, _siteIdx);
            _siteIdx++;
            if (_fe.OpenAll() != FrontEndDriver.Ok)
            {
                FrontEndFault();
                return;
            }

            if (_siteIdx >= _siteCount)
            {
                Quiet();
                EndSheet(false);
            }
            else if (advance)
            {
                StartSite(now);
            }
        }

        private void FrontEndFault()
        {
            Interlocked.Exchange(ref _frontEndOk, 0);
            _alarms.Raise((int)AlarmCode.SheetFrontEndNotResponding, _siteIdx);
            _fe.OpenAll();
            _fe.AdcRate(0);
            _sheetsLeft = 1;
            if (_state == SequencerState.Testing || _state == SequencerState.Paused)
            {
                // Keep every measured site: bin now (a fault is rare; the phases run in this one scan) and publish.
                EndSheet(true);
                while (!_binning.Step()) { }
                CompleteSheet();
            }

            _probeCountdown = 50;
            SetState(SequencerState.Faulted);
        }

        // Everything open, source off, converter stopped (best effort: a dead front end is handled by the caller).
        private void Quiet()
        {
            _fe.OpenAll();
            _fe.SourceOff();
            _fe.AdcRate(0);
            _core.Ring.Flush();
        }

        private void EndSheet(bool aborted)
        {
            SheetTable t = _t;
            t.Aborted = aborted;
            t.SitesTested = _siteIdx;
            int n = _siteCount;
            for (int k = _siteIdx; k < n; k++) t.SoftBin[t.Order[k]] = SoftBins.NotTested;
            // Every other cell of the grid (outside the window, edge) follows as excluded.
            int cells = t.Columns * t.Rows;
            for (int c = 0; c < cells; c++)
            {
                bool listed = false;
                for (int k = 0; k < n && !listed; k++) listed = t.Order[k] == c;
                if (!listed)
                {
                    t.Order[n++] = (short)c;
                    t.SoftBin[c] = SoftBins.Excluded;
                }
            }

            t.SiteCount = n;
            t.EndMs = _clock.UtcUnixMillis;
            _binning.Begin(t, _p.Binning);
            SetState(SequencerState.Binning);
        }

        private void BinStep()
        {
            if (!_binning.Step()) return;
            CompleteSheet();
        }

        private void CompleteSheet()
        {
            SheetTable t = _t;
            Interlocked.Increment(ref _sheetsDone);
            SheetCompletedHandler h = SheetCompleted;
            if (h != null) h(t);
            t.TryMove(SheetTable.Filling, _publisherAttached ? SheetTable.Complete : SheetTable.Free);
            SetClamp(false);
            bool more = _sheetsLeft == 0 || --_sheetsLeft > 0;
            if (!more)
            {
                SetState(SequencerState.Idle);
                return;
            }

            SetState(_sheetPresent != null ? SequencerState.WaitUnload : SequencerState.WaitSheet);
        }

        private void SetClamp(bool on)
        {
            if (_clamp != null) _clamp.Write(on);
        }

        private void SetState(int s)
        {
            // Clamp released whenever the sequencer stops holding a sheet for a test.
            if (s == SequencerState.Idle || s == SequencerState.Faulted) SetClamp(false);
            Interlocked.Exchange(ref _state, s);
        }
    }
}
