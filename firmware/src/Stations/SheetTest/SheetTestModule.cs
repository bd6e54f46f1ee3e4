using Tfb.Codes;
using Tfb.Hal;
using Tfb.Runtime;
using Tfb.Settings;
using Tfb.Shell;
using Tfb.Sparkplug;
using Tfb.Text;

namespace Tfb.Stations.SheetTest
{
    /// <summary>
    /// The sheet-test station: sampling core, site sequencer, binning, console commands, Sparkplug device
    /// <c>SheetTest</c> with results through store-and-forward. Board I/O: SPI device <c>afe</c> (front end), ADC
    /// block source <c>adc</c>, digital input <c>sheet_present</c>, digital output <c>fixture_clamp</c>.
    /// </summary>
    public sealed class SheetTestModule : IStationModule, IEdgeNodeModule, ICommandHandler, IStatusProvider
    {
        /// <summary>Ring depth in samples (both channels): 32768 = 32.7 ms at the 500 kSPS maximum, 5.1 s at 3.2 kSPS.</summary>
        public const int RingSamples = 32768;
        /// <summary>Ring depth in blocks.</summary>
        public const int RingBlocks = 256;

        private const int CmdStart = 1, CmdPause = 2, CmdResume = 3, CmdAbort = 4, CmdStatus = 5, CmdBins = 6, CmdSite = 7, CmdSampler = 8, CmdEis = 9;

        private readonly SheetSettings _settings = new SheetSettings();
        private readonly SheetParameters _check = new SheetParameters();
        private readonly object _checkSync = new object();
        private BoardRuntime _runtime;
        private SamplingCore _core;
        private FrontEndDriver _fe;
        private SiteSequencer _seq;
        private SheetResultPublisher _publisher;
        private SparkplugMetric _mState, _mSite, _mSheets, _mOverruns, _mSpiErrors;

        /// <summary>Station name.</summary>
        public string Name { get { return "sheet"; } }

        /// <summary>The sequencer (host tools set <see cref="SiteSequencer.SheetCompleted"/>).</summary>
        public SiteSequencer Sequencer { get { return _seq; } }

        /// <summary>The sampling core.</summary>
        public SamplingCore Core { get { return _core; } }

        /// <summary>The front-end driver.</summary>
        public FrontEndDriver FrontEnd { get { return _fe; } }

        /// <summary>The results publisher (null without an edge node).</summary>
        public SheetResultPublisher Publisher { get { return _publisher; } }

        /// <summary>The settings.</summary>
        public SheetSettings Settings { get { return _settings; } }

        /// <summary>Declares the settings.</summary>
        public void DeclareSettings(SettingsRegistry settings) { _settings.Declare(settings); }

