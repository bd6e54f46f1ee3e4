using Tfb.Hal;

namespace Tfb.Commissioning
{
    /// <summary>
    /// The usual SPI probe: one full-duplex transfer (e.g. "read register 0xD0") and a comparison of the answer
    /// bytes with the device's fixed ID under a mask.
    /// </summary>
    /// <remarks>Buffers are allocated once here; <see cref="Probe"/> allocates only its detail text.</remarks>
    public sealed class IdRegisterProbe : ISpiProbe
    {
        private readonly byte[] _write;
        private readonly byte[] _read;
        private readonly byte[] _expected;
        private readonly byte[] _mask;

        /// <summary>Creates a probe.</summary>
        /// <param name="write">Bytes sent (command/address and dummy bytes clocking the answer out).</param>
        /// <param name="expected">Bytes expected back, same length (positions that do not matter: mask 0).</param>
        /// <param name="mask">Bits compared per byte, same length; null compares every bit.</param>
        public IdRegisterProbe(byte[] write, byte[] expected, byte[] mask)
        {
            if (write == null || write.Length == 0) throw new System.ArgumentException("write");
            if (expected == null || expected.Length != write.Length) throw new System.ArgumentException("expected");
            if (mask != null && mask.Length != write.Length) throw new System.ArgumentException("mask");
            _write = write;
            _expected = expected;
            _read = new byte[write.Length];
            _mask = new byte[write.Length];
            for (int i = 0; i < _mask.Length; i++) _mask[i] = mask == null ? (byte)0xFF : mask[i];
        }

        /// <inheritdoc />
        public bool Probe(ISpiTransfer device, out string detail)
        {
            for (int i = 0; i < _read.Length; i++) _read[i] = 0;
            if (!device.Transfer(_write, _read, _write.Length))
            {
                detail = "bus error";
                return false;
            }
            bool ok = true;
            string got = "";
            string want = "";
            for (int i = 0; i < _read.Length; i++)
            {
                if (_mask[i] == 0) continue;
                if ((_read[i] & _mask[i]) != (_expected[i] & _mask[i])) ok = false;
                got += Hex(_read[i] & _mask[i]);
                want += Hex(_expected[i] & _mask[i]);
            }
            detail = ok ? "id 0x" + got : "id 0x" + got + " expected 0x" + want;
            return ok;
        }

        private static string Hex(int b)
        {
            const string digits = "0123456789abcdef";
            return new string(new char[] { digits[(b >> 4) & 0xF], digits[b & 0xF] });
        }
    }
}
