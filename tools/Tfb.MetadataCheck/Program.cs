using Tfb.MetadataCheck;

// Usage: Tfb.MetadataCheck --allow <allow-list.txt> <assembly.dll>...
// Exit 0 when every assembly passes, 1 on violations, 2 on bad usage. Messages use the MSBuild
// "file: error CODE: text" form so a failing device build shows them like compiler errors.
string? allowPath = null;
var assemblies = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--allow" && i + 1 < args.Length) allowPath = args[++i];
    else if (args[i].StartsWith('-')) { Console.Error.WriteLine($"unknown option {args[i]}"); return 2; }
    else assemblies.Add(args[i]);
}
if (allowPath == null || assemblies.Count == 0)
{
    Console.Error.WriteLine("usage: Tfb.MetadataCheck --allow <allow-list.txt> <assembly.dll>...");
    return 2;
}

var allow = AllowList.Load(allowPath);
int failures = 0;
foreach (var path in assemblies)
{
    var violations = MetadataChecker.Check(path, allow);
    foreach (var v in violations)
        Console.Error.WriteLine($"{path}: error NFMD-{v.Rule}: {v.Where}: {v.Detail}");
    failures += violations.Count;
    if (violations.Count == 0) Console.WriteLine($"metadata check: {Path.GetFileName(path)} passes the nanoFramework 1.x rules");
}
return failures == 0 ? 0 : 1;
