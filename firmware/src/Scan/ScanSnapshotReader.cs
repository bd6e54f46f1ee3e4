namespace Tfb.Scan
{
    /// <summary>What <see cref="ScanSnapshotReader.Read"/> found.</summary>
    public enum SnapshotRead
    {
        /// <summary>The latest publication is in <see cref="ScanSnapshotReader.Copy"/>.</summary>
        Read = 0,
        /// <summary>The scan has not published yet (nothing has run: no motion, heat or RF).</summary>
        NotYetPublished = 1,
        /// <summary>The scan overwrote the buffer during every attempt: the state is unknown, and unknown is not idle.</summary>
        Unreadable = 2,
    }

    /// <summary>
    /// A module's reader of the scan snapshot on the console and MQTT threads: one copy, created at the first read
    /// (after the scan is sealed, so it is sized for every module's fields), and a lock that callers hold while they
    /// use <see cref="Copy"/>. The three outcomes are kept apart so that "not started" and "unknown" are never
    /// confused: a permit (idle, may edit, may force) is given on <see cref="SnapshotRead.Read"/> or
    /// <see cref="SnapshotRead.NotYetPublished"/> only.
    /// </summary>
    public sealed class ScanSnapshotReader
    {
        private readonly ScanSnapshot _snapshot;
        private ScanSnapshotCopy _copy;

        /// <summary>Creates the reader (no copy yet; no allocation after the first read).</summary>
        /// <param name="snapshot">The scan's snapshot.</param>
        /// <param name="sync">The lock callers hold while using <see cref="Copy"/> (the module's own).</param>
        public ScanSnapshotReader(ScanSnapshot snapshot, object sync)
        {
            _snapshot = snapshot;
            Sync = sync;
        }

        /// <summary>The lock around <see cref="Read"/> and every use of <see cref="Copy"/>.</summary>
        public object Sync { get; private set; }

        /// <summary>The copy <see cref="Read"/> filled (valid only after it returned Read, under <see cref="Sync"/>).</summary>
        public ScanSnapshotCopy Copy { get { return _copy; } }

        /// <summary>Reads the latest publication into <see cref="Copy"/> (any thread but the scan's).</summary>
        public SnapshotRead Read()
        {
            lock (Sync)
            {
                if (_snapshot.PublishCount == 0) return SnapshotRead.NotYetPublished;
                if (_copy == null) _copy = _snapshot.CreateCopy();
                return _snapshot.TryRead(_copy) && _copy.PublishCount > 0 ? SnapshotRead.Read : SnapshotRead.Unreadable;
            }
        }

        /// <summary>The latest copy, or null when there is none to read (not yet published, or unreadable now).</summary>
        public ScanSnapshotCopy Latest()
        {
            lock (Sync) { return Read() == SnapshotRead.Read ? _copy : null; }
        }
    }
}
