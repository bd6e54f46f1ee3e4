using Tfb.Scan;
using Tfb.Settings;

namespace Tfb.Stations.Sputter
{
    public sealed partial class SputterModule
    {
        // Setting slots (cache indices). Interlock limits are Engineer-only and never exposed over MQTT;
        // their ranges are bounded so that no value switches an interlock off.
        private const int S_MaxDensity = 0;
        private const int S_MaxRamp = 1;
        private const int S_PressureMin = 2;
        private const int S_PressureMax = 3;
        private const int S_BasePressure = 4;
        private const int S_GasTol = 5;
        private const int S_GasDeviationS = 6;
        private const int S_GasSettleS = 7;
        private const int S_GasStableS = 8;
        private const int S_ReflWarn = 9;
        private const int S_ReflTrip = 10;
        private const int S_ReflTripS = 11;
        private const int S_BlankingS = 12;
        private const int S_ArcRatio = 13;
        private const int S_ArcCount = 14;
        private const int S_ArcWindowS = 15;
        private const int S_ArcHoldS = 16;
        private const int S_StrikePowerW = 17;
        private const int S_StrikeTimeoutS = 18;
        private const int S_StrikeCount = 19;
        private const int S_StrikeWindowS = 20;
        private const int S_ReturnTripC = 21;
        private const int S_RiseWarnK = 22;
        private const int S_InletC = 23;
        private const int S_PumpTimeoutS = 24;
        private const int S_MaintTimeoutS = 25;
        private const int S_MaintMaxW = 26;
        private const int S_Count = 27;

        // Recipe slots.
        private const int R_Power = 0;
        private const int R_Ramp = 1;
        private const int R_PreS = 2;
        private const int R_Cathode = 3;
        private const int R_GasFirst = 4;
        private const int R_Count = R_GasFirst + SputterGas.Count;

        /// <summary>Prefix of every sputter setting.</summary>
        public const string SettingPrefix = "sputter.";

