using System.Threading;
using Tfb.Codes;
using Tfb.Scan;

namespace Tfb.Stations.Sputter
{
    public sealed partial class SputterModule
    {
        // Spike shorter than this is an arc; longer is a plasma that went out (strike supervision).
        private const long ArcMaxUs = 50000;
        // Reflected/forward above this (with power) means no plasma.
        private const double NoPlasmaPct = 50.0;

        /// <summary>
        /// One scan (10 ms): latch fast-path drops, read inputs, evaluate every condition the matrix arms in this
        /// state, latch trips, run the sequence, write outputs through the matrix, publish the snapshot.
        /// Budget 3 ms; allocation-free.
        /// </summary>
        public void Run(ScanContext ctx)
        {
            long now = _clock.NowMicros;
            double dtS = ctx.DtS;
            ReloadSettings();
            int fast = Interlocked.Exchange(ref _fastBits, 0);

            ReadInputs(now);

            // Armed: hard-wired conditions in every state once seen healthy (an input that was never made since boot
            // blocks a start but raises nothing); the rest while an output that requires them is requested.
            int requested = RequestedMask();
            _unhealthyMask = 0;
            for (int i = 0; i < _conditionCount; i++)
            {
                if (_known[i] && _healthy[i]) _seenHealthyMask |= 1 << i;
            }
            _armedMask = (_hardMask & _seenHealthyMask) | requested;
            for (int i = 0; i < _conditionCount; i++)
            {
                bool ok = _known[i] && _healthy[i];
                if (!ok) _unhealthyMask |= 1 << i;
                if ((fast & (1 << i)) != 0) Latch(i, 0, _fastTimeUs[i], true);
                if ((_armedMask & (1 << i)) == 0 || ok)
                {
                    _bad[i] = false;
                    continue;
                }
                if (!_bad[i])
                {
                    _bad[i] = true;
                    _badSinceUs[i] = now;
                }
                if (!_known[i] || now - _badSinceUs[i] >= DebounceUs(i)) Latch(i, _value[i], now, false);
            }

            // Any latched condition ends the run: everything de-energized, back to idle (maintenance keeps its state
            // but drops its requests). Nothing restarts without a reset and a new start.
            if (_latchedMask != 0 && (requested != 0 || _state != SputterState.Idle)) Abort(now, FirstLatchedCode(_latchedMask));

            Sequence(now, dtS);
            WriteOutputs(now);
            Publish();
        }

        private long DebounceUs(int i)
        {
            int kind = InterlockMatrix.KindOfIndex(i);
            if (kind == InterlockMatrix.GasFlow) return (long)(_set[S_GasDeviationS] * 1e6);
            if (kind == InterlockMatrix.Reflected) return (long)(_set[S_ReflTripS] * 1e6);
            return InterlockMatrix.DebounceMs(kind) * 1000L;
        }

        private void Latch(int i, double value, long timeUs, bool fastPath)
        {
            if (_latched[i]) return;
            _latched[i] = true;
            _latchedMask |= 1 << i;
            _tripCount[i]++;
            _trips.Add(_code[i], value, timeUs, _clock.WallClockValid ? _clock.UtcUnixMillis : 0, _state, fastPath);
            _alarms.Raise(_code[i], Detail(i, value));
        }

        private static int Detail(int i, double value)
        {
            if (double.IsNaN(value)) return -1;
            int kind = InterlockMatrix.KindOfIndex(i);
            if (kind == InterlockMatrix.PressureHigh || kind == InterlockMatrix.PressureLow) return (int)(value * 1000);
            if (kind == InterlockMatrix.GasFlow || kind == InterlockMatrix.Reflected || kind == InterlockMatrix.WaterReturn) return (int)(value * 10);
            return (int)value;
        }

        private int FirstLatchedCode(int mask)
        {
            for (int i = 0; i < _conditionCount; i++) if ((_latchedMask & mask & (1 << i)) != 0) return _code[i];
            return 0;
        }

        // ---- inputs ----------------------------------------------------------------------------------------

