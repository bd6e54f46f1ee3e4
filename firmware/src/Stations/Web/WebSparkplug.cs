using Tfb.Codes;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Sparkplug;

namespace Tfb.Stations.Web
{
    /// <summary>
    /// The web transport's Sparkplug device <c>web-transport</c>: state, speeds, tensions, torques, radii, permit and
    /// faults as metrics (report by exception), the setpoints and trim settings as writable metrics bound to the
    /// same settings the console writes (same limits, same access levels), and the actions Thread, Run and Stop
    /// with the console's state checks. Nothing here resets an alarm or bypasses an interlock; the scan checks
    /// every command again.
    /// </summary>
    /// <remarks>MQTT thread (T2) only; reads the scan's snapshot. Metric names are in docs/web-transport.md.</remarks>
    internal sealed class WebSparkplug
    {
        private readonly WebTransportModule _m;
        private readonly ScanSnapshotCopy _copy;
        private SettingsCommandSink _commands;
        private int _settingsVersion = -1;
        private SparkplugMetric _state, _speedRef, _speedMeas, _t1, _t2, _t1Sp, _t2Sp, _torqueU, _torqueR, _radiusU, _radiusR, _permit, _enabled, _faults, _manual;

        internal WebSparkplug(WebTransportModule m)
        {
            _m = m;
            _copy = m.Runtime.Scan.Snapshot.CreateCopy();
        }

        internal void Declare(EdgeNodeSession session, SettingsCommandSink commands)
        {
            _commands = commands;
            SparkplugDevice device = session.AddDevice("web-transport", 40);
            if (device == null) return;
            MetricRegistry r = device.Metrics;
            _state = r.Add("State", SparkplugDataType.Int32, 0, 60000);
            _speedRef = r.Add("Speed/Reference mpm", SparkplugDataType.Double, 0.001, 60000);
            _speedMeas = r.Add("Speed/Measured mpm", SparkplugDataType.Double, 0.001, 60000);
            _t1 = r.Add("Tension/Span1 N", SparkplugDataType.Double, 0.5, 60000);
            _t2 = r.Add("Tension/Span2 N", SparkplugDataType.Double, 0.5, 60000);
            _t1Sp = r.Add("Tension/Span1 Setpoint N", SparkplugDataType.Double, 0.5, 60000);
            _t2Sp = r.Add("Tension/Span2 Setpoint N", SparkplugDataType.Double, 0.5, 60000);
            _torqueU = r.Add("Torque/Unwind Nm", SparkplugDataType.Double, 0.05, 60000);
            _torqueR = r.Add("Torque/Rewind Nm", SparkplugDataType.Double, 0.05, 60000);
            _radiusU = r.Add("Radius/Unwind mm", SparkplugDataType.Double, 0.1, 60000);
            _radiusR = r.Add("Radius/Rewind mm", SparkplugDataType.Double, 0.1, 60000);
            _permit = r.Add("Permit", SparkplugDataType.Boolean, 0, 60000);
            _enabled = r.Add("Drives Enabled", SparkplugDataType.Boolean, 0, 60000);
            _faults = r.Add("Faults", SparkplugDataType.Int32, 0, 60000);
            _manual = r.Add("Manual", SparkplugDataType.Boolean, 0, 60000);
            commands.ExposeSetting(r, "Setpoints/Speed mpm", "web.speed.setMpm");
            commands.ExposeSetting(r, "Setpoints/Tension N", "web.tension.setN");
            commands.ExposeSetting(r, "Setpoints/Thread Tension N", "web.tension.threadN");
            commands.ExposeSetting(r, "Trim/Kp", "web.trim.kp");
            commands.ExposeSetting(r, "Trim/Ti s", "web.trim.tiS");
            commands.ExposeSetting(r, "Taper/Mode", "web.taper.mode");
            commands.ExposeAction(r, "Commands/Thread", new Action(this, WebCommandCode.Thread), AccessLevel.Technician);
            commands.ExposeAction(r, "Commands/Run", new Action(this, WebCommandCode.Run), AccessLevel.Technician);
            commands.ExposeAction(r, "Commands/Stop", new Action(this, WebCommandCode.Stop), AccessLevel.Technician);
        }

        internal void Refresh()
        {
            if (_state == null || !_m.ReadSnapshot(_copy)) return;
            double[] d = _copy.Doubles;
            _state.SetInteger((int)d[_m.FState]);
            _speedRef.SetReal(d[_m.FSpeedRef] * 60);
            _speedMeas.SetReal(d[_m.FLineSpeed] * 60);
            Real(_t1, d[_m.FT1]);
            Real(_t2, d[_m.FT2]);
            _t1Sp.SetReal(d[_m.FT1Sp]);
            _t2Sp.SetReal(d[_m.FT2Sp]);
            _torqueU.SetReal(d[_m.FTorqueU]);
            _torqueR.SetReal(d[_m.FTorqueR]);
            _radiusU.SetReal(d[_m.FRadiusU] * 1e3);
            _radiusR.SetReal(d[_m.FRadiusR] * 1e3);
            _permit.SetBoolean(_copy.Bools[_m.FPermit]);
            _enabled.SetBoolean(_copy.Bools[_m.FEnabled]);
            _faults.SetInteger(_copy.Ints[_m.FFaults]);
            _manual.SetBoolean(_copy.Bools[_m.FManual]);
            int version = _m.Runtime.Settings.Version;
            if (version != _settingsVersion)
            {
                // A console change of a bound setting reaches SCADA by exception.
                _settingsVersion = version;
                _commands.Refresh();
            }
        }

        // Missing data is published as null, never as a number.
        private static void Real(SparkplugMetric m, double v)
        {
            if (double.IsNaN(v) || double.IsInfinity(v)) m.SetNull();
            else m.SetReal(v);
        }

        private sealed class Action : IRemoteAction
        {
            private readonly WebSparkplug _owner;
            private readonly int _code;
            private readonly ScanSnapshotCopy _copy;

            internal Action(WebSparkplug owner, int code)
            {
                _owner = owner;
                _code = code;
                _copy = owner._m.Runtime.Scan.Snapshot.CreateCopy();
            }

            public bool Validate(out ErrorCode error)
            {
                WebTransportModule m = _owner._m;
                if (!m.ReadSnapshot(_copy)) { error = ErrorCode.Busy; return false; }
                WebState state = (WebState)(int)_copy.Doubles[m.FState];
                bool ok;
                if (_code == WebCommandCode.Thread) ok = state == WebState.Idle;
                else if (_code == WebCommandCode.Run) ok = state == WebState.Thread || state == WebState.Run;
                else ok = state == WebState.Run || state == WebState.Thread || state == WebState.Stopping;
                if (!ok) { error = ErrorCode.BadState; return false; }
                if (_code != WebCommandCode.Stop && _copy.Ints[m.FFaults] != 0) { error = ErrorCode.InterlockActive; return false; }
                error = ErrorCode.BadArgument;
                return true;
            }

            public void Execute()
            {
                // The scan checks the state and every interlock again; a refusal there changes nothing.
                _owner._m.Runtime.Scan.Commands.TryPost(_code, 2, 0, 0, 0, 0);
            }
        }
    }
}
