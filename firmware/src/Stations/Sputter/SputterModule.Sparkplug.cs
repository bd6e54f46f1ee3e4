using Tfb.Codes;
using Tfb.Runtime;
using Tfb.Scan;
using Tfb.Settings;
using Tfb.Sparkplug;

namespace Tfb.Stations.Sputter
{
    public sealed partial class SputterModule : IEdgeNodeModule
    {
        /// <summary>Sparkplug device id of the station.</summary>
        public const string DeviceId = "sputter";

        private SparkplugMetric _mState, _mMode, _mRecipe, _mLatched, _mTrips, _mPressure, _mLastTripCode, _mLastTripValue;
        private SparkplugMetric[] _mSetpoint, _mForward, _mReflected, _mRatio, _mPlasma, _mRf, _mShutter, _mArcs, _mStrikes, _mReturn;
        private SparkplugMetric[] _mGasFlow, _mGasOpen;
        private TripRecord _lastTrip;

        /// <summary>
        /// Device <c>sputter</c>: state, mode, recipe, latched trips (as a mask of condition bits and the last
        /// trip's code and value), pressure, per cathode power, reflected, plasma, RF and shutter, arcs, strike
        /// failures, return water; per gas flow and valve. Remote commands: <c>Commands/Start LiCoO2</c>,
        /// <c>Commands/Start LiPON</c> (Technician, the console's start checks), <c>Commands/Stop</c> (Operator), and
        /// the recipe power/ramp/pre-sputter settings (Technician, the settings' ranges; the recipe is checked
        /// again at start). Interlock limits are not exposed and nothing here resets a trip.
        /// </summary>
        public void AttachEdgeNode(EdgeNodeSession session, SettingsCommandSink commands)
        {
            int n = _cathodes.Length;
            SparkplugDevice d = session.AddDevice(DeviceId, 24 + 12 * n + 3 * _gas.Length);
            if (d == null) return;
            MetricRegistry m = d.Metrics;
            _mState = m.Add("State", SparkplugDataType.Int32, 0, 60000);
            _mMode = m.Add("Mode", SparkplugDataType.Int32, 0, 60000);
            _mRecipe = m.Add("Recipe", SparkplugDataType.Int32, 0, 60000);
            _mLatched = m.Add("Interlocks/Latched Mask", SparkplugDataType.Int32, 0, 60000);
            _mTrips = m.Add("Interlocks/Trip Count", SparkplugDataType.Int32, 0, 60000);
            _mLastTripCode = m.Add("Interlocks/Last Trip Code", SparkplugDataType.Int32, 0, 60000);
            _mLastTripValue = m.Add("Interlocks/Last Trip Value", SparkplugDataType.Double, 0, 60000);
            _mPressure = m.Add("Chamber/Pressure Pa", SparkplugDataType.Double, 0.002, 60000);
            _mSetpoint = new SparkplugMetric[n]; _mForward = new SparkplugMetric[n]; _mReflected = new SparkplugMetric[n]; _mRatio = new SparkplugMetric[n];
            _mPlasma = new SparkplugMetric[n]; _mRf = new SparkplugMetric[n]; _mShutter = new SparkplugMetric[n]; _mArcs = new SparkplugMetric[n];
            _mStrikes = new SparkplugMetric[n]; _mReturn = new SparkplugMetric[n];
            for (int k = 0; k < n; k++)
            {
                string p = _cathodes[k].Name + "/";
                _mSetpoint[k] = m.Add(p + "Setpoint W", SparkplugDataType.Double, 0.5, 60000);
                _mForward[k] = m.Add(p + "Forward W", SparkplugDataType.Double, 0.5, 60000);
                _mReflected[k] = m.Add(p + "Reflected W", SparkplugDataType.Double, 0.5, 60000);
                _mRatio[k] = m.Add(p + "Reflected Pct", SparkplugDataType.Double, 0.5, 60000);
                _mPlasma[k] = m.Add(p + "Plasma", SparkplugDataType.Boolean, 0, 60000);
                _mRf[k] = m.Add(p + "RF On", SparkplugDataType.Boolean, 0, 60000);
                _mShutter[k] = m.Add(p + "Shutter Open", SparkplugDataType.Boolean, 0, 60000);
                _mArcs[k] = m.Add(p + "Arcs", SparkplugDataType.Int32, 0, 60000);
                _mStrikes[k] = m.Add(p + "Strike Failures", SparkplugDataType.Int32, 0, 60000);
                _mReturn[k] = m.Add(p + "Water Return C", SparkplugDataType.Double, 0.2, 60000);
            }
            _mGasFlow = new SparkplugMetric[_gas.Length];
            _mGasOpen = new SparkplugMetric[_gas.Length];
            for (int i = 0; i < _gas.Length; i++)
            {
                string p = "Gas/" + SputterGas.Name(_gas[i].Gas) + "/";
                _mGasFlow[i] = m.Add(p + "Flow sccm", SparkplugDataType.Double, 0.2, 60000);
                _mGasOpen[i] = m.Add(p + "Valve Open", SparkplugDataType.Boolean, 0, 60000);
            }
            commands.ExposeAction(m, "Commands/Start LiCoO2", new RemoteStart(this, SputterRecipe.LiCoO2), AccessLevel.Technician);
            commands.ExposeAction(m, "Commands/Start LiPON", new RemoteStart(this, SputterRecipe.LiPon), AccessLevel.Technician);
            commands.ExposeAction(m, "Commands/Stop", new RemoteStop(this), AccessLevel.Operator);
            for (int r = 0; r < SputterRecipe.Count; r++)
            {
                string p = "Recipe/" + SputterRecipe.Name(r) + "/";
                string s = "sputter.recipe." + SputterRecipe.Name(r) + ".";
                commands.ExposeSetting(m, p + "Power W", s + "powerW");
                commands.ExposeSetting(m, p + "Ramp W per cm2 min", s + "rampWPerCm2Min");
                commands.ExposeSetting(m, p + "Pre-sputter s", s + "preSputterS");
            }
            _lastTrip = new TripRecord();
        }

