using Tfb.Codes;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Sparkplug;

namespace Tfb.Stations.Anneal
{
    /// <summary>
    /// The anneal station as Sparkplug device <c>anneal</c>: state metrics refreshed from the snapshot, the stored
    /// programs as writable String metrics (the settings sink applies the console's validation, access level and
    /// the refusal while running), and actions Program/Start, Hold, Resume, Abort, Continue. MQTT thread only.
    /// </summary>
    internal sealed class AnnealMetrics
    {
        private readonly AnnealModule _m;
        private readonly SparkplugMetric _state, _stateName, _program, _segment, _sp, _rate, _remaining, _holdback, _heating,
            _limitTripped, _limitHighest, _o2, _door;
        private readonly SparkplugMetric[] _pv, _out, _tcFault;
        private readonly SettingsCommandSink _commands;
        private int _settingsVersion = -1;

        public AnnealMetrics(AnnealModule m, EdgeNodeSession session, SettingsCommandSink commands)
        {
            _m = m;
            _commands = commands;
            SparkplugDevice d = session.AddDevice("anneal", 64);
            MetricRegistry r = d.Metrics;
            _state = r.Add("Program/State", SparkplugDataType.Int32, 0, 60000);
            _stateName = r.Add("Program/State Name", SparkplugDataType.String, 0, 60000, false, 16, null);
            _program = r.Add("Program/Number", SparkplugDataType.Int32, 0, 60000);
            _segment = r.Add("Program/Segment", SparkplugDataType.Int32, 0, 60000);
            _sp = r.Add("Program/Setpoint C", SparkplugDataType.Double, 0.5, 60000);
            _rate = r.Add("Program/Rate C per min", SparkplugDataType.Double, 0.05, 60000);
            _remaining = r.Add("Program/Segment Remaining s", SparkplugDataType.Double, 30, 60000);
            _holdback = r.Add("Program/Holdback", SparkplugDataType.Boolean, 0, 60000);
            _heating = r.Add("Heating", SparkplugDataType.Boolean, 0, 60000);
            _limitTripped = r.Add("Limit/Tripped", SparkplugDataType.Boolean, 0, 60000);
            _limitHighest = r.Add("Limit/Highest C", SparkplugDataType.Double, 0.5, 60000);
            _o2 = r.Add("O2/Flow slpm", SparkplugDataType.Double, 0.05, 60000);
            _door = r.Add("Door/Closed", SparkplugDataType.Boolean, 0, 60000);
            int n = m.Controller.ZoneCount;
            _pv = new SparkplugMetric[n];
            _out = new SparkplugMetric[n];
            _tcFault = new SparkplugMetric[n];
            for (int i = 0; i < n; i++)
            {
                string z = "Zone" + (i + 1) + "/";
                _pv[i] = r.Add(z + "PV C", SparkplugDataType.Double, 0.5, 60000);
                _out[i] = r.Add(z + "Output pct", SparkplugDataType.Double, 1, 60000);
                _tcFault[i] = r.Add(z + "TC Fault", SparkplugDataType.Boolean, 0, 60000);
            }
            for (int p = 1; p <= AnnealModule.ProgramSlots; p++)
            {
                commands.ExposeSetting(r, "Programs/" + p, "anneal.program." + p);
            }
            commands.ExposeSetting(r, "Programs/Select", "anneal.program.select");
            commands.ExposeSetting(r, "Power Fail/Mode", "anneal.powerfail.mode");
            commands.ExposeSetting(r, "Power Fail/Max Off min", "anneal.powerfail.maxOffMin");
            commands.ExposeAction(r, "Program/Start", new Action(m, Action.Start), AccessLevel.Technician);
            commands.ExposeAction(r, "Program/Hold", new Action(m, Action.Hold), AccessLevel.Operator);
            commands.ExposeAction(r, "Program/Resume", new Action(m, Action.Resume), AccessLevel.Technician);
            commands.ExposeAction(r, "Program/Abort", new Action(m, Action.Abort), AccessLevel.Operator);
            commands.ExposeAction(r, "Program/Continue", new Action(m, Action.Continue), AccessLevel.Technician);
        }

        public void Refresh(ScanSnapshotCopy c)
        {
            AnnealPublisher p = _m.Publisher;
            ProgramState st = (ProgramState)c.Ints[p.State];
            _state.SetInteger((int)st);
            _stateName.SetString(AnnealPublisher.StateName(st));
            _program.SetInteger(c.Ints[p.Program]);
            _segment.SetInteger(c.Ints[p.Segment]);
            SetReal(_sp, c.Doubles[p.SetpointC]);
            _rate.SetReal(c.Doubles[p.RateCpm]);
            SetReal(_remaining, c.Doubles[p.RemainingS]);
            _holdback.SetBoolean(c.Bools[p.Holdback]);
            _heating.SetBoolean(c.Bools[p.Heating]);
            _limitTripped.SetBoolean(c.Bools[p.LimitTripped]);
            SetReal(_limitHighest, c.Doubles[p.LimitHighestC]);
            SetReal(_o2, c.Doubles[p.O2Flow]);
            _door.SetBoolean(c.Bools[p.DoorClosed]);
            for (int i = 0; i < _pv.Length; i++)
            {
                SetReal(_pv[i], c.Doubles[p.Pv[i]]);
                _out[i].SetReal(c.Doubles[p.Out[i]]);
                _tcFault[i].SetBoolean(c.Bools[p.TcFault[i]]);
            }
            int v = _m.Runtime.Settings.Version;
            if (v != _settingsVersion)
            {
                _settingsVersion = v;
                _commands.Refresh();
            }
        }

        // Missing data is published as null, never as a number.
        private static void SetReal(SparkplugMetric m, double v)
        {
            if (double.IsNaN(v) || double.IsInfinity(v)) m.SetNull();
            else m.SetReal(v);
        }

        private sealed class Action : IRemoteAction
        {
            public const int Start = 1, Hold = 2, Resume = 3, Abort = 4, Continue = 5;
            private readonly AnnealModule _m;
            private readonly int _what;

            public Action(AnnealModule m, int what) { _m = m; _what = what; }

            public bool Validate(out ErrorCode error)
            {
                ProgramState st = _m.SnapshotState();
                error = ErrorCode.BadState;
                switch (_what)
                {
                    case Start:
                        return AnnealCommands.StartCheck(_m, _m.Runtime.Settings.GetInt(_m.SelectSetting), out error, null);
                    case Hold: return st == ProgramState.Running;
                    case Resume: return st == ProgramState.Held;
                    case Abort: return st != ProgramState.Idle;
                    case Continue: return st == ProgramState.Running;
                    default: return false;
                }
            }

            public void Execute()
            {
                ErrorCode err;
                switch (_what)
                {
                    case Start: _m.Post(AnnealCommand.Start, _m.Runtime.Settings.GetInt(_m.SelectSetting), 0, 0, out err); break;
                    case Hold: _m.Post(AnnealCommand.Hold, 0, 0, 0, out err); break;
                    case Resume: _m.Post(AnnealCommand.Resume, 0, 0, 0, out err); break;
                    case Abort: _m.Post(AnnealCommand.Abort, 0, 0, 0, out err); break;
                    case Continue: _m.Post(AnnealCommand.Continue, 0, 0, 0, out err); break;
                }
            }
        }
    }
}
