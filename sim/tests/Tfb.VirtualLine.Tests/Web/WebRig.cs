using Tfb.Runtime;
using Tfb.Stations.Web;

namespace Tfb.VirtualLine.Tests.Web;

/// <summary>The virtual line with the web board's module at hand, stepped in lockstep.</summary>
internal sealed class WebRig
{
    public WebRig()
    {
        Line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        Board = Line.Board("web")!;
        Module = (WebTransportModule)Board.Runtime.Module(0);
    }

    public Line Line { get; }
    public VirtualBoard Board { get; }
    public WebTransportModule Module { get; }
    public WebController C => Module.Controller;
    public double Signal(string name) => Line.Plant.Bus.Read(name);

    public void Steps(int n) { for (int i = 0; i < n; i++) Line.Step(); }

    public void Seconds(double s) => Steps((int)Math.Round(s * 100));

    /// <summary>Steps until <paramref name="done"/> or the time limit; returns whether it came true.</summary>
    public bool Until(Func<bool> done, double maxSeconds)
    {
        for (int i = 0; i < maxSeconds * 100; i++)
        {
            if (done()) return true;
            Line.Step();
        }
        return done();
    }

    public void Type(string text, int steps = 2)
    {
        Board.TypeLine(text);
        Steps(steps);
    }

    public void Login()
    {
        Type("login technician");
        Type("tfb-tech");
    }

    /// <summary>Thread, wait for threading tension, run, wait until the permit comes on.</summary>
    public void ThreadAndRun()
    {
        Login();
        Type("web thread");
        Assert.True(Until(() => C.State == WebState.Thread && C.Span1SetpointN >= C.Parameters.ThreadTensionN, 5), "threading tension");
        Seconds(1);
        Type("web run");
        Assert.Equal(WebState.Run, C.State);
        Assert.True(Until(() => C.Permit, 60), "permit at speed");
    }
}
