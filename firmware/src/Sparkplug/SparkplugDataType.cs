namespace Tfb.Sparkplug
{
    /// <summary>Sparkplug B 3.0 metric datatypes (the numbers on the wire, Metric.datatype).</summary>
    public enum SparkplugDataType
    {
        /// <summary>Not a valid datatype (0 on the wire is "Unknown").</summary>
        Unknown = 0,
        /// <summary>Signed 8-bit, int_value as 32-bit two's complement.</summary>
        Int8 = 1,
        /// <summary>Signed 16-bit, int_value as 32-bit two's complement.</summary>
        Int16 = 2,
        /// <summary>Signed 32-bit, int_value as 32-bit two's complement.</summary>
        Int32 = 3,
        /// <summary>Signed 64-bit, long_value as 64-bit two's complement.</summary>
        Int64 = 4,
        /// <summary>Unsigned 8-bit, int_value.</summary>
        UInt8 = 5,
        /// <summary>Unsigned 16-bit, int_value.</summary>
        UInt16 = 6,
        /// <summary>Unsigned 32-bit, long_value (what the reference encoders and decoders use).</summary>
        UInt32 = 7,
        /// <summary>Unsigned 64-bit, long_value.</summary>
        UInt64 = 8,
        /// <summary>IEEE 754 single, float_value.</summary>
        Float = 9,
        /// <summary>IEEE 754 double, double_value.</summary>
        Double = 10,
        /// <summary>boolean_value.</summary>
        Boolean = 11,
        /// <summary>UTF-8 string_value.</summary>
        String = 12,
        /// <summary>Milliseconds since the Unix epoch (UTC), long_value.</summary>
        DateTime = 13,
        /// <summary>UTF-8 string_value (long text).</summary>
        Text = 14,
        /// <summary>UUID as string_value.</summary>
        Uuid = 15,
        /// <summary>dataset_value (not produced by this firmware).</summary>
        DataSet = 16,
        /// <summary>bytes_value.</summary>
        Bytes = 17,
        /// <summary>bytes_value (file content).</summary>
        File = 18,
        /// <summary>template_value (not produced by this firmware).</summary>
        Template = 19,
    }

    /// <summary>How a datatype is stored and put on the wire.</summary>
    public static class SparkplugTypes
    {
        /// <summary>Storage kind: none (unsupported datatype).</summary>
        public const int KindNone = 0;
        /// <summary>Storage kind: 64-bit integer (all integer types, DateTime; UInt64 kept as its bits).</summary>
        public const int KindInteger = 1;
        /// <summary>Storage kind: double (Float and Double).</summary>
        public const int KindReal = 2;
        /// <summary>Storage kind: bool.</summary>
        public const int KindBoolean = 3;
        /// <summary>Storage kind: string (String, Text, UUID).</summary>
        public const int KindString = 4;
        /// <summary>Storage kind: bytes (Bytes, File).</summary>
        public const int KindBytes = 5;

        /// <summary>The storage kind of <paramref name="type"/>.</summary>
        public static int KindOf(SparkplugDataType type)
        {
            switch (type)
            {
                case SparkplugDataType.Int8:
                case SparkplugDataType.Int16:
                case SparkplugDataType.Int32:
                case SparkplugDataType.Int64:
                case SparkplugDataType.UInt8:
                case SparkplugDataType.UInt16:
                case SparkplugDataType.UInt32:
                case SparkplugDataType.UInt64:
                case SparkplugDataType.DateTime:
                    return KindInteger;
                case SparkplugDataType.Float:
                case SparkplugDataType.Double:
                    return KindReal;
                case SparkplugDataType.Boolean:
                    return KindBoolean;
                case SparkplugDataType.String:
                case SparkplugDataType.Text:
                case SparkplugDataType.Uuid:
                    return KindString;
                case SparkplugDataType.Bytes:
                case SparkplugDataType.File:
                    return KindBytes;
                default:
                    return KindNone;
            }
        }

        /// <summary>True when <paramref name="value"/> fits the integer datatype (UInt64 takes any bit pattern).</summary>
        public static bool IntegerFits(SparkplugDataType type, long value)
        {
            switch (type)
            {
                case SparkplugDataType.Int8:
                    return value >= -128 && value <= 127;
                case SparkplugDataType.Int16:
                    return value >= -32768 && value <= 32767;
                case SparkplugDataType.Int32:
                    return value >= int.MinValue && value <= int.MaxValue;
                case SparkplugDataType.UInt8:
                    return value >= 0 && value <= 255;
                case SparkplugDataType.UInt16:
                    return value >= 0 && value <= 65535;
                case SparkplugDataType.UInt32:
                    return value >= 0 && value <= 4294967295L;
                case SparkplugDataType.Int64:
                case SparkplugDataType.UInt64:
                    return true;
                case SparkplugDataType.DateTime:
                    return value >= 0;
                default:
                    return false;
            }
        }

        /// <summary>True for the integer types carried in int_value (uint32 on the wire).</summary>
        public static bool UsesIntValue(SparkplugDataType type)
        {
            return type == SparkplugDataType.Int8 || type == SparkplugDataType.Int16 || type == SparkplugDataType.Int32
                || type == SparkplugDataType.UInt8 || type == SparkplugDataType.UInt16;
        }
    }
}