        /// <inheritdoc />
        public void DeclareSettings(SettingsRegistry settings)
        {
            AccessLevel eng = AccessLevel.Engineer;
            AccessLevel tech = AccessLevel.Technician;
            _setIndex[S_MaxDensity] = settings.Add(SettingDef.Number("sputter.maxDensityWPerCm2", "W/cm2", SettingType.Real, 0.5, 3.1, 3.0, eng, "Target power density limit (bonded targets <= 3.1 W/cm2): recipes above it are refused"));
            _setIndex[S_MaxRamp] = settings.Add(SettingDef.Number("sputter.maxRampWPerCm2Min", "W/cm2/min", SettingType.Real, 0.01, 60, 0.5, eng, "Fastest power ramp a recipe may ask for (ceramic targets: 0.1-0.5; more only for time-compressed simulation)"));
            _setIndex[S_PressureMin] = settings.Add(SettingDef.Number("sputter.pressureMinPa", "Pa", SettingType.Real, 0.05, 1.0, 0.133, eng, "Process window minimum (RF interlock)"));
            _setIndex[S_PressureMax] = settings.Add(SettingDef.Number("sputter.pressureMaxPa", "Pa", SettingType.Real, 0.5, 6.0, 4.0, eng, "Process window maximum (RF and gas interlock)"));
            _setIndex[S_BasePressure] = settings.Add(SettingDef.Number("sputter.basePressurePa", "Pa", SettingType.Real, 0.001, 0.1, 0.02, eng, "Base pressure to reach before gas is let in"));
            _setIndex[S_GasTol] = settings.Add(SettingDef.Number("sputter.gasTolerancePct", "%", SettingType.Real, 2, 20, 10, eng, "Gas flow tolerance around each setpoint"));
            _setIndex[S_GasDeviationS] = settings.Add(SettingDef.Number("sputter.gasDeviationS", "s", SettingType.Real, 0.5, 10, 2, eng, "Gas flow outside tolerance this long trips"));
            _setIndex[S_GasSettleS] = settings.Add(SettingDef.Number("sputter.gasSettleS", "s", SettingType.Real, 1, 30, 5, eng, "Gas flow check blanked this long after a valve opens or a setpoint changes"));
            _setIndex[S_GasStableS] = settings.Add(SettingDef.Number("sputter.gasStableS", "s", SettingType.Real, 0.5, 60, 2, eng, "Pressure and flows in window this long before RF"));
            _setIndex[S_ReflWarn] = settings.Add(SettingDef.Number("sputter.reflWarnPct", "%", SettingType.Real, 1, 10, 4, eng, "Reflected/forward warning: the ramp holds above it"));
            _setIndex[S_ReflTrip] = settings.Add(SettingDef.Number("sputter.reflTripPct", "%", SettingType.Real, 4, 25, 11, eng, "Reflected/forward trip level"));
            _setIndex[S_ReflTripS] = settings.Add(SettingDef.Number("sputter.reflTripS", "s", SettingType.Real, 0.5, 5, 3, eng, "Reflected power above the trip level this long trips"));
            _setIndex[S_BlankingS] = settings.Add(SettingDef.Number("sputter.blankingS", "s", SettingType.Real, 1, 10, 5, eng, "Strike/tune blanking of the reflected trip after the plasma lights"));
            _setIndex[S_ArcRatio] = settings.Add(SettingDef.Number("sputter.arcRatioPct", "%", SettingType.Real, 30, 95, 60, eng, "A reflected/forward spike above this, shorter than 50 ms, is an arc"));
            _setIndex[S_ArcCount] = settings.Add(SettingDef.Number("sputter.arcLockoutCount", "", SettingType.Integer, 1, EventWindowCapacity, 3, eng, "Arcs within the window that lock the cathode out"));
            _setIndex[S_ArcWindowS] = settings.Add(SettingDef.Number("sputter.arcWindowS", "s", SettingType.Real, 1, 3600, 60, eng, "Arc counting window"));
            _setIndex[S_ArcHoldS] = settings.Add(SettingDef.Number("sputter.arcHoldS", "s", SettingType.Real, 0.1, 30, 2, eng, "The ramp holds this long after an arc"));
            _setIndex[S_StrikePowerW] = settings.Add(SettingDef.Number("sputter.strikePowerW", "W", SettingType.Real, 5, 200, 40, eng, "Power at which the plasma must light"));
            _setIndex[S_StrikeTimeoutS] = settings.Add(SettingDef.Number("sputter.strikeTimeoutS", "s", SettingType.Real, 0.5, 30, 3, eng, "No plasma this long at strike power (or plasma lost this long) is a strike failure"));
            _setIndex[S_StrikeCount] = settings.Add(SettingDef.Number("sputter.strikeLockoutCount", "", SettingType.Integer, 1, EventWindowCapacity, 3, eng, "Strike failures within the window that lock the cathode out"));
            _setIndex[S_StrikeWindowS] = settings.Add(SettingDef.Number("sputter.strikeWindowS", "s", SettingType.Real, 1, 86400, 3600, eng, "Strike failure counting window"));
            _setIndex[S_ReturnTripC] = settings.Add(SettingDef.Number("sputter.returnTripC", "degC", SettingType.Real, 25, 60, 35, eng, "Cooling-water return trip temperature"));
            _setIndex[S_RiseWarnK] = settings.Add(SettingDef.Number("sputter.returnRiseWarnK", "K", SettingType.Real, 2, 30, 10, eng, "Return-over-inlet rise pre-alarm"));
            _setIndex[S_InletC] = settings.Add(SettingDef.Number("sputter.waterInletC", "degC", SettingType.Real, 5, 30, 20, eng, "Cooling-water inlet temperature (for the rise pre-alarm)"));
            _setIndex[S_PumpTimeoutS] = settings.Add(SettingDef.Number("sputter.pumpTimeoutS", "s", SettingType.Real, 5, 3600, 300, tech, "Pumping (base pressure, then gas in window) must finish within this"));
            _setIndex[S_MaintTimeoutS] = settings.Add(SettingDef.Number("sputter.maintenanceTimeoutS", "s", SettingType.Real, 10, 7200, 1800, eng, "Maintenance ends this long after the last action (outputs ramp off)"));
            _setIndex[S_MaintMaxW] = settings.Add(SettingDef.Number("sputter.maintenanceMaxW", "W", SettingType.Real, 0, 600, 50, eng, "Most RF power in maintenance"));
            for (int k = 0; k < InterlockMatrix.MaxCathodes; k++)
            {
                _areaIndex[k] = settings.Add(SettingDef.Number("sputter.rf" + (k + 1).ToString() + ".areaCm2", "cm2", SettingType.Real, 1, 1000, 45.6, eng, "Target area of cathode rf" + (k + 1).ToString() + " (3 inch: 45.6 cm2); 'rf' on a one-cathode board uses rf1"));
            }
            DeclareRecipe(settings, SputterRecipe.LiCoO2, 100, 0.3, 600, 1, 30, 10, 0);
            DeclareRecipe(settings, SputterRecipe.LiPon, 80, 0.3, 600, 2, 0, 0, 25);
        }

