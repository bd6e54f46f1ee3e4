namespace Tfb.VirtualLine.Tests.Sputter;

/// <summary>docs/interlocks.md is the rendering of the firmware's interlock matrix data, byte for byte.</summary>
public class SputterInterlockDocTests
{
    [Fact]
    public void InterlocksDoc_IsGeneratedFromTheMatrixData()
    {
        string doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", "interlocks.md")).Replace("\r\n", "\n");
        string expected = SputterInterlockDoc.Render().Replace("\r\n", "\n");
        Assert.True(doc == expected, "docs/interlocks.md differs from InterlockMatrix: run `dotnet run -c Release --project tools/Tfb.Benchmarks -- sputter`");
        Assert.Contains("| door | 3001 | yes | 20 ms |", doc);
    }
}
