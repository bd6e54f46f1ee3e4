using System.Net.Sockets;
using System.Text;

namespace Tfb.VirtualLine.Tests;

/// <summary>A technician's terminal on a board's TCP console, the way nc or telnet attach to the virtual line.</summary>
public sealed class TcpConsoleTests : IDisposable
{
    private readonly Line _line = new(new LineOptions { BoardsDir = Repo.LineBoards });
    private readonly ConsoleServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _runner;

    public TcpConsoleTests()
    {
        var board = _line.Board("anneal")!;
        _server = new ConsoleServer(0, "anneal", (link, ct) =>
        {
            var session = board.Runtime.OpenConsole(link, echo: true);
            using var reg = ct.Register(session.RequestExit);
            session.Run();
        });
        // The line keeps scanning (unpaced) while the terminal talks to it.
        _runner = new Thread(() => { while (!_stop.IsCancellationRequested) { _line.Step(); Thread.Sleep(1); } }) { IsBackground = true };
        _runner.Start();
    }

    private sealed class Terminal : IDisposable
    {
        private readonly TcpClient _client = new();
        private readonly NetworkStream _stream;
        private readonly StringBuilder _seen = new();

        public Terminal(int port)
        {
            _client.Connect("127.0.0.1", port);
            _stream = _client.GetStream();
            _stream.ReadTimeout = 5000;
        }

        /// <summary>Sends a line and returns what came back up to and including its final ok/error line.</summary>
        public string Command(string line)
        {
            _stream.Write(Encoding.ASCII.GetBytes(line + "\r\n"));
            return ReadUntilFinal(line);
        }

        /// <summary>Sends a line that the board answers with a prompt (no final answer yet) and waits for the prompt.</summary>
        public void Prompted(string line, string prompt)
        {
            var start = _seen.Length;
            _stream.Write(Encoding.ASCII.GetBytes(line + "\r\n"));
            var buf = new byte[1024];
            while (!_seen.ToString(start, _seen.Length - start).Contains(prompt, StringComparison.Ordinal))
            {
                int n = _stream.Read(buf);
                if (n <= 0) throw new IOException("closed");
                foreach (var b in buf.AsSpan(0, n)) if (b < 0xF0) _seen.Append((char)b);
            }
        }

        public string ReadUntilFinal(string echo)
        {
            var start = _seen.Length;
            var buf = new byte[1024];
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                int n;
                try { n = _stream.Read(buf); } catch (IOException) { throw new TimeoutException("no final answer to: " + echo + "\n" + _seen.ToString().Replace("\r", "<CR>")); }
                if (n <= 0) break;
                foreach (var b in buf.AsSpan(0, n)) if (b < 0xF0) _seen.Append((char)b); // drop Telnet negotiation bytes
                var text = _seen.ToString(start, _seen.Length - start);
                var lines = text.Split("\r\n");
                // Commands are sent one at a time, so the first final line after the send answers this one.
                if (lines.Any(l => l == "ok" || l.StartsWith("error:", StringComparison.Ordinal)))
                    return text;
            }
            throw new TimeoutException("no final answer to: " + echo + "\n" + _seen);
        }

        public void Dispose() => _client.Dispose();
    }

    [Fact]
    public void Technician_AttachesOverTcp_LogsIn_AndEveryLineGetsOneFinalAnswer()
    {
        using var t = new Terminal(_server.Port);
        Assert.Contains("ok", t.Command("info"));
        Assert.Contains("board: virtual-anneal", t.Command("info"));
        Assert.Contains("error:1 ", t.Command("frobnicate"));
        Assert.Contains("error:5 ", t.Command("settings save")); // operator may not

        t.Prompted("login technician", "password:");
        var login = t.Command("tfb-tech");
        Assert.Contains("ok", login);
        Assert.DoesNotContain("tfb-tech", login); // the password is not echoed
        Assert.Contains("technician", t.Command("whoami"));
        Assert.Contains("ok", t.Command("settings save"));
        Assert.Matches(@"board: scans=\d+", t.Command("status"));
    }

    [Fact]
    public void TwoTerminals_HaveTheirOwnAccessLevels()
    {
        using var a = new Terminal(_server.Port);
        using var b = new Terminal(_server.Port);
        a.Prompted("login engineer", "password:");
        Assert.Contains("ok", a.Command("tfb-eng"));
        Assert.Contains("engineer", a.Command("whoami"));
        Assert.Contains("operator", b.Command("whoami"));
    }

    public void Dispose()
    {
        _server.Dispose();
        _stop.Cancel();
        _runner.Join(2000);
    }
}
