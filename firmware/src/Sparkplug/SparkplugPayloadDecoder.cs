using Tfb.Codes;

namespace Tfb.Sparkplug
{
    /// <summary>
    /// Decodes and validates NCMD/DCMD payloads. Never throws on any input: every failure is a stable
    /// <see cref="ErrorCode"/> (<see cref="ErrorCode.MalformedPayload"/> for anything structural).
    /// </summary>
    /// <remarks>
    /// Checked: truncated varints and fixed fields, lengths past the end, wire types that do not match a known
    /// field, groups, field number 0, varints over 10 bytes, uint32 fields above 2^32-1, invalid UTF-8 in names
    /// and strings, nesting deeper than <see cref="MaxDepth"/>, more than one value field in a metric, more
    /// metrics than the command holds. Unknown fields are skipped. Property sets and metadata are checked
    /// field by field and then ignored; datasets, templates and extensions only for framing (their contents are
    /// never interpreted: the session refuses such values with WrongDatatype). Allocates nothing. One owner thread.
    /// </remarks>
    public sealed class SparkplugPayloadDecoder
    {
        /// <summary>Deepest message nesting accepted (payload = 1; property sets inside property values add levels).</summary>
        public const int MaxDepth = 8;

        private readonly ProtoReader _reader = new ProtoReader();

        /// <summary>Decodes <paramref name="payload"/>[offset..offset+count) into <paramref name="command"/>.</summary>
        /// <param name="payload">Payload bytes (kept by reference in <see cref="SparkplugCommand.Payload"/>).</param>
        /// <param name="offset">Start of the payload.</param>
        /// <param name="count">Payload length.</param>
        /// <param name="command">Receives the decoded fields; cleared first.</param>
        /// <param name="error">Why decoding failed (MalformedPayload); unchanged meaning otherwise.</param>
        /// <returns>True when the whole payload decoded.</returns>
        public bool TryDecode(byte[] payload, int offset, int count, SparkplugCommand command, out ErrorCode error)
        {
            error = ErrorCode.MalformedPayload;
            command.Clear();
            if (!_reader.Reset(payload, offset, count))
            {
                return false;
            }

            command.Payload = payload;
            while (!_reader.AtEnd)
            {
                int field;
                int wire;
                if (!_reader.TryReadTag(out field, out wire))
                {
                    return false;
                }

                switch (field)
                {
                    case SparkplugFields.PayloadTimestamp:
                        if (wire != ProtoWriter.WireVarint || !_reader.TryReadVarint(out command.TimestampMs))
                        {
                            return false;
                        }

                        command.HasTimestamp = true;
                        break;
                    case SparkplugFields.PayloadSeq:
                        if (wire != ProtoWriter.WireVarint || !_reader.TryReadVarint(out command.Seq))
                        {
                            return false;
                        }

                        command.HasSeq = true;
                        break;
                    case SparkplugFields.PayloadMetrics:
                        {
                            int o;
                            int c;
                            if (wire != ProtoWriter.WireLengthDelimited || !_reader.TryReadLengthDelimited(out o, out c))
                            {
                                return false;
                            }

                            SparkplugCommandMetric metric = command.Next();
                            if (metric == null)
                            {
                                return false;
                            }

                            int outer = _reader.EnterMessage(o, c);
                            bool ok = DecodeMetric(metric);
                            _reader.LeaveMessage(outer);
                            if (!ok)
                            {
                                return false;
                            }

                            break;
                        }

                    case SparkplugFields.PayloadUuid:
                        {
                            int o;
                            int c;
                            if (wire != ProtoWriter.WireLengthDelimited || !_reader.TryReadLengthDelimited(out o, out c)
                                || Utf8.CountChars(payload, o, c) < 0)
                            {
                                return false;
                            }

                            break;
                        }

                    case SparkplugFields.PayloadBody:
                        if (wire != ProtoWriter.WireLengthDelimited || !_reader.TrySkip(wire))
                        {
                            return false;
                        }

                        break;
                    default:
                        if (!_reader.TrySkip(wire))
                        {
                            return false;
                        }

                        break;
                }
            }

            return true;
        }

