using System;

namespace Tfb.Scan
{
    /// <summary>
    /// Values the scan publishes for T2 readers (console status, MQTT, logging): fixed sets of named double,
    /// int and bool fields, plus the scan number and timestamps, handed over without tearing and without
    /// allocation.
    /// </summary>
    /// <remarks>
    /// Modules declare fields at composition time (<see cref="AddDouble"/>..., before the executive starts) and
    /// keep the returned indices. Tasks write with <see cref="SetDouble"/>... during the scan into a staging copy
    /// that only the scan thread touches; after the last task the executive publishes it into the spare half of a
    /// double buffer guarded by sequence counters (see SeqPair). Readers create one
    /// <see cref="ScanSnapshotCopy"/> at start-up and refresh it with <see cref="TryRead"/>: they get the latest
    /// complete scan, never a mix of two. The scan never waits for a reader.
    /// Units belong in field names (e.g. "web.TensionN").
    /// </remarks>
    public sealed class ScanSnapshot
    {
        private const int MaxReadAttempts = 16;

        private readonly string[] _doubleNames;
        private readonly string[] _intNames;
        private readonly string[] _boolNames;
        private readonly double[] _stageDoubles;
        private readonly int[] _stageInts;
        private readonly bool[] _stageBools;
        private readonly double[][] _bufDoubles = new double[2][];
        private readonly int[][] _bufInts = new int[2][];
        private readonly bool[][] _bufBools = new bool[2][];
        private readonly long[] _bufScan = new long[2];
        private readonly long[] _bufTimeUs = new long[2];
        private readonly long[] _bufUtcMs = new long[2];
        private readonly int[] _bufPublishCount = new int[2];
        private readonly SeqPair _seq = new SeqPair();
        private int _doubleCount;
        private int _intCount;
        private int _boolCount;
        private int _publishCount;
        private bool _sealed;

        internal ScanSnapshot(int maxDoubles, int maxInts, int maxBools)
        {
            _doubleNames = new string[maxDoubles];
            _intNames = new string[maxInts];
            _boolNames = new string[maxBools];
            _stageDoubles = new double[maxDoubles];
            _stageInts = new int[maxInts];
            _stageBools = new bool[maxBools];
            for (int b = 0; b < 2; b++)
            {
                _bufDoubles[b] = new double[maxDoubles];
                _bufInts[b] = new int[maxInts];
                _bufBools[b] = new bool[maxBools];
            }
            for (int i = 0; i < maxDoubles; i++) _stageDoubles[i] = double.NaN;
        }

        /// <summary>Double fields declared.</summary>
        public int DoubleCount { get { return _doubleCount; } }

        /// <summary>Int fields declared.</summary>
        public int IntCount { get { return _intCount; } }

        /// <summary>Bool fields declared.</summary>
        public int BoolCount { get { return _boolCount; } }

        /// <summary>
        /// Declares a double field (composition time only). Its value is NaN until a task writes it: a reader
        /// sees "no data", never a default.
        /// </summary>
        /// <returns>The index for <see cref="SetDouble"/> and <see cref="ScanSnapshotCopy.Doubles"/>.</returns>
        public int AddDouble(string name)
        {
            CheckAdd(name, _doubleCount, _doubleNames.Length);
            _doubleNames[_doubleCount] = name;
            return _doubleCount++;
        }

        /// <summary>Declares an int field (composition time only); 0 until written.</summary>
        public int AddInt(string name)
        {
            CheckAdd(name, _intCount, _intNames.Length);
            _intNames[_intCount] = name;
            return _intCount++;
        }

        /// <summary>Declares a bool field (composition time only); false until written.</summary>
        public int AddBool(string name)
        {
            CheckAdd(name, _boolCount, _boolNames.Length);
            _boolNames[_boolCount] = name;
            return _boolCount++;
        }

        /// <summary>Name of double field <paramref name="index"/>.</summary>
        public string DoubleName(int index) { return _doubleNames[CheckIndex(index, _doubleCount)]; }

        /// <summary>Name of int field <paramref name="index"/>.</summary>
        public string IntName(int index) { return _intNames[CheckIndex(index, _intCount)]; }

        /// <summary>Name of bool field <paramref name="index"/>.</summary>
        public string BoolName(int index) { return _boolNames[CheckIndex(index, _boolCount)]; }

        /// <summary>Index of the double field called <paramref name="name"/>, or -1.</summary>
        public int FindDouble(string name) { return Find(_doubleNames, _doubleCount, name); }

        /// <summary>Index of the int field called <paramref name="name"/>, or -1.</summary>
        public int FindInt(string name) { return Find(_intNames, _intCount, name); }

        /// <summary>Index of the bool field called <paramref name="name"/>, or -1.</summary>
        public int FindBool(string name) { return Find(_boolNames, _boolCount, name); }

        /// <summary>Scan thread: sets a double field for this scan's publication.</summary>
        public void SetDouble(int index, double value) { _stageDoubles[CheckIndex(index, _doubleCount)] = value; }