        private void ReadInputs(long now)
        {
            bool v;
            SetDigital(InterlockMatrix.IndexOf(InterlockMatrix.Door, 0), _door.TryRead(out v), v);
            SetDigital(InterlockMatrix.IndexOf(InterlockMatrix.WebPermit, 0), _web.TryRead(out v), v);

            double p;
            _pressureOk = _pressure.TryRead(out p) && !double.IsNaN(p);
            _pressurePa = _pressureOk ? p * _pressureToPa : double.NaN;
            Set(InterlockMatrix.PressureHigh, _pressureOk, _pressureOk && _pressurePa <= _set[S_PressureMax], _pressurePa);
            // The window minimum matters only with RF on (a plasma needs it); at rest the chamber sits at base pressure.
            bool rfWanted = false;
            for (int k = 0; k < _cathodes.Length; k++) if (RfRequested(k)) rfWanted = true;
            Set(InterlockMatrix.PressureLow, _pressureOk, _pressureOk && (_pressurePa >= _set[S_PressureMin] || !rfWanted), _pressurePa);

            // Gas lines: each open line within tolerance once settled; the worst deviation is the value.
            bool gasKnown = true;
            bool gasOk = true;
            double worst = 0;
            for (int i = 0; i < _gas.Length; i++)
            {
                GasLine g = _gas[i];
                double f;
                g.FlowOk = g.Flow.TryRead(out f) && !double.IsNaN(f);
                g.FlowSccm = g.FlowOk ? f : double.NaN;
                if (!g.Open || now - g.OpenedUs < (long)(_set[S_GasSettleS] * 1e6)) continue;
                if (!g.FlowOk) { gasKnown = false; continue; }
                double dev = g.SetSccm > 0 ? 100.0 * Abs(g.FlowSccm - g.SetSccm) / g.SetSccm : 0;
                if (dev > worst) worst = dev;
                if (dev > _set[S_GasTol]) gasOk = false;
            }
            Set(InterlockMatrix.GasFlow, gasKnown, gasOk, gasKnown ? worst : double.NaN);

            for (int k = 0; k < _cathodes.Length; k++) ReadCathode(k, now);
        }

        private void ReadCathode(int k, long now)
        {
            CathodeChannel c = _cathodes[k];
            bool v;
            SetDigital(InterlockMatrix.IndexOf(InterlockMatrix.WaterFlow, k), c.WaterOk.TryRead(out v), v);
            SetDigital(InterlockMatrix.IndexOf(InterlockMatrix.GenInterlock, k), c.GenOk.TryRead(out v), v);
            SetDigital(InterlockMatrix.IndexOf(InterlockMatrix.GenOvertemp, k), c.GenOvertempOk.TryRead(out v), v);

            double t;
            bool tOk = c.ReturnTemp.TryRead(out t) && !double.IsNaN(t);
            c.ReturnC = tOk ? t : double.NaN;
            SetCathode(InterlockMatrix.WaterReturn, k, tOk, tOk && t < _set[S_ReturnTripC], c.ReturnC);
            double rise = tOk ? t - _set[S_InletC] : 0;
            bool riseWarn = c.RiseWarn ? rise > _set[S_RiseWarnK] - 1.0 : rise > _set[S_RiseWarnK];
            if (riseWarn != c.RiseWarn)
            {
                c.RiseWarn = riseWarn;
                int code = 3041 + k;
                if (riseWarn) _alarms.Raise(code, (int)(rise * 10));
                else _alarms.Reset(code);
            }

            double fwd, refl;
            bool ok = c.Forward.TryRead(out fwd);
            ok = c.Reflected.TryRead(out refl) && ok;
            if (double.IsNaN(fwd) || double.IsNaN(refl)) ok = false;
            c.ReadbackOk = ok;
            SetCathode(InterlockMatrix.Readback, k, ok, ok, ok ? fwd : double.NaN);
            if (ok)
            {
                c.ForwardW = fwd < 0 ? 0 : fwd;
                c.ReflectedW = refl < 0 ? 0 : refl;
                // Below 2 W the ratio is converter noise: report 0.
                c.RatioPct = c.ForwardW > 2.0 ? 100.0 * c.ReflectedW / c.ForwardW : 0;
            }

            Supervise(k, c, now, ok);
        }