        private bool DecodeMetric(SparkplugCommandMetric m)
        {
            byte[] buffer = _reader.Buffer;
            while (!_reader.AtEnd)
            {
                int field;
                int wire;
                if (!_reader.TryReadTag(out field, out wire))
                {
                    return false;
                }

                ulong v;
                int o;
                int c;
                switch (field)
                {
                    case SparkplugFields.MetricName:
                        if (wire != ProtoWriter.WireLengthDelimited || !_reader.TryReadLengthDelimited(out o, out c) || Utf8.CountChars(buffer, o, c) < 0)
                        {
                            return false;
                        }

                        m.HasName = true;
                        m.NameOffset = o;
                        m.NameLength = c;
                        break;
                    case SparkplugFields.MetricAlias:
                        if (wire != ProtoWriter.WireVarint || !_reader.TryReadVarint(out m.Alias))
                        {
                            return false;
                        }

                        m.HasAlias = true;
                        break;
                    case SparkplugFields.MetricTimestamp:
                        if (wire != ProtoWriter.WireVarint || !_reader.TryReadVarint(out m.TimestampMs))
                        {
                            return false;
                        }

                        m.HasTimestamp = true;
                        break;
                    case SparkplugFields.MetricDatatype:
                        if (wire != ProtoWriter.WireVarint || !_reader.TryReadVarint(out v) || v > 0xFFFFFFFFUL)
                        {
                            return false;
                        }

                        m.HasDataType = true;
                        m.DataType = (uint)v;
                        break;
                    case SparkplugFields.MetricIsHistorical:
                    case SparkplugFields.MetricIsTransient:
                    case SparkplugFields.MetricIsNull:
                        if (wire != ProtoWriter.WireVarint || !_reader.TryReadVarint(out v))
                        {
                            return false;
                        }

                        if (field == SparkplugFields.MetricIsHistorical)
                        {
                            m.IsHistorical = v != 0;
                        }
                        else if (field == SparkplugFields.MetricIsTransient)
                        {
                            m.IsTransient = v != 0;
                        }
                        else
                        {
                            m.IsNull = v != 0;
                        }

                        break;
                    case SparkplugFields.MetricMetadata:
                        if (wire != ProtoWriter.WireLengthDelimited || !_reader.TryReadLengthDelimited(out o, out c) || !CheckMetaData(o, c))
                        {
                            return false;
                        }

                        break;
                    case SparkplugFields.MetricProperties:
                        if (wire != ProtoWriter.WireLengthDelimited || !_reader.TryReadLengthDelimited(out o, out c) || !CheckPropertySet(o, c, 3))
                        {
                            return false;
                        }

                        break;
                    case SparkplugFields.MetricIntValue:
                        if (wire != ProtoWriter.WireVarint || !_reader.TryReadVarint(out v) || v > 0xFFFFFFFFUL || !SetValue(m, SparkplugValueField.Int))
                        {
                            return false;
                        }

                        m.Integer = v;
                        break;
                    case SparkplugFields.MetricLongValue:
                    case SparkplugFields.MetricBooleanValue:
                        if (wire != ProtoWriter.WireVarint || !_reader.TryReadVarint(out v))
                        {
                            return false;
                        }

                        if (field == SparkplugFields.MetricLongValue)
                        {
                            if (!SetValue(m, SparkplugValueField.Long))
                            {
                                return false;
                            }

                            m.Integer = v;
                        }
                        else
                        {
                            if (!SetValue(m, SparkplugValueField.Boolean))
                            {
                                return false;
                            }

                            m.Integer = v != 0 ? 1UL : 0UL;
                        }

                        break;
                    case SparkplugFields.MetricFloatValue:
                        if (wire != ProtoWriter.WireFixed32 || !_reader.TryReadFixed32(out m.FloatBits) || !SetValue(m, SparkplugValueField.Float))
                        {
                            return false;
                        }

                        break;
                    case SparkplugFields.MetricDoubleValue:
                        if (wire != ProtoWriter.WireFixed64 || !_reader.TryReadFixed64(out v) || !SetValue(m, SparkplugValueField.Double))
                        {
                            return false;
                        }

                        m.Double = System.BitConverter.Int64BitsToDouble((long)v);
                        break;
                    case SparkplugFields.MetricStringValue:
                    case SparkplugFields.MetricBytesValue:
                        if (wire != ProtoWriter.WireLengthDelimited || !_reader.TryReadLengthDelimited(out o, out c))
                        {
                            return false;
                        }

                        if (field == SparkplugFields.MetricStringValue)
                        {
                            if (Utf8.CountChars(buffer, o, c) < 0 || !SetValue(m, SparkplugValueField.String))
                            {
                                return false;
                            }
                        }
                        else if (!SetValue(m, SparkplugValueField.Bytes))
                        {
                            return false;
                        }

                        m.DataOffset = o;
                        m.DataLength = c;
                        break;
                    case SparkplugFields.MetricDataSetValue:
                    case SparkplugFields.MetricTemplateValue:
                    case SparkplugFields.MetricExtensionValue:
                        if (wire != ProtoWriter.WireLengthDelimited || !_reader.TryReadLengthDelimited(out o, out c)
                            || !CheckGenericMessage(o, c) || !SetValue(m, SparkplugValueField.Complex))
                        {
                            return false;
                        }

                        break;
                    default:
                        if (!_reader.TrySkip(wire))
                        {
                            return false;
                        }

                        break;
                }
            }

            // A metric is either null or carries exactly one value.
            return m.IsNull ? m.ValueField == SparkplugValueField.None : m.ValueField != SparkplugValueField.None;
        }

