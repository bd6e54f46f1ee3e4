using System.Reflection;
using System.Threading;
using Tfb.Boards.Nano;
using Tfb.Boards.Nano.Stm32;
using Tfb.Hal;

[assembly: AssemblyTitle("Tfb.Image.Stm32F769iDisco")]
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
        /// <summary>Entry point: MCU set-up, then the common board host.</summary>
        public static void Main()
        {
            BoardDefinition board = NanoBoardHost.ParseOrHalt(BoardDefinitionText.Text);
            IClock clock = new TickCountClock();
            NanoBoardIo io = new NanoBoardIo(board, clock, BackupMemoryNvStore.Create);
            NanoBoardHost.Start(board, clock, io, "sputter");
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