        // Plasma, strike, arcs and reflected power of one cathode.
        private void Supervise(int k, CathodeChannel c, long now, bool readbackOk)
        {
            // A plasma is detected at half the strike power or more; once lit it counts as lit down to 2 W (ramp-down).
            bool powered = c.RfOn && readbackOk && c.ForwardW >= 0.5 * _set[S_StrikePowerW];
            bool lit = c.RfOn && readbackOk && c.RatioPct < NoPlasmaPct && (powered || (c.Lit && c.ForwardW > 2.0));
            if (lit && !c.Lit) c.StrikeUs = now;

            // Arcs: a short spike of reflected power while lit.
            bool high = powered && c.RatioPct > _set[S_ArcRatio];
            if (high && !c.RatioHigh)
            {
                c.RatioHigh = true;
                c.RatioHighSinceUs = now;
                c.HighStartedLit = c.Lit;
            }
            else if (!high && c.RatioHigh)
            {
                c.RatioHigh = false;
                if (c.HighStartedLit && now - c.RatioHighSinceUs <= ArcMaxUs) CountArc(k, c, now);
            }
            if (c.RatioHigh && c.HighStartedLit && now - c.RatioHighSinceUs <= ArcMaxUs) lit = c.Lit; // an arc, not a lost plasma (yet)
            c.Lit = lit;

            // Strike supervision: at strike power without plasma, or a plasma lost, for the strike time.
            if (!c.RfOn) c.LitThisRun = false;
            else if (lit) c.LitThisRun = true;
            // Plasma lost is supervised only at half the strike power or more: below it, at the end of a ramp-down,
            // the plasma may go out and RF is about to go off anyway.
            bool waiting = c.RfOn && !lit && (c.SetpointW >= _set[S_StrikePowerW] || (c.LitThisRun && c.SetpointW >= 0.5 * _set[S_StrikePowerW]));
            if (!waiting) c.StrikeWaitSinceUs = 0;
            else if (c.StrikeWaitSinceUs == 0) c.StrikeWaitSinceUs = now;
            else if (now - c.StrikeWaitSinceUs >= (long)(_set[S_StrikeTimeoutS] * 1e6))
            {
                c.StrikeWaitSinceUs = 0;
                StrikeFailure(k, c, now);
            }

            int window = CountInWindow(c.StrikeFailTimesUs, now, _set[S_StrikeWindowS]);
            c.StrikeFailsInWindow = window;
            SetCathode(InterlockMatrix.StrikeLockout, k, true, window < (int)_set[S_StrikeCount], window);
            c.ArcsInWindow = CountInWindow(c.ArcTimesUs, now, _set[S_ArcWindowS]);
            SetCathode(InterlockMatrix.ArcLockout, k, true, c.ArcsInWindow < (int)_set[S_ArcCount], c.ArcsInWindow);

            // Reflected power: warning holds the ramp; trip after the blanking window when sustained (debounce).
            bool blanked = !c.Lit || now - c.StrikeUs < (long)(_set[S_BlankingS] * 1e6);
            bool arcing = c.RatioHigh && c.HighStartedLit;
            bool tripLevel = !blanked && !arcing && c.RatioPct > _set[S_ReflTrip];
            SetCathode(InterlockMatrix.Reflected, k, true, !tripLevel, c.RatioPct);
            bool warn = c.Lit && !arcing && c.RatioPct > _set[S_ReflWarn];
            if (warn != c.ReflWarn)
            {
                c.ReflWarn = warn;
                int code = 3019 + 10 * k;
                if (warn) _alarms.Raise(code, (int)(c.RatioPct * 10));
                else _alarms.Reset(code);
            }
        }

