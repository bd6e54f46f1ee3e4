using Tfb.Hal;

namespace Tfb.Sparkplug
{
    /// <summary>
    /// One declared metric: name, datatype, report-by-exception rules, current value and what was last published.
    /// Declared at startup through <see cref="MetricRegistry"/>; the module keeps the reference and sets values.
    /// </summary>
    /// <remarks>
    /// Threading: setters may run on any T2 thread; they lock the registry's sync object, as does the session
    /// while it encodes, so a 64-bit value is never torn. Setters never allocate (bytes are copied into a buffer
    /// sized at declaration). NaN or infinite reals are published as is_null: missing data is never a number.
    /// </remarks>
    public sealed class SparkplugMetric
    {
        private readonly object _sync;
        private readonly IClock _clock;
        private readonly byte[] _bytes;

        private bool _isNull = true;
        private bool _everSet;
        private long _integer;
        private double _real;
        private string _string;
        private int _bytesLength;
        private int _bytesVersion;
        private long _timestampMs;

        private bool _sentValid;
        private bool _sentNull;
        private long _sentInteger;
        private double _sentReal;
        private string _sentString;
        private int _sentBytesVersion;
        private long _sentAtMicros;

        internal SparkplugMetric(object sync, IClock clock, string name, SparkplugDataType dataType, double deadband,
            int maxIntervalMs, bool writable, int bytesCapacity, SparkplugPropertySet properties)
        {
            _sync = sync;
            _clock = clock;
            Name = name;
            NameUtf8 = Utf8.GetBytes(name);
            DataType = dataType;
            Kind = SparkplugTypes.KindOf(dataType);
            Deadband = deadband;
            MaxIntervalMicros = maxIntervalMs * 1000L;
            Writable = writable;
            Properties = properties;
            _bytes = Kind == SparkplugTypes.KindBytes ? new byte[bytesCapacity] : null;
        }

        /// <summary>Metric name as published (e.g. "Zone1/TempC"); Sparkplug uses '/' for folders.</summary>
        public readonly string Name;

        /// <summary>The name's UTF-8 bytes, encoded once at declaration.</summary>
        internal readonly byte[] NameUtf8;

        /// <summary>Sparkplug datatype.</summary>
        public readonly SparkplugDataType DataType;

        /// <summary>Storage kind (<see cref="SparkplugTypes"/>.Kind*).</summary>
        internal readonly int Kind;

        /// <summary>Report-by-exception: a numeric change must exceed this (in the metric's unit) to be published; 0 = any change.</summary>
        public readonly double Deadband;

        /// <summary>Publish at least this often even without a change (microseconds); 0 = only on change.</summary>
        public readonly long MaxIntervalMicros;

        /// <summary>True when NCMD/DCMD may write it (the command sink still validates).</summary>
        public readonly bool Writable;

        /// <summary>Properties sent in births, or null.</summary>
        public readonly SparkplugPropertySet Properties;

        /// <summary>Alias (unique per edge node), assigned when the session starts; 0 before.</summary>
        public ulong Alias { get; internal set; }

        /// <summary>True when no valid value is present (never set, NaN, or set null).</summary>
        public bool IsNull
        {
            get
            {
                lock (_sync)
                {
                    return _isNull;
                }
            }
        }

        /// <summary>Sets an integer, DateTime (ms since epoch) or Boolean (0/1) value.</summary>
        /// <returns>False (nothing changes) for a datatype that is not integer/boolean or a value out of its range.</returns>
        public bool SetInteger(long value)
        {
            if (Kind == SparkplugTypes.KindBoolean)
            {
                return SetBoolean(value != 0);
            }

            if (Kind != SparkplugTypes.KindInteger || !SparkplugTypes.IntegerFits(DataType, value))
            {
                return false;
            }

            lock (_sync)
            {
                _integer = value;
                Touch();
            }

            return true;
        }

        /// <summary>Sets a Float or Double value; NaN or infinity publishes is_null.</summary>
        /// <returns>False for a datatype that is not Float/Double.</returns>
        public bool SetReal(double value)
        {
            if (Kind != SparkplugTypes.KindReal)
            {
                return false;
            }

            lock (_sync)
            {
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    _isNull = true;
                    _everSet = true;
                    _timestampMs = StampNow();
                    return true;
                }

                _real = DataType == SparkplugDataType.Float ? (float)value : value;
                Touch();
            }

            return true;
        }

        /// <summary>Sets a Boolean value.</summary>
        /// <returns>False for a datatype that is not Boolean.</returns>
        public bool SetBoolean(bool value)
        {
            if (Kind != SparkplugTypes.KindBoolean)
            {
                return false;
            }

            lock (_sync)
            {
                _integer = value ? 1 : 0;
                Touch();
            }

            return true;
        }

        /// <summary>Sets a String/Text/UUID value (kept by reference, compared by value with the last published one).</summary>
        /// <returns>False for another datatype; null publishes is_null.</returns>
        public bool SetString(string value)
        {
            if (Kind != SparkplugTypes.KindString)
            {
                return false;
            }

            lock (_sync)
            {
                if (value == null)
                {
                    _isNull = true;
                    _everSet = true;
                    _timestampMs = StampNow();
                    return true;
                }

                _string = value;
                Touch();
            }

            return true;
        }

        /// <summary>Copies a Bytes/File value into the metric's own buffer.</summary>
        /// <returns>False for another datatype or more bytes than declared.</returns>
        public bool SetBytes(byte[] source, int offset, int count)
        {
            if (Kind != SparkplugTypes.KindBytes || count < 0 || count > _bytes.Length || offset < 0 || offset + count > source.Length)
            {
                return false;
            }

            lock (_sync)
            {
                for (int i = 0; i < count; i++)
                {
                    _bytes[i] = source[offset + i];
                }

                _bytesLength = count;
                _bytesVersion++;
                Touch();
            }

            return true;
        }

