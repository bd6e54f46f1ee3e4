using Tfb.Storage;

namespace Tfb.Sparkplug
{
    /// <summary>
    /// A producer's builder for one store-and-forward record: the values of some metrics of one device (or
    /// the node) at one instant, e.g. one sheet-test result. Reusable: <see cref="Begin"/> starts over.
    /// </summary>
    /// <remarks>
    /// Encoding (version 1, little-endian): <c>[1] [device id length u8] [device id UTF-8] [timestamp ms i64]
    /// [metric count u8]</c>, then per metric <c>[name length u8] [name UTF-8] [datatype u8] [flags u8: 1 = null]
    /// [value]</c> with value = 8 bytes (integer/boolean/DateTime as i64, Float/Double as IEEE double bits) or,
    /// for strings, <c>[length u16] [UTF-8]</c>; nothing for null. Metrics are stored by name (not alias) so a
    /// record written before a firmware update still resolves after it. The record sequence is the
    /// <see cref="PersistentQueue"/>'s. Threading: one producer per instance. No allocation after construction
    /// except the device id's UTF-8 in <see cref="Begin"/> for devices.
    /// </remarks>
    public sealed class StoreForwardRecord
    {
        /// <summary>Encoding version written in byte 0.</summary>
        public const byte FormatVersion = 1;

        private readonly byte[] _buffer;
        private int _length;
        private int _countAt;
        private int _count;
        private bool _overflowed;

        /// <summary>Creates a builder for records of at most <paramref name="capacityBytes"/> bytes.</summary>
        public StoreForwardRecord(int capacityBytes)
        {
            // Room for the header of a node record at least (version, id length, timestamp, count).
            _buffer = new byte[capacityBytes < 16 ? 16 : capacityBytes];
        }

        /// <summary>The encoded record (valid up to <see cref="Length"/>).</summary>
        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Encoded bytes so far.</summary>
        public int Length { get { return _length; } }

        /// <summary>Metrics added since <see cref="Begin"/>.</summary>
        public int MetricCount { get { return _count; } }

        /// <summary>True when an Add did not fit or was invalid; such a record is refused on append.</summary>
        public bool Invalid { get { return _overflowed; } }

        /// <summary>Starts a record.</summary>
        /// <param name="device">The device whose metrics follow, or null for node metrics.</param>
        /// <param name="timestampMs">When the values were measured (ms since the Unix epoch, UTC).</param>
        public void Begin(SparkplugDevice device, long timestampMs)
        {
            _length = 0;
            _count = 0;
            _overflowed = false;
            Put(FormatVersion);
            if (device == null)
            {
                Put(0);
            }
            else
            {
                byte[] id = Utf8.GetBytes(device.Id);
                if (id.Length > 255 || !Room(1 + id.Length))
                {
                    _overflowed = true;
                    return;
                }

                Put((byte)id.Length);
                System.Array.Copy(id, 0, _buffer, _length, id.Length);
                _length += id.Length;
            }

            if (!Room(9))
            {
                _overflowed = true;
                return;
            }

            LittleEndian.WriteInt64(_buffer, _length, timestampMs);
            _length += 8;
            _countAt = _length;
            Put(0);
        }

        /// <summary>Adds an integer, DateTime or Boolean (0/1) value.</summary>
        /// <returns>False (record marked invalid) when the metric's datatype is not integer/boolean, the value does not fit it, or no room.</returns>
        public bool AddInteger(SparkplugMetric metric, long value)
        {
            int kind = SparkplugTypes.KindOf(metric.DataType);
            bool ok = kind == SparkplugTypes.KindBoolean
                || kind == SparkplugTypes.KindInteger && SparkplugTypes.IntegerFits(metric.DataType, value);
            if (!ok || !Header(metric, 0, 8))
            {
                _overflowed = true;
                return false;
            }

            if (kind == SparkplugTypes.KindBoolean)
            {
                value = value != 0 ? 1 : 0;
            }

            LittleEndian.WriteInt64(_buffer, _length, value);
            _length += 8;
            return true;
        }

        /// <summary>Adds a Float/Double value; NaN or infinity is stored as null (missing data stays missing).</summary>
        public bool AddReal(SparkplugMetric metric, double value)
        {
            if (SparkplugTypes.KindOf(metric.DataType) != SparkplugTypes.KindReal)
            {
                _overflowed = true;
                return false;
            }

            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                return AddNull(metric);
            }

            if (!Header(metric, 0, 8))
            {
                _overflowed = true;
                return false;
            }

            LittleEndian.WriteInt64(_buffer, _length, System.BitConverter.DoubleToInt64Bits(value));
            _length += 8;
            return true;
        }

        /// <summary>Adds a String/Text value (null is stored as null).</summary>
        public bool AddString(SparkplugMetric metric, string value)
        {
            if (SparkplugTypes.KindOf(metric.DataType) != SparkplugTypes.KindString)
            {
                _overflowed = true;
                return false;
            }

            if (value == null)
            {
                return AddNull(metric);
            }

            int n = Utf8.ByteCount(value);
            if (n > 65535 || !Header(metric, 0, 2 + n))
            {
                _overflowed = true;
                return false;
            }

            LittleEndian.WriteUInt16(_buffer, _length, n);
            _length += 2;
            _length += Utf8.Encode(value, _buffer, _length);
            return true;
        }

        /// <summary>Adds a missing value (is_null on replay).</summary>
        public bool AddNull(SparkplugMetric metric)
        {
            if (!Header(metric, 1, 0))
            {
                _overflowed = true;
                return false;
            }

            return true;
        }

        private bool Header(SparkplugMetric metric, byte flags, int valueBytes)
        {
            byte[] name = metric.NameUtf8;
            if (_overflowed || _count >= 255 || name.Length > 255 || !Room(3 + name.Length + valueBytes))
            {
                return false;
            }

            Put((byte)name.Length);
            System.Array.Copy(name, 0, _buffer, _length, name.Length);
            _length += name.Length;
            Put((byte)metric.DataType);
            Put(flags);
            _count++;
            _buffer[_countAt] = (byte)_count;
            return true;
        }

        private bool Room(int bytes)
        {
            return _length + bytes <= _buffer.Length;
        }

        private void Put(byte b)
        {
            _buffer[_length++] = b;
        }
    }
}