        private void CountArc(int k, CathodeChannel c, long now)
        {
            c.ArcsTotal++;
            c.LastArcUs = now;
            c.ArcTimesUs[c.ArcNext] = now;
            c.ArcNext = (c.ArcNext + 1) % c.ArcTimesUs.Length;
            _events.Add((int)EventCode.SputterArc, k);
            // The lockout latches at the count whatever the state (the counter is the condition).
            int n = CountInWindow(c.ArcTimesUs, now, _set[S_ArcWindowS]);
            if (n >= (int)_set[S_ArcCount]) Latch(InterlockMatrix.IndexOf(InterlockMatrix.ArcLockout, k), n, now, false);
        }

        private void StrikeFailure(int k, CathodeChannel c, long now)
        {
            c.StrikeFailsTotal++;
            c.StrikeFailTimesUs[c.StrikeFailNext] = now;
            c.StrikeFailNext = (c.StrikeFailNext + 1) % c.StrikeFailTimesUs.Length;
            _events.Add((int)EventCode.SputterStrikeFailure, k);
            int n = CountInWindow(c.StrikeFailTimesUs, now, _set[S_StrikeWindowS]);
            if (n >= (int)_set[S_StrikeCount]) Latch(InterlockMatrix.IndexOf(InterlockMatrix.StrikeLockout, k), n, now, false);
            // A single failure ends the run (no plasma: nothing to ramp down); the lockout latches at the count.
            if (_state != SputterState.Maintenance) Abort(now, 0);
            else c.TargetW = 0;
            c.SetpointW = 0;
        }

        private static int CountInWindow(long[] times, long now, double windowS)
        {
            long window = (long)(windowS * 1e6);
            int n = 0;
            for (int i = 0; i < times.Length; i++) if (times[i] != 0 && now - times[i] <= window) n++;
            return n;
        }

        private void SetDigital(int i, bool known, bool healthy)
        {
            _known[i] = known;
            _healthy[i] = healthy;
            _value[i] = known ? (healthy ? 1 : 0) : double.NaN;
        }

        private void Set(int kind, bool known, bool healthy, double value)
        {
            _known[kind] = known;
            _healthy[kind] = healthy;
            _value[kind] = value;
        }

        private void SetCathode(int kind, int k, bool known, bool healthy, double value)
        {
            int i = InterlockMatrix.IndexOf(kind, k);
            _known[i] = known;
            _healthy[i] = healthy;
            _value[i] = value;
        }

        private static double Abs(double v) { return v < 0 ? -v : v; }

        // ---- sequence ---------------------------------------------------------------------------------------

        // Conditions the outputs requested now depend on (the matrix's required masks of requested outputs).
        private int RequestedMask()
        {
            int m = 0;
            for (int k = 0; k < _cathodes.Length; k++)
            {
                if (RfRequested(k)) m |= _cathodes[k].RfMask;
                if (ShutterRequested(k)) m |= _cathodes[k].ShutterMask;
            }
            for (int i = 0; i < _gas.Length; i++)
            {
                if (_gas[i].Requested) m |= InterlockMatrix.RequiredMask(InterlockMatrix.OutGasValve, -1);
            }
            return m;
        }

        private bool RfRequested(int k)
        {
            if (k != _active) return false;
            if (_state == SputterState.Maintenance) return _cathodes[k].TargetW > 0 || _cathodes[k].SetpointW > 0;
            return _state == SputterState.Ramping || _state == SputterState.PreSputter || _state == SputterState.Sputtering || _state == SputterState.RampingDown;
        }

        private bool ShutterRequested(int k)
        {
            if (k != _active) return false;
            if (_state == SputterState.Maintenance) return _shutterCmd;
            return _state == SputterState.Sputtering;
        }

        private void SetState(int state, long now)
        {
            if (state == _state) return;
            _state = state;
            _stateSinceUs = now;
            _events.Add((int)EventCode.SputterStateChanged, state);
        }

        private void Abort(long now, int code)
        {
            for (int k = 0; k < _cathodes.Length; k++)
            {
                _cathodes[k].SetpointW = 0;
                _cathodes[k].TargetW = 0;
            }
            for (int i = 0; i < _gas.Length; i++)
            {
                _gas[i].Requested = false;
                _gas[i].SetSccm = 0;
            }
            _shutterCmd = false;
            if (_state != SputterState.Maintenance && _state != SputterState.Idle)
            {
                _events.Add((int)EventCode.SputterRunAborted, code);
                SetState(SputterState.Idle, now);
                _recipe = -1;
                _active = -1;
            }
        }