        private static bool SetValue(SparkplugCommandMetric m, SparkplugValueField field)
        {
            if (m.ValueField != SparkplugValueField.None)
            {
                return false;
            }

            m.ValueField = field;
            return true;
        }

        /// <summary>Checks MetaData: bool 1, strings 2 and 5-8 (UTF-8), uint64 3-4; unknown fields skipped.</summary>
        private bool CheckMetaData(int offset, int count)
        {
            byte[] buffer = _reader.Buffer;
            int outer = _reader.EnterMessage(offset, count);
            bool ok = true;
            while (ok && !_reader.AtEnd)
            {
                int field;
                int wire;
                int o;
                int c;
                ulong v;
                if (!_reader.TryReadTag(out field, out wire))
                {
                    ok = false;
                }
                else if (field == 1 || field == 3 || field == 4)
                {
                    ok = wire == ProtoWriter.WireVarint && _reader.TryReadVarint(out v);
                }
                else if (field == 2 || (field >= 5 && field <= 8))
                {
                    ok = wire == ProtoWriter.WireLengthDelimited && _reader.TryReadLengthDelimited(out o, out c) && Utf8.CountChars(buffer, o, c) >= 0;
                }
                else
                {
                    ok = _reader.TrySkip(wire);
                }
            }

            _reader.LeaveMessage(outer);
            return ok;
        }

        /// <summary>Checks that [offset..offset+count) is a well-formed sequence of fields (contents not interpreted).</summary>
        private bool CheckGenericMessage(int offset, int count)
        {
            int outer = _reader.EnterMessage(offset, count);
            bool ok = true;
            while (ok && !_reader.AtEnd)
            {
                int field;
                int wire;
                ok = _reader.TryReadTag(out field, out wire) && _reader.TrySkip(wire);
            }

            _reader.LeaveMessage(outer);
            return ok;
        }

        /// <summary>Checks a PropertySet: keys are strings, values are PropertyValues (which may nest sets).</summary>
        private bool CheckPropertySet(int offset, int count, int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }

