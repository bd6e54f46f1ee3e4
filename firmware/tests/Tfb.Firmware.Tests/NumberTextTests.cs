using System.Globalization;
using Tfb.Text;

namespace Tfb.Firmware.Tests;

public class NumberTextTests
{
    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("-0.5", -0.5)]
    [InlineData("+12", 12.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("2.5E-3", 0.0025)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("0.000000000000001", 1e-15)]
    public void Parses_PlainDecimals(string text, double expected)
    {
        Assert.True(NumberText.TryParseReal(text, out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1e1000")]
    [InlineData("1234567890123456")]
    [InlineData("1,5")]
    public void Rejects_AnythingElse(string text) => Assert.False(NumberText.TryParseReal(text, out _));

    [Fact]
    public void FormatThenParse_RoundTripsExactly_ForDecimalsUpTo15Digits()
    {
        var rng = new Random(1234);
        for (int i = 0; i < 20000; i++)
        {
            int digits = rng.Next(1, 16);
            long mantissa = rng.NextInt64(1, (long)Math.Pow(10, digits));
            int scale = rng.Next(-12, 10);
            string text = mantissa.ToString(CultureInfo.InvariantCulture) + "e" + scale.ToString(CultureInfo.InvariantCulture);
            if (rng.Next(2) == 0) text = "-" + text;
            Assert.True(NumberText.TryParseReal(text, out var v), text);
            Assert.True(double.Parse(text, CultureInfo.InvariantCulture) == v, text);
            var formatted = NumberText.FormatReal(v);
            Assert.True(NumberText.TryParseReal(formatted, out var back), formatted);
            Assert.Equal(v, back);
        }
    }

    [Theory]
    [InlineData(300.0, "300")]
    [InlineData(0.05, "0.05")]
    [InlineData(-12.75, "-12.75")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1234567.125, "1234567.125")]
    [InlineData(double.NaN, "nan")]
    public void Formats_ForPeople(double v, string expected) => Assert.Equal(expected, NumberText.FormatReal(v));
}
