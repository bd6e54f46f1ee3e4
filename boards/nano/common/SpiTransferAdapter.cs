using System;
using System.Device.Spi;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary>
    /// ISpiTransfer over a nanoFramework SpiDevice (chip select driven by the SPI driver, active low).
    /// The caller's preallocated arrays are wrapped in SpanByte views (a ref struct: no allocation per transfer).
    /// </summary>
    /// <remarks>Threading: one owner thread per device.</remarks>
    public sealed class SpiTransferAdapter : ISpiTransfer, IDisposable
    {
        private readonly SpiDevice _device;
        private readonly string _name;

        /// <summary>Opens the device named by <paramref name="def"/>.</summary>
        public SpiTransferAdapter(SpiDeviceDef def)
        {
            _name = def.Name;
            SpiConnectionSettings settings = new SpiConnectionSettings(def.BusId, def.ChipSelect.Number);
            settings.Mode = (SpiMode)def.Mode;
            settings.ClockFrequency = def.ClockHz;
            settings.DataBitLength = 8;
            _device = SpiDevice.Create(settings);
        }

        /// <summary>Logical name from the board definition.</summary>
        public string Name { get { return _name; } }

        /// <inheritdoc />
        public bool Transfer(byte[] write, byte[] read, int count)
        {
            if (write == null || read == null || count <= 0 || count > write.Length || count > read.Length) return false;
            try
            {
                _device.TransferFullDuplex(new SpanByte(write, 0, count), new SpanByte(read, 0, count));
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <summary>Releases the device.</summary>
        public void Dispose()
        {
            _device.Dispose();
        }
    }
}