        /// <summary>Looks up the I/O, builds the core and sequencer, registers the scan task and console commands.</summary>
        /// <exception cref="System.InvalidOperationException">A required I/O item is missing from the board.</exception>
        public void Attach(BoardRuntime runtime)
        {
            _runtime = runtime;
            ISpiTransfer afe = runtime.Io.SpiDevice("afe");
            IAdcBlockSource adc = runtime.Io.AdcBlockSource("adc");
            IDigitalInput present = runtime.Io.DigitalInput("sheet_present");
            IDigitalOutput clamp = runtime.Io.DigitalOutput("fixture_clamp");
            if (afe == null) throw new System.InvalidOperationException("sheet: no SPI device 'afe'");
            if (adc == null) throw new System.InvalidOperationException("sheet: no ADC block source 'adc'");
            if (present == null) throw new System.InvalidOperationException("sheet: no digital input 'sheet_present'");
            if (clamp == null) throw new System.InvalidOperationException("sheet: no digital output 'fixture_clamp'");
            _fe = new FrontEndDriver(afe);
            _core = new SamplingCore(adc, new SampleRing(RingSamples, RingBlocks, adc.Channels));
            // No data-ready reader thread exists on any board yet: the scan pumps the converter (docs/sheet-test.md).
            _seq = new SiteSequencer(_fe, _core, true, runtime.Clock, runtime.Alarms, _settings, present, clamp);
            runtime.Scan.AddTask("sheet", _seq, 1, 0, 5000, 300);
            runtime.Scan.AddSafeState(_seq);

            CommandRegistry c = runtime.Shell.Commands;
            AccessLevel t = AccessLevel.Technician;
            AccessLevel o = AccessLevel.Operator;
            c.Register(CommandDef.Create("sheet start", "sheet start [sheets] [x0 y0 x1 y1]", "test sheets (0 = until stopped; default 1) over a window (default the grid)", 0, 5, t, false, this, CmdStart));
            c.Register(CommandDef.Create("sheet pause", "sheet pause", "pause; the current site restarts on resume", 0, 0, o, false, this, CmdPause));
            c.Register(CommandDef.Create("sheet resume", "sheet resume", "resume a paused sheet", 0, 0, t, false, this, CmdResume));
            c.Register(CommandDef.Create("sheet abort", "sheet abort", "end the sheet now; measured sites are binned and published", 0, 0, o, false, this, CmdAbort));
            c.Register(CommandDef.Create("sheet status", "sheet status", "sequencer state and counters", 0, 0, o, false, this, CmdStatus));
            c.Register(CommandDef.Create("sheet bins", "sheet bins", "hard-bin counts of the last binned sheet", 0, 0, o, false, this, CmdBins));
            c.Register(CommandDef.Create("sheet site", "sheet site <x> <y>", "results of one cell of the last sheet", 2, 2, o, false, this, CmdSite));
            c.Register(CommandDef.Create("sheet sampler", "sheet sampler", "sampling-core counters", 0, 0, o, false, this, CmdSampler));
            c.Register(CommandDef.Create("sheet eis", "sheet eis", "the last EIS sweep", 0, 0, o, false, this, CmdEis));
            runtime.Shell.AddStatusProvider(this);
        }

        /// <summary>True when no sheet is being measured (the mux is open).</summary>
        public bool IsIdle
        {
            get
            {
                int s = _seq == null ? SequencerState.Idle : _seq.State;
                return s != SequencerState.Testing && s != SequencerState.Binning;
            }
        }

        /// <summary>Resets a sheet-test alarm whose condition is gone.</summary>
        public bool TryResetAlarm(int code, out ErrorCode error)
        {
            if (code < 5000 || code > 5999)
            {
                error = ErrorCode.BadArgument;
                return false;
            }

            if (code == (int)AlarmCode.SheetFrontEndNotResponding && !_seq.FrontEndHealthy)
            {
                error = ErrorCode.ConditionPresent;
                return false;
            }

            if (code == (int)AlarmCode.SheetLimitsInvalid)
            {
                lock (_checkSync)
                {
                    _settings.Capture(_check);
                    if (_check.FirstInvertedLimit() >= 0)
                    {
                        error = ErrorCode.ConditionPresent;
                        return false;
                    }
                }
            }

            _runtime.Alarms.Reset(code);
            error = ErrorCode.BadArgument;
            return true;
        }

        // ---- console ----

