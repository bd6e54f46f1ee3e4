using Microsoft.CodeAnalysis;

namespace Tfb.MetadataCheck.Tests;

/// <summary>Each rule of the metadata check, shown catching a deliberately bad assembly.</summary>
public class MetadataCheckerTests
{
    private static IReadOnlyList<Violation> CheckSource(string source)
    {
        var r = DeviceCompiler.Compile("Bad", [source]);
        Assert.True(r.Compiled, string.Join("\n", r.Errors));
        return DeviceCompiler.Check(r.Image!);
    }

    private static void AssertOnly(IReadOnlyList<Violation> v, string rule)
    {
        Assert.NotEmpty(v);
        Assert.All(v, x => Assert.Equal(rule, x.Rule));
    }

    [Fact]
    public void CleanSubsetCode_Passes()
    {
        var v = CheckSource("""
            namespace Ok {
              public sealed class Pid { private double _i; public int[][] Jagged = new int[2][];
                public double Step(double e, double dt) { _i += e * dt; return System.Math.Abs(_i) + e; } }
              public delegate void Tick(int n);
              public struct Pair { public int A; public long B; }
            }
            """);
        Assert.Empty(v);
    }

    [Fact]
    public void GenericTypeDefinition_IsRejected()
    {
        var v = CheckSource("namespace Bad { public class Box<T> { public int N; } }");
        Assert.Contains(v, x => x.Rule == MetadataChecker.Generic && x.Detail == "generic type definition" && x.Where == "Bad.Box`1");
    }

    [Fact]
    public void GenericMethodDefinition_IsRejected()
    {
        var v = CheckSource("namespace Bad { public static class U { public static int Count<T>(T[] a) { return a.Length; } } }");
        Assert.Contains(v, x => x.Rule == MetadataChecker.Generic && x.Detail == "generic method definition" && x.Where == "Bad.U.Count");
    }

    [Fact]
    public void GenericInstantiationOfLibraryType_IsRejected()
    {
        // Action<T> exists in mscorlib 1.17.11 metadata but generics are unsupported on 1.x firmware.
        var v = CheckSource("namespace Bad { public class C { public System.Action<int> Handler; } }");
        AssertOnly(v, MetadataChecker.Generic);
        Assert.Contains(v, x => x.Where == "Bad.C.Handler" && x.Detail.Contains("System.Action`1<Int32>"));
    }

    [Fact]
    public void GenericInstantiationInsideMethodBody_IsRejected()
    {
        var v = CheckSource("namespace Bad { public class C { public int Run() { System.Func<int> f = () => 4; return f(); } } }");
        Assert.Contains(v, x => x.Rule == MetadataChecker.Generic);
    }

    [Fact]
    public void MultiDimensionalArray_IsRejected()
    {
        var v = CheckSource("namespace Bad { public class Grid { public int Sum() { var g = new int[3, 4]; return g[1, 2]; } } }");
        AssertOnly(v, MetadataChecker.MultiDimArray);
        Assert.Contains(v, x => x.Detail.Contains("Int32[,]"));
    }

    [Fact]
    public void PointerType_IsRejected()
    {
        var v = CheckSource("namespace Bad { public unsafe class P { public int* Ptr; public int Read(int* p) { return *p; } } }");
        AssertOnly(v, MetadataChecker.Pointer);
        Assert.Contains(v, x => x.Where == "Bad.P.Ptr");
        Assert.Contains(v, x => x.Where.StartsWith("Bad.P.Read"));
    }

    [Fact]
    public void ReferenceOutsideAllowList_IsRejected()
    {
        var lib = DeviceCompiler.Compile("Vendor.Helpers", ["namespace Vendor { public static class H { public static int Two() { return 2; } } }"]);
        Assert.True(lib.Compiled);
        var app = DeviceCompiler.Compile("Bad", ["namespace Bad { public class C { public int X() { return Vendor.H.Two(); } } }"],
            [MetadataReference.CreateFromImage(lib.Image!)]);
        Assert.True(app.Compiled, string.Join("\n", app.Errors));
        var v = DeviceCompiler.Check(app.Image!);
        AssertOnly(v, MetadataChecker.Reference);
        Assert.Contains(v, x => x.Where == "Vendor.Helpers" && x.Detail.Contains("outside the allow-list"));
    }

    [Fact]
    public void AllowedNameWithWrongVersion_IsRejected()
    {
        // An assembly named like nanoFramework's System.Math but not the pinned version or key.
        var fake = DeviceCompiler.Compile("System.Math", ["namespace Fake { public static class M { public static int One() { return 1; } } }"],
            version: new Version(9, 9, 9, 0));
        var app = DeviceCompiler.Compile("Bad", ["namespace Bad { public class C { public int X() { return Fake.M.One(); } } }"],
            [MetadataReference.CreateFromImage(fake.Image!)]);
        var v = DeviceCompiler.Check(app.Image!);
        AssertOnly(v, MetadataChecker.Reference);
        Assert.Contains(v, x => x.Detail.Contains("version 9.9.9.0"));
    }

    [Theory]
    [InlineData("public static void M{0}() {{ }}", "static methods", 0)]
    [InlineData("public void M{0}() {{ }}", "instance methods", 1)] // the implicit constructor is one
    [InlineData("public virtual void M{0}() {{ }}", "virtual methods", 0)]
    [InlineData("public int F{0};", "instance fields", 0)]
    [InlineData("public static int F{0};", "static fields", 0)]
    public void MoreThan255MembersOfOneKind_IsRejected(string memberFormat, string kind, int implicitMembers)
    {
        string Members(int n) => string.Concat(Enumerable.Range(0, n - implicitMembers).Select(i => string.Format(memberFormat, i) + "\n"));
        Assert.Empty(CheckSource("namespace Ok { public class Wide { " + Members(255) + " } }"));
        var v = CheckSource("namespace Bad { public class Wide { " + Members(256) + " } }");
        AssertOnly(v, MetadataChecker.TooManyMembers);
        Assert.Contains(v, x => x.Where == "Bad.Wide" && x.Detail.StartsWith("256 " + kind));
    }
}
