using Tfb.Boards;
using Tfb.Boards.Virtual;
using Tfb.Hal;
using Tfb.Plant.Core;
using Tfb.Runtime;
using Tfb.Shell;
using Tfb.Sparkplug;

namespace Tfb.VirtualLine;

/// <summary>One virtual board: a host board definition, its HAL over the plant, and the firmware runtime on it.</summary>
public sealed class VirtualBoard
{
    /// <summary>Firmware version the virtual boards report.</summary>
    public const string FirmwareVersion = "0.1.0";

    /// <summary>Loads <paramref name="boardFile"/>, binds it to the plant and boots the firmware.</summary>
    /// <param name="nvFactory">NV partitions: files under the state folder for people, RAM for scenarios and tests.</param>
    public VirtualBoard(string boardFile, VirtualPlant plant, SimulatedClock clock, Func<string, NvPartitionDef, INvStore> nvFactory)
    {
        Definition = BoardDefinitionParser.Parse(File.ReadAllText(boardFile));
        if (Definition.Mcu != McuKind.Host) throw new InvalidOperationException($"{boardFile}: not a host (virtual) board");
        Name = Definition.Name.StartsWith("virtual-", StringComparison.Ordinal) ? Definition.Name["virtual-".Length..] : Definition.Name;
        Clock = clock;
        Io = new PlantBoardIo(Definition, plant.Bus, clock, def => nvFactory(Name, def));
        var stations = string.Join(' ', Definition.Stations.Select(s => s.ToString()));
        Identity = new BoardIdentity(FirmwareVersion, "host", Definition.Name, stations, "VL-" + Name.ToUpperInvariant());
        Runtime = new BoardRuntime(Definition, Io, clock, Identity, new RuntimeOptions())
        {
            CalibrationSink = Io,
            ConnectionTester = new MqttConnectionTester(),
        };
        StationModules.AddAll(Runtime);
        Runtime.Boot();
        // A virtual board comes commissioned with an asset id unless one was stored.
        int asset = Runtime.Settings.IndexOf("board.assetId");
        if (asset >= 0 && Runtime.Settings.GetText(asset).Length == 0)
        {
            Runtime.Settings.TrySetText(asset, "VL-" + Name.ToUpperInvariant(), out _);
            Identity.AssetId = Runtime.Settings.GetText(asset);
        }
        ScenarioLink = new CaptureLink();
        ScenarioSession = Runtime.OpenConsole(ScenarioLink, echo: false);
    }

    /// <summary>Short name used by scenarios and the command line (<c>web</c>, <c>sputter</c>, <c>anneal</c>).</summary>
    public string Name { get; }
    /// <summary>The parsed board definition.</summary>
    public BoardDefinition Definition { get; }
    /// <summary>Identity shown by <c>info</c> and in the NBIRTH.</summary>
    public BoardIdentity Identity { get; }
    /// <summary>The HAL over the plant.</summary>
    public PlantBoardIo Io { get; }
    /// <summary>The firmware.</summary>
    public BoardRuntime Runtime { get; }
    /// <summary>The line's clock.</summary>
    public SimulatedClock Clock { get; }
    /// <summary>The console session scenarios type into (operator level until a scenario logs in).</summary>
    public ShellSession ScenarioSession { get; }
    /// <summary>What the scenario session printed.</summary>
    public CaptureLink ScenarioLink { get; }

    /// <summary>The board's Sparkplug edge node, once <see cref="AttachMqtt"/> was called.</summary>
    public BoardEdgeNode? Edge { get; private set; }

    /// <summary>The MQTT transport of the edge node (MQTTnet).</summary>
    public MqttNetSession? Transport { get; private set; }

    /// <summary>
    /// Creates the board's edge node (group <paramref name="groupId"/>, node id = the board definition's name)
    /// against the broker at <paramref name="host"/>:<paramref name="port"/> and starts connecting; the MQTT
    /// thread drives it with <see cref="BoardEdgeNode.Poll"/>.
    /// </summary>
    public void AttachMqtt(string groupId, string host, int port)
    {
        var config = new EdgeNodeConfig
        {
            GroupId = groupId,
            EdgeNodeId = Definition.Name,
            Connection = new MqttConnectOptions { Host = host, Port = port, ClientId = Definition.Name, KeepAliveSeconds = 30 },
            FirmwareVersion = FirmwareVersion,
            Board = Definition.Name,
            AssetId = Identity.AssetId,
            ReconnectMinMs = 500,
            ReconnectMaxMs = 5000,
            JitterSeed = (uint)Definition.Name.Length,
        };
        Transport = new MqttNetSession();
        var bdSeq = Io.NvStore("sparkplug") ?? throw new InvalidOperationException($"{Definition.Name}: no 'sparkplug' NV partition for bdSeq");
        Edge = new BoardEdgeNode(Runtime, config, Transport, bdSeq, Io.NvStore("sfq"));
        Edge.Start();
    }

    /// <summary>Runs every scan that is due at the clock's time (one per step in lockstep).</summary>
    public int RunDueScans()
    {
        int n = 0;
        while (Runtime.Scan.RunOnce()) n++;
        return n;
    }

    /// <summary>Types a line on the scenario console (runner thread).</summary>
    public void TypeLine(string text)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text + "\r");
        ScenarioSession.Feed(bytes, 0, bytes.Length);
    }
}
