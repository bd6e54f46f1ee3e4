namespace Tfb.Boards.Virtual;

/// <summary>
/// Strips Telnet protocol bytes (RFC 854 IAC sequences) from a TCP byte stream, so `telnet` and PuTTY in Telnet
/// mode can attach to a board console like a serial terminal; plain `nc` streams pass through unchanged.
/// </summary>
public sealed class TelnetFilter
{
    /// <summary>Interpret As Command.</summary>
    public const byte Iac = 255;
    private const byte Se = 240, Sb = 250, Will = 251, Wont = 252, Do = 253, Dont = 254;

    /// <summary>
    /// Sent on connect: the server echoes and suppresses go-ahead, which puts Telnet clients in character mode,
    /// so real-time bytes ('?', '!', '~', Ctrl-X) reach the console at once.
    /// </summary>
    public static readonly byte[] Greeting = [Iac, Will, 1 /* ECHO */, Iac, Will, 3 /* SUPPRESS-GO-AHEAD */, Iac, Do, 3];

    private int _state; // 0 data, 1 after IAC, 2 option byte follows, 3 in subnegotiation, 4 IAC inside subnegotiation

    /// <summary>Filters <paramref name="count"/> bytes in place; returns how many data bytes remain at the front.</summary>
    public int Filter(byte[] buffer, int offset, int count)
    {
        int w = offset;
        for (int i = offset; i < offset + count; i++)
        {
            byte b = buffer[i];
            switch (_state)
            {
                case 0:
                    if (b == Iac) _state = 1;
                    else if (b != 0) buffer[w++] = b; // Telnet sends CR NUL for a bare CR
                    break;
                case 1:
                    if (b == Iac) { buffer[w++] = Iac; _state = 0; }
                    else if (b is Will or Wont or Do or Dont) _state = 2;
                    else if (b == Sb) _state = 3;
                    else _state = 0;
                    break;
                case 2:
                    _state = 0;
                    break;
                case 3:
                    if (b == Iac) _state = 4;
                    break;
                case 4:
                    _state = b == Se ? 0 : 3;
                    break;
            }
        }
        return w - offset;
    }
}
