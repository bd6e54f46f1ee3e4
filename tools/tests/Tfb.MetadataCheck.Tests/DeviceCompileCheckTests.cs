namespace Tfb.MetadataCheck.Tests;

/// <summary>
/// The whole device compile check (compile against nanoFramework mscorlib + metadata check) on the real
/// firmware source list: green as it is, red as soon as one file uses what nanoFramework 1.x lacks.
/// </summary>
public class DeviceCompileCheckTests
{
    private static (bool Compiled, IReadOnlyList<string> Problems) FirmwarePlus(string? extraSource)
    {
        var sources = DeviceCompiler.FirmwareSources().Select(File.ReadAllText).ToList();
        if (extraSource != null) sources.Add(extraSource);
        var r = DeviceCompiler.Compile("Tfb.Firmware", sources);
        if (!r.Compiled) return (false, r.Errors.Select(e => e.ToString()).ToList());
        return (true, DeviceCompiler.Check(r.Image!).Select(v => v.ToString()).ToList());
    }

    [Fact]
    public void FirmwareSources_PassAsTheyAre()
    {
        Assert.NotEmpty(DeviceCompiler.FirmwareSources());
        var (compiled, problems) = FirmwarePlus(null);
        Assert.True(compiled, string.Join("\n", problems));
        Assert.Empty(problems);
    }

    [Fact]
    public void FileWithGenericClass_FailsTheCheck()
    {
        var (compiled, problems) = FirmwarePlus("namespace Tfb { internal sealed class Ring<T> { private T[] _items = new T[4]; public T First() { return _items[0]; } } }");
        Assert.True(compiled);
        Assert.Contains(problems, p => p.StartsWith("generic: Tfb.Ring`1"));
    }

    [Fact]
    public void FileUsingListOfT_DoesNotCompile()
    {
        var (compiled, problems) = FirmwarePlus("using System.Collections.Generic; namespace Tfb { internal static class Q { public static int N() { var l = new List<int>(); return l.Count; } } }");
        Assert.False(compiled);
        Assert.Contains(problems, p => p.Contains("CS0246") || p.Contains("CS0234"));
    }

    [Fact]
    public void FileUsingLinq_DoesNotCompile()
    {
        var (compiled, problems) = FirmwarePlus("using System.Linq; namespace Tfb { internal static class Q { public static int N(int[] a) { return a.Where(x => x > 0).Count(); } } }");
        Assert.False(compiled);
        Assert.Contains(problems, p => p.Contains("CS0234") || p.Contains("CS1061"));
    }

    [Fact]
    public void FileUsingMultiDimensionalArray_FailsTheCheck()
    {
        var (compiled, problems) = FirmwarePlus("namespace Tfb { internal static class Map { public static double Cell() { var m = new double[8, 8]; return m[0, 0]; } } }");
        Assert.True(compiled);
        Assert.Contains(problems, p => p.StartsWith("multi-dimensional-array"));
    }
}