            byte[] buffer = _reader.Buffer;
            int outer = _reader.EnterMessage(offset, count);
            bool ok = true;
            while (ok && !_reader.AtEnd)
            {
                int field;
                int wire;
                int o;
                int c;
                if (!_reader.TryReadTag(out field, out wire))
                {
                    ok = false;
                }
                else if (field == SparkplugFields.PropertySetKeys)
                {
                    ok = wire == ProtoWriter.WireLengthDelimited && _reader.TryReadLengthDelimited(out o, out c) && Utf8.CountChars(buffer, o, c) >= 0;
                }
                else if (field == SparkplugFields.PropertySetValues)
                {
                    ok = wire == ProtoWriter.WireLengthDelimited && _reader.TryReadLengthDelimited(out o, out c) && CheckPropertyValue(o, c, depth + 1);
                }
                else
                {
                    ok = _reader.TrySkip(wire);
                }
            }

            _reader.LeaveMessage(outer);
            return ok;
        }

        private bool CheckPropertyValue(int offset, int count, int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }

            byte[] buffer = _reader.Buffer;
            int outer = _reader.EnterMessage(offset, count);
            bool ok = true;
            while (ok && !_reader.AtEnd)
            {
                int field;
                int wire;
                int o;
                int c;
                ulong v;
                if (!_reader.TryReadTag(out field, out wire))
                {
                    ok = false;
                    continue;
                }

                switch (field)
                {
                    case SparkplugFields.PropertyValueType:
                    case SparkplugFields.PropertyValueInt:
                        ok = wire == ProtoWriter.WireVarint && _reader.TryReadVarint(out v) && v <= 0xFFFFFFFFUL;
                        break;
                    case SparkplugFields.PropertyValueIsNull:
                    case SparkplugFields.PropertyValueLong:
                    case SparkplugFields.PropertyValueBoolean:
                        ok = wire == ProtoWriter.WireVarint && _reader.TryReadVarint(out v);
                        break;
                    case SparkplugFields.PropertyValueFloat:
                        ok = wire == ProtoWriter.WireFixed32 && _reader.TrySkip(wire);
                        break;
                    case SparkplugFields.PropertyValueDouble:
                        ok = wire == ProtoWriter.WireFixed64 && _reader.TrySkip(wire);
                        break;
                    case SparkplugFields.PropertyValueString:
                        ok = wire == ProtoWriter.WireLengthDelimited && _reader.TryReadLengthDelimited(out o, out c) && Utf8.CountChars(buffer, o, c) >= 0;
                        break;
                    case SparkplugFields.PropertyValuePropertySet:
                        ok = wire == ProtoWriter.WireLengthDelimited && _reader.TryReadLengthDelimited(out o, out c) && CheckPropertySet(o, c, depth + 1);
                        break;
                    case SparkplugFields.PropertyValuePropertySets:
                        ok = wire == ProtoWriter.WireLengthDelimited && _reader.TryReadLengthDelimited(out o, out c) && CheckPropertySetList(o, c, depth + 1);
                        break;
                    default:
                        ok = _reader.TrySkip(wire);
                        break;
                }
            }

            _reader.LeaveMessage(outer);
            return ok;
        }

        private bool CheckPropertySetList(int offset, int count, int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }

            int outer = _reader.EnterMessage(offset, count);
            bool ok = true;
            while (ok && !_reader.AtEnd)
            {
                int field;
                int wire;
                int o;
                int c;
                if (!_reader.TryReadTag(out field, out wire))
                {
                    ok = false;
                }
                else if (field == SparkplugFields.PropertySetListSets)
                {
                    ok = wire == ProtoWriter.WireLengthDelimited && _reader.TryReadLengthDelimited(out o, out c) && CheckPropertySet(o, c, depth + 1);
                }
                else
                {
                    ok = _reader.TrySkip(wire);
                }
            }

            _reader.LeaveMessage(outer);
            return ok;
        }
    }
}
