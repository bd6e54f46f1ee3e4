using System.Diagnostics;
using System.Threading;
using Tfb.Hal;
using Tfb.Runtime;
using Tfb.Scan;
using Tfb.Shell;

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
            runtime.Boot();

            // T1: the scan on its own highest-priority thread, absolute deadlines, watchdog kicked per completed scan.
            ScanThreadRunner scan = new ScanThreadRunner(runtime.Scan, clock, ScanSleepGuardUs);
            scan.Start();

            // T2: the technician console on the board's console UART.
            ShellSession console = runtime.OpenConsole(io.Console, true);
            Thread consoleThread = new Thread(new ThreadStart(console.Run));
            consoleThread.Priority = ThreadPriority.BelowNormal;
            consoleThread.Start();

            // Not composed yet: the Sparkplug edge node (BoardEdgeNode over M2MqttSession) needs the broker
            // settings that commissioning provides, and station modules do not exist yet (the board runs the
            // input monitor: every input read each scan, missing data raised as an alarm).
            return runtime;
        }
    }
}
