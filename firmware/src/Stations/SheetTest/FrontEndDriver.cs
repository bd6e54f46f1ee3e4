using Tfb.Hal;

namespace Tfb.Stations.SheetTest
{
    /// <summary>
    /// The analog front end over SPI: Kelvin multiplexer (force and sense banks switched together), signal source
    /// and ADC clock. 8-byte frames, reply in the same transfer: <c>A5 cmd status ...</c> (docs/sheet-test.md).
    /// </summary>
    /// <remarks>
    /// Break-before-make: <see cref="Select"/> always opens every switch first, and the front end refuses a
    /// select while a switch is closed. A reply without the A5/echo is "not responding" (a floating MISO reads
    /// all zero). No allocation. Threading: the scan thread only.
    /// </remarks>
    public sealed class FrontEndDriver
    {
        /// <summary>Command accepted.</summary>
        public const int Ok = 0;
        /// <summary>The front end refused (a switch was closed when a select came).</summary>
        public const int Refused = 1;
        /// <summary>An argument out of the front end's range.</summary>
        public const int OutOfRange = 2;
        /// <summary>No valid reply (bus error or no answer).</summary>
        public const int NoResponse = -1;

        private readonly ISpiTransfer _spi;
        private readonly byte[] _w = new byte[8];
        private readonly byte[] _r = new byte[8];
        private int _errors;

        /// <summary>Creates the driver.</summary>
        public FrontEndDriver(ISpiTransfer spi)
        {
            _spi = spi;
        }

        /// <summary>Transfers without a valid reply.</summary>
        public int ErrorCount { get { return _errors; } }

        /// <summary>Opens every switch (force and sense).</summary>
        public int OpenAll() { return Send(0x10); }

        /// <summary>Break, then make: opens everything, then closes the switches of cell (x, y).</summary>
        public int Select(int x, int y)
        {
            int r = OpenAll();
            if (r != Ok) return r;
            Clear();
            _w[1] = (byte)x;
            _w[2] = (byte)y;
            return Send(0x11);
        }

        /// <summary>Source high-impedance (OCV).</summary>
        public int SourceOff() { return Send(0x20); }

        /// <summary>DC voltage source (leakage test).</summary>
        public int SourceDc(double volts)
        {
            Clear();
            WriteInt(1, (int)System.Math.Round(volts * 1e6));
            return Send(0x21);
        }

        /// <summary>AC excitation: <paramref name="frequencyHz"/> (integer), <paramref name="rmsVolts"/>, on a DC bias.</summary>
        public int SourceAc(int frequencyHz, double rmsVolts, double biasVolts)
        {
            Clear();
            _w[1] = (byte)frequencyHz;
            _w[2] = (byte)(frequencyHz >> 8);
            _w[3] = (byte)(frequencyHz >> 16);
            int uv = (int)System.Math.Round(rmsVolts * 1e6);
            _w[4] = (byte)uv;
            _w[5] = (byte)(uv >> 8);
            int bias = (int)System.Math.Round(biasVolts * 1e4);
            if (bias < 0) bias = 0;
            if (bias > 65535) bias = 65535;
            _w[6] = (byte)bias;
            _w[7] = (byte)(bias >> 8);
            return Send(0x22);
        }

        /// <summary>Kelvin contact-check current.</summary>
        public int SourceContact() { return Send(0x23); }

        /// <summary>Starts the ADC at master clock / <paramref name="divider"/> (a restart empties its FIFO); 0 stops it.</summary>
        public int AdcRate(int divider)
        {
            Clear();
            WriteInt(1, divider);
            return Send(0x30);
        }

        private int Send(byte command)
        {
            _w[0] = command;
            bool ok = _spi.Transfer(_w, _r, 8);
            Clear();
            if (!ok || _r[0] != 0xA5 || _r[1] != command)
            {
                _errors++;
                return NoResponse;
            }

            return _r[2];
        }

        private void Clear()
        {
            for (int i = 1; i < 8; i++) _w[i] = 0;
        }

        private void WriteInt(int at, int v)
        {
            _w[at] = (byte)v;
            _w[at + 1] = (byte)(v >> 8);
            _w[at + 2] = (byte)(v >> 16);
            _w[at + 3] = (byte)(v >> 24);
        }
    }
}
