using System.Globalization;
using Tfb.Boards.Virtual;
using Tfb.Codes;
using Tfb.Shell;

namespace Tfb.VirtualLine;

/// <summary>Options of the interactive run (the README's first command).</summary>
public sealed record InteractiveOptions
{
    public required string BoardsDir { get; init; }
    public ulong Seed { get; init; } = 1;
    public double Speed { get; init; } = 1;
    public double? DurationS { get; init; }
    public int ConsolePortBase { get; init; } = 7001;
    public string? Attach { get; init; }
    public string? Broker { get; init; }
    public int BrokerPort { get; init; } = 1883;
    public required string StateDir { get; init; }
    public double StatusIntervalS { get; init; } = 10;
    /// <summary>Results file (results contract CSV) the sheet-test boards append binned sheets to; null = none.</summary>
    public string? SheetResultsPath { get; init; }
}

/// <summary>
/// The line for people: real time (or --speed N), each board's console on its own TCP port, the selected board's
/// console on this terminal, an MQTT broker, a status line per board; Ctrl-C shuts down cleanly.
/// </summary>
public static class InteractiveRun
{
    public static int Run(InteractiveOptions o, CancellationToken cancel)
    {
        var err = Console.Error;
        Line line;
        try
        {
            line = new Line(new LineOptions { BoardsDir = o.BoardsDir, Seed = o.Seed, StateDir = o.StateDir });
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Tfb.Boards.BoardDefinitionException)
        {
            err.WriteLine($"error: {e.Message}");
            return 2;
        }

        if (o.SheetResultsPath != null) SheetResultsCsv.Attach(line, o.SheetResultsPath);

        EmbeddedBroker? embedded = null;
        string brokerText;
        string brokerHost = "127.0.0.1";
        int brokerPortNumber = o.BrokerPort;
        if (o.Broker != null && !TryParseHostPort(o.Broker, out brokerHost, out brokerPortNumber))
        {
            err.WriteLine($"error: --broker '{o.Broker}' is not host:port");
            return 2;
        }
        if (o.Broker == null)
        {
            try
            {
                embedded = EmbeddedBroker.StartAsync(o.BrokerPort).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
            {
                err.WriteLine($"error: cannot start the embedded MQTT broker on 127.0.0.1:{o.BrokerPort} ({e.Message}); use --broker-port or --broker host:port");
                return 2;
            }
            brokerText = $"embedded broker on 127.0.0.1:{o.BrokerPort}";
        }
        else
        {
            brokerText = $"external broker {o.Broker}";
        }

        var servers = new List<ConsoleServer>();
        // The edge nodes; the embedded broker now belongs to the MQTT side (stopped after the nodes' NDEATH).
        var mqtt = LineMqtt.StartAsync(line, brokerHost, brokerPortNumber, embedded, observe: false).GetAwaiter().GetResult();
        embedded = null;
        try
        {
            err.WriteLine($"TfbFirmware virtual line: {line.Boards.Count} boards, seed {o.Seed}, speed {(o.Speed == 0 ? "unpaced" : o.Speed.ToString(CultureInfo.InvariantCulture) + "x")}, {brokerText}");
            err.WriteLine($"state (settings, queues): {o.StateDir}");
            for (int i = 0; i < line.Boards.Count; i++)
            {
                var b = line.Boards[i];
                string where = "";
                if (o.ConsolePortBase > 0)
                {
                    var server = new ConsoleServer(o.ConsolePortBase + i, b.Name, (link, ct) => RunSession(b, link, ct));
                    servers.Add(server);
                    where = $"console: nc 127.0.0.1 {server.Port}  (or telnet)";
                }
                err.WriteLine($"  {b.Name,-8} {b.Definition.Name,-16} settings: {b.Runtime.SettingsOutcome,-8} {where}");
            }

            var attached = o.Attach == "none" ? null : (o.Attach == null ? line.Boards[0] : line.Board(o.Attach));
            if (o.Attach != null && o.Attach != "none" && attached == null)
            {
                err.WriteLine($"error: no board '{o.Attach}' (boards: {string.Join(", ", line.Boards.Select(b => b.Name))})");
                return 2;
            }
            Thread? terminal = null;
            if (attached != null)
            {
                err.WriteLine($"this terminal is the {attached.Name} board's console: type 'help'; '?' status, '!' stop, Ctrl-C quits the line");
                var link = new TerminalSerialLink();
                terminal = new Thread(() => RunSession(attached, link, cancel)) { IsBackground = true, Name = "terminal-console" };
                terminal.Start();
            }

            var pacer = new Pacer(line.Options.PeriodUs, o.Speed);
            double nextStatus = o.StatusIntervalS;
            while (!cancel.IsCancellationRequested)
            {
                pacer.WaitForNextStep(cancel);
                if (cancel.IsCancellationRequested) break;
                line.Step();
                if (o.DurationS is double d && line.TimeS >= d) break;
                if (o.StatusIntervalS > 0 && pacer.WallSeconds >= nextStatus)
                {
                    nextStatus += o.StatusIntervalS;
                    foreach (var b in line.Boards) err.WriteLine(StatusLine(line, b));
                }
            }
            double wall = pacer.WallSeconds;
            err.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stopping at t={line.TimeS:F3} s simulated, {wall:F3} s wall: {(wall > 0 ? line.TimeS / wall : 0):F4} simulated s per wall s, {pacer.LateSteps} late steps"));
            mqtt.StopNodes();
            err.WriteLine("  edge nodes: NDEATH published, disconnected");
            Shutdown(line, err);
            return 0;
        }
        finally
        {
            foreach (var s in servers) s.Dispose();
            mqtt.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>One status line: time, scan statistics, alarms, MQTT session.</summary>
    public static string StatusLine(Line line, VirtualBoard b)
    {
        var mqtt = b.Edge == null ? "" : $" mqtt={b.Edge.Session.State} bdSeq={b.Edge.Session.BdSeq} seq={b.Edge.Session.Seq}";
        var watchdog = b.Io.Supervisor.Expired ? " WATCHDOG EXPIRED" : "";
        return $"[{b.Name}] t={line.TimeS.ToString("F1", CultureInfo.InvariantCulture)}s {b.Runtime.GetStatus()}{mqtt}{watchdog}";
    }

    /// <summary>Parses host:port.</summary>
    public static bool TryParseHostPort(string text, out string host, out int port)
    {
        host = "";
        port = 0;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535) return false;
        host = text[..colon];
        return true;
    }

    private static void RunSession(VirtualBoard board, Tfb.Hal.ISerialLink link, CancellationToken cancel)
    {
        var session = board.Runtime.OpenConsole(link, echo: true);
        using var reg = cancel.Register(session.RequestExit);
        session.Run();
    }

    // A clean stop: every output to its safe state, changed settings committed where the firmware keeps them.
    private static void Shutdown(Line line, TextWriter err)
    {
        foreach (var b in line.Boards)
        {
            b.Io.AllOutputsSafe();
            var store = b.Runtime.SettingsStore;
            if (store != null && b.Runtime.Settings.Dirty)
            {
                err.WriteLine(store.Save(out ErrorCode code)
                    ? $"  {b.Name}: changed settings saved"
                    : $"  {b.Name}: settings NOT saved: error {(int)code} {ShellCore.ErrorText(code)}");
            }
        }
    }
}
