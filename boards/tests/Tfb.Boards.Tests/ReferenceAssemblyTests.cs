using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Tfb.MetadataCheck;

namespace Tfb.Boards.Tests;

/// <summary>
/// The compile-only reference assemblies under tools/nf-refs carry the real identities (name, version,
/// public key token from the allow-list), reference only allowed assemblies, and themselves pass the
/// nanoFramework metadata check.
/// </summary>
public class ReferenceAssemblyTests
{
    public static TheoryData<string> RefProjects()
    {
        var data = new TheoryData<string>();
        foreach (var d in Directory.GetDirectories(Repo.Path("tools", "nf-refs")).OrderBy(x => x, StringComparer.Ordinal))
            if (File.Exists(System.IO.Path.Combine(d, System.IO.Path.GetFileName(d) + ".csproj"))) data.Add(System.IO.Path.GetFileName(d));
        return data;
    }

    private static string Dll(string name) => Repo.Path("artifacts", "nf-refs", name, name + ".dll");

    [Theory]
    [MemberData(nameof(RefProjects))]
    public void ReferenceAssembly_HasTheRealIdentity(string name)
    {
        var allow = File.ReadAllLines(Repo.Path("tools", "build", "nanoframework-assemblies.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split((char[])null, StringSplitOptions.RemoveEmptyEntries)).ToDictionary(p => p[0], p => p);
        Assert.True(allow.ContainsKey(name), $"{name} is not in the allow-list");
        using var pe = new PEReader(File.OpenRead(Dll(name)));
        var md = pe.GetMetadataReader();
        var def = md.GetAssemblyDefinition();
        Assert.Equal(name, md.GetString(def.Name));
        Assert.Equal(allow[name][1], def.Version.ToString());
        var key = md.GetBlobBytes(def.PublicKey);
        var token = System.Security.Cryptography.SHA1.HashData(key).TakeLast(8).Reverse().ToArray();
        Assert.Equal(allow[name][2], Convert.ToHexString(token).ToLowerInvariant());
    }

    [Theory]
    [MemberData(nameof(RefProjects))]
    public void ReferenceAssembly_PassesTheMetadataCheck(string name)
    {
        var violations = MetadataChecker.Check(Dll(name), AllowList.Load(Repo.Path("tools", "build", "nanoframework-assemblies.txt")));
        Assert.Empty(violations);
    }
}
