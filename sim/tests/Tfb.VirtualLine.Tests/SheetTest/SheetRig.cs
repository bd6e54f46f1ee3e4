using Tfb.Plant.Models;
using Tfb.Stations.SheetTest;

namespace Tfb.VirtualLine.Tests.SheetTest;

/// <summary>A virtual line with the sheet-test board set to a small grid (tests stay fast; the full sheet is the benchmark's).</summary>
internal sealed class SheetRig
{
    public readonly Line Line;
    public readonly VirtualBoard Board;
    public readonly SheetTestModule Module;
    public readonly SheetTestModel Plant;

    public SheetRig(int cols = 4, int rows = 3, bool formed = false, SheetConfig? sheet = null, ulong seed = 7)
    {
        Line = new Line(new LineOptions { BoardsDir = Repo.LineBoards, Seed = seed });
        Board = Line.Board("sheettest")!;
        Module = (SheetTestModule)Board.Runtime.Module(0);
        Plant = (SheetTestModel)Line.Plant.Components.First(c => c is SheetTestModel);
        Plant.LoadSheet((sheet ?? new SheetConfig()) with { Columns = cols, Rows = rows, Formed = formed });
        Set("sheet.cols", cols.ToString());
        Set("sheet.rows", rows.ToString());
        Set("sheet.formed", formed ? "true" : "false");
        if (formed)
        {
            // A formed sheet's impedance: tens to hundreds of ohms at every frequency.
            Set("sheet.lim.z3OhmLo", "50");
            Set("sheet.lim.z3OhmHi", "2000");
            Set("sheet.lim.z2OhmHi", "400");
        }
    }

    public void Set(string name, string value)
    {
        var s = Board.Runtime.Settings;
        int i = s.IndexOf(name);
        Assert.True(i >= 0, name);
        Assert.True(s.TrySetFromText(i, value, out var error), $"{name}={value}: {error}");
    }

    public void Start(int sheets = 1)
    {
        Assert.True(Module.TryStart(sheets, null, null, null, null, out var error, out var text), $"{error} {text}");
    }

    /// <summary>Steps until <paramref name="done"/> or <paramref name="maxSeconds"/> of simulated time.</summary>
    public bool StepUntil(Func<bool> done, double maxSeconds)
    {
        long steps = (long)(maxSeconds * 1e6 / Line.Options.PeriodUs);
        for (long i = 0; i < steps; i++)
        {
            Line.Step();
            if (done()) return true;
        }
        return false;
    }

    public void Type(string text)
    {
        Board.TypeLine(text);
        Line.Step();
        Line.Step();
    }
}
