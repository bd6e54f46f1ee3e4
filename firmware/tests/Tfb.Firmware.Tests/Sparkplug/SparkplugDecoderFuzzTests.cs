using Google.Protobuf;
using Tfb.Codes;
using Tfb.Sparkplug;
using Ref = Tfb.SparkplugReference;

namespace Tfb.Firmware.Tests.Sparkplug;

/// <summary>
/// Random and mutated payloads: the decoder never throws, always answers with a code, and whatever it accepts
/// the independent decoder accepts too, with the same metrics.
/// </summary>
public class SparkplugDecoderFuzzTests
{
    private static byte[] ValidPayload(Random rng)
    {
        var p = new Ref.Payload { Timestamp = (ulong)rng.NextInt64(), Seq = (ulong)rng.Next(256) };
        int n = rng.Next(0, 6);
        for (int i = 0; i < n; i++)
        {
            var m = new Ref.Metric { Name = "M" + rng.Next(1000) + (rng.Next(4) == 0 ? "/Ω" : ""), Timestamp = (ulong)rng.NextInt64() };
            if (rng.Next(3) == 0) m.Alias = (ulong)rng.Next(100);
            if (rng.Next(2) == 0) m.Datatype = (uint)rng.Next(1, 20);
            switch (rng.Next(9))
            {
                case 0: m.IntValue = (uint)rng.NextInt64(0, 1L << 32); break;
                case 1: m.LongValue = (ulong)rng.NextInt64(); break;
                case 2: m.FloatValue = (float)rng.NextDouble(); break;
                case 3: m.DoubleValue = rng.NextDouble(); break;
                case 4: m.BooleanValue = rng.Next(2) == 0; break;
                case 5: m.StringValue = "v" + rng.Next(); break;
                case 6: m.BytesValue = ByteString.CopyFrom(new byte[rng.Next(5)]); break;
                case 7: m.IsNull = true; break;
                default:
                    var ds = new Ref.DataSet { NumOfColumns = 1 };
                    ds.Columns.Add("c");
                    ds.Types_.Add(3);
                    m.DatasetValue = ds;
                    break;
            }

            if (rng.Next(6) == 0) m.Metadata = new Ref.MetaData { ContentType = "text/plain", Size = 3, Md5 = "x" };
            if (rng.Next(4) == 0)
            {
                m.Properties = new Ref.PropertySet();
                m.Properties.Keys.Add("engUnit");
                m.Properties.Values.Add(new Ref.PropertyValue { Type = 12, StringValue = "degC" });
            }

            p.Metrics.Add(m);
        }

        return p.ToByteArray();
    }

    private static byte[] Mutate(byte[] source, Random rng)
    {
        var list = source.ToList();
        int edits = rng.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            switch (rng.Next(5))
            {
                case 0 when list.Count > 0: list[rng.Next(list.Count)] ^= (byte)(1 << rng.Next(8)); break;
                case 1 when list.Count > 0: list[rng.Next(list.Count)] = (byte)rng.Next(256); break;
                case 2 when list.Count > 0: list.RemoveRange(rng.Next(list.Count), 1); break;
                case 3: list.Insert(rng.Next(list.Count + 1), (byte)rng.Next(256)); break;
                default: list = list.Take(rng.Next(list.Count + 1)).ToList(); break;
            }
        }

        return list.ToArray();
    }

    private static void CheckAgainstReference(byte[] bytes, SparkplugPayloadDecoder decoder, SparkplugCommand cmd)
    {
        bool ok = decoder.TryDecode(bytes, 0, bytes.Length, cmd, out ErrorCode error);
        if (!ok)
        {
            Assert.Equal(ErrorCode.MalformedPayload, error);
            return;
        }

        // Dataset/template/extension contents are only framed, never interpreted (the session refuses them),
        // so the reference's stricter reading of their insides is not compared.
        for (int i = 0; i < cmd.MetricCount; i++)
        {
            if (cmd.Metric(i).ValueField == SparkplugValueField.Complex) return;
        }

        // Whatever we accept is valid protobuf with the same metrics.
        var reference = Ref.Payload.Parser.ParseFrom(bytes);
        Assert.Equal(reference.Metrics.Count, cmd.MetricCount);
        for (int i = 0; i < cmd.MetricCount; i++)
        {
            var m = cmd.Metric(i);
            Assert.Equal(reference.Metrics[i].HasName, m.HasName);
            if (m.HasName)
            {
                Assert.Equal(reference.Metrics[i].Name, System.Text.Encoding.UTF8.GetString(bytes, m.NameOffset, m.NameLength));
            }

            Assert.Equal(reference.Metrics[i].IsNull, m.IsNull);
        }
    }

    [Fact]
    public void Fuzz_RandomBytes_NeverThrow_AlwaysAnswer()
    {
        var rng = new Random(20260101);
        var decoder = new SparkplugPayloadDecoder();
        var cmd = new SparkplugCommand(16);
        for (int i = 0; i < 5000; i++)
        {
            var bytes = new byte[rng.Next(0, 64)];
            rng.NextBytes(bytes);
            CheckAgainstReference(bytes, decoder, cmd);
        }
    }

    [Fact]
    public void Fuzz_MutatedValidPayloads_NeverThrow_AcceptOnlyWhatTheReferenceAccepts()
    {
        var rng = new Random(42);
        var decoder = new SparkplugPayloadDecoder();
        var cmd = new SparkplugCommand(16);
        int accepted = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] valid = ValidPayload(rng);
            Assert.True(decoder.TryDecode(valid, 0, valid.Length, cmd, out _));
            CheckAgainstReference(valid, decoder, cmd);
            byte[] mutated = Mutate(valid, rng);
            CheckAgainstReference(mutated, decoder, cmd);
            if (decoder.TryDecode(mutated, 0, mutated.Length, cmd, out _)) accepted++;
        }

        // Both branches are exercised: some mutations stay valid, most do not.
        Assert.InRange(accepted, 1, 4999);
    }

    [Fact]
    public void Fuzz_SessionCommandPath_NeverThrows_OnRandomNcmd()
    {
        var rng = new Random(3);
        var h = new SessionHarness();
        h.Session.SetCommandSink(new RecordingSink());
        h.StartOnline();
        for (int i = 0; i < 2000; i++)
        {
            byte[] bytes = Mutate(ValidPayload(rng), rng);
            h.Mqtt.Deliver(h.NcmdTopic, bytes);
            h.Session.Poll();
        }

        Assert.Equal(EdgeNodeState.Online, h.Session.State);
        Assert.True(h.Session.CommandsRejected > 0);
    }
}