        /// <summary>Scan thread: sets an int field.</summary>
        public void SetInt(int index, int value) { _stageInts[CheckIndex(index, _intCount)] = value; }

        /// <summary>Scan thread: sets a bool field.</summary>
        public void SetBool(int index, bool value) { _stageBools[CheckIndex(index, _boolCount)] = value; }

        /// <summary>Publications so far (the scan publishes once per scan).</summary>
        public int PublishCount { get { return System.Threading.Interlocked.CompareExchange(ref _publishCount, 0, 0); } }

        /// <summary>Reader, at start-up: a copy object sized for the declared fields (the only allocation a reader makes).</summary>
        public ScanSnapshotCopy CreateCopy()
        {
            return new ScanSnapshotCopy(_doubleCount, _intCount, _boolCount);
        }

        /// <summary>Reader, any thread: copies the latest complete publication into <paramref name="copy"/>.</summary>
        /// <returns>False when nothing was published yet, or the scan overwrote the buffer during every attempt
        /// (then <paramref name="copy"/> holds a torn mix and must not be used).</returns>
        public bool TryRead(ScanSnapshotCopy copy)
        {
            if (copy == null) throw new ArgumentNullException("copy");
            if (copy.Doubles.Length != _doubleCount || copy.Ints.Length != _intCount || copy.Bools.Length != _boolCount)
            {
                throw new ArgumentException("copy was created before all fields were declared");
            }
            for (int attempt = 0; attempt < MaxReadAttempts; attempt++)
            {
                int seq;
                int b = _seq.BeginRead(out seq);
                if (b < 0) return false;
                if ((seq & 1) != 0) continue;
                Array.Copy(_bufDoubles[b], copy.Doubles, _doubleCount);
                Array.Copy(_bufInts[b], copy.Ints, _intCount);
                Array.Copy(_bufBools[b], copy.Bools, _boolCount);
                copy.ScanNumber = _bufScan[b];
                copy.TimeUs = _bufTimeUs[b];
                copy.UtcMs = _bufUtcMs[b];
                copy.PublishCount = _bufPublishCount[b];
                if (_seq.EndRead(b, seq)) return true;
            }
            return false;
        }

        internal void Seal() { _sealed = true; }

        /// <summary>Scan thread, once per scan after the tasks.</summary>
        internal void Publish(long scanNumber, long timeUs, long utcMs)
        {
            int b = _seq.BeginWrite();
            Array.Copy(_stageDoubles, _bufDoubles[b], _doubleCount);
            Array.Copy(_stageInts, _bufInts[b], _intCount);
            Array.Copy(_stageBools, _bufBools[b], _boolCount);
            _bufScan[b] = scanNumber;
            _bufTimeUs[b] = timeUs;
            _bufUtcMs[b] = utcMs;
            _bufPublishCount[b] = _publishCount + 1;
            _seq.EndWrite(b);
            System.Threading.Interlocked.Increment(ref _publishCount);
        }

        private void CheckAdd(string name, int count, int capacity)
        {
            if (_sealed) throw new InvalidOperationException("snapshot fields are declared before the scan starts");
            if (name == null || name.Length == 0) throw new ArgumentNullException("name");
            if (count == capacity) throw new InvalidOperationException("snapshot field capacity exhausted");
            if (FindDouble(name) >= 0 || FindInt(name) >= 0 || FindBool(name) >= 0)
            {
                throw new ArgumentException("duplicate snapshot field name");
            }
        }

        private static int CheckIndex(int index, int count)
        {
            if (index < 0 || index >= count) throw new ArgumentOutOfRangeException("index");
            return index;
        }

        private static int Find(string[] names, int count, string name)
        {
            for (int i = 0; i < count; i++)
            {
                if (names[i] == name) return i;
            }
            return -1;
        }
    }

    /// <summary>A reader's copy of one publication of the <see cref="ScanSnapshot"/>; reused across reads.</summary>
    public sealed class ScanSnapshotCopy
    {
        internal ScanSnapshotCopy(int doubles, int ints, int bools)
        {
            Doubles = new double[doubles];
            Ints = new int[ints];
            Bools = new bool[bools];
        }

        /// <summary>Number of the scan that published these values.</summary>
        public long ScanNumber { get; internal set; }

        /// <summary>Monotonic time of that scan's start, us.</summary>
        public long TimeUs { get; internal set; }

        /// <summary>Wall-clock UTC ms of that scan, or 0 when the wall clock was not valid.</summary>
        public long UtcMs { get; internal set; }

        /// <summary>Publication counter (1 = first); equal values mean the scan has not published since.</summary>
        public int PublishCount { get; internal set; }

        /// <summary>Double fields, by the index <see cref="ScanSnapshot.AddDouble"/> returned.</summary>
        public double[] Doubles { get; private set; }

        /// <summary>Int fields.</summary>
        public int[] Ints { get; private set; }

        /// <summary>Bool fields.</summary>
        public bool[] Bools { get; private set; }
    }
}
