using Tfb.Codes;

namespace Tfb.Firmware.Tests;

/// <summary>
/// docs/codes/*.csv are the published tables of error, alarm and event codes; they and the enums must
/// say the same thing, and a code never changes meaning (a renamed or renumbered entry fails here).
/// </summary>
public class CodesTableTests
{
    private static string RepoFile(params string[] parts)
    {
        var dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "TfbFirmware.sln"))) dir = Path.GetDirectoryName(dir);
        Assert.NotNull(dir);
        return Path.Combine([dir!, .. parts]);
    }

    private static List<(int Code, string Name, string Meaning)> ReadTable(string file)
    {
        var lines = File.ReadAllLines(RepoFile("docs", "codes", file));
        Assert.Equal("code,name,meaning", lines[0]);
        var rows = new List<(int, string, string)>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            int a = line.IndexOf(',');
            int b = line.IndexOf(',', a + 1);
            var meaning = line[(b + 1)..];
            if (meaning.StartsWith('"')) meaning = meaning.Trim('"').Replace("\"\"", "\"");
            rows.Add((int.Parse(line[..a]), line[(a + 1)..b], meaning));
        }
        return rows;
    }

    private static void AssertSame<TEnum>(string file) where TEnum : struct, Enum
    {
        var table = ReadTable(file);
        var fromEnum = Enum.GetValues<TEnum>().Select(v => (Convert.ToInt32(v), v.ToString())).OrderBy(x => x.Item1).ToList();
        var fromTable = table.Select(r => (r.Code, r.Name)).OrderBy(x => x.Code).ToList();
        Assert.Equal(fromEnum, fromTable);
        Assert.Equal(table.Count, table.Select(r => r.Code).Distinct().Count());
        Assert.All(table, r => Assert.False(string.IsNullOrWhiteSpace(r.Meaning), $"{file}: code {r.Code} has no meaning"));
    }

    [Fact]
    public void ErrorCodes_MatchTheirTable() => AssertSame<ErrorCode>("errors.csv");

    [Fact]
    public void AlarmCodes_MatchTheirTable() => AssertSame<AlarmCode>("alarms.csv");

    [Fact]
    public void EventCodes_MatchTheirTable() => AssertSame<EventCode>("events.csv");

    [Fact]
    public void AlarmCodes_StayInsideTheirDeclaredRanges()
    {
        Assert.All(Enum.GetValues<AlarmCode>(), c => Assert.InRange((int)c, 1000, 5999));
    }
}