        private void Sequence(long now, double dtS)
        {
            double elapsedS = (now - _stateSinceUs) / 1e6;
            switch (_state)
            {
                case SputterState.Pumping:
                    if (!_baseReached && _pressureOk && _pressurePa <= _set[S_BasePressure])
                    {
                        _baseReached = true;
                        for (int i = 0; i < _gas.Length; i++)
                        {
                            double sccm = _recipeGas[_recipe][_gas[i].Gas];
                            _gas[i].Requested = sccm > 0;
                            _gas[i].SetSccm = sccm;
                        }
                    }
                    // RF only when the window holds and every condition the RF enable needs reads healthy now
                    // (a generator over temperature or an unreadable readback blocks the strike, not only trips it).
                    bool inWindow = _baseReached && _pressureOk && _pressurePa >= _set[S_PressureMin] && _pressurePa <= _set[S_PressureMax] && GasInTolerance()
                        && (_unhealthyMask & _cathodes[_active].RfMask & ~(1 << InterlockMatrix.PressureLow)) == 0;
                    if (!inWindow) _stable = false;
                    else if (!_stable) { _stable = true; _stableSinceUs = now; }
                    else if (now - _stableSinceUs >= (long)(_set[S_GasStableS] * 1e6))
                    {
                        _cathodes[_active].SetpointW = 0;
                        _cathodes[_active].TargetW = _recipePowerW[_recipe];
                        SetState(SputterState.Ramping, now);
                        break;
                    }
                    if (elapsedS > _set[S_PumpTimeoutS])
                    {
                        _events.Add((int)EventCode.SputterRunAborted, 1);
                        Abort(now, 1);
                    }
                    break;

                case SputterState.Ramping:
                    if (Ramp(_cathodes[_active], dtS, now) && _cathodes[_active].SetpointW >= _recipePowerW[_recipe]) SetState(SputterState.PreSputter, now);
                    break;

                case SputterState.PreSputter:
                    Ramp(_cathodes[_active], dtS, now);
                    if (_mode == SputterMode.Normal && elapsedS >= _recipePreS[_recipe]) SetState(SputterState.Sputtering, now);
                    break;

                case SputterState.Sputtering:
                    Ramp(_cathodes[_active], dtS, now);
                    break;

                case SputterState.RampingDown:
                    CathodeChannel c = _cathodes[_active];
                    c.TargetW = 0;
                    Ramp(c, dtS, now);
                    if (c.SetpointW <= 0)
                    {
                        Abort(now, 0);
                        SetState(SputterState.Idle, now);
                    }
                    break;

                case SputterState.Maintenance:
                    if (!_maintClosing && (now - _maintLastUs) / 1e6 > _set[S_MaintTimeoutS])
                    {
                        _maintClosing = true;
                        _shutterCmd = false;
                        _events.Add((int)EventCode.SputterMaintenanceTimeout, 0);
                        for (int k = 0; k < _cathodes.Length; k++) _cathodes[k].TargetW = 0;
                    }
                    bool anyRf = false;
                    for (int k = 0; k < _cathodes.Length; k++)
                    {
                        if (k == _active) Ramp(_cathodes[k], dtS, now);
                        if (_cathodes[k].SetpointW > 0) anyRf = true;
                    }
                    if (_maintClosing && !anyRf)
                    {
                        Abort(now, 0);
                        _maintClosing = false;
                        _mode = SputterMode.Normal;
                        _events.Add((int)EventCode.SputterModeChanged, _mode);
                        SetState(SputterState.Idle, now);
                    }
                    break;
            }
        }

        private bool GasInTolerance()
        {
            for (int i = 0; i < _gas.Length; i++)
            {
                GasLine g = _gas[i];
                if (!g.Requested) continue;
                if (!g.FlowOk || Abs(g.FlowSccm - g.SetSccm) > _set[S_GasTol] / 100.0 * g.SetSccm) return false;
            }
            return true;
        }

