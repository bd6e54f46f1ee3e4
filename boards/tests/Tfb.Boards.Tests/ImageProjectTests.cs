using System.Xml.Linq;

namespace Tfb.Boards.Tests;

/// <summary>
/// The board image projects (.nfproj, built only by the nanoFramework toolchain) against what CI compiles:
/// same shared source lists and files as their device compile check, adapter sources that the adapters'
/// device check compiles, and a packages.config / Reference list that matches the allow-list versions.
/// </summary>
public class ImageProjectTests
{
    private static readonly XNamespace Ms = "http://schemas.microsoft.com/developer/msbuild/2003";

    // Package id of each nanoFramework assembly (fact sheet table), and package dependencies NuGet installs.
    private static readonly Dictionary<string, string> PackageOf = new()
    {
        ["mscorlib"] = "nanoFramework.CoreLibrary",
        ["nanoFramework.Runtime.Events"] = "nanoFramework.Runtime.Events",
        ["nanoFramework.Runtime.Native"] = "nanoFramework.Runtime.Native",
        ["System.Device.Gpio"] = "nanoFramework.System.Device.Gpio",
        ["System.Device.Spi"] = "nanoFramework.System.Device.Spi",
        ["System.Device.Adc"] = "nanoFramework.System.Device.Adc",
        ["System.Device.Dac"] = "nanoFramework.System.Device.Dac",
        ["System.Device.Pwm"] = "nanoFramework.System.Device.Pwm",
        ["System.Math"] = "nanoFramework.System.Math",
        ["nanoFramework.System.Text"] = "nanoFramework.System.Text",
        ["nanoFramework.System.Collections"] = "nanoFramework.System.Collections",
        ["System.Threading"] = "nanoFramework.System.Threading",
        ["System.IO.Streams"] = "nanoFramework.System.IO.Streams",
        ["System.IO.Ports"] = "nanoFramework.System.IO.Ports",
        ["System.IO.FileSystem"] = "nanoFramework.System.IO.FileSystem",
        ["System.Net"] = "nanoFramework.System.Net",
        ["nanoFramework.Networking.Sntp"] = "nanoFramework.Networking.Sntp",
        ["nanoFramework.M2Mqtt"] = "nanoFramework.M2Mqtt",
        ["nanoFramework.M2Mqtt.Core"] = "nanoFramework.M2Mqtt",
        ["nanoFramework.Hardware.Esp32"] = "nanoFramework.Hardware.Esp32",
        ["nanoFramework.Hardware.Stm32"] = "nanoFramework.Hardware.Stm32",
    };

    private static readonly Dictionary<string, string[]> PackageDeps = new()
    {
        ["nanoFramework.System.Device.Gpio"] = ["nanoFramework.Runtime.Events"],
        ["nanoFramework.System.Device.Spi"] = ["nanoFramework.Runtime.Events", "nanoFramework.System.Device.Gpio"],
        ["nanoFramework.System.IO.Streams"] = ["nanoFramework.System.Text"],
        ["nanoFramework.System.IO.Ports"] = ["nanoFramework.Runtime.Events", "nanoFramework.System.IO.Streams"],
        ["nanoFramework.System.IO.FileSystem"] = ["nanoFramework.Runtime.Events", "nanoFramework.System.IO.Streams", "nanoFramework.System.Text"],
        ["nanoFramework.System.Net"] = ["nanoFramework.Runtime.Events", "nanoFramework.System.Text", "nanoFramework.System.Threading", "nanoFramework.System.IO.Streams"],
        ["nanoFramework.M2Mqtt"] = ["nanoFramework.Runtime.Events", "nanoFramework.Runtime.Native", "nanoFramework.System.Collections", "nanoFramework.System.Net"],
        ["nanoFramework.Hardware.Esp32"] = ["nanoFramework.Runtime.Events"],
    };

