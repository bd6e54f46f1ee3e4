using System.Net.Sockets;
using Tfb.Hal;

namespace Tfb.Boards.Virtual;

/// <summary>A board console's serial link carried over one TCP connection (nc, telnet, PuTTY raw or Telnet).</summary>
public sealed class TcpSerialLink : ISerialLink, IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly TelnetFilter _telnet = new();
    private volatile bool _closed;

    /// <summary>Wraps an accepted connection and sends the Telnet greeting (ignored by raw clients' users).</summary>
    public TcpSerialLink(TcpClient client, bool telnetGreeting = true)
    {
        _client = client;
        _client.NoDelay = true;
        _stream = client.GetStream();
        if (telnetGreeting) Write(TelnetFilter.Greeting, 0, TelnetFilter.Greeting.Length);
    }

    /// <summary>True once the peer closed or the link failed.</summary>
    public bool Closed => _closed;

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count, int timeoutMs)
    {
        if (_closed) return -1;
        try
        {
            while (true)
            {
                if (!_client.Client.Poll(timeoutMs * 1000, SelectMode.SelectRead)) return 0;
                int n = _stream.Read(buffer, offset, count);
                if (n <= 0) { _closed = true; return -1; }
                n = _telnet.Filter(buffer, offset, n);
                if (n > 0) return n;
                // Only protocol bytes arrived: keep waiting within the caller's budget (approximately).
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _closed = true;
            return -1;
        }
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        if (_closed) return;
        try { _stream.Write(buffer, offset, count); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { _closed = true; }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _closed = true;
        _client.Dispose();
    }
}
