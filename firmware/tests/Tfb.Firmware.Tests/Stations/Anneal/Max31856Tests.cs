using Tfb.Hal;
using Tfb.Stations.Anneal;

namespace Tfb.Firmware.Tests.Stations.Anneal;

public class Max31856Tests
{
    private sealed class FakeConverter : ISpiTransfer
    {
        public byte Cr0, Cr1, Status;
        public int RawTemp;   // 19-bit two's complement, 1/128 C
        public bool Fail;
        public bool Transfer(byte[] write, byte[] read, int count)
        {
            if (Fail) return false;
            if ((write[0] & 0x80) != 0) { Cr0 = write[1]; Cr1 = write[2]; return true; }
            int v = (RawTemp & 0x7FFFF) << 5;
            read[1] = (byte)(v >> 16); read[2] = (byte)(v >> 8); read[3] = (byte)v; read[4] = Status;
            return true;
        }
    }

    [Theory]
    [InlineData(700.0)]
    [InlineData(25.5)]
    [InlineData(-12.25)]
    public void ConfiguresTypeKAutoConversion_AndDecodesTheLinearizedTemperature(double tempC)
    {
        var spi = new FakeConverter { RawTemp = (int)(tempC * 128) };
        var tc = new Max31856Thermocouple(spi);
        Assert.True(tc.TryRead(out double v));
        Assert.Equal(tempC, v, 6);
        Assert.Equal(0x90, spi.Cr0);
        Assert.Equal(0x03, spi.Cr1);
    }

    [Fact]
    public void AFaultBitOrABusError_IsAnInvalidRead()
    {
        var spi = new FakeConverter { RawTemp = 100 * 128, Status = 0x01 }; // open thermocouple
        var tc = new Max31856Thermocouple(spi);
        Assert.False(tc.TryRead(out double v));
        Assert.True(double.IsNaN(v));
        spi.Status = 0;
        spi.Fail = true;
        Assert.False(tc.TryRead(out _));
        spi.Fail = false;
        Assert.True(tc.TryRead(out v));
        Assert.Equal(100, v, 6);
    }
}