        /// <summary>Runs a <c>sheet</c> command.</summary>
        public bool Execute(CommandContext ctx)
        {
            ErrorCode error;
            string text;
            switch (ctx.Command.Tag)
            {
                case CmdStart:
                    if (!TryStart(ctx, out error, out text)) return ctx.Fail(error, text);
                    return true;
                case CmdPause:
                    if (_seq.State != SequencerState.Testing) return ctx.Fail(ErrorCode.BadState, "not testing");
                    _seq.RequestPause();
                    return true;
                case CmdResume:
                    if (_seq.State != SequencerState.Paused) return ctx.Fail(ErrorCode.BadState, "not paused");
                    if (_runtime.Alarms.IsActive((int)AlarmCode.SheetContactLoss)) return ctx.Fail(ErrorCode.InterlockActive, "reset alarm 5003 first");
                    _seq.RequestResume();
                    return true;
                case CmdAbort:
                    _seq.RequestAbort();
                    return true;
                case CmdStatus:
                    ctx.WriteLine(GetStatus());
                    return true;
                case CmdBins:
                    SheetTable last = LastBinned();
                    if (last == null) return ctx.Fail(ErrorCode.BadState, "no sheet binned yet");
                    ctx.WriteLine("sheet=" + SheetResultPublisher.SheetId(last.SheetNumber) + " sites=" + last.SitesTested.ToString() + " bins=" + SheetResultPublisher.BinCounts(last));
                    return true;
                case CmdSite:
                    return Site(ctx);
                case CmdSampler:
                    ctx.WriteLine("rateHz=" + _core.Source.SampleRateHz.ToString() + " blocks=" + _core.BlockCount.ToString()
                        + " samples=" + _core.SampleCount.ToString() + " overruns=" + _core.OverrunCount.ToString()
                        + " spiErrors=" + _core.SpiErrorCount.ToString() + " ringFull=" + _core.RingFullCount.ToString()
                        + " ringFill=" + _core.Ring.Fill.ToString() + "/" + _core.Ring.Capacity.ToString());
                    return true;
                case CmdEis:
                    for (int k = 0; k < SiteSequencer.EisFrequenciesHz.Length; k++)
                    {
                        ctx.WriteLine("hz=" + SiteSequencer.EisFrequenciesHz[k].ToString() + " zOhm=" + NumberText.FormatReal(_seq.EisZ[k]) + " deg=" + NumberText.FormatReal(_seq.EisDeg[k]));
                    }

                    return true;
            }

            return ctx.Fail(ErrorCode.UnknownCommand, "sheet");
        }

        private bool TryStart(CommandContext ctx, out ErrorCode error, out string text)
        {
            int n = ctx.ArgCount;
            int sheets = 1;
            int first = 0;
            if (n == 1 || n == 5)
            {
                if (!NumberText.TryParseInt(ctx.Arg(0), out sheets) || sheets < 0)
                {
                    error = ErrorCode.BadArgument;
                    text = "sheets must be a whole number >= 0";
                    return false;
                }

                first = 1;
            }
            else if (n != 0 && n != 4)
            {
                error = ErrorCode.BadArgumentCount;
                text = "give [sheets] and optionally x0 y0 x1 y1";
                return false;
            }

            return TryStart(sheets, n - first == 4 ? ctx.Arg(first) : null, n - first == 4 ? ctx.Arg(first + 1) : null,
                n - first == 4 ? ctx.Arg(first + 2) : null, n - first == 4 ? ctx.Arg(first + 3) : null, out error, out text);
        }

        /// <summary>
        /// Validates and requests sheets (console and Sparkplug): window inside the grid, limits not inverted,
        /// frequencies coherent with the ADC clock, front end answering, sequencer idle. Nothing changes on refusal.
        /// </summary>
        /// <param name="sheets">Sheets to test (0 = until stopped).</param>
        /// <param name="x0">Window left column as text (null: the whole grid, and the other corners are ignored).</param>
        /// <param name="y0">Window first row.</param>
        /// <param name="x1">Window right column (inclusive).</param>
        /// <param name="y1">Window last row (inclusive).</param>
        /// <param name="error">Why not (ScanListOutsideSheet, LimitsInverted, OutOfRange, FrontEndNotResponding, BadState, BadArgument).</param>
        /// <param name="text">The refusal's text.</param>
        public bool TryStart(int sheets, string x0, string y0, string x1, string y1, out ErrorCode error, out string text)
        {
            lock (_checkSync)
            {
                _settings.Capture(_check);
                int cols = _check.Columns, rows = _check.Rows;
                int ax = 0, ay = 0, bx = cols - 1, by = rows - 1;
                if (cols * rows > SheetTable.MaxSites)
                {
                    error = ErrorCode.ScanListOutsideSheet;
                    text = "grid " + cols.ToString() + "x" + rows.ToString() + " exceeds " + SheetTable.MaxSites.ToString() + " cells";
                    return false;
                }

                if (x0 != null)
                {
                    if (!NumberText.TryParseInt(x0, out ax) || !NumberText.TryParseInt(y0, out ay) || !NumberText.TryParseInt(x1, out bx) || !NumberText.TryParseInt(y1, out by))
                    {
                        error = ErrorCode.BadArgument;
                        text = "window corners must be whole numbers";
                        return false;
                    }

                    if (ax < 0 || ay < 0 || bx >= cols || by >= rows || ax > bx || ay > by)
                    {
                        error = ErrorCode.ScanListOutsideSheet;
                        text = "window outside the sheet (0..." + (cols - 1).ToString() + ", 0..." + (rows - 1).ToString() + ") or empty";
                        return false;
                    }
                }

                int inverted = _check.FirstInvertedLimit();
                if (inverted >= 0)
                {
                    error = ErrorCode.LimitsInverted;
                    text = "limits inverted: " + SheetTests.Names[inverted];
                    return false;
                }

                for (int k = 0; k < 3; k++)
                {
                    if (SiteSequencer.SamplesPerPeriodFor(_check.AdcClockHz, _check.AdcMaxRateHz, _check.FrequencyHz[k]) == 0)
                    {
                        error = ErrorCode.OutOfRange;
                        text = "z" + (k + 1).ToString() + "Hz has no coherent ADC rate";
                        return false;
                    }
                }

                if (_check.AdcClockHz % (64 * _check.MainsHz) != 0 || (_check.MainsHz != 50 && _check.MainsHz != 60))
                {
                    error = ErrorCode.OutOfRange;
                    text = "mains must be 50 or 60 Hz with a coherent ADC rate";
                    return false;
                }

                if (!_seq.FrontEndHealthy)
                {
                    error = ErrorCode.FrontEndNotResponding;
                    text = "front end not responding (alarm 5001)";
                    return false;
                }

                int s = _seq.State;
                if (s != SequencerState.Idle && s != SequencerState.WaitUnload)
                {
                    error = ErrorCode.BadState;
                    text = "sequencer is " + SequencerState.Names[s];
                    return false;
                }

                _seq.RequestStart(ax, ay, bx, by, sheets);
                error = ErrorCode.BadArgument;
                text = null;
                return true;
            }
        }

