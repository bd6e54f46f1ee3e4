using Tfb.Boards;
using Tfb.Codes;
using Tfb.Control;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Scan;

namespace Tfb.Runtime
{
    /// <summary>
    /// The board-level input task: reads every declared input once per scan into the snapshot (so status, MQTT
    /// and commissioning see them) and turns missing data into alarms: an analog input that reads invalid for
    /// longer than <see cref="DebounceUs"/> raises <see cref="AlarmCode.SensorFault"/>, a digital input that
    /// cannot be read raises <see cref="AlarmCode.InputReadFailed"/> (detail: the input's index).
    /// </summary>
    /// <remarks>
    /// Invalid analog readings are published as NaN, never as a number. Station modules read their own inputs
    /// and decide what a fault means for their process; this task only makes sure nobody has to notice missing
    /// data by chance. The alarms stay active until a reset finds every input of that kind healthy.
    /// Allocation-free in <see cref="Run"/>.
    /// </remarks>
    public sealed class InputMonitor : IScanTask
    {
        /// <summary>How long an analog input may read invalid before it is a fault (a converter glitch is not).</summary>
        public long DebounceUs = 200000;

        private readonly AlarmLog _alarms;
        private readonly ScanSnapshot _snapshot;
        private readonly IAnalogInput[] _ain;
        private readonly IDigitalInput[] _din;
        private readonly int[] _ainField;
        private readonly int[] _ainValidField;
        private readonly int[] _dinField;
        private readonly int[] _dinValidField;
        private readonly OnDelay[] _ainBad;
        private readonly string[] _ainNames;
        private readonly string[] _dinNames;

        /// <summary>Declares one snapshot field per input (names <c>ain.&lt;name&gt;</c>, <c>din.&lt;name&gt;</c>).</summary>
        public InputMonitor(BoardDefinition board, IBoardIo io, ScanSnapshot snapshot, AlarmLog alarms)
        {
            _alarms = alarms;
            _snapshot = snapshot;
            int na = board.AnalogInputs.Length;
            _ain = new IAnalogInput[na];
            _ainField = new int[na];
            _ainValidField = new int[na];
            _ainBad = new OnDelay[na];
            _ainNames = new string[na];
            for (int i = 0; i < na; i++)
            {
                string name = board.AnalogInputs[i].Name;
                _ainNames[i] = name;
                _ain[i] = io.AnalogInput(name);
                _ainField[i] = snapshot.AddDouble("ain." + name);
                _ainValidField[i] = snapshot.AddBool("ain." + name + ".valid");
                _ainBad[i] = new OnDelay();
            }
            int nd = board.DigitalInputs.Length;
            _din = new IDigitalInput[nd];
            _dinField = new int[nd];
            _dinValidField = new int[nd];
            _dinNames = new string[nd];
            for (int i = 0; i < nd; i++)
            {
                string name = board.DigitalInputs[i].Name;
                _dinNames[i] = name;
                _din[i] = io.DigitalInput(name);
                _dinField[i] = snapshot.AddBool("din." + name);
                _dinValidField[i] = snapshot.AddBool("din." + name + ".valid");
            }
        }

        /// <summary>Number of analog inputs.</summary>
        public int AnalogCount { get { return _ain.Length; } }

        /// <summary>Number of digital inputs.</summary>
        public int DigitalCount { get { return _din.Length; } }

        /// <summary>Name of analog input <paramref name="i"/>.</summary>
        public string AnalogName(int i) { return _ainNames[i]; }

        /// <summary>Name of digital input <paramref name="i"/>.</summary>
        public string DigitalName(int i) { return _dinNames[i]; }

        /// <summary>Snapshot field of analog input <paramref name="i"/> (NaN when invalid).</summary>
        public int AnalogField(int i) { return _ainField[i]; }

        /// <summary>Snapshot validity field of analog input <paramref name="i"/>.</summary>
        public int AnalogValidField(int i) { return _ainValidField[i]; }

        /// <summary>Snapshot field of digital input <paramref name="i"/>.</summary>
        public int DigitalField(int i) { return _dinField[i]; }

        /// <summary>Snapshot validity field of digital input <paramref name="i"/>.</summary>
        public int DigitalValidField(int i) { return _dinValidField[i]; }

        /// <inheritdoc />
        public void Run(ScanContext ctx)
        {
            long now = ctx.StartUs;
            for (int i = 0; i < _ain.Length; i++)
            {
                double v = double.NaN;
                bool ok = _ain[i] != null && _ain[i].TryRead(out v) && !double.IsNaN(v) && !double.IsInfinity(v);
                if (!ok) v = double.NaN;
                _snapshot.SetDouble(_ainField[i], v);
                _snapshot.SetBool(_ainValidField[i], ok);
                _ainBad[i].PresetUs = DebounceUs;
                if (_ainBad[i].Step(!ok, now) && !_alarms.IsActive((int)AlarmCode.SensorFault))
                {
                    _alarms.Raise((int)AlarmCode.SensorFault, i);
                }
            }
            for (int i = 0; i < _din.Length; i++)
            {
                bool active = false;
                bool ok = _din[i] != null && _din[i].TryRead(out active);
                if (!ok) active = false;
                _snapshot.SetBool(_dinField[i], active);
                _snapshot.SetBool(_dinValidField[i], ok);
                if (!ok && !_alarms.IsActive((int)AlarmCode.InputReadFailed))
                {
                    _alarms.Raise((int)AlarmCode.InputReadFailed, i);
                }
            }
        }

        /// <summary>
        /// Resets <see cref="AlarmCode.SensorFault"/> or <see cref="AlarmCode.InputReadFailed"/> when every input of
        /// that kind reads valid in <paramref name="copy"/> (a snapshot copy the caller just read).
        /// </summary>
        /// <returns>False with ConditionPresent when an input is still invalid, BadArgument for another code.</returns>
        public bool TryReset(int code, ScanSnapshotCopy copy, out ErrorCode error)
        {
            error = ErrorCode.BadArgument;
            if (code == (int)AlarmCode.SensorFault)
            {
                for (int i = 0; i < _ain.Length; i++)
                {
                    if (!copy.Bools[_ainValidField[i]]) { error = ErrorCode.ConditionPresent; return false; }
                }
            }
            else if (code == (int)AlarmCode.InputReadFailed)
            {
                for (int i = 0; i < _din.Length; i++)
                {
                    if (!copy.Bools[_dinValidField[i]]) { error = ErrorCode.ConditionPresent; return false; }
                }
            }
            else
            {
                return false;
            }
            _alarms.Reset(code);
            return true;
        }
    }
}
