namespace Tfb.Sparkplug
{
    /// <summary>
    /// A metric's PropertySet (e.g. engUnit, engLow, engHigh), built once at setup and sent in births only.
    /// </summary>
    /// <remarks>Values are fixed after setup; keys must be unique (checked at <see cref="Add"/> time).</remarks>
    public sealed class SparkplugPropertySet
    {
        private readonly string[] _keys;
        private readonly SparkplugDataType[] _types;
        private readonly long[] _integers;
        private readonly double[] _reals;
        private readonly string[] _strings;
        private int _count;

        /// <summary>Creates an empty set with room for <paramref name="capacity"/> properties.</summary>
        public SparkplugPropertySet(int capacity)
        {
            _keys = new string[capacity];
            _types = new SparkplugDataType[capacity];
            _integers = new long[capacity];
            _reals = new double[capacity];
            _strings = new string[capacity];
        }

        /// <summary>Number of properties.</summary>
        public int Count { get { return _count; } }

        /// <summary>Adds an integer, DateTime or Boolean property (Boolean: 0 = false).</summary>
        /// <returns>False when full, the key repeats or is empty, or the value does not fit the datatype.</returns>
        public bool AddInteger(string key, SparkplugDataType type, long value)
        {
            int kind = SparkplugTypes.KindOf(type);
            if (kind == SparkplugTypes.KindBoolean)
            {
                value = value != 0 ? 1 : 0;
            }
            else if (kind != SparkplugTypes.KindInteger || !SparkplugTypes.IntegerFits(type, value))
            {
                return false;
            }

            int i = Add(key, type);
            if (i < 0)
            {
                return false;
            }

            _integers[i] = value;
            return true;
        }

        /// <summary>Adds a Float or Double property.</summary>
        /// <returns>False when full, the key repeats, or the value is not finite.</returns>
        public bool AddReal(string key, SparkplugDataType type, double value)
        {
            if (SparkplugTypes.KindOf(type) != SparkplugTypes.KindReal || double.IsNaN(value) || double.IsInfinity(value))
            {
                return false;
            }

            int i = Add(key, type);
            if (i < 0)
            {
                return false;
            }

            _reals[i] = value;
            return true;
        }

        /// <summary>Adds a String property (e.g. engUnit "degC").</summary>
        /// <returns>False when full, the key repeats, or the value is null.</returns>
        public bool AddString(string key, string value)
        {
            if (value == null)
            {
                return false;
            }

            int i = Add(key, SparkplugDataType.String);
            if (i < 0)
            {
                return false;
            }

            _strings[i] = value;
            return true;
        }

        /// <summary>Writes the set as Metric.properties (field 9).</summary>
        internal void Write(ProtoWriter w)
        {
            w.BeginMessage(SparkplugFields.MetricProperties);
            for (int i = 0; i < _count; i++)
            {
                w.WriteStringField(SparkplugFields.PropertySetKeys, _keys[i]);
            }

            for (int i = 0; i < _count; i++)
            {
                w.BeginMessage(SparkplugFields.PropertySetValues);
                SparkplugDataType type = _types[i];
                w.WriteVarintField(SparkplugFields.PropertyValueType, (ulong)type);
                switch (SparkplugTypes.KindOf(type))
                {
                    case SparkplugTypes.KindInteger:
                        if (SparkplugTypes.UsesIntValue(type))
                        {
                            w.WriteVarintField(SparkplugFields.PropertyValueInt, (uint)(int)_integers[i]);
                        }
                        else
                        {
                            w.WriteVarintField(SparkplugFields.PropertyValueLong, (ulong)_integers[i]);
                        }

                        break;
                    case SparkplugTypes.KindBoolean:
                        w.WriteBoolField(SparkplugFields.PropertyValueBoolean, _integers[i] != 0);
                        break;
                    case SparkplugTypes.KindReal:
                        if (type == SparkplugDataType.Float)
                        {
                            w.WriteFloatField(SparkplugFields.PropertyValueFloat, (float)_reals[i]);
                        }
                        else
                        {
                            w.WriteDoubleField(SparkplugFields.PropertyValueDouble, _reals[i]);
                        }

                        break;
                    default:
                        w.WriteStringField(SparkplugFields.PropertyValueString, _strings[i]);
                        break;
                }

                w.EndMessage();
            }

            w.EndMessage();
        }

        private int Add(string key, SparkplugDataType type)
        {
            if (_count >= _keys.Length || key == null || key.Length == 0)
            {
                return -1;
            }

            for (int i = 0; i < _count; i++)
            {
                if (_keys[i] == key)
                {
                    return -1;
                }
            }

            _keys[_count] = key;
            _types[_count] = type;
            return _count++;
        }
    }
}
