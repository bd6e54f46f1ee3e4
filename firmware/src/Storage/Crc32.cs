namespace Tfb.Storage
{
    /// <summary>CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), the check on every stored image.</summary>
    public static class Crc32
    {
        private static readonly uint[] s_table = BuildTable();

        /// <summary>Initial register value for <see cref="Update"/>.</summary>
        public const uint Seed = 0xFFFFFFFF;

        /// <summary>CRC of <paramref name="count"/> bytes at <paramref name="offset"/>.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Update(Seed, data, offset, count) ^ 0xFFFFFFFF;
        }

        /// <summary>Continues a running CRC register; finish with <c>^ 0xFFFFFFFF</c>.</summary>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = s_table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            }
            return crc;
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }
                table[n] = c;
            }
            return table;
        }
    }
}
