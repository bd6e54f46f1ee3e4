using Tfb.Hal;

namespace Tfb.Logging
{
    /// <summary>
    /// The set of active alarms plus the history of every raise and reset.
    /// </summary>
    /// <remarks>
    /// An alarm stays active until <see cref="Reset"/>; raising an active alarm again is not logged twice.
    /// Whether a reset is allowed (the condition healthy, a deliberate operator action) is decided by the
    /// module that owns the condition before it calls <see cref="Reset"/>: this class only keeps the books.
    /// Allocation-free after construction (the scan raises alarms). Threading: a short lock, any thread.
    /// History records carry the alarm code; a reset is recorded with the code negated.
    /// </remarks>
    public sealed class AlarmLog
    {
        private readonly object _sync = new object();
        private readonly int[] _activeCode;
        private readonly int[] _activeDetail;
        private readonly long[] _activeSinceUs;
        private readonly IClock _clock;
        private int _activeCount;
        private int _droppedRaises;

        /// <summary>Creates the log.</summary>
        /// <param name="historyCapacity">Records of raise/reset history kept.</param>
        /// <param name="maxActive">Distinct alarms that can be active at once.</param>
        /// <param name="clock">Time source for stamps.</param>
        public AlarmLog(int historyCapacity, int maxActive, IClock clock)
        {
            _clock = clock;
            History = new LogRing(historyCapacity, clock);
            _activeCode = new int[maxActive];
            _activeDetail = new int[maxActive];
            _activeSinceUs = new long[maxActive];
        }

        /// <summary>Raise (positive code) and reset (negated code) records.</summary>
        public LogRing History { get; private set; }

        /// <summary>Number of alarms active now.</summary>
        public int ActiveCount { get { lock (_sync) { return _activeCount; } } }

        /// <summary>
        /// Raises that found the active table full. The table is sized for every code a board can raise, so a
        /// nonzero value is a firmware defect; the raise is still written to the history.
        /// </summary>
        public int DroppedRaises { get { lock (_sync) { return _droppedRaises; } } }

        /// <summary>Raises <paramref name="code"/>.</summary>
        /// <returns>True when the alarm became active now; false when it was already active.</returns>
        public bool Raise(int code, int detail)
        {
            lock (_sync)
            {
                if (IndexOf(code) >= 0) return false;
                if (_activeCount == _activeCode.Length)
                {
                    _droppedRaises++;
                }
                else
                {
                    _activeCode[_activeCount] = code;
                    _activeDetail[_activeCount] = detail;
                    _activeSinceUs[_activeCount] = _clock.NowMicros;
                    _activeCount++;
                }
            }
            History.Add(code, detail);
            return true;
        }

        /// <summary>True when <paramref name="code"/> is active.</summary>
        public bool IsActive(int code)
        {
            lock (_sync) { return IndexOf(code) >= 0; }
        }

        /// <summary>Reads the active alarm at <paramref name="index"/> (0..ActiveCount-1).</summary>
        /// <returns>False when the index is out of range (the set may have changed since ActiveCount was read).</returns>
        public bool TryGetActive(int index, out int code, out int detail, out long sinceUs)
        {
            lock (_sync)
            {
                if (index < 0 || index >= _activeCount)
                {
                    code = 0; detail = 0; sinceUs = 0;
                    return false;
                }
                code = _activeCode[index];
                detail = _activeDetail[index];
                sinceUs = _activeSinceUs[index];
                return true;
            }
        }

        /// <summary>Clears an active alarm (the owner has checked the condition is healthy).</summary>
        /// <returns>False when it was not active.</returns>
        public bool Reset(int code)
        {
            lock (_sync)
            {
                int i = IndexOf(code);
                if (i < 0) return false;
                _activeCount--;
                _activeCode[i] = _activeCode[_activeCount];
                _activeDetail[i] = _activeDetail[_activeCount];
                _activeSinceUs[i] = _activeSinceUs[_activeCount];
            }
            History.Add(-code, 0);
            return true;
        }

        private int IndexOf(int code)
        {
            for (int i = 0; i < _activeCount; i++)
            {
                if (_activeCode[i] == code) return i;
            }
            return -1;
        }
    }
}