        private SheetTable LastBinned()
        {
            SheetTable best = null;
            for (int i = 0; i < 2; i++)
            {
                SheetTable t = _seq.Table(i);
                if (t.State != SheetTable.Filling && t.SiteCount > 0 && (best == null || t.SheetNumber > best.SheetNumber)) best = t;
            }

            return best;
        }

        private bool Site(CommandContext ctx)
        {
            SheetTable t = LastBinned();
            int x, y;
            if (!NumberText.TryParseInt(ctx.Arg(0), out x) || !NumberText.TryParseInt(ctx.Arg(1), out y)) return ctx.Fail(ErrorCode.BadArgument, "x and y must be whole numbers");
            if (t == null) return ctx.Fail(ErrorCode.BadState, "no sheet binned yet");
            if (x < 0 || y < 0 || x >= t.Columns || y >= t.Rows) return ctx.Fail(ErrorCode.ScanListOutsideSheet, "cell outside the sheet");
            int c = y * t.Columns + x;
            string line = "x=" + x.ToString() + " y=" + y.ToString() + " contactOhm=" + NumberText.FormatReal(t.ContactOhm[c])
                + " leakageA=" + NumberText.FormatReal(t.LeakageA[c]) + " ocvV=" + NumberText.FormatReal(t.OcvV[c]);
            for (int k = 0; k < 3; k++) line = line + " z" + (k + 1).ToString() + "Ohm=" + NumberText.FormatReal(t.ZOhm[c * 3 + k]) + " z" + (k + 1).ToString() + "Deg=" + NumberText.FormatReal(t.ZDeg[c * 3 + k]);
            ctx.WriteLine(line + " hardBin=" + t.HardBin[c].ToString() + " softBin=" + t.SoftBin[c].ToString() + " flags=" + t.Flags[c].ToString());
            return true;
        }

        /// <summary>Status provider name.</summary>
        string IStatusProvider.Name { get { return "sheet"; } }

        /// <summary>One status line.</summary>
        public string GetStatus()
        {
            int s = _seq.State;
            return "state=" + SequencerState.Names[s] + " site=" + (_seq.LastSiteSeq + 1).ToString() + " sheets=" + _seq.SheetsDone.ToString()
                + " overruns=" + _core.OverrunCount.ToString() + " spiErrors=" + _core.SpiErrorCount.ToString()
                + " feErrors=" + _fe.ErrorCount.ToString() + (_publisher != null ? " queued=" + _publisher.Published.ToString() : "");
        }

