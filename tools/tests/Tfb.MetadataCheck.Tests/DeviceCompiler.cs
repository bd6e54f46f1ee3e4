using System.Reflection;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Tfb.MetadataCheck.Tests;

/// <summary>
/// Compiles C# the way the device compile check does (nanoFramework mscorlib 1.17.11, our compile-only
/// reference assemblies, no standard library), in memory, so tests can feed it deliberately bad code.
/// </summary>
internal static class DeviceCompiler
{
    private static string Meta(string key) =>
        typeof(DeviceCompiler).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string RepoRoot => Meta("RepoRoot");
    public static string Mscorlib => Meta("NanoMscorlib");
    public static string AllowListPath => Path.Combine(RepoRoot, "tools", "build", "nanoframework-assemblies.txt");

    public static IEnumerable<string> ReferenceAssemblies()
    {
        yield return Mscorlib;
        var refs = Path.Combine(RepoRoot, "artifacts", "nf-refs");
        foreach (var dir in Directory.GetDirectories(refs))
        {
            var dll = Path.Combine(dir, Path.GetFileName(dir) + ".dll");
            if (File.Exists(dll)) yield return dll;
        }
    }

    /// <summary>The firmware sources as the shared .projitems lists them.</summary>
    public static IReadOnlyList<string> FirmwareSources()
    {
        var projitems = Path.Combine(RepoRoot, "firmware", "Tfb.Firmware.projitems");
        var dir = Path.GetDirectoryName(projitems)! + Path.DirectorySeparatorChar;
        XNamespace ns = "http://schemas.microsoft.com/developer/msbuild/2003";
        return XDocument.Load(projitems).Descendants(ns + "Compile")
            .Select(e => e.Attribute("Include")!.Value.Replace("$(MSBuildThisFileDirectory)", dir))
            .ToList();
    }

    public sealed record Result(IReadOnlyList<Diagnostic> Errors, byte[]? Image)
    {
        public bool Compiled => Image != null;
    }

    public static Result Compile(string assemblyName, IEnumerable<string> sources, IEnumerable<MetadataReference>? extra = null, Version? version = null)
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp13);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s, parse)).ToList();
        if (version != null)
            trees.Add(CSharpSyntaxTree.ParseText($"[assembly: System.Reflection.AssemblyVersion(\"{version}\")]", parse));
        var refs = ReferenceAssemblies().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        if (extra != null) refs.AddRange(extra);
        var compilation = CSharpCompilation.Create(assemblyName, trees, refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Disable));
        using var ms = new MemoryStream();
        var emit = compilation.Emit(ms);
        var errors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return new Result(errors, emit.Success ? ms.ToArray() : null);
    }

    public static IReadOnlyList<Violation> Check(byte[] image)
    {
        var path = Path.Combine(Path.GetTempPath(), "tfb-mdcheck-" + Guid.NewGuid().ToString("N") + ".dll");
        File.WriteAllBytes(path, image);
        try { return MetadataChecker.Check(path, AllowList.Load(AllowListPath)); }
        finally { File.Delete(path); }
    }
}