        // Moves the setpoint toward the target at the recipe rate (W/cm2/min x area); up-ramps hold while the
        // reflected power is above the warning level or within the hold time after an arc. True when at target.
        private bool Ramp(CathodeChannel c, double dtS, long now)
        {
            int k = _active;
            double ratePerCm2 = _state == SputterState.Maintenance ? _set[S_MaxRamp] : _recipeRamp[_recipe];
            if (ratePerCm2 > _set[S_MaxRamp]) ratePerCm2 = _set[S_MaxRamp];
            double stepW = ratePerCm2 * _areaCm2[k] / 60.0 * dtS;
            if (c.SetpointW < c.TargetW)
            {
                bool hold = c.Lit && (c.ReflWarn || (c.LastArcUs != 0 && now - c.LastArcUs < (long)(_set[S_ArcHoldS] * 1e6)));
                if (!hold) c.SetpointW = c.SetpointW + stepW > c.TargetW ? c.TargetW : c.SetpointW + stepW;
            }
            else if (c.SetpointW > c.TargetW)
            {
                c.SetpointW = c.SetpointW - stepW < c.TargetW ? c.TargetW : c.SetpointW - stepW;
            }
            return c.SetpointW == c.TargetW;
        }

        // ---- outputs ---------------------------------------------------------------------------------------

        private void WriteOutputs(long now)
        {
            int blocked = _latchedMask | (_unhealthyMask & _hardMask);
            for (int k = 0; k < _cathodes.Length; k++)
            {
                CathodeChannel c = _cathodes[k];
                bool rf = RfRequested(k) && InterlockMatrix.AllowedIn(InterlockMatrix.OutRfEnable, _state) && (blocked & c.RfMask) == 0;
                bool shutter = rf && c.Lit && ShutterRequested(k) && InterlockMatrix.AllowedIn(InterlockMatrix.OutShutter, _state) && (blocked & c.ShutterMask) == 0;
                if (rf)
                {
                    // Commanded ramp conformance (the delivered power is measured on the plant side by the benchmark).
                    if (c.RfOn && c.SetpointW > c.LastSetpointW)
                    {
                        double rise = (c.SetpointW - c.LastSetpointW) / (_runtime.Scan.PeriodUs / 1e6);
                        if (rise > c.MaxRiseWPerS) c.MaxRiseWPerS = rise;
                    }
                    c.LastSetpointW = c.SetpointW;
                    c.Setpoint.Write(c.FullScaleW > 0 ? c.SetpointW / c.FullScaleW : 0);
                    c.Enable.Write(true);
                }
                else
                {
                    c.Enable.SetSafe();
                    c.Setpoint.SetSafe();
                    if (!RfRequested(k)) c.SetpointW = 0;
                    c.LastSetpointW = 0;
                }
                if (shutter) c.Shutter.Write(true);
                else c.Shutter.SetSafe();
                // The fast path may have fired while this scan ran: whatever it dropped stays dropped.
                if ((Interlocked.CompareExchange(ref _fastBits, 0, 0) & c.RfMask) != 0)
                {
                    c.Enable.SetSafe();
                    c.Setpoint.SetSafe();
                    c.Shutter.SetSafe();
                    rf = false;
                    shutter = false;
                }
                c.RfOn = rf;
                c.ShutterOn = shutter;
            }
            int gasMask = InterlockMatrix.RequiredMask(InterlockMatrix.OutGasValve, -1);
            for (int i = 0; i < _gas.Length; i++)
            {
                GasLine g = _gas[i];
                bool open = g.Requested && InterlockMatrix.AllowedIn(InterlockMatrix.OutGasValve, _state) && (blocked & gasMask) == 0;
                if (open)
                {
                    if (!g.Open) g.OpenedUs = now;
                    g.Setpoint.Write(g.FullScaleSccm > 0 ? g.SetSccm / g.FullScaleSccm : 0);
                    g.Valve.Write(true);
                }
                else
                {
                    g.Valve.SetSafe();
                    g.Setpoint.SetSafe();
                }
                g.Open = open;
            }
        }

