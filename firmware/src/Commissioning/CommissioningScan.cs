using System.Threading;
using Tfb.Boards;
using Tfb.Codes;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Commissioning
{
    /// <summary>
    /// The scan side of commissioning: applies calibration settings to the analog adapters, takes the I/O
    /// snapshot the console shows, and applies, holds, expires and cancels output forces. Register it with the
    /// scan executive (every scan or a divisor; a force's timeout resolution is this task's period).
    /// </summary>
    /// <remarks>
    /// <see cref="Run"/> is scan-thread only, allocation-free, and takes one short lock (no I/O under it) to
    /// exchange requests and the snapshot with console threads. Output indices: the board definition's digital
    /// outputs first, then its analog outputs.
    /// Force rules enforced here, every scan: a force is applied only while the line is idle and the permits
    /// allow it; it ends (output to its safe state) on timeout, release, the line leaving idle, a permit being
    /// withdrawn, or a safe-state entry of the executive. Each start and end is an event.
    /// Cost: one read of every input + one settings-version check per run. Measured on the host with the virtual
    /// board (6 din, 5 ain, 8 outputs, trivial adapters): 165 ns per run idle or with a force held, 0 bytes
    /// allocated (tools/Tfb.Benchmarks, CommissioningBenchmarks). Not measured on a device: there the adapters'
    /// reads dominate and come on top of the station modules' own reads, so register the task at a rate divisor
    /// giving about 100 ms (force timeouts and the snapshot then have that resolution).
    /// </remarks>
    public sealed class CommissioningScan : IScanTask
    {
        /// <summary>Most force permits that can be registered.</summary>
        public const int MaxPermits = 8;

        private const int ReqNone = 0;
        private const int ReqForce = 1;
        private const int ReqRelease = 2;

        private readonly object _sync = new object();
        private readonly BoardDefinition _board;
        private readonly ForcingBoardIo _io;
        private readonly IClock _clock;
        private readonly LogRing _events;
        private readonly ILineControl _line;
        private readonly SettingsRegistry _settings;
        private readonly ICalibrationSink _calibration;
        private readonly BoardIdentity _identity;
        private readonly IDigitalInput[] _din;
        private readonly IAnalogInput[] _ain;
        private readonly int _nd;
        private readonly int _outputs;
        private readonly IForcePermit[] _permits = new IForcePermit[MaxPermits];
        private int _permitCount;

        // Scan-owned working copy and the published copy (under _sync).
        private readonly IoSnapshot _work;
        private readonly IoSnapshot _published;

        // Requests from console threads (under _sync) and the scan's private copy of them.
        private readonly int[] _reqKind;
        private readonly double[] _reqValue;
        private readonly long[] _reqDurationUs;
        private readonly int[] _takeKind;
        private readonly double[] _takeValue;
        private readonly long[] _takeDurationUs;

        // Force state, scan thread only.
        private readonly bool[] _forced;
        private readonly double[] _forceValue;
        private readonly long[] _untilUs;

        // Calibration settings indices per analog input (-1 until bound) and the settings version last applied.
        private int[] _zeroSetting;
        private int[] _gainSetting;
        private int _assetSetting = -1;
        private int _unownedSetting = -1;
        private int _seenVersion = -1;
        private int _runs;

        /// <summary>Creates the task; <see cref="CommissioningModule.Register"/> does this.</summary>
        public CommissioningScan(BoardDefinition board, ForcingBoardIo io, IClock clock, LogRing events, ILineControl line,
            SettingsRegistry settings, ICalibrationSink calibration, BoardIdentity identity)
        {
            if (board == null) throw new System.ArgumentNullException("board");
            if (io == null) throw new System.ArgumentNullException("io");
            if (clock == null) throw new System.ArgumentNullException("clock");
            if (events == null) throw new System.ArgumentNullException("events");
            if (settings == null) throw new System.ArgumentNullException("settings");
            _board = board;
            _io = io;
            _clock = clock;
            _events = events;
            _line = line;
            _settings = settings;
            _calibration = calibration;
            _identity = identity;
            int ndin = board.DigitalInputs == null ? 0 : board.DigitalInputs.Length;
            int nain = board.AnalogInputs == null ? 0 : board.AnalogInputs.Length;
            _din = new IDigitalInput[ndin];
            _ain = new IAnalogInput[nain];
            for (int i = 0; i < ndin; i++) _din[i] = io.DigitalInput(board.DigitalInputs[i].Name);
            for (int i = 0; i < nain; i++) _ain[i] = io.AnalogInput(board.AnalogInputs[i].Name);
            _nd = io.DigitalOutputCount;
            _outputs = _nd + io.AnalogOutputCount;
            _work = new IoSnapshot(ndin, nain, _outputs);
            _published = new IoSnapshot(ndin, nain, _outputs);
            for (int i = 0; i < nain; i++)
            {
                _work.AinGain[i] = 1.0;
                _published.AinGain[i] = 1.0;
            }
            _reqKind = new int[_outputs];
            _reqValue = new double[_outputs];
            _reqDurationUs = new long[_outputs];
            _takeKind = new int[_outputs];
            _takeValue = new double[_outputs];
            _takeDurationUs = new long[_outputs];
            _forced = new bool[_outputs];
            _forceValue = new double[_outputs];
            _untilUs = new long[_outputs];
            _zeroSetting = new int[nain];
            _gainSetting = new int[nain];
            for (int i = 0; i < nain; i++) { _zeroSetting[i] = -1; _gainSetting[i] = -1; }
        }

        /// <summary>Total outputs (digital + analog).</summary>
        public int OutputCount { get { return _outputs; } }

        /// <summary>Digital outputs (the first indices).</summary>
        public int DigitalOutputCount { get { return _nd; } }

        /// <summary>Times <see cref="Run"/> has completed.</summary>
        public int Runs { get { return Interlocked.CompareExchange(ref _runs, 0, 0); } }

        /// <summary>True when a calibration sink is wired (otherwise calibration cannot reach the adapters).</summary>
        public bool CalibrationSupported { get { return _calibration != null; } }

        internal void BindSettings(int[] zeroSetting, int[] gainSetting, int assetSetting, int unownedSetting)
        {
            _zeroSetting = zeroSetting;
            _gainSetting = gainSetting;
            _assetSetting = assetSetting;
            _unownedSetting = unownedSetting;
        }

        /// <summary>Adds a force permit (composition time).</summary>
        public void AddPermit(IForcePermit permit)
        {
            if (permit == null) throw new System.ArgumentNullException("permit");
            lock (_sync)
            {
                if (_permitCount == MaxPermits) throw new System.InvalidOperationException("too many force permits");
                _permits[_permitCount++] = permit;
            }
        }

        /// <summary>Name of output <paramref name="index"/>.</summary>
        public string OutputName(int index)
        {
            return index < _nd ? _board.DigitalOutputs[index].Name : _board.AnalogOutputs[index - _nd].Name;
        }

        /// <summary>Index of output <paramref name="name"/>, or -1.</summary>
        public int OutputIndex(string name)
        {
            for (int i = 0; i < _outputs; i++) if (OutputName(i) == name) return i;
            return -1;
        }

        /// <summary>True when output <paramref name="index"/> is analog.</summary>
        public bool IsAnalog(int index) { return index >= _nd; }

        /// <summary>The declared safe value of output <paramref name="index"/> (0/1 for digital, the fraction for analog).</summary>
        public double SafeValue(int index)
        {
            if (index < _nd) return _board.DigitalOutputs[index].SafeActive ? 1.0 : 0.0;
            return _board.AnalogOutputs[index - _nd].SafeFraction;
        }

        /// <summary>True when the platform provides output <paramref name="index"/>.</summary>
        public bool OutputPresent(int index)
        {
            return index < _nd ? _io.GetDigitalOutput(index) != null : _io.GetAnalogOutput(index - _nd) != null;
        }

        /// <summary>
        /// Decides whether output <paramref name="index"/> may be held at <paramref name="value"/>: any Deny refuses,
        /// any Allow permits; when no permit claims the output, only its safe value is allowed unless the engineer
        /// setting <c>io.force.unowned</c> is on. Thread-safe, allocation-free.
        /// </summary>
        public bool MayForce(int index, double value, out int interlockCode)
        {
            interlockCode = 0;
            string name = OutputName(index);
            bool analog = IsAnalog(index);
            bool allowed = false;
            int n;
            lock (_sync) { n = _permitCount; }
            for (int i = 0; i < n; i++)
            {
                int code;
                ForceVerdict v = _permits[i].Check(name, analog, value, out code);
                if (v == ForceVerdict.Deny)
                {
                    interlockCode = code;
                    return false;
                }
                if (v == ForceVerdict.Allow) allowed = true;
            }
            if (allowed) return true;
            if (value == SafeValue(index)) return true;
            return _unownedSetting >= 0 && _settings.GetBool(_unownedSetting);
        }

        /// <summary>Queues a force (console threads); the next run applies it if the line is still idle and permitted.</summary>
        internal void RequestForce(int index, double value, long durationUs)
        {
            lock (_sync)
            {
                _reqKind[index] = ReqForce;
                _reqValue[index] = value;
                _reqDurationUs[index] = durationUs;
            }
        }

        /// <summary>Queues the release of output <paramref name="index"/>, or of every output for -1.</summary>
        internal void RequestRelease(int index)
        {
            lock (_sync)
            {
                for (int i = 0; i < _outputs; i++)
                {
                    if (index < 0 || i == index) _reqKind[i] = ReqRelease;
                }
            }
        }

        /// <summary>Copies the latest snapshot into <paramref name="into"/> (console threads).</summary>
        public void CopySnapshot(IoSnapshot into)
        {
            lock (_sync) { into.CopyFrom(_published); }
        }

        /// <summary>A snapshot sized for this board.</summary>
        public IoSnapshot NewSnapshot()
        {
            return new IoSnapshot(_din.Length, _ain.Length, _outputs);
        }

        /// <inheritdoc />
        public void Run(ScanContext ctx)
        {
            long now = _clock.NowMicros;
            ApplySettings();
            ReadInputs();

            lock (_sync)
            {
                for (int i = 0; i < _outputs; i++)
                {
                    _takeKind[i] = _reqKind[i];
                    _takeValue[i] = _reqValue[i];
                    _takeDurationUs[i] = _reqDurationUs[i];
                    _reqKind[i] = ReqNone;
                }
            }
            bool idle = LineIdle();
            for (int i = 0; i < _outputs; i++) StepForce(i, now, idle);

            for (int i = 0; i < _outputs; i++)
            {
                _work.OutForced[i] = _forced[i];
                _work.OutForceUntilUs[i] = _untilUs[i];
                _work.OutValue[i] = OutputValue(i);
            }
            _work.Taken = true;
            _work.Sequence++;
            _work.TakenUs = now;
            lock (_sync) { _published.CopyFrom(_work); }
            Interlocked.Increment(ref _runs);
        }

        private void StepForce(int i, long now, bool idle)
        {
            if (TakeEndedBySafeState(i) && _forced[i])
            {
                _forced[i] = false;
                _events.Add((int)EventCode.OutputForceCancelled, i);
            }
            int kind = _takeKind[i];
            int code;
            if (kind == ReqRelease)
            {
                if (_forced[i])
                {
                    EndForce(i);
                    _events.Add((int)EventCode.OutputForceReleased, i);
                }
            }
            else if (kind == ReqForce)
            {
                if (!idle || !OutputPresent(i) || !MayForce(i, _takeValue[i], out code))
                {
                    // The state changed between the console's check and this scan: nothing is forced.
                    if (_forced[i]) EndForce(i);
                    _events.Add((int)EventCode.OutputForceCancelled, i);
                }
                else
                {
                    ApplyForce(i, _takeValue[i]);
                    _untilUs[i] = now + _takeDurationUs[i];
                    _events.Add((int)EventCode.OutputForced, i);
                }
                return;
            }
            if (!_forced[i]) return;
            if (now >= _untilUs[i])
            {
                EndForce(i);
                _events.Add((int)EventCode.OutputForceExpired, i);
            }
            else if (!idle || !MayForce(i, _forceValue[i], out code))
            {
                EndForce(i);
                _events.Add((int)EventCode.OutputForceCancelled, i);
            }
        }

        private void ApplyForce(int i, double value)
        {
            if (i < _nd) _io.GetDigitalOutput(i).Force(value != 0);
            else _io.GetAnalogOutput(i - _nd).Force(value);
            _forced[i] = true;
            _forceValue[i] = value;
        }

        private void EndForce(int i)
        {
            if (i < _nd) _io.GetDigitalOutput(i).EndForce();
            else _io.GetAnalogOutput(i - _nd).EndForce();
            _forced[i] = false;
        }

        private bool TakeEndedBySafeState(int i)
        {
            if (i < _nd)
            {
                ForcedDigitalOutput d = _io.GetDigitalOutput(i);
                return d != null && d.TakeEndedBySafeState();
            }
            ForcedAnalogOutput a = _io.GetAnalogOutput(i - _nd);
            return a != null && a.TakeEndedBySafeState();
        }

        private double OutputValue(int i)
        {
            if (i < _nd)
            {
                ForcedDigitalOutput d = _io.GetDigitalOutput(i);
                if (d == null) return double.NaN;
                return d.State ? 1.0 : 0.0;
            }
            ForcedAnalogOutput a = _io.GetAnalogOutput(i - _nd);
            return a == null ? double.NaN : a.Fraction;
        }

        private bool LineIdle()
        {
            if (_line == null) return false;
            try { return _line.IsIdle; }
            catch (System.Exception) { return false; }
        }

        private void ReadInputs()
        {
            for (int i = 0; i < _din.Length; i++)
            {
                bool active = false;
                bool ok = _din[i] != null && _din[i].TryRead(out active);
                _work.DinValid[i] = ok;
                _work.DinActive[i] = ok && active;
            }
            for (int i = 0; i < _ain.Length; i++)
            {
                double v = double.NaN;
                bool ok = _ain[i] != null && _ain[i].TryRead(out v);
                if (ok && (double.IsNaN(v) || double.IsInfinity(v))) ok = false;
                _work.AinValid[i] = ok;
                _work.AinValue[i] = ok ? v : double.NaN;
            }
        }

        // Pushes changed calibration settings to the adapters and the asset id to the identity; cheap when
        // nothing changed (one Interlocked read).
        private void ApplySettings()
        {
            int version = _settings.Version;
            if (version == _seenVersion) return;
            _seenVersion = version;
            if (_identity != null && _assetSetting >= 0) _identity.AssetId = _settings.GetText(_assetSetting);
            for (int i = 0; i < _ain.Length; i++)
            {
                if (_zeroSetting[i] < 0 || _gainSetting[i] < 0) continue;
                double z = _settings.GetNumber(_zeroSetting[i]);
                double g = _settings.GetNumber(_gainSetting[i]);
                if (_work.AinCalApplied[i] && z == _work.AinZero[i] && g == _work.AinGain[i]) continue;
                bool ok = _calibration != null && _calibration.ApplyCalibration(_board.AnalogInputs[i].Name, z, g);
                if (ok)
                {
                    _work.AinZero[i] = z;
                    _work.AinGain[i] = g;
                }
                _work.AinCalApplied[i] = ok;
            }
        }
    }
}
