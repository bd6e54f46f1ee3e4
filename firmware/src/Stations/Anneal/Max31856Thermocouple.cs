using Tfb.Hal;

namespace Tfb.Stations.Anneal
{
    /// <summary>
    /// A MAX31856 thermocouple converter on SPI (mode 1) as an analog input in C: automatic conversion, type K,
    /// open-circuit detection on. Each read fetches the fault status and the linearized temperature in one
    /// 5-byte transfer; any fault bit (open, over/under voltage, cold junction or TC out of range) or a bus
    /// error is an invalid read. Preallocated buffers: no allocation per read. Scan thread only.
    /// </summary>
    /// <remarks>
    /// Registers (datasheet): CR0 0x00 (write 0x80: CMODE automatic, 0x10: OCFAULT 01), CR1 0x01 (0x03: type K,
    /// 1 sample), LTCBH/LTCBM/LTCBL 0x0C-0x0E (19-bit two's complement, 1/128 C per LSB, left-aligned), SR 0x0F.
    /// Writes set the address MSB. The first read configures the chip (again after any bus error).
    /// </remarks>
    public sealed class Max31856Thermocouple : IAnalogInput
    {
        private readonly ISpiTransfer _spi;
        private readonly byte[] _tx = new byte[5];
        private readonly byte[] _rx = new byte[5];
        private bool _configured;

        /// <summary>Wraps the converter behind <paramref name="spi"/>.</summary>
        public Max31856Thermocouple(ISpiTransfer spi) { _spi = spi; }

        /// <inheritdoc />
        public bool TryRead(out double value)
        {
            value = double.NaN;
            if (_spi == null) return false;
            if (!_configured && !Configure()) return false;
            // Read from 0x0C: LTCBH, LTCBM, LTCBL, SR.
            _tx[0] = 0x0C;
            _tx[1] = 0; _tx[2] = 0; _tx[3] = 0; _tx[4] = 0;
            if (!_spi.Transfer(_tx, _rx, 5)) { _configured = false; return false; }
            if (_rx[4] != 0) return false;
            int raw = (_rx[1] << 16) | (_rx[2] << 8) | _rx[3];
            raw >>= 5;
            if ((raw & 0x40000) != 0) raw -= 0x80000;
            value = raw / 128.0;
            return true;
        }

        private bool Configure()
        {
            _tx[0] = 0x80;          // write CR0, CR1
            _tx[1] = 0x80 | 0x10;   // automatic conversion, open-circuit detection
            _tx[2] = 0x03;          // type K, one sample
            if (!_spi.Transfer(_tx, _rx, 3)) return false;
            _configured = true;
            return true;
        }
    }
}