        /// <summary>Trips are published through the board's alarm log (forwarded by the edge node), so no records of its own.</summary>
        public void AttachStoreForward(StoreForwardQueue queue) { }

        /// <summary>Nothing to forward (see <see cref="AttachStoreForward"/>).</summary>
        public void ForwardRecords() { }

        /// <summary>Copies the snapshot into the device metrics (MQTT thread).</summary>
        public void RefreshMetrics()
        {
            if (_mState == null) return;
            ScanSnapshotCopy c = ReadSnapshot();
            if (c == null) return;
            _mState.SetInteger(c.Ints[_fState]);
            _mMode.SetInteger(c.Ints[_fMode]);
            _mRecipe.SetInteger(c.Ints[_fRecipe]);
            _mLatched.SetInteger(c.Ints[_fLatched]);
            _mTrips.SetInteger(c.Ints[_fTrips]);
            if (_trips.TryGet(0, _lastTrip))
            {
                _mLastTripCode.SetInteger(_lastTrip.Code);
                SetReal(_mLastTripValue, _lastTrip.Value);
            }
            SetReal(_mPressure, c.Doubles[_fPressure]);
            for (int k = 0; k < _cathodes.Length; k++)
            {
                SetReal(_mSetpoint[k], c.Doubles[_fSetpoint[k]]);
                SetReal(_mForward[k], c.Doubles[_fForward[k]]);
                SetReal(_mReflected[k], c.Doubles[_fReflected[k]]);
                SetReal(_mRatio[k], c.Doubles[_fRatio[k]]);
                _mPlasma[k].SetBoolean(c.Bools[_fLit[k]]);
                _mRf[k].SetBoolean(c.Bools[_fRfOn[k]]);
                _mShutter[k].SetBoolean(c.Bools[_fShutterOn[k]]);
                _mArcs[k].SetInteger(c.Ints[_fArcs[k]]);
                _mStrikes[k].SetInteger(c.Ints[_fStrikeFails[k]]);
                SetReal(_mReturn[k], c.Doubles[_fReturn[k]]);
            }
            for (int i = 0; i < _gas.Length; i++)
            {
                SetReal(_mGasFlow[i], c.Doubles[_fGasFlow[i]]);
                _mGasOpen[i].SetBoolean(c.Bools[_fGasOpen[i]]);
            }
        }

        // Missing data is published as null, never as a number.
        private static void SetReal(SparkplugMetric m, double v)
        {
            if (double.IsNaN(v)) m.SetNull();
            else m.SetReal(v);
        }

        private sealed class RemoteStart : IRemoteAction
        {
            private readonly SputterModule _module;
            private readonly int _recipe;

            public RemoteStart(SputterModule module, int recipe)
            {
                _module = module;
                _recipe = recipe;
            }

            public bool Validate(out ErrorCode error)
            {
                string reason;
                return _module.CheckStart(_recipe, out error, out reason);
            }

            public void Execute() { _module.PostRemote(CmdStart, _recipe); }
        }

        private sealed class RemoteStop : IRemoteAction
        {
            private readonly SputterModule _module;

            public RemoteStop(SputterModule module) { _module = module; }

            public bool Validate(out ErrorCode error)
            {
                error = ErrorCode.BadArgument;
                return true;
            }

            public void Execute() { _module.PostRemote(CmdStop, 0); }
        }
    }
}
