using Tfb.Hal;

namespace Tfb.Logging
{
    /// <summary>
    /// Fixed-capacity ring of <see cref="LogEntry"/> records; the oldest record is overwritten when full.
    /// </summary>
    /// <remarks>
    /// Allocation-free after construction, so the scan may call <see cref="Add"/>. Threading: any number of
    /// writers and readers; a short lock guards the arrays (never held across I/O). Readers that must not miss
    /// records (MQTT, persistence) keep the last sequence number they consumed and ask for the next;
    /// <see cref="TryGet"/> says when a record was already overwritten.
    /// </remarks>
    public sealed class LogRing
    {
        private readonly object _sync = new object();
        private readonly IClock _clock;
        private readonly int[] _code;
        private readonly int[] _detail;
        private readonly long[] _timeUs;
        private readonly long[] _utcMs;
        private int _nextSeq;

        /// <summary>Creates a ring holding the last <paramref name="capacity"/> records.</summary>
        public LogRing(int capacity, IClock clock)
        {
            if (capacity < 1) throw new System.ArgumentOutOfRangeException("capacity");
            _clock = clock;
            _code = new int[capacity];
            _detail = new int[capacity];
            _timeUs = new long[capacity];
            _utcMs = new long[capacity];
        }

        /// <summary>Number of records the ring holds at most.</summary>
        public int Capacity { get { return _code.Length; } }

        /// <summary>Sequence number the next record will get (= total records written, until wrap).</summary>
        public int NextSeq { get { lock (_sync) { return _nextSeq; } } }

        /// <summary>Sequence number of the oldest record still held.</summary>
        public int OldestSeq
        {
            get { lock (_sync) { return _nextSeq > _code.Length ? _nextSeq - _code.Length : 0; } }
        }

        /// <summary>Appends a record stamped with the clock's time; returns its sequence number.</summary>
        public int Add(int code, int detail)
        {
            long timeUs = _clock.NowMicros;
            long utcMs = _clock.WallClockValid ? _clock.UtcUnixMillis : 0;
            lock (_sync)
            {
                int seq = _nextSeq;
                int i = seq % _code.Length;
                _code[i] = code;
                _detail[i] = detail;
                _timeUs[i] = timeUs;
                _utcMs[i] = utcMs;
                _nextSeq = seq == int.MaxValue ? 0 : seq + 1;
                return seq;
            }
        }

        /// <summary>Reads the record with sequence number <paramref name="seq"/>.</summary>
        /// <returns>False when it was overwritten already or not yet written.</returns>
        public bool TryGet(int seq, out LogEntry entry)
        {
            lock (_sync)
            {
                int oldest = _nextSeq > _code.Length ? _nextSeq - _code.Length : 0;
                if (seq < oldest || seq >= _nextSeq)
                {
                    entry = new LogEntry();
                    return false;
                }
                int i = seq % _code.Length;
                entry.Seq = seq;
                entry.Code = _code[i];
                entry.Detail = _detail[i];
                entry.TimeUs = _timeUs[i];
                entry.UtcMs = _utcMs[i];
                return true;
            }
        }
    }
}
