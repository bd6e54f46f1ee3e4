using System.Security.Cryptography;
using System.Text;
using Tfb.Shell;

namespace Tfb.Firmware.Tests.Shell;

public class Sha256Tests
{
    [Fact]
    public void KnownVector_Abc()
    {
        byte[] h = Sha256.Compute(Encoding.ASCII.GetBytes("abc"), 0, 3);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(h));
    }

    [Fact]
    public void MatchesTheHostImplementation_ForEveryLengthAcrossBlockBoundaries()
    {
        var rng = new Random(20261127);
        for (int len = 0; len <= 300; len++)
        {
            byte[] data = new byte[len + 7];
            rng.NextBytes(data);
            byte[] expected = SHA256.HashData(data.AsSpan(3, len));
            Assert.Equal(expected, Sha256.Compute(data, 3, len));
        }
    }

    [Fact]
    public void BadRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Sha256.Compute(new byte[4], 2, 3));
    }
}

public class CredentialsTests
{
    [Fact]
    public void StoredForm_IsSaltColonSha256OfSaltBytesThenPassword()
    {
        string stored = Credentials.Format("0011223344556677", "secret");
        byte[] m = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, .. Encoding.ASCII.GetBytes("secret")];
        Assert.Equal("0011223344556677:" + Convert.ToHexStringLower(SHA256.HashData(m)), stored);
        Assert.Equal(Credentials.FormattedLength, stored.Length);
        Assert.True(Credentials.IsWellFormed(stored));
    }

    [Fact]
    public void Verify_AcceptsOnlyTheRightPassword()
    {
        string stored = Credentials.Format("a1b2c3d4e5f60718", "pass word");
        Assert.True(Credentials.Verify(stored, "pass word"));
        Assert.False(Credentials.Verify(stored, "pass word "));
        Assert.False(Credentials.Verify(stored, ""));
        Assert.False(Credentials.Verify(stored, null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0011223344556677")]
    [InlineData("0011223344556677-0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0011223344556677:000000000000000000000000000000000000000000000000000000000000000G")]
    [InlineData("0011223344556677:00000000000000000000000000000000000000000000000000000000000000AA")]
    public void MalformedStoredForms_NeverVerify(string stored)
    {
        Assert.False(Credentials.IsWellFormed(stored));
        Assert.False(Credentials.Verify(stored, "x"));
    }
}
