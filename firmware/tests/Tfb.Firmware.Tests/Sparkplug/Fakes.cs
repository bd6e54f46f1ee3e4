using Tfb.Codes;
using Tfb.Hal;
using Tfb.Sparkplug;

namespace Tfb.Firmware.Tests.Sparkplug;

/// <summary>Clock stepped by the test: monotonic microseconds and a UTC wall clock that moves with it.</summary>
internal sealed class FakeClock : IClock
{
    public long NowMicros { get; set; } = 1_000_000;
    public long UtcBaseMillis { get; set; } = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    public long UtcUnixMillis => UtcBaseMillis + NowMicros / 1000;
    public bool WallClockValid { get; set; } = true;
    public void AdvanceMs(long ms) => NowMicros += ms * 1000;
}

/// <summary>RAM partition whose bytes survive a simulated reboot (keep the instance, build a new session).</summary>
internal sealed class MemoryNvStore : INvStore
{
    public MemoryNvStore(int size) { Bytes = new byte[size]; }
    public byte[] Bytes { get; }
    public bool FailWrites { get; set; }
    /// <summary>When >= 0, the next write stops after this many bytes (power cut) and reports failure.</summary>
    public int CutNextWriteAfter { get; set; } = -1;
    public int Size => Bytes.Length;

    public bool Read(int address, byte[] buffer, int offset, int count)
    {
        if (address < 0 || count < 0 || address + count > Bytes.Length) return false;
        Array.Copy(Bytes, address, buffer, offset, count);
        return true;
    }

    public bool Write(int address, byte[] buffer, int offset, int count)
    {
        if (FailWrites || address < 0 || count < 0 || address + count > Bytes.Length) return false;
        if (CutNextWriteAfter >= 0)
        {
            Array.Copy(buffer, offset, Bytes, address, Math.Min(count, CutNextWriteAfter));
            CutNextWriteAfter = -1;
            return false;
        }

        Array.Copy(buffer, offset, Bytes, address, count);
        return true;
    }
}

internal sealed record Published(string Topic, byte[] Payload, int Qos, bool Retain, int Token);

internal sealed record Connected(string ClientId, string WillTopic, byte[] WillPayload, int WillQos, bool WillRetain, int KeepAliveSeconds);

/// <summary>
/// In-memory transport: records CONNECT options, subscriptions and publishes in order (one log, so ordering
/// across kinds can be asserted), lets the test refuse connects, drop the link and deliver commands.
/// </summary>
internal sealed class FakeMqttSession : IMqttSession
{
    private IMqttSessionHandler _handler;
    private int _nextToken = 1;

    public bool IsConnected { get; private set; }
    public bool Record { get; set; } = true;
    public int ConnectResult { get; set; }
    public bool FailSubscribe { get; set; }
    public List<object> Log { get; } = new();
    public List<Connected> Connects { get; } = new();
    public List<Published> Publishes { get; } = new();
    public List<string> Subscriptions { get; } = new();
    public int Disconnects { get; private set; }
    public int PublishCount { get; private set; }

    public void SetHandler(IMqttSessionHandler handler) => _handler = handler;

    public int Connect(MqttConnectOptions options)
    {
        var c = new Connected(options.ClientId, options.WillTopic, (byte[])options.WillPayload.Clone(), options.WillQos, options.WillRetain, options.KeepAliveSeconds);
        Connects.Add(c);
        Log.Add(c);
        IsConnected = ConnectResult == 0;
        return ConnectResult;
    }

    public void Disconnect()
    {
        Disconnects++;
        Log.Add("DISCONNECT");
        IsConnected = false;
    }

    public bool Subscribe(string topicFilter, int qos)
    {
        Subscriptions.Add(topicFilter + "@" + qos);
        Log.Add("SUBSCRIBE " + topicFilter + "@" + qos);
        return !FailSubscribe;
    }

    public int Publish(string topic, byte[] payload, int count, int qos, bool retain)
    {
        if (!IsConnected) return -1;
        PublishCount++;
        int token = qos == 1 ? _nextToken++ : 0;
        if (Record)
        {
            var p = new Published(topic, payload.AsSpan(0, count).ToArray(), qos, retain, token);
            Publishes.Add(p);
            Log.Add(p);
        }

        return token;
    }

    /// <summary>The broker side drops the link (the Will would now be published).</summary>
    public void DropLink()
    {
        IsConnected = false;
        _handler.OnConnectionLost();
    }

    public void Deliver(string topic, byte[] payload) => _handler.OnMessage(topic, payload);

    public void Complete(int token, bool delivered) => _handler.OnPublishCompleted(token, delivered);

    public void ClearRecords()
    {
        Log.Clear();
        Publishes.Clear();
        Connects.Clear();
        Subscriptions.Clear();
    }
}

internal sealed class RecordingEvents : IEdgeNodeEvents
{
    public List<(EventCode Code, int Detail)> Events { get; } = new();
    public List<(AlarmCode Code, bool Active)> Alarms { get; } = new();
    public void OnEvent(EventCode code, int detail) => Events.Add((code, detail));
    public void OnAlarm(AlarmCode code, bool active, int detail) => Alarms.Add((code, active));
}

internal sealed class RecordingSink : ICommandSink
{
    public List<(string Device, string Metric, long Integer, double Real, string Text)> Applied { get; } = new();
    public Func<SparkplugMetric, SparkplugValue, ErrorCode?> Rule { get; set; } = (_, _) => null;

    public bool Validate(SparkplugDevice device, SparkplugMetric metric, SparkplugValue value, out ErrorCode error)
    {
        ErrorCode? e = Rule(metric, value);
        error = e ?? ErrorCode.InternalError;
        return e == null;
    }

    public void Apply(SparkplugDevice device, SparkplugMetric metric, SparkplugValue value)
        => Applied.Add((device?.Id, metric.Name, value.Integer, value.Real, value.Text));
}
