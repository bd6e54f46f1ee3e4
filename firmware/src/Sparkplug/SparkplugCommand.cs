namespace Tfb.Sparkplug
{
    /// <summary>Which value field a decoded metric carried.</summary>
    public enum SparkplugValueField
    {
        /// <summary>No value field (is_null, or invalid).</summary>
        None = 0,
        /// <summary>int_value (uint32).</summary>
        Int = 1,
        /// <summary>long_value (uint64).</summary>
        Long = 2,
        /// <summary>float_value.</summary>
        Float = 3,
        /// <summary>double_value.</summary>
        Double = 4,
        /// <summary>boolean_value.</summary>
        Boolean = 5,
        /// <summary>string_value (strict UTF-8 checked).</summary>
        String = 6,
        /// <summary>bytes_value.</summary>
        Bytes = 7,
        /// <summary>dataset_value, template_value or extension_value (structure checked, never applied).</summary>
        Complex = 8,
    }

    /// <summary>
    /// One metric of a decoded NCMD/DCMD, as on the wire. Names and strings stay as byte ranges of the payload
    /// (no allocation); <see cref="SparkplugCommand.Payload"/> is the array they point into.
    /// </summary>
    public sealed class SparkplugCommandMetric
    {
        /// <summary>True when Metric.name was present.</summary>
        public bool HasName;
        /// <summary>Offset of the UTF-8 name in the payload.</summary>
        public int NameOffset;
        /// <summary>Length of the UTF-8 name.</summary>
        public int NameLength;
        /// <summary>True when Metric.alias was present.</summary>
        public bool HasAlias;
        /// <summary>Metric.alias.</summary>
        public ulong Alias;
        /// <summary>True when Metric.datatype was present.</summary>
        public bool HasDataType;
        /// <summary>Metric.datatype (uint32).</summary>
        public uint DataType;
        /// <summary>True when Metric.timestamp was present.</summary>
        public bool HasTimestamp;
        /// <summary>Metric.timestamp (ms UTC).</summary>
        public ulong TimestampMs;
        /// <summary>Metric.is_null.</summary>
        public bool IsNull;
        /// <summary>Metric.is_historical.</summary>
        public bool IsHistorical;
        /// <summary>Metric.is_transient.</summary>
        public bool IsTransient;
        /// <summary>Which value field was present.</summary>
        public SparkplugValueField ValueField;
        /// <summary>int_value, long_value or boolean_value (0/1) as raw unsigned bits.</summary>
        public ulong Integer;
        /// <summary>float_value bits (fixed32).</summary>
        public uint FloatBits;
        /// <summary>double_value.</summary>
        public double Double;
        /// <summary>Offset of string_value/bytes_value in the payload.</summary>
        public int DataOffset;
        /// <summary>Length of string_value/bytes_value.</summary>
        public int DataLength;

        internal void Clear()
        {
            HasName = false;
            NameOffset = 0;
            NameLength = 0;
            HasAlias = false;
            Alias = 0;
            HasDataType = false;
            DataType = 0;
            HasTimestamp = false;
            TimestampMs = 0;
            IsNull = false;
            IsHistorical = false;
            IsTransient = false;
            ValueField = SparkplugValueField.None;
            Integer = 0;
            FloatBits = 0;
            Double = 0;
            DataOffset = 0;
            DataLength = 0;
        }
    }

    /// <summary>A decoded NCMD/DCMD payload (preallocated, reused for every command).</summary>
    public sealed class SparkplugCommand
    {
        private readonly SparkplugCommandMetric[] _metrics;

        /// <summary>Creates room for <paramref name="maxMetrics"/> metrics; a command with more is rejected.</summary>
        public SparkplugCommand(int maxMetrics)
        {
            _metrics = new SparkplugCommandMetric[maxMetrics];
            for (int i = 0; i < maxMetrics; i++)
            {
                _metrics[i] = new SparkplugCommandMetric();
            }
        }

        /// <summary>The payload the byte ranges point into.</summary>
        public byte[] Payload;
        /// <summary>True when Payload.timestamp was present.</summary>
        public bool HasTimestamp;
        /// <summary>Payload.timestamp.</summary>
        public ulong TimestampMs;
        /// <summary>True when Payload.seq was present.</summary>
        public bool HasSeq;
        /// <summary>Payload.seq.</summary>
        public ulong Seq;
        /// <summary>Number of decoded metrics.</summary>
        public int MetricCount;

        /// <summary>Largest number of metrics accepted.</summary>
        public int Capacity { get { return _metrics.Length; } }

        /// <summary>Decoded metric <paramref name="index"/> (0..MetricCount-1).</summary>
        public SparkplugCommandMetric Metric(int index)
        {
            return _metrics[index];
        }

        internal SparkplugCommandMetric Next()
        {
            if (MetricCount >= _metrics.Length)
            {
                return null;
            }

            SparkplugCommandMetric m = _metrics[MetricCount++];
            m.Clear();
            return m;
        }

        internal void Clear()
        {
            Payload = null;
            HasTimestamp = false;
            TimestampMs = 0;
            HasSeq = false;
            Seq = 0;
            MetricCount = 0;
        }
    }

    /// <summary>
    /// A command value converted to the target metric's datatype and range-checked, handed to the
    /// <see cref="ICommandSink"/>. Preallocated by the session and reused.
    /// </summary>
    public sealed class SparkplugValue
    {
        /// <summary>The target metric's datatype.</summary>
        public SparkplugDataType DataType;
        /// <summary>Integer, DateTime (ms) or Boolean (0/1) value; UInt64 as its bits.</summary>
        public long Integer;
        /// <summary>Float or Double value (finite).</summary>
        public double Real;
        /// <summary>String value (allocated at decode: commands are rare).</summary>
        public string Text;
        /// <summary>Bytes value: the payload array (valid during the call only).</summary>
        public byte[] Bytes;
        /// <summary>Offset of the bytes value.</summary>
        public int BytesOffset;
        /// <summary>Length of the bytes value.</summary>
        public int BytesCount;

        /// <summary>The value as a bool (Boolean metrics).</summary>
        public bool Boolean { get { return Integer != 0; } }
    }
}
