using Tfb.Stations.Sputter;

namespace Tfb.VirtualLine.Tests.Sputter;

/// <summary>
/// A virtual line with only the sputter board (so nothing else drives <c>wire.web_ok</c>: the test owns the
/// permit), time-compressed settings (fast ramps, short pre-sputter) and helpers to drive the sequence.
/// </summary>
internal sealed class SputterRig
{
    private static readonly string s_boards = CreateBoardsDir();

    public SputterRig(ulong seed = 7, bool compressed = true)
    {
        Line = new Line(new LineOptions { BoardsDir = s_boards, Seed = seed });
        Board = Line.Board("sputter")!;
        Module = (SputterModule)Board.Runtime.Module(0);
        Line.Plant.Bus.Write("wire.web_ok", 1);
        if (compressed)
        {
            Set("sputter.maxRampWPerCm2Min", 30);
            Set("sputter.recipe.licoo2.rampWPerCm2Min", 30);
            Set("sputter.recipe.lipon.rampWPerCm2Min", 30);
            Set("sputter.recipe.licoo2.preSputterS", 1);
            Set("sputter.recipe.lipon.preSputterS", 1);
            Set("sputter.recipe.licoo2.powerW", 60);
            Set("sputter.maintenanceTimeoutS", 20);
        }
        Step(10);
    }

    public Line Line { get; }
    public VirtualBoard Board { get; }
    public SputterModule Module { get; }

    private static string CreateBoardsDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "tfb-sputter-line-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(Repo.LineBoards, "sputter.board"), Path.Combine(dir, "sputter.board"), true);
        return dir;
    }

    public void Set(string name, double value)
    {
        int i = Board.Runtime.Settings.IndexOf(name);
        Assert.True(i >= 0, name);
        Assert.True(Board.Runtime.Settings.TrySetNumber(i, value, out var e), $"{name}={value}: {e}");
    }

    public void Step(int n = 1)
    {
        for (int i = 0; i < n; i++) Line.Step();
    }

    public bool StepUntil(Func<bool> done, int maxSteps)
    {
        for (int i = 0; i < maxSteps; i++)
        {
            if (done()) return true;
            Line.Step();
        }
        return done();
    }

    public bool Post(int code, int arg0 = 0, double value0 = 0) =>
        Board.Runtime.Scan.Commands.TryPost(code, 9, arg0, 0, value0, 0);

    public double Signal(string name) => Line.Plant.Bus.Read(name);

    /// <summary>Starts LiCoO2 and steps until the station reaches <paramref name="state"/>.</summary>
    public void RunTo(int state, int recipe = SputterRecipe.LiCoO2)
    {
        if (state == SputterState.Idle) return;
        if (state == SputterState.Maintenance)
        {
            Assert.True(Post(SputterModule.CmdMode, SputterMode.Maintenance));
            Step(2);
            Assert.True(Post(SputterModule.CmdGas, SputterGas.Ar, 40));
            Step(2);
            Assert.True(StepUntil(() => Module.UnhealthyMask == 0 || false, 2000));
            Step(600); // gas settles into the window
            Assert.True(Post(SputterModule.CmdPower, 0, 45));
            Assert.True(StepUntil(() => Module.Plasma(0) && Module.SetpointW(0) >= 44.9, 3000), "maintenance RF did not light");
            Assert.Equal(SputterState.Maintenance, Module.State);
            return;
        }
        Assert.True(Post(SputterModule.CmdStart, recipe));
        Assert.True(StepUntil(() => Module.State == state, 6000), $"never reached {SputterState.Name(state)}; at {SputterState.Name(Module.State)} latched={Module.LatchedMask:x}");
    }
}
