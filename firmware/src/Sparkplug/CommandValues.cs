using Tfb.Codes;

namespace Tfb.Sparkplug
{
    /// <summary>
    /// Converts a decoded command metric to a target metric's datatype with the interop rules of the
    /// reference encoders: Int8/16/32 and UInt8/16 in int_value (signed ones as 32-bit two's complement),
    /// UInt32 in long_value (int_value accepted), Int64/UInt64/DateTime in long_value, Float in float_value,
    /// Double in double_value (float_value accepted), Boolean, String/Text/UUID, Bytes/File.
    /// </summary>
    public static class CommandValues
    {
        /// <summary>Converts and range-checks; nothing is changed on failure.</summary>
        /// <param name="cm">The decoded metric.</param>
        /// <param name="payload">The payload its byte ranges point into.</param>
        /// <param name="target">The registered metric's datatype.</param>
        /// <param name="value">Receives the converted value.</param>
        /// <param name="error">WrongDatatype (declared datatype differs, or the wrong value field),
        /// OutOfRange (does not fit, or not finite), BadArgument (is_null written).</param>
        /// <returns>True when converted.</returns>
        public static bool TryConvert(SparkplugCommandMetric cm, byte[] payload, SparkplugDataType target, SparkplugValue value, out ErrorCode error)
        {
            error = ErrorCode.WrongDatatype;
            value.DataType = target;
            value.Integer = 0;
            value.Real = 0;
            value.Text = null;
            value.Bytes = null;
            value.BytesOffset = 0;
            value.BytesCount = 0;
            if (cm.HasDataType && cm.DataType != (uint)target)
            {
                return false;
            }

            if (cm.IsNull)
            {
                error = ErrorCode.BadArgument;
                return false;
            }

            SparkplugValueField field = cm.ValueField;
            switch (SparkplugTypes.KindOf(target))
            {
                case SparkplugTypes.KindInteger:
                    {
                        long v;
                        if (field == SparkplugValueField.Int)
                        {
                            // int_value holds 32 bits: signed types read them as two's complement.
                            bool signed = target == SparkplugDataType.Int8 || target == SparkplugDataType.Int16
                                || target == SparkplugDataType.Int32 || target == SparkplugDataType.Int64;
                            v = signed ? (long)(int)(uint)cm.Integer : (long)cm.Integer;
                        }
                        else if (field == SparkplugValueField.Long)
                        {
                            v = (long)cm.Integer;
                            if (target != SparkplugDataType.Int64 && target != SparkplugDataType.UInt64 && cm.Integer > 0x7FFFFFFFFFFFFFFFUL)
                            {
                                error = ErrorCode.OutOfRange;
                                return false;
                            }
                        }
                        else
                        {
                            return false;
                        }

                        if (!SparkplugTypes.IntegerFits(target, v))
                        {
                            // Int8/16 written as sign-extended 64-bit two's complement in long_value also lands here.
                            error = ErrorCode.OutOfRange;
                            return false;
                        }

                        value.Integer = v;
                        return true;
                    }

                case SparkplugTypes.KindReal:
                    {
                        double v;
                        if (field == SparkplugValueField.Float)
                        {
                            v = FloatBits.UInt32BitsToSingle(cm.FloatBits);
                        }
                        else if (field == SparkplugValueField.Double && target == SparkplugDataType.Double)
                        {
                            v = cm.Double;
                        }
                        else
                        {
                            return false;
                        }

                        if (double.IsNaN(v) || double.IsInfinity(v))
                        {
                            error = ErrorCode.OutOfRange;
                            return false;
                        }

                        value.Real = v;
                        return true;
                    }

                case SparkplugTypes.KindBoolean:
                    if (field != SparkplugValueField.Boolean)
                    {
                        return false;
                    }

                    value.Integer = (long)cm.Integer;
                    return true;
                case SparkplugTypes.KindString:
                    {
                        string text;
                        if (field != SparkplugValueField.String)
                        {
                            return false;
                        }

                        if (!Utf8.TryDecode(payload, cm.DataOffset, cm.DataLength, out text))
                        {
                            error = ErrorCode.MalformedPayload;
                            return false;
                        }

                        value.Text = text;
                        return true;
                    }

                case SparkplugTypes.KindBytes:
                    if (field != SparkplugValueField.Bytes)
                    {
                        return false;
                    }

                    value.Bytes = payload;
                    value.BytesOffset = cm.DataOffset;
                    value.BytesCount = cm.DataLength;
                    return true;
                default:
                    return false;
            }
        }
    }
}
