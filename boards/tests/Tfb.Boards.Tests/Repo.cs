using System.Reflection;

namespace Tfb.Boards.Tests;

internal static class Repo
{
    public static string Root =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepoRoot").Value!;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>Every boards/&lt;board&gt;/&lt;board&gt;.board file.</summary>
    public static string[] BoardFiles() =>
        Directory.GetDirectories(Path("boards"))
            .Select(d => System.IO.Path.Combine(d, System.IO.Path.GetFileName(d) + ".board"))
            .Where(File.Exists)
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
}
