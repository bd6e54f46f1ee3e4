namespace Tfb.Stations.Sputter
{
    /// <summary>One post-mortem record (a copy; the ring keeps its own arrays).</summary>
    public sealed class TripRecord
    {
        /// <summary>Alarm code of the condition that tripped.</summary>
        public int Code;
        /// <summary>The value that tripped it, in the condition's unit (NaN: unreadable; digital inputs: 0).</summary>
        public double Value;
        /// <summary>Monotonic time of the trip, us (the pin-change time for a fast-path trip).</summary>
        public long TimeUs;
        /// <summary>Wall-clock time, ms since the Unix epoch (0 when the wall clock was not set).</summary>
        public long UtcMs;
        /// <summary>Station state when it tripped.</summary>
        public int State;
        /// <summary>True when the pin-change fast path dropped RF before the scan saw it.</summary>
        public bool FastPath;
        /// <summary>Sequence number (1 for the first trip since boot).</summary>
        public int Seq;
    }

    /// <summary>
    /// The last trips for post-mortem: a fixed ring written by the scan, read by the console and MQTT threads.
    /// </summary>
    /// <remarks>Allocation-free after construction; a short lock (no I/O inside) keeps each record whole.</remarks>
    public sealed class TripRing
    {
        private readonly object _sync = new object();
        private readonly int[] _code;
        private readonly double[] _value;
        private readonly long[] _timeUs;
        private readonly long[] _utcMs;
        private readonly int[] _state;
        private readonly bool[] _fast;
        private int _count;

        /// <summary>Creates a ring of <paramref name="capacity"/> records.</summary>
        public TripRing(int capacity)
        {
            _code = new int[capacity];
            _value = new double[capacity];
            _timeUs = new long[capacity];
            _utcMs = new long[capacity];
            _state = new int[capacity];
            _fast = new bool[capacity];
        }

        /// <summary>Records kept at most.</summary>
        public int Capacity { get { return _code.Length; } }

        /// <summary>Trips recorded since boot (the newest has this sequence number).</summary>
        public int Total { get { lock (_sync) { return _count; } } }

        /// <summary>Adds a trip (scan thread).</summary>
        public void Add(int code, double value, long timeUs, long utcMs, int state, bool fastPath)
        {
            lock (_sync)
            {
                int i = _count % _code.Length;
                _code[i] = code;
                _value[i] = value;
                _timeUs[i] = timeUs;
                _utcMs[i] = utcMs;
                _state[i] = state;
                _fast[i] = fastPath;
                _count++;
            }
        }

        /// <summary>Copies the <paramref name="age"/>-th newest trip (0 = newest) into <paramref name="record"/>.</summary>
        /// <returns>False when fewer trips are kept.</returns>
        public bool TryGet(int age, TripRecord record)
        {
            lock (_sync)
            {
                if (age < 0 || age >= _count || age >= _code.Length) return false;
                int seq = _count - age;
                int i = (seq - 1) % _code.Length;
                record.Code = _code[i];
                record.Value = _value[i];
                record.TimeUs = _timeUs[i];
                record.UtcMs = _utcMs[i];
                record.State = _state[i];
                record.FastPath = _fast[i];
                record.Seq = seq;
                return true;
            }
        }
    }
}
