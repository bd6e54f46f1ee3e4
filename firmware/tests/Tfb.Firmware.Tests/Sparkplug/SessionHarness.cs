using Tfb.Hal;
using Tfb.Sparkplug;
using Ref = Tfb.SparkplugReference;

namespace Tfb.Firmware.Tests.Sparkplug;

/// <summary>An edge node with one node metric and two station devices over the fake transport and clock.</summary>
internal sealed class SessionHarness
{
    public const string Group = "TfbLine1";
    public const string Node = "anneal-01";

    public SessionHarness(MemoryNvStore nv = null, FakeMqttSession mqtt = null, FakeClock clock = null, Action<EdgeNodeConfig> configure = null)
    {
        Nv = nv ?? new MemoryNvStore(64);
        Mqtt = mqtt ?? new FakeMqttSession();
        Clock = clock ?? new FakeClock();
        Config = new EdgeNodeConfig
        {
            GroupId = Group,
            EdgeNodeId = Node,
            Connection = new MqttConnectOptions { Host = "broker", Port = 1883, KeepAliveSeconds = 15 },
            FirmwareVersion = "0.1.0",
            Board = "anneal-esp32",
            AssetId = "A-0042",
            JitterSeed = 1234,
        };
        configure?.Invoke(Config);
        Session = new EdgeNodeSession(Config, Mqtt, Clock, Nv);
        Session.SetEvents(Events);
        Uptime = Session.NodeMetrics.Add("Uptime/S", SparkplugDataType.UInt32, 0, 0);
        Furnace = Session.AddDevice("Furnace", 8);
        Zone1 = Furnace.Metrics.Add("Zone1/TempC", SparkplugDataType.Float, 0.5, 10_000);
        Setpoint = Furnace.Metrics.Add("Zone1/SetpointC", SparkplugDataType.Float, 0, 0, true, 0, null);
        Mode = Furnace.Metrics.Add("Mode", SparkplugDataType.Int8, 0, 0, true, 0, null);
        Door = Furnace.Metrics.Add("DoorClosed", SparkplugDataType.Boolean, 0, 0);
        Web = Session.AddDevice("Web", 4);
        Speed = Web.Metrics.Add("SpeedMps", SparkplugDataType.Double, 0.001, 0);
        Zone1.SetReal(25.0);
        Setpoint.SetReal(450);
        Mode.SetInteger(1);
        Door.SetBoolean(true);
        Speed.SetReal(0.1);
        Uptime.SetInteger(1);
    }

    public MemoryNvStore Nv { get; }
    public FakeMqttSession Mqtt { get; }
    public FakeClock Clock { get; }
    public EdgeNodeConfig Config { get; }
    public EdgeNodeSession Session { get; }
    public RecordingEvents Events { get; } = new();
    public SparkplugMetric Uptime { get; }
    public SparkplugDevice Furnace { get; }
    public SparkplugMetric Zone1 { get; }
    public SparkplugMetric Setpoint { get; }
    public SparkplugMetric Mode { get; }
    public SparkplugMetric Door { get; }
    public SparkplugDevice Web { get; }
    public SparkplugMetric Speed { get; }

    public string NcmdTopic => $"spBv1.0/{Group}/NCMD/{Node}";
    public static string Topic(string type, string device = null) => device == null ? $"spBv1.0/{Group}/{type}/{Node}" : $"spBv1.0/{Group}/{type}/{Node}/{device}";

    public void StartOnline()
    {
        Assert.True(Session.Start());
        Session.Poll();
        Assert.Equal(EdgeNodeState.Online, Session.State);
    }

    public static Ref.Payload Decode(Published p) => Ref.Payload.Parser.ParseFrom(p.Payload);

    public static Ref.Payload Decode(byte[] bytes) => Ref.Payload.Parser.ParseFrom(bytes);

    /// <summary>Publishes since the index, in order.</summary>
    public List<Published> Since(int index) => Mqtt.Publishes.Skip(index).ToList();

    /// <summary>Steps time and polls in small steps, as the MQTT thread would.</summary>
    public void Run(long ms, long stepMs = 100)
    {
        for (long t = 0; t < ms; t += stepMs)
        {
            Clock.AdvanceMs(stepMs);
            Session.Poll();
        }
    }

    public static long BdSeqOf(Ref.Payload p) => (long)p.Metrics.Single(m => m.Name == "bdSeq").LongValue;
}
