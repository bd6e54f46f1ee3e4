using System.Net;
using System.Net.Sockets;
using Tfb.Boards.Virtual;

namespace Tfb.VirtualLine;

/// <summary>
/// One board's console on a local TCP port: every connection (nc, telnet, PuTTY) gets its own console
/// session on its own thread, as a second terminal plugged into the board would.
/// </summary>
public sealed class ConsoleServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Action<TcpSerialLink, CancellationToken> _runSession;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Thread Thread, TcpSerialLink Link)> _sessions = [];
    private readonly Thread _acceptThread;

    /// <param name="port">Port on 127.0.0.1 (0 = any free port; see <see cref="Port"/>).</param>
    /// <param name="name">Board name, for thread names.</param>
    /// <param name="runSession">Runs one console session over the link until it closes or the token is cancelled.</param>
    public ConsoleServer(int port, string name, Action<TcpSerialLink, CancellationToken> runSession)
    {
        _runSession = runSession;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = $"console-accept-{name}" };
        _acceptThread.Start();
    }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Sessions open now.</summary>
    public int OpenSessions
    {
        get { lock (_sessions) return _sessions.Count(s => s.Thread.IsAlive); }
    }

    private void AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = _listener.AcceptTcpClient(); }
            catch (SocketException) { return; }
            catch (ObjectDisposedException) { return; }
            var link = new TcpSerialLink(client);
            var t = new Thread(() =>
            {
                try { _runSession(link, _stop.Token); }
                finally { link.Dispose(); }
            }) { IsBackground = true, Name = $"console-{Port}" };
            lock (_sessions)
            {
                _sessions.RemoveAll(s => !s.Thread.IsAlive);
                _sessions.Add((t, link));
            }
            t.Start();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        List<(Thread Thread, TcpSerialLink Link)> sessions;
        lock (_sessions) sessions = [.. _sessions];
        foreach (var s in sessions) s.Link.Dispose();
        foreach (var s in sessions) s.Thread.Join(2000);
        _acceptThread.Join(2000);
        _stop.Dispose();
    }
}
