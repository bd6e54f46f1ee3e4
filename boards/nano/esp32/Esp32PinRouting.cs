using nanoFramework.Hardware.Esp32;

namespace Tfb.Boards.Nano.Esp32
{
    /// <summary>
    /// Routes the board's UART, SPI, I2C and PWM pins through the ESP32 GPIO matrix from its <c>pinfunc</c> lines.
    /// Must run before any adapter opens a port, bus or PWM channel.
    /// </summary>
    public static class Esp32PinRouting
    {
        /// <summary>Applies every pinfunc of <paramref name="board"/> (values validated by the parser).</summary>
        public static void Apply(BoardDefinition board)
        {
            PinFunctionDef[] functions = board.PinFunctions;
            for (int i = 0; i < functions.Length; i++)
            {
                Configuration.SetPinFunction(functions[i].Pin.Number, (DeviceFunction)functions[i].Esp32FunctionValue);
            }
        }
    }
}
