using Tfb.Codes;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Shell;

public class ShellTokenizerTests
{
    private static string[] Split(string line)
    {
        var words = new string[16];
        Assert.True(ShellTokenizer.TryTokenize(line, words, out int n, out var err, out var text), $"{line}: {err} {text}");
        return words.Take(n).ToArray();
    }

    [Theory]
    [InlineData("settings set a b", new[] { "settings", "set", "a", "b" })]
    [InlineData("   spaced    out  ", new[] { "spaced", "out" })]
    [InlineData("set x \"two words\"", new[] { "set", "x", "two words" })]
    [InlineData("set x \"\"", new[] { "set", "x", "" })]
    [InlineData("set x \"say \\\"hi\\\" \\\\o/\"", new[] { "set", "x", "say \"hi\" \\o/" })]
    [InlineData("path C:\\dir", new[] { "path", "C:\\dir" })]
    public void Splits(string line, string[] expected) => Assert.Equal(expected, Split(line));

    [Theory]
    [InlineData("set x \"open", ErrorCode.BadArgument)]
    [InlineData("set x ab\"c\"", ErrorCode.BadArgument)]
    [InlineData("set x \"a\"b", ErrorCode.BadArgument)]
    [InlineData("set x \"bad \\n escape\"", ErrorCode.BadArgument)]
    [InlineData("set x \"trailing\\", ErrorCode.BadArgument)]
    [InlineData("a b c d e f g h i j k l m n o p q", ErrorCode.BadArgumentCount)]
    public void Refuses(string line, ErrorCode expected)
    {
        var words = new string[16];
        Assert.False(ShellTokenizer.TryTokenize(line, words, out _, out var err, out var text));
        Assert.Equal(expected, err);
        Assert.False(string.IsNullOrEmpty(text));
    }

    [Fact]
    public void Quote_RoundTripsEveryPrintableString()
    {
        var rng = new Random(7);
        const string alphabet = " \"\\#abc xyz09.-_:";
        for (int i = 0; i < 2000; i++)
        {
            int len = rng.Next(0, 12);
            string s = new string(Enumerable.Range(0, len).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());
            string line = "cmd " + ShellTokenizer.Quote(s);
            Assert.Equal(new[] { "cmd", s }, Split(line));
        }
    }

    [Fact]
    public void Quote_LeavesPlainWordsAlone_AndQuotesCommentLikeOrEmptyWords()
    {
        Assert.Equal("10.0.0.9", ShellTokenizer.Quote("10.0.0.9"));
        Assert.Equal("\"\"", ShellTokenizer.Quote(""));
        Assert.Equal("\"#x\"", ShellTokenizer.Quote("#x"));
    }
}
