using System.Text;
using Tfb.Hal;

namespace Tfb.Boards.Virtual;

/// <summary>
/// The selected board's console on the terminal the virtual line was started from. On an interactive terminal
/// keys are read one at a time without local echo (the console echoes, as a board does), so the real-time
/// bytes act at once; with redirected input the bytes are read as they come.
/// </summary>
public sealed class TerminalSerialLink : ISerialLink
{
    private readonly Stream? _input;
    private readonly Stream _output = Console.OpenStandardOutput();
    private readonly object _writeSync = new();

    /// <summary>Creates the link over this process's standard input and output.</summary>
    public TerminalSerialLink()
    {
        if (Console.IsInputRedirected) _input = Console.OpenStandardInput();
    }

    /// <summary>Writes a whole line of host text (status banners) without disturbing the byte stream's encoding.</summary>
    public void WriteText(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Write(bytes, 0, bytes.Length);
    }

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_input != null)
        {
            int n = _input.Read(buffer, offset, count);
            return n <= 0 ? -1 : n;
        }
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!Console.KeyAvailable)
        {
            if (Environment.TickCount64 >= deadline) return 0;
            Thread.Sleep(5);
        }
        var key = Console.ReadKey(intercept: true);
        byte b = key.Key switch
        {
            ConsoleKey.Enter => (byte)'\r',
            ConsoleKey.Backspace => 0x08,
            _ => key.KeyChar is > '\0' and < (char)0x80 ? (byte)key.KeyChar : (byte)0,
        };
        if (b == 0) return 0;
        buffer[offset] = b;
        return 1;
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        lock (_writeSync)
        {
            _output.Write(buffer, offset, count);
            _output.Flush();
        }
    }
}