    public static TheoryData<string> Images() => new() { "olimex-esp32-poe", "stm32f769i-disco" };

    private static string NfprojPath(string board) => Directory.GetFiles(Repo.Path("boards", board), "*.nfproj").Single();
    private static string CheckPath(string board) => Directory.GetFiles(Repo.Path("boards", board, "check"), "*.Check.csproj").Single();

    private static string Full(string projectFile, string include) =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(projectFile)!,
            include.Replace("$(RepoRoot)", Repo.Root + "/").Replace("$(MSBuildThisFileDirectory)", "").Replace('\\', '/')));

    private static XElement[] All(string file, string local) =>
        XDocument.Load(file).Descendants().Where(e => e.Name.LocalName == local).ToArray();

    private static string[] SharedImports(string file) =>
        All(file, "Import").Where(e => (string)e.Attribute("Label") == "Shared")
            .Select(e => Full(file, (string)e.Attribute("Project"))).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    private static string[] CompileItems(string file) =>
        All(file, "Compile").Select(e => Full(file, (string)e.Attribute("Include"))).OrderBy(p => p, StringComparer.Ordinal).ToArray();

    private static string[] NanoReferences(string file) =>
        All(file, "NanoReference").Select(e => System.IO.Path.GetFileNameWithoutExtension((string)e.Attribute("Include"))).ToArray();

    private static Dictionary<string, (string Version, string Token)> AllowList() =>
        File.ReadAllLines(Repo.Path("tools", "build", "nanoframework-assemblies.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split((char[])null, StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => p[0], p => (p[1], p[2]));

    [Theory]
    [MemberData(nameof(Images))]
    public void ImageProject_ImportsExactlyTheSharedSourcesItsDeviceCheckCompiles(string board)
    {
        Assert.Equal(SharedImports(CheckPath(board)), SharedImports(NfprojPath(board)));
        Assert.Equal(CompileItems(CheckPath(board)), CompileItems(NfprojPath(board)));
        Assert.Contains(Repo.Path("boards", board, "Program.cs"), CompileItems(NfprojPath(board)));
        Assert.Contains(System.IO.Path.GetFullPath(Repo.Path("firmware", "Tfb.Firmware.projitems")), SharedImports(NfprojPath(board)));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void ImageAdapterSources_AreCompiledByTheAdaptersDeviceCheck(string board)
    {
        var adapterCheck = Repo.Path("boards", "nano", "Tfb.Boards.Nano", "Tfb.Boards.Nano.csproj");
        var checkedAdapters = SharedImports(adapterCheck);
        var imageAdapters = SharedImports(NfprojPath(board)).Where(p => p.Contains("/boards/nano/")).ToArray();
        Assert.NotEmpty(imageAdapters);
        foreach (var p in imageAdapters) Assert.Contains(p, checkedAdapters);
        // And every .cs file under boards/nano/<folder> is listed in a projitems (nothing compiled by accident or left out).
        var listed = checkedAdapters.SelectMany(pi => All(pi, "Compile").Select(e => Full(pi, (string)e.Attribute("Include")))).ToHashSet();
        foreach (var dir in new[] { "common", "esp32", "stm32" })
            foreach (var cs in Directory.GetFiles(Repo.Path("boards", "nano", dir), "*.cs"))
                Assert.Contains(System.IO.Path.GetFullPath(cs), listed);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void DeviceCheck_ReferencesWhatTheFirmwareAndTheAdaptersNeed_ForThisMcuOnly(string board)
    {
        var refs = NanoReferences(CheckPath(board)).ToHashSet();
        foreach (var r in NanoReferences(Repo.Path("firmware", "Tfb.Firmware.Device", "Tfb.Firmware.Device.csproj"))) Assert.Contains(r, refs);
        var hw = board.StartsWith("olimex") ? "nanoFramework.Hardware.Esp32" : "nanoFramework.Hardware.Stm32";
        var other = board.StartsWith("olimex") ? "nanoFramework.Hardware.Stm32" : "nanoFramework.Hardware.Esp32";
        foreach (var r in NanoReferences(Repo.Path("boards", "nano", "Tfb.Boards.Nano", "Tfb.Boards.Nano.csproj")).Where(r => r != other))
            Assert.Contains(r, refs);
        Assert.Contains(hw, refs);
        Assert.DoesNotContain(other, refs);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void PackagesConfig_ListsEveryReferencedAssemblyAndItsDependencies_AtTheAllowListVersions(string board)
    {
        var allow = AllowList();
        var assemblies = NanoReferences(CheckPath(board)).Append("mscorlib").ToList();
        var packages = XDocument.Load(Repo.Path("boards", board, "packages.config")).Root!.Elements("package")
            .ToDictionary(e => (string)e.Attribute("id"), e => (Version: (string)e.Attribute("version"), Tfm: (string)e.Attribute("targetFramework")));
        Assert.All(packages.Values, p => Assert.Equal("netnano1.0", p.Tfm));

        var needed = new HashSet<string>(assemblies.Select(a => PackageOf[a]));
        var queue = new Queue<string>(needed);
        while (queue.Count > 0)
            foreach (var d in PackageDeps.GetValueOrDefault(queue.Dequeue(), []))
                if (needed.Add(d)) queue.Enqueue(d);
        Assert.Equal(needed.OrderBy(x => x), packages.Keys.OrderBy(x => x));

        // Each package's version is its assemblies' allow-list version without the fourth part.
        foreach (var (asm, pkg) in PackageOf.Where(kv => packages.ContainsKey(kv.Value)))
            Assert.Equal(allow[asm].Version, packages[pkg].Version + ".0");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void ImageReferences_MatchThePackages_WithFullIdentityAndHintPath(string board)
    {
        var allow = AllowList();
        var packages = XDocument.Load(Repo.Path("boards", board, "packages.config")).Root!.Elements("package")
            .ToDictionary(e => (string)e.Attribute("id"), e => (string)e.Attribute("version"));
        var references = All(NfprojPath(board), "Reference").ToArray();
        var expectedAssemblies = PackageOf.Where(kv => packages.ContainsKey(kv.Value)).Select(kv => kv.Key).OrderBy(x => x).ToArray();
        Assert.Equal(expectedAssemblies, references.Select(r => ((string)r.Attribute("Include")).Split(',')[0]).OrderBy(x => x).ToArray());
        foreach (var r in references)
        {
            var include = (string)r.Attribute("Include");
            var name = include.Split(',')[0];
            var (version, token) = allow[name];
            Assert.Equal($"{name}, Version={version}, Culture=neutral, PublicKeyToken={token}", include);
            var pkg = PackageOf[name];
            Assert.Equal($"packages\\{pkg}.{packages[pkg]}\\lib\\{name}.dll", (string)r.Element(Ms + "HintPath"));
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void ImageProject_HasTheNanoFrameworkProjectShape(string board)
    {
        var doc = XDocument.Load(NfprojPath(board));
        string Prop(string n) => (string)doc.Descendants(Ms + n).Single();
        Assert.Equal("{11A8DD76-328B-46DF-9F39-F559912D0360};{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}", Prop("ProjectTypeGuids"));
        Assert.Equal("Exe", Prop("OutputType"));
        Assert.Equal("v1.0", Prop("TargetFrameworkVersion"));
        var imports = doc.Root!.Elements(Ms + "Import").Select(e => (string)e.Attribute("Project")).ToArray();
        Assert.EndsWith("NFProjectSystem.Default.props", imports.First());
        Assert.EndsWith("NFProjectSystem.CSharp.targets", imports.Last());
        var check = XDocument.Load(CheckPath(board));
        Assert.Equal(Prop("AssemblyName"), (string)check.Descendants("AssemblyName").Single());
    }
}