        // ---- commands (scan thread) -------------------------------------------------------------------------

        /// <summary>Applies a queued operator command; re-checks everything the sender checked (scan thread).</summary>
        public int Execute(ScanCommand command, ScanContext ctx)
        {
            long now = _clock.NowMicros;
            ReloadSettings();
            int error = ExecuteChecked(command, now);
            if (error != ScanCommand.Ok) _events.Add((int)EventCode.SputterCommandRefused, error);
            return error;
        }

        private int ExecuteChecked(ScanCommand command, long now)
        {
            switch (command.Code)
            {
                case CmdStart:
                {
                    int r = command.Arg0;
                    if (_state != SputterState.Idle || _mode == SputterMode.Maintenance) return (int)ErrorCode.BadState;
                    if (_latchedMask != 0 || (_unhealthyMask & _hardMask) != 0) return (int)ErrorCode.InterlockActive;
                    ErrorCode e;
                    string reason;
                    if (!ValidateRecipe(r, out e, out reason)) return (int)e;
                    _recipe = r;
                    _active = _recipeCathode[r];
                    _baseReached = false;
                    _stable = false;
                    _cathodes[_active].MaxRiseWPerS = 0;
                    SetState(SputterState.Pumping, now);
                    return ScanCommand.Ok;
                }
                case CmdStop:
                    if (_state == SputterState.Maintenance)
                    {
                        for (int k = 0; k < _cathodes.Length; k++) _cathodes[k].TargetW = 0;
                        _shutterCmd = false;
                        for (int i = 0; i < _gas.Length; i++) { _gas[i].Requested = false; _gas[i].SetSccm = 0; }
                        return ScanCommand.Ok;
                    }
                    if (_state == SputterState.Pumping) { Abort(now, 0); SetState(SputterState.Idle, now); return ScanCommand.Ok; }
                    if (_state == SputterState.Ramping || _state == SputterState.PreSputter || _state == SputterState.Sputtering)
                    {
                        SetState(SputterState.RampingDown, now);
                    }
                    return ScanCommand.Ok;
                case CmdMode:
                {
                    int mode = command.Arg0;
                    if (mode < 0 || mode > SputterMode.Maintenance) return (int)ErrorCode.BadArgument;
                    if (mode == _mode) return ScanCommand.Ok;
                    if (mode == SputterMode.Maintenance)
                    {
                        if (_state != SputterState.Idle) return (int)ErrorCode.BadState;
                        _active = -1;
                        _maintLastUs = now;
                        _maintClosing = false;
                        SetState(SputterState.Maintenance, now);
                    }
                    else if (_mode == SputterMode.Maintenance)
                    {
                        for (int k = 0; k < _cathodes.Length; k++) if (_cathodes[k].RfOn || _cathodes[k].SetpointW > 0) return (int)ErrorCode.BadState;
                        Abort(now, 0);
                        SetState(SputterState.Idle, now);
                    }
                    _mode = mode;
                    _events.Add((int)EventCode.SputterModeChanged, mode);
                    return ScanCommand.Ok;
                }
                case CmdReset:
                    return ResetTrip(command.Arg0);
                case CmdShutter:
                {
                    bool open = command.Arg0 != 0;
                    if (_state == SputterState.Maintenance)
                    {
                        if (open && (_active < 0 || !_cathodes[_active].RfOn)) return (int)ErrorCode.BadState;
                        _shutterCmd = open;
                        _maintLastUs = now;
                        _events.Add((int)EventCode.SputterMaintenanceAction, 200 + (open ? 1000 : 0));
                        return ScanCommand.Ok;
                    }
                    if (_mode != SputterMode.Manual) return (int)ErrorCode.BadState;
                    if (open)
                    {
                        if (_state != SputterState.PreSputter) return (int)ErrorCode.BadState;
                        SetState(SputterState.Sputtering, now);
                    }
                    else
                    {
                        if (_state != SputterState.Sputtering) return (int)ErrorCode.BadState;
                        SetState(SputterState.PreSputter, now);
                    }
                    return ScanCommand.Ok;
                }
                case CmdPower:
                {
                    int k = command.Arg0;
                    double w = command.Value0;
                    if (k < 0 || k >= _cathodes.Length || !(w >= 0)) return (int)ErrorCode.BadArgument;
                    if (w > _set[S_MaxDensity] * _areaCm2[k] || w > _cathodes[k].FullScaleW) return (int)ErrorCode.OutOfRange;
                    if (_state == SputterState.Maintenance)
                    {
                        if (w > _set[S_MaintMaxW]) return (int)ErrorCode.OutOfRange;
                        if (_active >= 0 && _active != k && (_cathodes[_active].RfOn || _cathodes[_active].SetpointW > 0)) return (int)ErrorCode.BadState;
                        if (w > 0 && (_latchedMask & _cathodes[k].RfMask) != 0) return (int)ErrorCode.InterlockActive;
                        _active = k;
                        _cathodes[k].TargetW = w;
                        _maintLastUs = now;
                        _events.Add((int)EventCode.SputterMaintenanceAction, 100 + k + (w > 0 ? 1000 : 0));
                        return ScanCommand.Ok;
                    }
                    if (_mode != SputterMode.Manual || k != _active || (_state != SputterState.Sputtering && _state != SputterState.PreSputter)) return (int)ErrorCode.BadState;
                    if (w < _set[S_StrikePowerW]) return (int)ErrorCode.OutOfRange;
                    _cathodes[k].TargetW = w;
                    return ScanCommand.Ok;
                }
                case CmdGas:
                {
                    int gas = command.Arg0;
                    double sccm = command.Value0;
                    if (_state != SputterState.Maintenance) return (int)ErrorCode.BadState;
                    GasLine line = gas >= 0 && gas < SputterGas.Count ? LineOf(gas) : null;
                    if (line == null || !(sccm >= 0)) return (int)ErrorCode.BadArgument;
                    if (sccm > line.FullScaleSccm) return (int)ErrorCode.OutOfRange;
                    if (sccm > 0 && (_latchedMask & InterlockMatrix.RequiredMask(InterlockMatrix.OutGasValve, -1)) != 0) return (int)ErrorCode.InterlockActive;
                    line.Requested = sccm > 0;
                    if (line.SetSccm != sccm) line.OpenedUs = now; // a new setpoint settles again
                    line.SetSccm = sccm;
                    _maintLastUs = now;
                    _events.Add((int)EventCode.SputterMaintenanceAction, 300 + gas + (sccm > 0 ? 1000 : 0));
                    return ScanCommand.Ok;
                }
            }
            return (int)ErrorCode.BadArgument;
        }

