using Tfb.Stations.Web;

namespace Tfb.VirtualLine.Tests.Web;

[Collection("paced")]
public class WebMqttTests
{
    [Fact]
    public async Task TheWebDevice_PublishesStateSetpointsAndTensions_ToScada()
    {
        var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var broker = await EmbeddedBroker.StartAsync(port);
        await using var mqtt = await LineMqtt.StartAsync(line, "127.0.0.1", port, broker, observe: true);
        bool StepUntil(Func<bool> done, double maxSeconds)
        {
            for (int i = 0; i < maxSeconds * 100; i++)
            {
                if (done()) return true;
                line.Step();
                Thread.Sleep(10);
            }
            return done();
        }

        var obs = mqtt.Observer!;
        // The observer stores a birth's metrics one by one on its own thread: wait for the ones asserted on.
        Assert.True(StepUntil(() => obs.TryGet("virtual-web", "web-transport/State", out _)
            && obs.TryGet("virtual-web", "web-transport/Setpoints/Tension N", out _)
            && obs.TryGet("virtual-web", "web-transport/Permit", out _), 10), "no DBIRTH of web-transport");
        Assert.True(obs.TryGet("virtual-web", "web-transport/Setpoints/Tension N", out var sp));
        Assert.Equal(300, sp.DoubleValue);
        Assert.True(obs.TryGet("virtual-web", "web-transport/Permit", out var permit));
        Assert.False(permit.BooleanValue);

        // A second of simulated time for the drives' ready contacts and the debounced inputs: how many steps ran
        // before the birth arrived depends on the broker's timing, and a thread command before the inputs are
        // healthy is refused (InterlockActive), as it should be.
        for (int i = 0; i < 100; i++) { line.Step(); Thread.Sleep(1); }
        var web = line.Board("web")!;
        web.TypeLine("login technician");
        web.TypeLine("tfb-tech");
        web.TypeLine("web thread");
        Assert.True(StepUntil(() => obs.TryGet("virtual-web", "web-transport/State", out var s) && s.IntValue == (uint)WebState.Thread
            && obs.TryGet("virtual-web", "web-transport/Tension/Span1 N", out var t) && t.DoubleValue > 90, 30),
            "threading state and tension over MQTT; SCADA saw State=" + (obs.TryGet("virtual-web", "web-transport/State", out var st) ? st.ToString() : "none")
            + " Span1=" + (obs.TryGet("virtual-web", "web-transport/Tension/Span1 N", out var t1) ? t1.ToString() : "none")
            + "; board state " + ((WebTransportModule)web.Runtime.Module(0)).Controller.State + "; console: " + web.ScenarioLink.Output);
    }
}
