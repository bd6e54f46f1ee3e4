using Tfb.VirtualLine;

namespace Tfb.VirtualLine.Tests;

internal static class Repo
{
    public static readonly string Root = RepoPaths.FindRoot();
    public static string LineBoards => Path.Combine(Root, "boards", "virtual", "line");
    public static string Scenario(string name) => Path.Combine(Root, "sim", "scenarios", name);
}
