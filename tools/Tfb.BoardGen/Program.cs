using Tfb.BoardGen;
using Tfb.Boards;

// Usage: Tfb.BoardGen <path/to/board.board>... ; writes BoardDefinitionText.g.cs next to each file.
// Exit 1 (and writes nothing for that board) when a board file does not parse.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Tfb.BoardGen <board file>...");
    return 2;
}
int rc = 0;
foreach (var path in args)
{
    try
    {
        var source = BoardSourceGenerator.Generate(File.ReadAllText(path), Path.GetFileName(path));
        var output = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, BoardSourceGenerator.OutputFileName);
        File.WriteAllText(output, source);
        Console.WriteLine($"{path} -> {output}");
    }
    catch (BoardDefinitionException ex)
    {
        Console.Error.WriteLine($"{path}: {ex.Error}");
        rc = 1;
    }
}
return rc;