        /// <summary>Marks the value missing (sensor fault, module stopped): published as is_null.</summary>
        public void SetNull()
        {
            lock (_sync)
            {
                _isNull = true;
                _everSet = true;
                _timestampMs = StampNow();
            }
        }

        /// <summary>Reads the integer/boolean value (no lock: for the owner thread and tests).</summary>
        public long IntegerValue { get { return _integer; } }

        /// <summary>Reads the real value (no lock: for the owner thread and tests).</summary>
        public double RealValue { get { return _real; } }

        /// <summary>Reads the string value (no lock: for the owner thread and tests).</summary>
        public string StringValue { get { return _string; } }

        /// <summary>UTC ms now, or -1 while the wall clock is not synced (the message's own timestamp is used then).</summary>
        private long StampNow()
        {
            return _clock.WallClockValid ? _clock.UtcUnixMillis : -1;
        }

        private void Touch()
        {
            _isNull = false;
            _everSet = true;
            _timestampMs = StampNow();
        }

        /// <summary>Report-by-exception test; caller holds the registry lock.</summary>
        internal bool NeedsPublish(long nowMicros)
        {
            if (!_everSet)
            {
                return false;
            }

            if (!_sentValid || _isNull != _sentNull)
            {
                return true;
            }

            if (MaxIntervalMicros > 0 && nowMicros - _sentAtMicros >= MaxIntervalMicros)
            {
                return true;
            }

            if (_isNull)
            {
                return false;
            }

            switch (Kind)
            {
                case SparkplugTypes.KindInteger:
                    if (Deadband <= 0)
                    {
                        return _integer != _sentInteger;
                    }

                    return Abs((double)_integer - _sentInteger) > Deadband;
                case SparkplugTypes.KindReal:
                    if (Deadband <= 0)
                    {
                        return _real != _sentReal;
                    }

                    return Abs(_real - _sentReal) > Deadband;
                case SparkplugTypes.KindBoolean:
                    return _integer != _sentInteger;
                case SparkplugTypes.KindString:
                    return !string.Equals(_string, _sentString);
                default:
                    return _bytesVersion != _sentBytesVersion;
            }
        }

        /// <summary>Records the current value as published; caller holds the registry lock.</summary>
        internal void MarkSent(long nowMicros)
        {
            _sentValid = true;
            _sentNull = _isNull;
            _sentInteger = _integer;
            _sentReal = _real;
            _sentString = _string;
            _sentBytesVersion = _bytesVersion;
            _sentAtMicros = nowMicros;
        }

        /// <summary>Writes this metric's current value; caller holds the registry lock.</summary>
        internal void Write(ProtoWriter w, bool birth, bool useAlias, long fallbackTimestampMs)
        {
            w.BeginMessage(SparkplugFields.PayloadMetrics);
            if (birth || !useAlias)
            {
                w.WriteBytesField(SparkplugFields.MetricName, NameUtf8, 0, NameUtf8.Length);
            }

            if (useAlias)
            {
                w.WriteVarintField(SparkplugFields.MetricAlias, Alias);
            }

            w.WriteVarintField(SparkplugFields.MetricTimestamp, (ulong)(_everSet && _timestampMs >= 0 ? _timestampMs : fallbackTimestampMs));
            if (birth)
            {
                w.WriteVarintField(SparkplugFields.MetricDatatype, (ulong)DataType);
                if (Properties != null && Properties.Count > 0)
                {
                    Properties.Write(w);
                }
            }

            if (_isNull)
            {
                w.WriteBoolField(SparkplugFields.MetricIsNull, true);
            }
            else
            {
                WriteValue(w, DataType, _integer, _real, _string, _bytes, _bytesLength);
            }

            w.EndMessage();
        }

        /// <summary>Writes the value field for <paramref name="type"/> (interop rules: UInt32 in long_value, negative Int8-32 as 32-bit two's complement).</summary>
        internal static void WriteValue(ProtoWriter w, SparkplugDataType type, long integer, double real, string text, byte[] bytes, int bytesLength)
        {
            switch (SparkplugTypes.KindOf(type))
            {
                case SparkplugTypes.KindInteger:
                    if (SparkplugTypes.UsesIntValue(type))
                    {
                        w.WriteVarintField(SparkplugFields.MetricIntValue, (uint)(int)integer);
                    }
                    else
                    {
                        w.WriteVarintField(SparkplugFields.MetricLongValue, (ulong)integer);
                    }

                    break;
                case SparkplugTypes.KindReal:
                    if (type == SparkplugDataType.Float)
                    {
                        w.WriteFloatField(SparkplugFields.MetricFloatValue, (float)real);
                    }
                    else
                    {
                        w.WriteDoubleField(SparkplugFields.MetricDoubleValue, real);
                    }

                    break;
                case SparkplugTypes.KindBoolean:
                    w.WriteBoolField(SparkplugFields.MetricBooleanValue, integer != 0);
                    break;
                case SparkplugTypes.KindString:
                    w.WriteStringField(SparkplugFields.MetricStringValue, text);
                    break;
                default:
                    w.WriteBytesField(SparkplugFields.MetricBytesValue, bytes, 0, bytesLength);
                    break;
            }
        }

        private static double Abs(double value)
        {
            return value < 0 ? -value : value;
        }
    }
}
