using Tfb.Hal;

namespace Tfb.Sparkplug
{
    /// <summary>
    /// The metrics of one Sparkplug node or device, declared by modules at startup (before the session starts).
    /// </summary>
    /// <remarks>
    /// Declaration allocates (names, buffers); after <see cref="Freeze"/> nothing is added and nothing allocates.
    /// Names must be unique, non-empty and free of '+' and '#'.
    /// </remarks>
    public sealed class MetricRegistry
    {
        private readonly SparkplugMetric[] _metrics;
        private readonly IClock _clock;
        private int _count;
        private bool _frozen;

        /// <summary>Creates a registry for up to <paramref name="capacity"/> metrics, timestamped from <paramref name="clock"/>.</summary>
        public MetricRegistry(IClock clock, int capacity)
        {
            _clock = clock;
            _metrics = new SparkplugMetric[capacity];
            SyncRoot = new object();
        }

        /// <summary>The lock every setter and the encoder take.</summary>
        public object SyncRoot { get; private set; }

        /// <summary>Number of declared metrics.</summary>
        public int Count { get { return _count; } }

        /// <summary>The metric at <paramref name="index"/> (declaration order).</summary>
        public SparkplugMetric this[int index] { get { return _metrics[index]; } }

        /// <summary>True once the session started; no more declarations.</summary>
        public bool IsFrozen { get { return _frozen; } }

        /// <summary>Declares a read-only metric.</summary>
        /// <param name="name">Published name.</param>
        /// <param name="dataType">Sparkplug datatype (not DataSet/Template).</param>
        /// <param name="deadband">Numeric change that must be exceeded to publish (metric units); 0 = any change.</param>
        /// <param name="maxIntervalMs">Publish at least this often (ms); 0 = only on change.</param>
        /// <returns>The metric, or null when the declaration is invalid (duplicate, bad name, full, frozen, bad type).</returns>
        public SparkplugMetric Add(string name, SparkplugDataType dataType, double deadband, int maxIntervalMs)
        {
            return Add(name, dataType, deadband, maxIntervalMs, false, 0, null);
        }

        /// <summary>Declares a metric with every option.</summary>
        /// <param name="name">Published name.</param>
        /// <param name="dataType">Sparkplug datatype (not DataSet/Template).</param>
        /// <param name="deadband">Numeric change that must be exceeded to publish; 0 = any change.</param>
        /// <param name="maxIntervalMs">Publish at least this often (ms); 0 = only on change.</param>
        /// <param name="writable">True when NCMD/DCMD may write it.</param>
        /// <param name="bytesCapacity">Largest Bytes/File value in bytes (ignored for other types).</param>
        /// <param name="properties">Properties sent in births, or null.</param>
        /// <returns>The metric, or null when the declaration is invalid.</returns>
        public SparkplugMetric Add(string name, SparkplugDataType dataType, double deadband, int maxIntervalMs, bool writable,
            int bytesCapacity, SparkplugPropertySet properties)
        {
            if (_frozen || _count >= _metrics.Length || !IsValidName(name) || Find(name) != null
                || SparkplugTypes.KindOf(dataType) == SparkplugTypes.KindNone || deadband < 0 || maxIntervalMs < 0 || bytesCapacity < 0)
            {
                return null;
            }

            SparkplugMetric metric = new SparkplugMetric(SyncRoot, _clock, name, dataType, deadband, maxIntervalMs, writable,
                bytesCapacity, properties);
            _metrics[_count++] = metric;
            return metric;
        }

        /// <summary>The metric named <paramref name="name"/>, or null.</summary>
        public SparkplugMetric Find(string name)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_metrics[i].Name == name)
                {
                    return _metrics[i];
                }
            }

            return null;
        }

        /// <summary>The metric whose UTF-8 name is <paramref name="buffer"/>[offset..offset+count), or null; no allocation.</summary>
        public SparkplugMetric FindUtf8(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < _count; i++)
            {
                if (Utf8.BytesEqual(buffer, offset, count, _metrics[i].NameUtf8))
                {
                    return _metrics[i];
                }
            }

            return null;
        }

        /// <summary>The metric with alias <paramref name="alias"/>, or null.</summary>
        public SparkplugMetric FindAlias(ulong alias)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_metrics[i].Alias == alias)
                {
                    return _metrics[i];
                }
            }

            return null;
        }

        /// <summary>
        /// Numbers the metrics' aliases from <paramref name="firstAlias"/> in declaration order (the session does
        /// this at start, across the node and all devices, so aliases are unique per edge node).
        /// </summary>
        /// <returns>The next free alias; <paramref name="firstAlias"/> unchanged once frozen (aliases never change after the session started).</returns>
        public ulong AssignAliases(ulong firstAlias)
        {
            if (_frozen)
            {
                return firstAlias;
            }

            for (int i = 0; i < _count; i++)
            {
                _metrics[i].Alias = firstAlias++;
            }

            return firstAlias;
        }

        /// <summary>Closes the declaration phase (called by the session at start).</summary>
        internal void Freeze()
        {
            _frozen = true;
        }

        /// <summary>True for a usable metric name: non-empty, no '+' or '#'.</summary>
        public static bool IsValidName(string name)
        {
            if (name == null || name.Length == 0)
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c == '+' || c == '#' || c < ' ')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
