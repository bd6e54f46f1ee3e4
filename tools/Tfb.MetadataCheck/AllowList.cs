namespace Tfb.MetadataCheck;

/// <summary>The assemblies a device-build assembly may reference (tools/build/nanoframework-assemblies.txt).</summary>
public sealed class AllowList
{
    private readonly Dictionary<string, (string Version, string Token)> _entries = new(StringComparer.Ordinal);

    public static AllowList Parse(IEnumerable<string> lines)
    {
        var list = new AllowList();
        int n = 0;
        foreach (var raw in lines)
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3) throw new FormatException($"allow-list line {n}: expected 'name version token', got '{line}'");
            list._entries[parts[0]] = (parts[1], parts[2].ToLowerInvariant());
        }
        return list;
    }

    public static AllowList Load(string path) => Parse(File.ReadAllLines(path));

    /// <summary>Null when allowed, otherwise why not.</summary>
    public string? Check(string name, Version version, string token)
    {
        if (!_entries.TryGetValue(name, out var e)) return $"reference to '{name}' {version} is outside the allow-list";
        if (e.Version != "*" && e.Version != version.ToString())
            return $"reference to '{name}' has version {version}, the allow-list pins {e.Version}";
        if (e.Token != token) return $"reference to '{name}' has public key token {token}, expected {e.Token}";
        return null;
    }
}
