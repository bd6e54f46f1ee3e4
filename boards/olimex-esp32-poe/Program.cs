using System;
using System.Diagnostics;
using System.Reflection;
using System.Threading;
using Tfb.Boards.Nano;
using Tfb.Boards.Nano.Esp32;
using Tfb.Hal;
using Tfb.Runtime;
using Tfb.Scan;
using Tfb.Shell;

[assembly: AssemblyTitle("Tfb.Image.OlimexEsp32Poe")]
[assembly: AssemblyProduct("TfbFirmware")]
[assembly: AssemblyVersion("0.1.0.0")]

namespace Tfb.Boards.Image
{
    /// <summary>
    /// Composition root of the image: board definition -> adapters (outputs safe first) -> network -> board runtime
    /// (settings, scan, console). See docs/flashing.md.
    /// </summary>
    public static class Program
    {
        /// <summary>Firmware version reported by info and the NBIRTH.</summary>
        private const string FirmwareVersion = "0.1.0";

        /// <summary>The scan thread sleeps to within this of each release, then spins on the clock (ms sleeps are coarse).</summary>
        private const int ScanSleepGuardUs = 2000;

        /// <summary>Entry point.</summary>
        public static void Main()
        {
            BoardDefinition board;
            BoardParseError error;
            if (!BoardDefinitionParser.TryParse(BoardDefinitionText.Text, out board, out error))
            {
                // Nothing is opened: outputs stay at their hardware reset level and the supervisor resets the
                // board; the reason is on the debug output every boot.
                Debug.WriteLine("board definition refused: " + error.ToString());
                Thread.Sleep(Timeout.Infinite);
            }

            Esp32PinRouting.Apply(board);
            IClock clock = new Esp32Clock();
            NanoBoardIo io = new NanoBoardIo(board, clock, null);

            Thread network = new Thread(new ThreadStart(delegate
            {
                string ip = EthernetLink.Connect(board.Ethernet, null, null, null, 60000);
                Debug.WriteLine(ip == null ? "ethernet: no address (" + ((int)EthernetLink.Status).ToString() + ")" : "ethernet: " + ip);
                if (ip != null) EthernetLink.StartSntp(null, null);
            }));
            network.Priority = ThreadPriority.BelowNormal;
            network.Start();

            // The firmware: logs, settings (loaded from the "settings" partition), scan, console, station modules.
            BoardIdentity identity = new BoardIdentity(FirmwareVersion, "nanoFramework", board.Name, "anneal", "");
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
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
