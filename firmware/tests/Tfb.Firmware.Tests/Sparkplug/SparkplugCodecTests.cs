using System.Text;
using Google.Protobuf;
using Tfb.Codes;
using Tfb.Sparkplug;
using Ref = Tfb.SparkplugReference;

namespace Tfb.Firmware.Tests.Sparkplug;

/// <summary>The hand-written codec checked against Google.Protobuf compiled from our own sparkplug_b.proto.</summary>
public class SparkplugCodecTests
{
    private static readonly FakeClock Clock = new();

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(127UL)]
    [InlineData(128UL)]
    [InlineData(16383UL)]
    [InlineData(16384UL)]
    [InlineData(0xFFFFFFFFUL)]
    [InlineData(ulong.MaxValue)]
    public void Varint_MatchesGoogleEncoding(ulong value)
    {
        var w = new ProtoWriter(16);
        w.WriteVarint(value);
        var expected = new byte[CodedOutputStream.ComputeUInt64Size(value)];
        var cos = new CodedOutputStream(expected);
        cos.WriteUInt64(value);
        cos.Flush();
        Assert.Equal(expected, w.Buffer.AsSpan(0, w.Length).ToArray());
        Assert.Equal(expected.Length, ProtoWriter.VarintSize(value));
    }

    [Fact]
    public void FloatBits_MatchRuntimeForEdgeCasesAndRandomBits()
    {
        var rng = new Random(7);
        var cases = new List<uint> { 0, 0x80000000, 1, 0x807FFFFF, 0x00800000, 0x7F7FFFFF, 0x7F800000, 0xFF800000, 0x7FC00000, 0x3F800000 };
        for (int i = 0; i < 20000; i++) cases.Add((uint)rng.NextInt64(0, 1L << 32));
        foreach (uint bits in cases)
        {
            float f = BitConverter.UInt32BitsToSingle(bits);
            if (float.IsNaN(f))
            {
                Assert.True(float.IsNaN(FloatBits.UInt32BitsToSingle(FloatBits.SingleToUInt32Bits(f))));
                continue;
            }

            Assert.Equal(bits, FloatBits.SingleToUInt32Bits(f));
            Assert.Equal(bits, BitConverter.SingleToUInt32Bits(FloatBits.UInt32BitsToSingle(bits)));
        }
    }

    [Fact]
    public void Utf8_EncodeMatchesRuntime_IncludingSurrogatePairsAndLoneSurrogates()
    {
        var rng = new Random(11);
        var samples = new List<string> { "", "abc", "Temp °C", "Ω µm", "電池", "\U0001F50B battery", "\uD800", "x\uDC00y", "\uD83D" };
        for (int i = 0; i < 2000; i++)
        {
            var chars = new char[rng.Next(0, 12)];
            for (int k = 0; k < chars.Length; k++) chars[k] = (char)rng.Next(0, 0x10000);
            samples.Add(new string(chars));
        }

        foreach (string s in samples)
        {
            byte[] expected = Encoding.UTF8.GetBytes(s); // replaces lone surrogates with U+FFFD, as ours does
            Assert.Equal(expected.Length, Utf8.ByteCount(s));
            Assert.Equal(expected, Utf8.GetBytes(s));
        }
    }

    [Fact]
    public void Utf8_StrictDecode_AgreesWithThrowingRuntimeDecoder()
    {
        var strict = new UTF8Encoding(false, true);
        var rng = new Random(13);
        for (int i = 0; i < 20000; i++)
        {
            var bytes = new byte[rng.Next(0, 8)];
            rng.NextBytes(bytes);
            string expected;
            try { expected = strict.GetString(bytes); }
            catch (DecoderFallbackException) { expected = null; }

            bool ok = Utf8.TryDecode(bytes, 0, bytes.Length, out string actual);
            Assert.Equal(expected != null, ok);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Tck_Payloads_Metric_EveryDatatype_DecodesWithIndependentDecoder()
    {
        var registry = new MetricRegistry(Clock, 32);
        var props = new SparkplugPropertySet(4);
        Assert.True(props.AddString("engUnit", "°C"));
        Assert.True(props.AddReal("engHigh", SparkplugDataType.Double, 1200.5));
        Assert.True(props.AddInteger("readOnly", SparkplugDataType.Boolean, 1));
        Assert.True(props.AddInteger("scale", SparkplugDataType.Int32, -3));

        var i8 = registry.Add("I8", SparkplugDataType.Int8, 0, 0);
        var i16 = registry.Add("I16", SparkplugDataType.Int16, 0, 0);
        var i32 = registry.Add("I32", SparkplugDataType.Int32, 0, 0, false, 0, props);
        var i64 = registry.Add("I64", SparkplugDataType.Int64, 0, 0);
        var u8 = registry.Add("U8", SparkplugDataType.UInt8, 0, 0);
        var u16 = registry.Add("U16", SparkplugDataType.UInt16, 0, 0);
        var u32 = registry.Add("U32", SparkplugDataType.UInt32, 0, 0);
        var u64 = registry.Add("U64", SparkplugDataType.UInt64, 0, 0);
        var f = registry.Add("Zone1/TempC", SparkplugDataType.Float, 0, 0);
        var d = registry.Add("D", SparkplugDataType.Double, 0, 0);
        var b = registry.Add("B", SparkplugDataType.Boolean, 0, 0);
        var s = registry.Add("S", SparkplugDataType.String, 0, 0);
        var dt = registry.Add("When", SparkplugDataType.DateTime, 0, 0);
        var by = registry.Add("Blob", SparkplugDataType.Bytes, 0, 0, false, 8, null);
        var nul = registry.Add("Missing", SparkplugDataType.Float, 0, 0);
        var nan = registry.Add("Nan", SparkplugDataType.Double, 0, 0);

        Assert.True(i8.SetInteger(-5));
        Assert.True(i16.SetInteger(-30000));
        Assert.True(i32.SetInteger(int.MinValue));
        Assert.True(i64.SetInteger(-1234567890123));
        Assert.True(u8.SetInteger(255));
        Assert.True(u16.SetInteger(65535));
        Assert.True(u32.SetInteger(4_000_000_000));
        Assert.True(u64.SetInteger(unchecked((long)0xFEDCBA9876543210UL)));
        Assert.True(f.SetReal(451.25f));
        Assert.True(d.SetReal(-0.1));
        Assert.True(b.SetBoolean(true));
        Assert.True(s.SetString("Anneal \U0001F50B Ω"));
        Assert.True(dt.SetInteger(1_767_225_600_123));
        Assert.True(by.SetBytes(new byte[] { 0, 1, 0xFF, 0x80 }, 0, 4));
        Assert.True(nan.SetReal(double.NaN));
        for (int i = 0; i < registry.Count; i++) registry[i].Alias = (ulong)(100 + i);

        var enc = new SparkplugPayloadEncoder(2048) { UseAliases = true };
        enc.BeginPayload(1_767_225_600_999);
        for (int i = 0; i < registry.Count; i++) enc.WriteMetric(registry[i], true, 42);
        Assert.True(enc.EndPayload(0));

        var p = Ref.Payload.Parser.ParseFrom(enc.Buffer, 0, enc.Length);
        Assert.True(p.HasSeq);
        Assert.Equal(0UL, p.Seq);
        Assert.Equal(1_767_225_600_999UL, p.Timestamp);
        Assert.Equal(registry.Count, p.Metrics.Count);
        var m = p.Metrics.ToDictionary(x => x.Name);
        for (int i = 0; i < registry.Count; i++)
        {
            var r = m[registry[i].Name];
            Assert.Equal((uint)registry[i].DataType, r.Datatype);
            Assert.Equal(registry[i].Alias, r.Alias);
            Assert.True(r.HasTimestamp);
        }

        Assert.Equal(unchecked((uint)-5), m["I8"].IntValue);
        Assert.Equal(unchecked((uint)-30000), m["I16"].IntValue);
        Assert.Equal(unchecked((uint)int.MinValue), m["I32"].IntValue);
        Assert.Equal(unchecked((ulong)-1234567890123L), m["I64"].LongValue);
        Assert.Equal(255u, m["U8"].IntValue);
        Assert.Equal(65535u, m["U16"].IntValue);
        Assert.Equal(Ref.Metric.ValueOneofCase.LongValue, m["U32"].ValueCase);
        Assert.Equal(4_000_000_000UL, m["U32"].LongValue);
        Assert.Equal(0xFEDCBA9876543210UL, m["U64"].LongValue);
        Assert.Equal(451.25f, m["Zone1/TempC"].FloatValue);
        Assert.Equal(-0.1, m["D"].DoubleValue);
        Assert.True(m["B"].BooleanValue);
        Assert.Equal("Anneal \U0001F50B Ω", m["S"].StringValue);
        Assert.Equal(1_767_225_600_123UL, m["When"].LongValue);
        Assert.Equal(new byte[] { 0, 1, 0xFF, 0x80 }, m["Blob"].BytesValue.ToByteArray());
        Assert.True(m["Missing"].IsNull);
        Assert.Equal(Ref.Metric.ValueOneofCase.None, m["Missing"].ValueCase);
        Assert.Equal(42UL, m["Missing"].Timestamp);
        Assert.True(m["Nan"].IsNull);

        var ps = m["I32"].Properties;
        Assert.Equal(new[] { "engUnit", "engHigh", "readOnly", "scale" }, ps.Keys);
        Assert.Equal("°C", ps.Values[0].StringValue);
        Assert.Equal(12u, ps.Values[0].Type);
        Assert.Equal(1200.5, ps.Values[1].DoubleValue);
        Assert.True(ps.Values[2].BooleanValue);
        Assert.Equal(unchecked((uint)-3), ps.Values[3].IntValue);
        Assert.Null(m["I8"].Properties);
    }

    [Fact]
    public void Tck_Payloads_Data_AliasOnly_NoDatatype()
    {
        var registry = new MetricRegistry(Clock, 2);
        var t = registry.Add("Zone1/TempC", SparkplugDataType.Double, 0, 0);
        t.Alias = 7;
        t.SetReal(20.5);
        var enc = new SparkplugPayloadEncoder(256) { UseAliases = true };
        enc.BeginPayload(1);
        enc.WriteMetric(t, false, 1);
        Assert.True(enc.EndPayload(9));
        var p = Ref.Payload.Parser.ParseFrom(enc.Buffer, 0, enc.Length);
        Assert.False(p.Metrics[0].HasName);
        Assert.Equal(7UL, p.Metrics[0].Alias);
        Assert.False(p.Metrics[0].HasDatatype);
        Assert.Equal(20.5, p.Metrics[0].DoubleValue);
        Assert.Equal(9UL, p.Seq);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(200)]
    [InlineData(20000)]
    public void NestedLength_LongerThanOneByteVarint_IsMovedCorrectly(int chars)
    {
        var registry = new MetricRegistry(Clock, 2);
        var s = registry.Add("Text", SparkplugDataType.Text, 0, 0);
        var after = registry.Add("After", SparkplugDataType.Int32, 0, 0);
        string text = new string('é', chars);
        s.SetString(text);
        after.SetInteger(-1);
        var enc = new SparkplugPayloadEncoder(64 * 1024);
        enc.BeginPayload(5);
        enc.WriteMetric(s, true, 5);
        enc.WriteMetric(after, true, 5);
        Assert.True(enc.EndPayload(3));
        var p = Ref.Payload.Parser.ParseFrom(enc.Buffer, 0, enc.Length);
        Assert.Equal(text, p.Metrics[0].StringValue);
        Assert.Equal(uint.MaxValue, p.Metrics[1].IntValue);
        Assert.Equal(enc.Length, p.CalculateSize());
    }

    [Fact]
    public void Writer_Overflow_IsReportedNotThrown_AndRewindRecovers()
    {
        var enc = new SparkplugPayloadEncoder(64);
        var registry = new MetricRegistry(Clock, 2);
        var s = registry.Add("S", SparkplugDataType.String, 0, 0);
        s.SetString(new string('x', 100));
        enc.BeginPayload(1);
        int mark = enc.Mark();
        enc.WriteMetric(s, true, 1);
        Assert.True(enc.Overflowed);
        enc.RewindTo(mark);
        Assert.False(enc.Overflowed);
        Assert.True(enc.EndPayload(1));
        var p = Ref.Payload.Parser.ParseFrom(enc.Buffer, 0, enc.Length);
        Assert.Empty(p.Metrics);
    }

    [Fact]
    public void Registry_RejectsDuplicateAndInvalidNamesAndOutOfRangeValues()
    {
        var registry = new MetricRegistry(Clock, 4);
        Assert.NotNull(registry.Add("A", SparkplugDataType.Int8, 0, 0));
        Assert.Null(registry.Add("A", SparkplugDataType.Int8, 0, 0));
        Assert.Null(registry.Add("B#", SparkplugDataType.Int8, 0, 0));
        Assert.Null(registry.Add("", SparkplugDataType.Int8, 0, 0));
        Assert.Null(registry.Add("C", SparkplugDataType.DataSet, 0, 0));
        var a = registry.Find("A");
        Assert.True(a.SetInteger(-128));
        Assert.False(a.SetInteger(128));
        Assert.Equal(-128, a.IntegerValue);
        Assert.False(a.SetReal(1.0));
        Assert.False(a.SetString("x"));
    }

    [Theory]
    [InlineData("g", "NBIRTH", "n", null, "spBv1.0/g/NBIRTH/n")]
    [InlineData("Line 1", "DDATA", "anneal-01", "Furnace", "spBv1.0/Line 1/DDATA/anneal-01/Furnace")]
    [InlineData("g", "NCMD", "n", null, "spBv1.0/g/NCMD/n")]
    [InlineData("g/x", "NBIRTH", "n", null, null)]
    [InlineData("g", "NBIRTH", "n+", null, null)]
    [InlineData("g", "DBIRTH", "n", "d#", null)]
    [InlineData("g", "DBIRTH", "n", null, null)]
    [InlineData("g", "NBIRTH", "n", "d", null)]
    [InlineData("", "NBIRTH", "n", null, null)]
    [InlineData("g", "STATE", "n", null, null)]
    public void Topic_BuildsOnlyValidTopics(string group, string type, string node, string device, string expected)
    {
        Assert.Equal(expected, SparkplugTopic.Build(group, type, node, device));
    }

    private static byte[] Command(params Ref.Metric[] metrics)
    {
        var p = new Ref.Payload { Timestamp = 5, Seq = 0 };
        p.Metrics.AddRange(metrics);
        return p.ToByteArray();
    }

    [Fact]
    public void Decoder_ReadsEveryValueKindFromIndependentEncoder()
    {
        var props = new Ref.PropertySet();
        props.Keys.Add("k");
        props.Values.Add(new Ref.PropertyValue { Type = 12, StringValue = "v" });
        byte[] bytes = Command(
            new Ref.Metric { Name = "Setpoint/TempC", Datatype = 9, FloatValue = 450.5f, Properties = props },
            new Ref.Metric { Alias = 12, IntValue = unchecked((uint)-7) },
            new Ref.Metric { Name = "L", LongValue = ulong.MaxValue },
            new Ref.Metric { Name = "D", DoubleValue = 1e300 },
            new Ref.Metric { Name = "B", BooleanValue = true },
            new Ref.Metric { Name = "S", StringValue = "Ω\U0001F50B" },
            new Ref.Metric { Name = "Y", BytesValue = ByteString.CopyFrom(1, 2, 3) },
            new Ref.Metric { Name = "N", IsNull = true, Datatype = 3 });
        var cmd = new SparkplugCommand(16);
        Assert.True(new SparkplugPayloadDecoder().TryDecode(bytes, 0, bytes.Length, cmd, out _));
        Assert.Equal(8, cmd.MetricCount);
        Assert.Equal(5UL, cmd.TimestampMs);
        Assert.True(cmd.HasSeq);
        var m0 = cmd.Metric(0);
        Assert.Equal("Setpoint/TempC", Encoding.UTF8.GetString(bytes, m0.NameOffset, m0.NameLength));
        Assert.Equal(SparkplugValueField.Float, m0.ValueField);
        Assert.Equal(450.5f, FloatBits.UInt32BitsToSingle(m0.FloatBits));
        Assert.Equal(9u, m0.DataType);
        Assert.False(cmd.Metric(1).HasName);
        Assert.Equal(12UL, cmd.Metric(1).Alias);
        Assert.Equal(unchecked((uint)-7), (uint)cmd.Metric(1).Integer);
        Assert.Equal(ulong.MaxValue, cmd.Metric(2).Integer);
        Assert.Equal(1e300, cmd.Metric(3).Double);
        Assert.Equal(1UL, cmd.Metric(4).Integer);
        Assert.Equal("Ω\U0001F50B", Encoding.UTF8.GetString(bytes, cmd.Metric(5).DataOffset, cmd.Metric(5).DataLength));
        Assert.Equal(SparkplugValueField.Bytes, cmd.Metric(6).ValueField);
        Assert.True(cmd.Metric(7).IsNull);
    }

    [Fact]
    public void Decoder_SkipsUnknownFieldsOfEveryWireType()
    {
        var ms = new MemoryStream();
        var cos = new CodedOutputStream(ms);
        cos.WriteTag(99, WireFormat.WireType.Varint); cos.WriteUInt64(12345);
        cos.WriteTag(100, WireFormat.WireType.Fixed64); cos.WriteFixed64(1);
        cos.WriteTag(101, WireFormat.WireType.Fixed32); cos.WriteFixed32(1);
        cos.WriteTag(102, WireFormat.WireType.LengthDelimited); cos.WriteBytes(ByteString.CopyFromUtf8("junk"));
        var metric = new Ref.Metric { Name = "A", BooleanValue = true }.ToByteArray();
        var withUnknown = metric.Concat(new byte[] { (200 << 3 | 0) & 0x7F | 0x80, 200 >> 4, 1 }).ToArray();
        cos.WriteTag(2, WireFormat.WireType.LengthDelimited); cos.WriteBytes(ByteString.CopyFrom(withUnknown));
        cos.Flush();
        byte[] bytes = ms.ToArray();
        Assert.Single(Ref.Payload.Parser.ParseFrom(bytes).Metrics); // the reference agrees it is valid
        var cmd = new SparkplugCommand(4);
        Assert.True(new SparkplugPayloadDecoder().TryDecode(bytes, 0, bytes.Length, cmd, out _));
        Assert.Equal(1, cmd.MetricCount);
        Assert.Equal(1UL, cmd.Metric(0).Integer);
    }

    public static IEnumerable<object[]> MalformedPayloads()
    {
        yield return new object[] { "truncated varint", new byte[] { 0x08, 0x80 } };
        yield return new object[] { "11-byte varint", new byte[] { 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 } };
        yield return new object[] { "10th varint byte > 1", new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02 } };
        yield return new object[] { "length past end", new byte[] { 0x12, 0x05, 0x0A, 0x01 } };
        yield return new object[] { "nested length past parent", new byte[] { 0x12, 0x03, 0x0A, 0x05, 0x41 } };
        yield return new object[] { "wrong wire type for metrics", new byte[] { 0x10, 0x01 } };
        yield return new object[] { "wrong wire type for seq", new byte[] { 0x1D, 0, 0, 0, 0 } };
        yield return new object[] { "group wire type", new byte[] { 0x0B, 0x0C } };
        yield return new object[] { "field number 0", new byte[] { 0x00, 0x01 } };
        yield return new object[] { "truncated fixed32", new byte[] { 0x12, 0x03, 0x65, 0x00, 0x00 } };
        yield return new object[] { "metric without a value", new byte[] { 0x12, 0x03, 0x0A, 0x01, 0x41 } };
        yield return new object[] { "two values in one metric", new byte[] { 0x12, 0x07, 0x0A, 0x01, 0x41, 0x70, 0x01, 0x50, 0x01 } };
        yield return new object[] { "null with a value", new byte[] { 0x12, 0x07, 0x0A, 0x01, 0x41, 0x38, 0x01, 0x70, 0x01 } };
        yield return new object[] { "int_value above uint32", new byte[] { 0x12, 0x09, 0x0A, 0x01, 0x41, 0x50, 0x80, 0x80, 0x80, 0x80, 0x10 } };
        yield return new object[] { "invalid UTF-8 name", new byte[] { 0x12, 0x05, 0x0A, 0x01, 0xC0, 0x70, 0x01 } };
        yield return new object[] { "overlong UTF-8 string", new byte[] { 0x12, 0x07, 0x0A, 0x01, 0x41, 0x7A, 0x02, 0xC0, 0xAF } };
        yield return new object[] { "bad property set", new byte[] { 0x12, 0x08, 0x0A, 0x01, 0x41, 0x4A, 0x01, 0x08, 0x70, 0x01 } };
    }

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public void Decoder_RejectsMalformed_WithMalformedPayload(string why, byte[] payload)
    {
        var cmd = new SparkplugCommand(4);
        bool ok = new SparkplugPayloadDecoder().TryDecode(payload, 0, payload.Length, cmd, out ErrorCode error);
        Assert.False(ok, why);
        Assert.Equal(ErrorCode.MalformedPayload, error);
    }

    [Fact]
    public void Decoder_RejectsMoreMetricsThanCapacity()
    {
        byte[] bytes = Command(Enumerable.Range(0, 5).Select(i => new Ref.Metric { Name = "M" + i, BooleanValue = true }).ToArray());
        var cmd = new SparkplugCommand(4);
        Assert.False(new SparkplugPayloadDecoder().TryDecode(bytes, 0, bytes.Length, cmd, out var e));
        Assert.Equal(ErrorCode.MalformedPayload, e);
        Assert.True(new SparkplugPayloadDecoder().TryDecode(bytes, 0, bytes.Length, new SparkplugCommand(5), out _));
    }

    [Fact]
    public void Decoder_LimitsPropertySetNesting()
    {
        Ref.PropertySet Nest(int depth)
        {
            var set = new Ref.PropertySet();
            set.Keys.Add("k");
            set.Values.Add(depth == 0 ? new Ref.PropertyValue { Type = 3, IntValue = 1 } : new Ref.PropertyValue { Type = 20, PropertysetValue = Nest(depth - 1) });
            return set;
        }

        var decoder = new SparkplugPayloadDecoder();
        var cmd = new SparkplugCommand(4);
        byte[] shallow = Command(new Ref.Metric { Name = "A", BooleanValue = true, Properties = Nest(1) });
        Assert.True(decoder.TryDecode(shallow, 0, shallow.Length, cmd, out _));
        byte[] deep = Command(new Ref.Metric { Name = "A", BooleanValue = true, Properties = Nest(20) });
        Assert.False(decoder.TryDecode(deep, 0, deep.Length, cmd, out var e));
        Assert.Equal(ErrorCode.MalformedPayload, e);
    }

    [Fact]
    public void Decoder_RejectsRangesOutsideTheArray()
    {
        var cmd = new SparkplugCommand(4);
        var d = new SparkplugPayloadDecoder();
        Assert.False(d.TryDecode(new byte[4], 2, 3, cmd, out _));
        Assert.False(d.TryDecode(null, 0, 0, cmd, out _));
        Assert.True(d.TryDecode(new byte[0], 0, 0, cmd, out _));
    }
}
