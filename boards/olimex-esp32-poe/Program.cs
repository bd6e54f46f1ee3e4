using System;
using System.Diagnostics;
using System.Reflection;
using System.Threading;
using Tfb.Boards.Nano;
using Tfb.Boards.Nano.Esp32;
using Tfb.Hal;

[assembly: AssemblyTitle("Tfb.Image.OlimexEsp32Poe")]
[assembly: AssemblyProduct("TfbFirmware")]
[assembly: AssemblyVersion("0.1.0.0")]

namespace Tfb.Boards.Image
{
    /// <summary>
    /// Composition root of the Olimex ESP32-POE image (anneal station): board definition -> pin routing ->
    /// clock -> adapters (outputs safe first) -> network. The station modules, scan executive, console and
    /// Sparkplug node are not composed here yet; until they are, the image runs the I/O bring-up loop below.
    /// </summary>
    public static class Program
    {
        /// <summary>Bring-up loop period: reads every input and kicks the supervisor (1.6 s timeout).</summary>
        private const int BringUpPeriodMs = 100;

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

            // To be replaced by the scan executive (T1: read inputs -> interlocks -> modules -> outputs ->
            // watchdog kick), the console on io.Console and the Sparkplug node over M2MqttSession when those
            // land in firmware/. Until then: outputs stay in their safe state, inputs are read, and the
            // supervisor is kicked only by this loop completing.
            BringUp(io);
        }

        private static void BringUp(NanoBoardIo io)
        {
            GpioDigitalInput[] inputs = io.DigitalInputs;
            AdcAnalogInput[] analogs = io.AnalogInputs;
            IWatchdog watchdog = io.Watchdog;
            bool active;
            double value;
            while (true)
            {
                io.AllOutputsSafe();
                for (int i = 0; i < inputs.Length; i++) inputs[i].TryRead(out active);
                for (int i = 0; i < analogs.Length; i++) analogs[i].TryRead(out value);
                if (watchdog != null) watchdog.Kick();
                Thread.Sleep(BringUpPeriodMs);
            }
        }
    }
}