        // ---- Sparkplug ----

        /// <summary>Declares device <c>SheetTest</c>: results, live status, actions and settings.</summary>
        public void AttachEdgeNode(EdgeNodeSession session, SettingsCommandSink commands)
        {
            _publisher = new SheetResultPublisher(_seq, session, 16);
            if (_publisher.Device == null) return;
            MetricRegistry m = _publisher.Device.Metrics;
            _mState = m.Add("Status/State", SparkplugDataType.String, 0, 60000, false, 16, null);
            _mSite = m.Add("Status/Site Seq", SparkplugDataType.Int32, 0, 60000);
            _mSheets = m.Add("Status/Sheets Done", SparkplugDataType.Int32, 0, 60000);
            _mOverruns = m.Add("Status/Overruns", SparkplugDataType.Int32, 0, 60000);
            _mSpiErrors = m.Add("Status/SPI Errors", SparkplugDataType.Int32, 0, 60000);
            commands.ExposeAction(m, "Command/Start", new Action(this, CmdStart), AccessLevel.Technician);
            commands.ExposeAction(m, "Command/Pause", new Action(this, CmdPause), AccessLevel.Operator);
            commands.ExposeAction(m, "Command/Resume", new Action(this, CmdResume), AccessLevel.Technician);
            commands.ExposeAction(m, "Command/Abort", new Action(this, CmdAbort), AccessLevel.Operator);
            commands.ExposeSetting(m, "Settings/Formed", "sheet.formed");
            commands.ExposeSetting(m, "Settings/Roll Id", "sheet.rollId");
            RefreshMetrics();
        }

        /// <summary>Binds the queue; without one, sheets free their table as soon as they are binned.</summary>
        public void AttachStoreForward(StoreForwardQueue queue)
        {
            if (_publisher != null) _publisher.Queue = queue;
            _seq.PublisherAttached = queue != null && _publisher != null && _publisher.Device != null;
        }

        /// <summary>Queues completed sheets (persistence thread).</summary>
        public void ForwardRecords()
        {
            if (_publisher == null) return;
            _publisher.Pump();
        }

        /// <summary>Copies the sequencer's state and counters into the live metrics (MQTT thread, before each poll).</summary>
        public void RefreshMetrics()
        {
            if (_mState == null) return;
            _mState.SetString(SequencerState.Names[_seq.State]);
            _mSite.SetInteger(_seq.LastSiteSeq);
            _mSheets.SetInteger(_seq.SheetsDone);
            _mOverruns.SetInteger(_core.OverrunCount);
            _mSpiErrors.SetInteger(_core.SpiErrorCount);
        }

        // An MQTT command runs the same checks as the console (and never bypasses a latched alarm).
        private sealed class Action : IRemoteAction
        {
            private readonly SheetTestModule _m;
            private readonly int _what;

            public Action(SheetTestModule m, int what)
            {
                _m = m;
                _what = what;
            }

            public bool Validate(out ErrorCode error)
            {
                int s = _m._seq.State;
                error = ErrorCode.BadState;
                if (_what == CmdStart)
                {
                    if (!_m._seq.FrontEndHealthy)
                    {
                        error = ErrorCode.FrontEndNotResponding;
                        return false;
                    }

                    return s == SequencerState.Idle || s == SequencerState.WaitUnload;
                }

                if (_what == CmdPause) return s == SequencerState.Testing;
                if (_what == CmdResume)
                {
                    if (_m._runtime.Alarms.IsActive((int)AlarmCode.SheetContactLoss))
                    {
                        error = ErrorCode.InterlockActive;
                        return false;
                    }

                    return s == SequencerState.Paused;
                }

                return true;
            }

            public void Execute()
            {
                ErrorCode error;
                string text;
                if (_what == CmdStart) _m.TryStart(1, null, null, null, null, out error, out text);
                else if (_what == CmdPause) _m._seq.RequestPause();
                else if (_what == CmdResume) _m._seq.RequestResume();
                else _m._seq.RequestAbort();
            }
        }
    }
}