        private void DeclareRecipe(SettingsRegistry settings, int r, double powerW, double ramp, double preS, int cathode, double ar, double o2, double n2)
        {
            string p = "sputter.recipe." + SputterRecipe.Name(r) + ".";
            AccessLevel tech = AccessLevel.Technician;
            int[] ix = _recipeIndex[r];
            ix[R_Power] = settings.Add(SettingDef.Number(p + "powerW", "W", SettingType.Real, 0, 600, powerW, tech, "Deposition power (refused above the density limit x target area)"));
            ix[R_Ramp] = settings.Add(SettingDef.Number(p + "rampWPerCm2Min", "W/cm2/min", SettingType.Real, 0.01, 60, ramp, tech, "Ramp rate up and down (refused above sputter.maxRampWPerCm2Min)"));
            ix[R_PreS] = settings.Add(SettingDef.Number(p + "preSputterS", "s", SettingType.Real, 0, 3600, preS, tech, "Pre-sputter time with the shutter closed"));
            ix[R_Cathode] = settings.Add(SettingDef.Number(p + "cathode", "", SettingType.Integer, 1, InterlockMatrix.MaxCathodes, cathode, tech, "Cathode number the target is on"));
            ix[R_GasFirst + SputterGas.Ar] = settings.Add(SettingDef.Number(p + "arSccm", "sccm", SettingType.Real, 0, 1000, ar, tech, "Argon flow"));
            ix[R_GasFirst + SputterGas.O2] = settings.Add(SettingDef.Number(p + "o2Sccm", "sccm", SettingType.Real, 0, 1000, o2, tech, "Oxygen flow"));
            ix[R_GasFirst + SputterGas.N2] = settings.Add(SettingDef.Number(p + "n2Sccm", "sccm", SettingType.Real, 0, 1000, n2, tech, "Nitrogen flow"));
        }

        // Scan thread: one lock per setting, only when something changed.
        private void ReloadSettings()
        {
            int version = _settings.Version;
            if (version == _settingsVersion) return;
            _settingsVersion = version;
            for (int i = 0; i < S_Count; i++) _set[i] = _settings.GetNumber(_setIndex[i]);
            for (int k = 0; k < InterlockMatrix.MaxCathodes; k++) _areaCm2[k] = _settings.GetNumber(_areaIndex[k]);
            for (int r = 0; r < SputterRecipe.Count; r++)
            {
                int[] ix = _recipeIndex[r];
                _recipePowerW[r] = _settings.GetNumber(ix[R_Power]);
                _recipeRamp[r] = _settings.GetNumber(ix[R_Ramp]);
                _recipePreS[r] = _settings.GetNumber(ix[R_PreS]);
                _recipeCathode[r] = (int)_settings.GetNumber(ix[R_Cathode]) - 1;
                for (int g = 0; g < SputterGas.Count; g++) _recipeGas[r][g] = _settings.GetNumber(ix[R_GasFirst + g]);
            }
        }

