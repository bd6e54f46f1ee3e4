using Tfb.Codes;
using Tfb.Logging;

namespace Tfb.Safety
{
    /// <summary>
    /// A station's permissive monitor: a fixed set of named interlocks, each with a stable alarm code, a
    /// debounce time and a latch. The permissive (RF on, heaters on, web moving...) is true only while every
    /// interlock is healthy and none is latched. It sits on top of the hard-wired chain, never replaces it.
    /// </summary>
    /// <remarks>
    /// Every scan the module reports each condition with <see cref="Update"/>: healthy, unhealthy, or unknown
    /// (the reading failed, was NaN, stale or out of range): unknown counts as unhealthy, because missing data
    /// is a fault. A condition unhealthy for longer than its debounce trips: the alarm is raised with its code,
    /// the trip latches, and the permissive drops. A latched trip clears only through <see cref="TryReset"/>,
    /// a deliberate operator action, and only when its condition is healthy now; a reset never re-energizes
    /// anything by itself (the module must see a fresh start command). Commands from the console or MQTT reach
    /// interlocks only through TryReset, so nothing from outside can bypass one.
    /// Allocation-free after setup; called from the scan thread (TryReset arrives as a queued scan command).
    /// </remarks>
    public sealed class InterlockSet
    {
        private readonly string[] _name;
        private readonly int[] _code;
        private readonly long[] _debounceUs;
        private readonly bool[] _healthy;
        private readonly bool[] _latched;
        private readonly long[] _badSinceUs;
        private readonly bool[] _bad;
        private readonly int[] _trips;
        private readonly AlarmLog _alarms;
        private int _count;

        /// <summary>Creates a set for up to <paramref name="capacity"/> interlocks.</summary>
        public InterlockSet(int capacity, AlarmLog alarms)
        {
            _alarms = alarms;
            _name = new string[capacity];
            _code = new int[capacity];
            _debounceUs = new long[capacity];
            _healthy = new bool[capacity];
            _latched = new bool[capacity];
            _badSinceUs = new long[capacity];
            _bad = new bool[capacity];
            _trips = new int[capacity];
        }

        /// <summary>Number of interlocks declared.</summary>
        public int Count { get { return _count; } }

        /// <summary>
        /// Declares an interlock (startup only). It starts latched: after boot nothing is permitted until every
        /// condition has been seen healthy and a deliberate reset was made, like a real safety relay.
        /// </summary>
        /// <returns>The interlock's index, used by <see cref="Update"/>.</returns>
        public int Add(string name, AlarmCode code, long debounceUs)
        {
            if (_count == _name.Length) throw new System.ArgumentException("interlock set full");
            int i = _count++;
            _name[i] = name;
            _code[i] = (int)code;
            _debounceUs[i] = debounceUs;
            _latched[i] = true;
            return i;
        }

        /// <summary>Reports one condition for this scan.</summary>
        /// <param name="index">The interlock.</param>
        /// <param name="known">False when the data behind it could not be read or was not plausible.</param>
        /// <param name="healthy">The condition when <paramref name="known"/>.</param>
        /// <param name="nowUs">Monotonic time of the scan.</param>
        /// <param name="detail">Alarm detail recorded with a trip (e.g. the measured value, scaled to an int).</param>
        public void Update(int index, bool known, bool healthy, long nowUs, int detail)
        {
            bool ok = known && healthy;
            _healthy[index] = ok;
            if (ok)
            {
                _bad[index] = false;
                return;
            }
            if (!_bad[index])
            {
                _bad[index] = true;
                _badSinceUs[index] = nowUs;
            }
            // Unknown data trips at once: a debounce filters noise on a real signal, not a missing one.
            if (!_latched[index] && (!known || nowUs - _badSinceUs[index] >= _debounceUs[index]))
            {
                _latched[index] = true;
                _trips[index]++;
                _alarms.Raise(_code[index], detail);
            }
        }

        /// <summary>True when every interlock is healthy now and none is latched.</summary>
        public bool Permissive
        {
            get
            {
                for (int i = 0; i < _count; i++)
                {
                    if (_latched[i] || !_healthy[i]) return false;
                }
                return true;
            }
        }

        /// <summary>True when the interlock is latched.</summary>
        public bool IsLatched(int index) { return _latched[index]; }

        /// <summary>True when the interlock's condition was healthy at the last update.</summary>
        public bool IsHealthy(int index) { return _healthy[index]; }

        /// <summary>Name of the interlock (for status and commissioning).</summary>
        public string NameOf(int index) { return _name[index]; }

        /// <summary>Alarm code of the interlock.</summary>
        public int CodeOf(int index) { return _code[index]; }

        /// <summary>Number of trips since boot.</summary>
        public int TripCount(int index) { return _trips[index]; }

        /// <summary>Index of the interlock with alarm code <paramref name="code"/>, or -1.</summary>
        public int IndexOfCode(int code)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_code[i] == code) return i;
            }
            return -1;
        }

        /// <summary>
        /// Operator reset of one latched interlock (by alarm code) or of all (<paramref name="code"/> = 0).
        /// </summary>
        /// <returns>
        /// True when everything asked for is now unlatched. False with <see cref="ErrorCode.ConditionPresent"/>
        /// when a condition is still unhealthy (those stay latched; healthy ones asked for are reset), or
        /// <see cref="ErrorCode.BadArgument"/> for a code this set does not own.
        /// </returns>
        public bool TryReset(int code, out ErrorCode error)
        {
            error = ErrorCode.BadArgument;
            bool any = false;
            bool blocked = false;
            for (int i = 0; i < _count; i++)
            {
                if (code != 0 && _code[i] != code) continue;
                any = true;
                if (!_latched[i]) continue;
                if (!_healthy[i])
                {
                    blocked = true;
                    continue;
                }
                _latched[i] = false;
                _alarms.Reset(_code[i]);
            }
            if (!any && code != 0) return false;
            if (blocked)
            {
                error = ErrorCode.ConditionPresent;
                return false;
            }
            return true;
        }
    }
}
