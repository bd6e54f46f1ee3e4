using System.Diagnostics;
using System.Threading;
using Tfb.Hal;
using Tfb.Runtime;
using Tfb.Scan;
using Tfb.Shell;
using Tfb.Sparkplug;

namespace Tfb.Boards.Nano
{
    /// <summary>
    /// What every board image does after its MCU-specific set-up: bring the network up in the background, boot
    /// the board runtime (settings, logs, station modules), start the scan (T1) and the console (T2).
    /// </summary>
    public static class NanoBoardHost
    {
        /// <summary>Firmware version reported by info and the NBIRTH.</summary>
        public const string FirmwareVersion = "0.1.0";

        /// <summary>The scan thread sleeps to within this of each release, then spins on the clock (ms sleeps are coarse).</summary>
        public const int ScanSleepGuardUs = 2000;

        /// <summary>
        /// Parses the embedded board definition, or halts: nothing is opened, outputs stay at their hardware reset
        /// level and the supervisor resets the board; the reason is on the debug output every boot.
        /// </summary>
        public static BoardDefinition ParseOrHalt(string text)
        {
            BoardDefinition board;
            BoardParseError error;
            if (!BoardDefinitionParser.TryParse(text, out board, out error))
            {
                Debug.WriteLine("board definition refused: " + error.ToString());
                Thread.Sleep(Timeout.Infinite);
            }
            return board;
        }

        /// <summary>Starts the board's threads; returns the runtime (the caller's thread may then sleep forever).</summary>
        /// <param name="board">The parsed definition.</param>
        /// <param name="clock">The board's clock adapter.</param>
        /// <param name="io">The board's adapters (outputs already safe).</param>
        /// <param name="capabilities">Capabilities shown by info and in the NBIRTH.</param>
        public static BoardRuntime Start(BoardDefinition board, IClock clock, NanoBoardIo io, string capabilities)
        {
            Thread network = new Thread(new ThreadStart(delegate
            {
                string ip = EthernetLink.Connect(board.Ethernet, null, null, null, 60000);
                Debug.WriteLine(ip == null ? "ethernet: no address (" + ((int)EthernetLink.Status).ToString() + ")" : "ethernet: " + ip);
                if (ip != null) EthernetLink.StartSntp(null, null);
            }));
            network.Priority = ThreadPriority.BelowNormal;
            network.Start();

            BoardIdentity identity = new BoardIdentity(FirmwareVersion, "nanoFramework", board.Name, capabilities, "");
            BoardRuntime runtime = new BoardRuntime(board, io, clock, identity, new RuntimeOptions());
            runtime.CalibrationSink = io;
            runtime.ConnectionTester = new M2MqttConnectionTester();
            StationModules.AddAll(runtime);
            runtime.Boot();

            // T1: the scan on its own highest-priority thread, absolute deadlines, watchdog kicked per completed scan.
            ScanThreadRunner scan = new ScanThreadRunner(runtime.Scan, clock, ScanSleepGuardUs);
            scan.Start();

            // T2: the technician console on the board's console UART.
            ShellSession console = runtime.OpenConsole(io.Console, true);
            Thread consoleThread = new Thread(new ThreadStart(console.Run));
            consoleThread.Priority = ThreadPriority.BelowNormal;
            consoleThread.Start();

            StartEdgeNode(runtime, io);
            return runtime;
        }

        /// <summary>Sparkplug edge node over M2Mqtt, from the broker settings commissioning stores (net.*).</summary>
        /// <remarks>
        /// Not started while the settings are incomplete (a new board): the console's <c>net show</c> says what
        /// is missing; the board starts the node at the next boot after <c>settings save</c>. M2Mqtt sends the
        /// Will as a string, so the NDEATH is made 7-bit clean (bdSeq 1..127, no timestamp).
        /// </remarks>
        private static void StartEdgeNode(BoardRuntime runtime, NanoBoardIo io)
        {
            MqttConnectOptions options;
            string problem;
            if (!runtime.Commissioning.Network.TryBuildConnectOptions(null, out options, out problem))
            {
                Debug.WriteLine("sparkplug: not started: " + problem);
                return;
            }
            INvStore bdSeq = io.NvStore("sparkplug");
            if (bdSeq == null)
            {
                Debug.WriteLine("sparkplug: not started: the board declares no 'sparkplug' NV partition for bdSeq");
                return;
            }
            EdgeNodeConfig config = new EdgeNodeConfig();
            config.GroupId = runtime.Settings.GetText(runtime.Commissioning.Network.Group);
            config.EdgeNodeId = runtime.Settings.GetText(runtime.Commissioning.Network.Node);
            config.Connection = options;
            config.FirmwareVersion = FirmwareVersion;
            config.Board = runtime.Board.Name;
            config.AssetId = runtime.Identity.AssetId;
            config.SevenBitWill = true;
            BoardEdgeNode node = new BoardEdgeNode(runtime, config, new M2MqttSession(8), bdSeq, io.NvStore("sfq"));
            node.Start();
            Thread mqtt = new Thread(new ThreadStart(delegate
            {
                while (true)
                {
                    node.Poll();
                    Thread.Sleep(50);
                }
            }));
            mqtt.Priority = ThreadPriority.BelowNormal;
            mqtt.Start();

            // Alarms and events into the durable queue on their own thread: a connect blocked on the network
            // must not keep them in RAM.
            Thread persistence = new Thread(new ThreadStart(delegate
            {
                while (true)
                {
                    node.ForwardLogs();
                    Thread.Sleep(50);
                }
            }));
            persistence.Priority = ThreadPriority.BelowNormal;
            persistence.Start();
        }
    }
}
