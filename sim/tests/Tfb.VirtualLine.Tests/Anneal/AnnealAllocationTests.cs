using Tfb.Stations.Anneal;

namespace Tfb.VirtualLine.Tests.Anneal;

[Collection("allocation")]
public class AnnealAllocationTests
{
    [Fact]
    // Measures the anneal board's scans (its module running a program); the other boards are stepped but not counted.
    public void ScansOfTheAnnealBoard_WithAProgramRunning_AllocateNothing()
    {
        var line = new Line(new LineOptions { BoardsDir = Repo.LineBoards });
        var anneal = line.Board("anneal")!;
        var module = (AnnealModule)anneal.Runtime.Module(0);
        for (int i = 0; i < 200; i++) line.Step();
        Assert.True(anneal.Runtime.Scan.Commands.TryPost(AnnealCommand.Start, AnnealModule.SourceAnneal, 1, 0, 0, 0));
        for (int i = 0; i < 2000; i++) line.Step(); // warm-up: JIT, first control steps, first record save
        Assert.Equal(ProgramState.Running, module.Controller.State);

        long allocated = 0, others = 0;
        for (int i = 0; i < 5000; i++)
        {
            line.Clock.Advance(line.Options.PeriodUs);
            line.Plant.Step(line.Options.PeriodUs / 1e6);   // the plant is host code: not measured
            long before = GC.GetAllocatedBytesForCurrentThread();
            anneal.RunDueScans();
            long mid = GC.GetAllocatedBytesForCurrentThread();
            foreach (var b in line.Boards) if (b != anneal) b.RunDueScans();
            others += GC.GetAllocatedBytesForCurrentThread() - mid;
            before += GC.GetAllocatedBytesForCurrentThread() - mid;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.True(allocated == 0, $"anneal {allocated} others {others}");
        // The measured scans heated the furnace and saved the program record.
        Assert.True(module.Controller.Heating);
        Assert.True(module.Controller.SetpointC > 25);
    }
}