        /// <summary>
        /// Checks recipe <paramref name="recipe"/> against this board and the limits (any thread; reads the registry).
        /// </summary>
        /// <param name="recipe">Recipe index (<see cref="SputterRecipe"/>).</param>
        /// <param name="error">Why not.</param>
        /// <param name="reason">A short reason when refused (a constant string: no allocation on the scan).</param>
        /// <returns>False with InvalidRecipe (power above the target's density limit or the generator, ramp above
        /// the configured maximum, cathode or gas line not fitted, no gas at all) or BadArgument (unknown recipe).</returns>
        public bool ValidateRecipe(int recipe, out Tfb.Codes.ErrorCode error, out string reason)
        {
            error = Tfb.Codes.ErrorCode.InvalidRecipe;
            reason = null;
            if (recipe < 0 || recipe >= SputterRecipe.Count) { error = Tfb.Codes.ErrorCode.BadArgument; reason = "unknown recipe"; return false; }
            int[] ix = _recipeIndex[recipe];
            int cathode = (int)_settings.GetNumber(ix[R_Cathode]) - 1;
            if (cathode < 0 || cathode >= _cathodes.Length) { reason = "cathode not fitted on this board"; return false; }
            double area = _settings.GetNumber(_areaIndex[cathode]);
            double power = _settings.GetNumber(ix[R_Power]);
            double ramp = _settings.GetNumber(ix[R_Ramp]);
            if (!(power > 0)) { reason = "power must be above 0 W"; return false; }
            if (power > _settings.GetNumber(_setIndex[S_MaxDensity]) * area) { reason = "power above the target limit (density x area)"; return false; }
            if (power > _cathodes[cathode].FullScaleW) { reason = "power above the generator full scale"; return false; }
            if (power < _settings.GetNumber(_setIndex[S_StrikePowerW])) { reason = "power below the strike power"; return false; }
            if (ramp > _settings.GetNumber(_setIndex[S_MaxRamp])) { reason = "ramp above sputter.maxRampWPerCm2Min"; return false; }
            double total = 0;
            for (int g = 0; g < SputterGas.Count; g++)
            {
                double sccm = _settings.GetNumber(ix[R_GasFirst + g]);
                if (sccm <= 0) continue;
                GasLine line = LineOf(g);
                if (line == null) { reason = "gas line not fitted on this board"; return false; }
                if (sccm > line.FullScaleSccm) { reason = "gas flow above the MFC full scale"; return false; }
                total += sccm;
            }
            if (!(total > 0)) { reason = "a recipe needs a process gas"; return false; }
            return true;
        }

        private GasLine LineOf(int gas)
        {
            for (int i = 0; i < _gas.Length; i++) if (_gas[i].Gas == gas) return _gas[i];
            return null;
        }

        /// <summary>Settings index of a recipe parameter (<c>powerW</c>, <c>rampWPerCm2Min</c>, <c>preSputterS</c>, <c>cathode</c>, <c>arSccm</c>...), or -1.</summary>
        public int RecipeSettingIndex(int recipe, string parameter)
        {
            if (recipe < 0 || recipe >= SputterRecipe.Count) return -1;
            return _settings.IndexOf("sputter.recipe." + SputterRecipe.Name(recipe) + "." + parameter);
        }

        // ---- snapshot --------------------------------------------------------------------------------------

        private int _fState, _fMode, _fRecipe, _fActive, _fLatched, _fUnhealthy, _fArmed, _fTrips, _fFastTrips;
        private int _fPressure, _fMaintLeftS;
        private int[] _fSetpoint, _fForward, _fReflected, _fRatio, _fReturn, _fMaxRise;
        private int[] _fArcs, _fArcsWindow, _fStrikeFails;
        private int[] _fLit, _fRfOn, _fShutterOn;
        private int[] _fGasFlow, _fGasSet, _fGasOpen;
        private readonly object _copySync = new object();
        private ScanSnapshotReader _reader;
        private ScanSnapshot _snapshot;

