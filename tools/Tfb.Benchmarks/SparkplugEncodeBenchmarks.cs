using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Tfb.Hal;
using Tfb.Sparkplug;
using Ref = Tfb.SparkplugReference;

namespace Tfb.Benchmarks;

/// <summary>
/// One NDATA of 20 changed metrics (a station's typical report: floats, doubles, integers, booleans) encoded by
/// the firmware's hand-written encoder versus Google.Protobuf. OperationsPerInvoke = metrics, so the time column
/// reads per metric and the allocation column per metric (multiply by 20 for one NDATA).
/// </summary>
public class SparkplugEncodeBenchmarks
{
    private const int Metrics = 20;

    private sealed class BenchClock : IClock
    {
        public long NowMicros => 0;
        public long UtcUnixMillis => 1_767_225_600_000;
        public bool WallClockValid => true;
    }

    private SparkplugPayloadEncoder _encoder;
    private SparkplugMetric[] _metrics;
    private byte[] _googleBuffer;
    private Ref.Payload _reusedPayload;
    private int _seq;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new MetricRegistry(new BenchClock(), Metrics);
        _metrics = new SparkplugMetric[Metrics];
        for (int i = 0; i < Metrics; i++)
        {
            SparkplugDataType type = (i % 4) switch
            {
                0 => SparkplugDataType.Float,
                1 => SparkplugDataType.Double,
                2 => SparkplugDataType.Int32,
                _ => SparkplugDataType.Boolean,
            };
            _metrics[i] = registry.Add("Zone" + i + "/Value", type, 0, 0);
        }

        registry.AssignAliases(10);

        SetValues(1);
        _encoder = new SparkplugPayloadEncoder(4096) { UseAliases = true };
        _googleBuffer = new byte[4096];
        _reusedPayload = BuildGooglePayload();
    }

    private void SetValues(int k)
    {
        for (int i = 0; i < Metrics; i++)
        {
            switch (i % 4)
            {
                case 0: _metrics[i].SetReal(400.25f + k); break;
                case 1: _metrics[i].SetReal(0.123456789 * k); break;
                case 2: _metrics[i].SetInteger(-1000 - k); break;
                default: _metrics[i].SetBoolean((k & 1) == 0); break;
            }
        }
    }

    private Ref.Payload BuildGooglePayload()
    {
        var p = new Ref.Payload { Timestamp = 1_767_225_600_000, Seq = (ulong)(_seq++ & 0xFF) };
        for (int i = 0; i < Metrics; i++)
        {
            var m = new Ref.Metric { Alias = _metrics[i].Alias, Timestamp = 1_767_225_600_000 };
            switch (i % 4)
            {
                case 0: m.FloatValue = (float)_metrics[i].RealValue; break;
                case 1: m.DoubleValue = _metrics[i].RealValue; break;
                case 2: m.IntValue = unchecked((uint)(int)_metrics[i].IntegerValue); break;
                default: m.BooleanValue = _metrics[i].IntegerValue != 0; break;
            }

            p.Metrics.Add(m);
        }

        return p;
    }

    /// <summary>Firmware encoder: payload header, 20 metrics by alias, seq; into its preallocated buffer.</summary>
    [Benchmark(OperationsPerInvoke = Metrics)]
    public int Firmware_EncodeNData()
    {
        _encoder.BeginPayload(1_767_225_600_000);
        for (int i = 0; i < Metrics; i++)
        {
            _encoder.WriteMetric(_metrics[i], false, 0);
        }

        _encoder.EndPayload(_seq++ & 0xFF);
        return _encoder.Length;
    }

    /// <summary>Google.Protobuf as usually used: build the message objects, serialize into a preallocated array.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Metrics)]
    public int Google_BuildAndEncodeNData()
    {
        var p = BuildGooglePayload();
        var output = new CodedOutputStream(_googleBuffer);
        p.WriteTo(output);
        output.Flush();
        return (int)output.Position;
    }

    /// <summary>Google.Protobuf at its best: message objects reused, only serialization measured.</summary>
    [Benchmark(OperationsPerInvoke = Metrics)]
    public int Google_EncodeReusedNData()
    {
        _reusedPayload.Seq = (ulong)(_seq++ & 0xFF);
        var output = new CodedOutputStream(_googleBuffer);
        _reusedPayload.WriteTo(output);
        output.Flush();
        return (int)output.Position;
    }
}

/// <summary>Decoding a 4-metric DCMD: the firmware's validating decoder versus Google.Protobuf parsing.</summary>
public class SparkplugDecodeBenchmarks
{
    private byte[] _payload;
    private SparkplugPayloadDecoder _decoder;
    private SparkplugCommand _command;

    [GlobalSetup]
    public void Setup()
    {
        var p = new Ref.Payload { Timestamp = 1_767_225_600_000, Seq = 5 };
        p.Metrics.Add(new Ref.Metric { Name = "Zone1/SetpointC", Datatype = 9, FloatValue = 450.5f });
        p.Metrics.Add(new Ref.Metric { Name = "Zone2/SetpointC", Datatype = 9, FloatValue = 455.5f });
        p.Metrics.Add(new Ref.Metric { Name = "Mode", Datatype = 1, IntValue = 2 });
        p.Metrics.Add(new Ref.Metric { Name = "Recipe", Datatype = 12, StringValue = "LiPON-200nm" });
        _payload = p.ToByteArray();
        _decoder = new SparkplugPayloadDecoder();
        _command = new SparkplugCommand(16);
    }

    /// <summary>Firmware decoder: full validation, results as byte ranges, no allocation.</summary>
    [Benchmark]
    public int Firmware_DecodeDcmd()
    {
        _decoder.TryDecode(_payload, 0, _payload.Length, _command, out _);
        return _command.MetricCount;
    }

    /// <summary>Google.Protobuf: parse into message objects.</summary>
    [Benchmark(Baseline = true)]
    public int Google_ParseDcmd()
    {
        return Ref.Payload.Parser.ParseFrom(_payload).Metrics.Count;
    }
}