        // Unlatches what the operator asked for when it is healthy now; lockouts clear their counters (the operator
        // clears them) and only while RF is off. Re-energizes nothing.
        private int ResetTrip(int code)
        {
            bool any = false;
            bool blocked = false;
            for (int i = 0; i < _conditionCount; i++)
            {
                if (code != 0 && _code[i] != code) continue;
                any = true;
                if (!_latched[i]) continue;
                int kind = InterlockMatrix.KindOfIndex(i);
                int k = InterlockMatrix.CathodeOfIndex(i);
                if (kind == InterlockMatrix.ArcLockout || kind == InterlockMatrix.StrikeLockout)
                {
                    if (_cathodes[k].RfOn) { blocked = true; continue; }
                    long[] times = kind == InterlockMatrix.ArcLockout ? _cathodes[k].ArcTimesUs : _cathodes[k].StrikeFailTimesUs;
                    for (int j = 0; j < times.Length; j++) times[j] = 0;
                    _healthy[i] = true;
                    _known[i] = true;
                }
                else if (!(_known[i] && _healthy[i]))
                {
                    blocked = true;
                    continue;
                }
                _latched[i] = false;
                _latchedMask &= ~(1 << i);
                _bad[i] = false;
                _alarms.Reset(_code[i]);
            }
            if (!any) return (int)ErrorCode.BadArgument;
            return blocked ? (int)ErrorCode.ConditionPresent : ScanCommand.Ok;
        }
    }
}
