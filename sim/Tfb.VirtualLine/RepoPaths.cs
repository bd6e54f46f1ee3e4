namespace Tfb.VirtualLine;

/// <summary>Finds the repository root (the folder with TfbFirmware.sln) so default paths work from anywhere inside it.</summary>
public static class RepoPaths
{
    /// <summary>The repository root, or the current directory when not inside the repository.</summary>
    public static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = start; dir != null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "TfbFirmware.sln"))) return dir;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
