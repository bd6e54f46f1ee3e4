using Tfb.Codes;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Scan;

namespace Tfb.Stations.Anneal
{
    /// <summary>
    /// The independent over-temperature limit: its own thermocouples (one per zone, read here and nowhere else),
    /// optionally an external limit controller's contact, and the heater contactor. Latching: a trip drops the
    /// contactor and keeps it dropped until a manual reset with every limit input healthy and below the limit
    /// minus <see cref="ResetHysteresisC"/>. Separate from the control loops: it shares no reading, filter or state
    /// with them, and it runs first in the scan, even while the scan is tripped.
    /// </summary>
    /// <remarks>
    /// A limit thermocouple that reads invalid for longer than <see cref="InvalidTripUs"/> trips as well (a limit
    /// that cannot see is no limit). Cost: one analog read and two comparisons per zone per scan. Scan thread only,
    /// except <see cref="Tripped"/> and <see cref="ResetAllowed"/>, which other threads read through the snapshot.
    /// </remarks>
    public sealed class LimitChannel : IScanTask
    {
        /// <summary>Reset needs every limit reading this far below the limit, C.</summary>
        public const double ResetHysteresisC = 10;
        /// <summary>An invalid limit thermocouple trips after this long, us (a converter glitch does not).</summary>
        public const long InvalidTripUs = 1000000;

        private readonly IAnalogInput[] _tc;
        private readonly IDigitalInput _external;
        private readonly IDigitalOutput _contactor;
        private readonly AlarmLog _alarms;
        private readonly long[] _invalidSinceUs;
        private readonly double[] _tempC;

        /// <summary>Creates the channel over its inputs (any may be null on a board that lacks it; at least one must exist).</summary>
        public LimitChannel(IAnalogInput[] limitTcs, IDigitalInput externalOk, IDigitalOutput contactor, AlarmLog alarms)
        {
            _tc = limitTcs;
            _external = externalOk;
            _contactor = contactor;
            _alarms = alarms;
            _invalidSinceUs = new long[limitTcs.Length];
            _tempC = new double[limitTcs.Length];
            for (int i = 0; i < _tempC.Length; i++) { _tempC[i] = double.NaN; _invalidSinceUs[i] = -1; }
        }

        /// <summary>Trip temperature, C (from settings; the module refreshes it).</summary>
        public double LimitC = 760;
        /// <summary>True while latched.</summary>
        public bool Tripped;
        /// <summary>Zone (1-based) or cause of the latest trip: 1..n zone over limit, 10+n zone limit TC invalid, 9 external contact.</summary>
        public int TripCause;
        /// <summary>True when a reset would be accepted now.</summary>
        public bool ResetAllowed;
        /// <summary>Highest valid limit reading, C (NaN when none).</summary>
        public double HighestC = double.NaN;

        /// <summary>Latest limit reading of zone <paramref name="zone"/> (0-based), C; NaN while invalid.</summary>
        public double TempC(int zone) { return _tempC[zone]; }

        /// <summary>Latches a trip (also used to restore a trip that was active before a power cycle).</summary>
        public void Trip(int cause)
        {
            if (!Tripped)
            {
                Tripped = true;
                TripCause = cause;
                _alarms.Raise((int)(cause >= 10 ? AlarmCode.AnnealLimitSensorFault : AlarmCode.AnnealOverTemperatureTrip), cause);
            }
            if (_contactor != null) _contactor.Write(false);
        }

        /// <inheritdoc />
        public void Run(ScanContext ctx)
        {
            long now = ctx.StartUs;
            bool healthy = true;
            double highest = double.NaN;
            for (int i = 0; i < _tc.Length; i++)
            {
                if (_tc[i] == null) continue;
                double v;
                bool ok = _tc[i].TryRead(out v) && !double.IsNaN(v) && !double.IsInfinity(v);
                if (!ok)
                {
                    _tempC[i] = double.NaN;
                    healthy = false;
                    if (_invalidSinceUs[i] < 0) _invalidSinceUs[i] = now;
                    if (now - _invalidSinceUs[i] >= InvalidTripUs) Trip(10 + i + 1);
                    continue;
                }
                _invalidSinceUs[i] = -1;
                _tempC[i] = v;
                if (double.IsNaN(highest) || v > highest) highest = v;
                if (v >= LimitC) Trip(i + 1);
                if (v > LimitC - ResetHysteresisC) healthy = false;
            }
            if (_external != null)
            {
                bool ok;
                if (!_external.TryRead(out ok) || !ok)
                {
                    healthy = false;
                    Trip(9);
                }
            }
            HighestC = highest;
            ResetAllowed = Tripped && healthy;
            if (Tripped && _contactor != null) _contactor.Write(false);
        }

        /// <summary>Manual reset (scan thread): clears the latch when <see cref="ResetAllowed"/>; re-energizes nothing.</summary>
        public bool TryReset(out ErrorCode error)
        {
            if (!Tripped) { error = ErrorCode.BadState; return false; }
            if (!ResetAllowed) { error = ErrorCode.ConditionPresent; return false; }
            Tripped = false;
            TripCause = 0;
            _alarms.Reset((int)AlarmCode.AnnealOverTemperatureTrip);
            _alarms.Reset((int)AlarmCode.AnnealLimitSensorFault);
            error = ErrorCode.BadArgument;
            return true;
        }
    }
}