        private void AttachSnapshot(ScanSnapshot s)
        {
            _snapshot = s;
            _reader = new ScanSnapshotReader(s, _copySync);
            _fState = s.AddInt("sputter.state");
            _fMode = s.AddInt("sputter.mode");
            _fRecipe = s.AddInt("sputter.recipe");
            _fActive = s.AddInt("sputter.cathode");
            _fLatched = s.AddInt("sputter.latchedMask");
            _fUnhealthy = s.AddInt("sputter.unhealthyMask");
            _fArmed = s.AddInt("sputter.armedMask");
            _fTrips = s.AddInt("sputter.trips");
            _fFastTrips = s.AddInt("sputter.fastTrips");
            _fPressure = s.AddDouble("sputter.pressurePa");
            _fMaintLeftS = s.AddDouble("sputter.maintenanceLeftS");
            int n = _cathodes.Length;
            _fSetpoint = new int[n]; _fForward = new int[n]; _fReflected = new int[n]; _fRatio = new int[n]; _fReturn = new int[n]; _fMaxRise = new int[n];
            _fArcs = new int[n]; _fArcsWindow = new int[n]; _fStrikeFails = new int[n];
            _fLit = new int[n]; _fRfOn = new int[n]; _fShutterOn = new int[n];
            for (int k = 0; k < n; k++)
            {
                string p = "sputter." + _cathodes[k].Name + ".";
                _fSetpoint[k] = s.AddDouble(p + "setpointW");
                _fForward[k] = s.AddDouble(p + "forwardW");
                _fReflected[k] = s.AddDouble(p + "reflectedW");
                _fRatio[k] = s.AddDouble(p + "reflectedPct");
                _fReturn[k] = s.AddDouble(p + "returnC");
                _fMaxRise[k] = s.AddDouble(p + "maxRiseWPerS");
                _fArcs[k] = s.AddInt(p + "arcs");
                _fArcsWindow[k] = s.AddInt(p + "arcsInWindow");
                _fStrikeFails[k] = s.AddInt(p + "strikeFailures");
                _fLit[k] = s.AddBool(p + "plasma");
                _fRfOn[k] = s.AddBool(p + "rfOn");
                _fShutterOn[k] = s.AddBool(p + "shutterOpen");
            }
            _fGasFlow = new int[_gas.Length]; _fGasSet = new int[_gas.Length]; _fGasOpen = new int[_gas.Length];
            for (int i = 0; i < _gas.Length; i++)
            {
                string p = "sputter.gas." + SputterGas.Name(_gas[i].Gas) + ".";
                _fGasFlow[i] = s.AddDouble(p + "flowSccm");
                _fGasSet[i] = s.AddDouble(p + "setSccm");
                _fGasOpen[i] = s.AddBool(p + "open");
            }
        }

        // Any thread. Null until the snapshot exists or when a consistent copy could not be taken.
        private ScanSnapshotCopy ReadSnapshot()
        {
            return _reader == null ? null : _reader.Latest();
        }

        private bool AnyRfOn(ScanSnapshotCopy copy)
        {
            for (int k = 0; k < _cathodes.Length; k++) if (copy.Bools[_fRfOn[k]]) return true;
            return false;
        }

        private void Publish()
        {
            ScanSnapshot s = _snapshot;
            s.SetInt(_fState, _state);
            s.SetInt(_fMode, _mode);
            s.SetInt(_fRecipe, _recipe);
            s.SetInt(_fActive, _active);
            s.SetInt(_fLatched, _latchedMask);
            s.SetInt(_fUnhealthy, _unhealthyMask);
            s.SetInt(_fArmed, _armedMask);
            s.SetInt(_fTrips, _trips.Total);
            s.SetInt(_fFastTrips, FastPathTrips);
            s.SetDouble(_fPressure, _pressureOk ? _pressurePa : double.NaN);
            double left = 0;
            if (_state == SputterState.Maintenance) left = _set[S_MaintTimeoutS] - (_clock.NowMicros - _maintLastUs) / 1e6;
            s.SetDouble(_fMaintLeftS, left);
            for (int k = 0; k < _cathodes.Length; k++)
            {
                CathodeChannel c = _cathodes[k];
                s.SetDouble(_fSetpoint[k], c.RfOn ? c.SetpointW : 0);
                s.SetDouble(_fForward[k], c.ReadbackOk ? c.ForwardW : double.NaN);
                s.SetDouble(_fReflected[k], c.ReadbackOk ? c.ReflectedW : double.NaN);
                s.SetDouble(_fRatio[k], c.ReadbackOk ? c.RatioPct : double.NaN);
                s.SetDouble(_fReturn[k], c.ReturnC);
                s.SetDouble(_fMaxRise[k], c.MaxRiseWPerS);
                s.SetInt(_fArcs[k], c.ArcsTotal);
                s.SetInt(_fArcsWindow[k], c.ArcsInWindow);
                s.SetInt(_fStrikeFails[k], c.StrikeFailsTotal);
                s.SetBool(_fLit[k], c.Lit);
                s.SetBool(_fRfOn[k], c.RfOn);
                s.SetBool(_fShutterOn[k], c.ShutterOn);
            }
            for (int i = 0; i < _gas.Length; i++)
            {
                s.SetDouble(_fGasFlow[i], _gas[i].FlowSccm);
                s.SetDouble(_fGasSet[i], _gas[i].SetSccm);
                s.SetBool(_fGasOpen[i], _gas[i].Open);
            }
        }
    }
}
