using System.Net;
using System.Net.Sockets;
using Tfb.Boards.Virtual;

namespace Tfb.Firmware.Tests.VirtualBoard;

public class HostLinkTests
{
    [Fact]
    public void TelnetFilter_DropsNegotiationAndSubnegotiation_KeepsDataAndEscapedIac()
    {
        var f = new TelnetFilter();
        byte[] input = [255, 251, 1, (byte)'a', 255, 250, 24, 0, (byte)'x', 255, 240, (byte)'b', 255, 255, 13, 0, (byte)'?'];
        int n = f.Filter(input, 0, input.Length);
        Assert.Equal(new byte[] { (byte)'a', (byte)'b', 255, 13, (byte)'?' }, input[..n]);
    }

    [Fact]
    public void TelnetFilter_HandlesSequencesSplitAcrossReads()
    {
        var f = new TelnetFilter();
        byte[] a = [(byte)'o', 255];
        byte[] b = [253, 3, (byte)'k'];
        int na = f.Filter(a, 0, a.Length);
        int nb = f.Filter(b, 0, b.Length);
        Assert.Equal("ok", System.Text.Encoding.ASCII.GetString(a, 0, na) + System.Text.Encoding.ASCII.GetString(b, 0, nb));
    }

    [Fact]
    public void FileNvStore_StartsErased_AndKeepsWritesAcrossReopen()
    {
        var path = Path.Combine(Path.GetTempPath(), "tfb-nv-" + Guid.NewGuid().ToString("N") + ".bin");
        try
        {
            using (var nv = new FileNvStore(path, 64))
            {
                var buf = new byte[4];
                Assert.True(nv.Read(60, buf, 0, 4));
                Assert.All(buf, b => Assert.Equal(0xFF, b));
                Assert.True(nv.Write(10, [1, 2, 3], 0, 3));
                Assert.False(nv.Write(62, [1, 2, 3], 0, 3));
                Assert.False(nv.Read(-1, buf, 0, 1));
            }
            using (var nv = new FileNvStore(path, 64))
            {
                var buf = new byte[3];
                Assert.True(nv.Read(10, buf, 0, 3));
                Assert.Equal(new byte[] { 1, 2, 3 }, buf);
            }
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void TcpSerialLink_CarriesBytesBothWays_AndReportsClose()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            using var client = new TcpClient();
            client.Connect((IPEndPoint)listener.LocalEndpoint);
            using var link = new TcpSerialLink(listener.AcceptTcpClient());
            var cs = client.GetStream();
            var greeting = new byte[TelnetFilter.Greeting.Length];
            cs.ReadExactly(greeting);
            Assert.Equal(TelnetFilter.Greeting, greeting);

            cs.Write("status\r"u8);
            var buf = new byte[32];
            int got = 0;
            for (int tries = 0; tries < 50 && got < 7; tries++)
            {
                int n = link.Read(buf, got, buf.Length - got, 100);
                Assert.True(n >= 0);
                got += n;
            }
            Assert.Equal("status\r", System.Text.Encoding.ASCII.GetString(buf, 0, got));

            link.Write("ok\r\n"u8.ToArray(), 0, 4);
            var answer = new byte[4];
            cs.ReadExactly(answer);
            Assert.Equal("ok\r\n"u8.ToArray(), answer);

            client.Close();
            int r = 0;
            for (int tries = 0; tries < 50 && r == 0; tries++) r = link.Read(buf, 0, buf.Length, 100);
            Assert.Equal(-1, r);
        }
        finally { listener.Stop(); }
    }
}
