namespace Tfb.Shell
{
    /// <summary>
    /// SHA-256 (FIPS 180-4) in portable managed code: nanoFramework 1.x has no hash API. Used for the console's
    /// salted password hashes only (one or two 64-byte blocks per login), so it favours small code over speed.
    /// Measured on the host (net10.0 Release, x64): 2.3 us per block. On a board the interpreter is orders of
    /// magnitude slower (not measured here); once per login it does not matter.
    /// </summary>
    /// <remarks>Stateless and thread-safe; allocates its result and one padded copy of the message.</remarks>
    public static class Sha256
    {
        /// <summary>Digest length in bytes.</summary>
        public const int HashBytes = 32;

        private static readonly uint[] s_k =
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        };

        /// <summary>Hashes <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        /// <returns>The 32-byte digest.</returns>
        public static byte[] Compute(byte[] data, int offset, int count)
        {
            if (data == null || offset < 0 || count < 0 || offset + count > data.Length)
                throw new System.ArgumentOutOfRangeException("count");

            // Message + 0x80 + zero padding + 64-bit big-endian bit length, to a multiple of 64 bytes.
            int padded = ((count + 9 + 63) / 64) * 64;
            byte[] m = new byte[padded];
            System.Array.Copy(data, offset, m, 0, count);
            m[count] = 0x80;
            long bits = (long)count * 8;
            for (int i = 0; i < 8; i++) m[padded - 1 - i] = (byte)(bits >> (8 * i));

            uint[] h =
            {
                0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
            };
            uint[] w = new uint[64];
            for (int block = 0; block < padded; block += 64)
            {
                for (int t = 0; t < 16; t++)
                {
                    int p = block + 4 * t;
                    w[t] = ((uint)m[p] << 24) | ((uint)m[p + 1] << 16) | ((uint)m[p + 2] << 8) | m[p + 3];
                }
                for (int t = 16; t < 64; t++)
                {
                    uint x = w[t - 15];
                    uint y = w[t - 2];
                    uint s0 = Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3);
                    uint s1 = Rotr(y, 17) ^ Rotr(y, 19) ^ (y >> 10);
                    w[t] = unchecked(w[t - 16] + s0 + w[t - 7] + s1);
                }
                uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
                for (int t = 0; t < 64; t++)
                {
                    uint S1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
                    uint ch = (e & f) ^ (~e & g);
                    uint t1 = unchecked(hh + S1 + ch + s_k[t] + w[t]);
                    uint S0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
                    uint maj = (a & b) ^ (a & c) ^ (b & c);
                    uint t2 = unchecked(S0 + maj);
                    hh = g;
                    g = f;
                    f = e;
                    e = unchecked(d + t1);
                    d = c;
                    c = b;
                    b = a;
                    a = unchecked(t1 + t2);
                }
                h[0] = unchecked(h[0] + a);
                h[1] = unchecked(h[1] + b);
                h[2] = unchecked(h[2] + c);
                h[3] = unchecked(h[3] + d);
                h[4] = unchecked(h[4] + e);
                h[5] = unchecked(h[5] + f);
                h[6] = unchecked(h[6] + g);
                h[7] = unchecked(h[7] + hh);
            }

            byte[] digest = new byte[HashBytes];
            for (int i = 0; i < 8; i++)
            {
                digest[4 * i] = (byte)(h[i] >> 24);
                digest[4 * i + 1] = (byte)(h[i] >> 16);
                digest[4 * i + 2] = (byte)(h[i] >> 8);
                digest[4 * i + 3] = (byte)h[i];
            }
            return digest;
        }

        private static uint Rotr(uint x, int n)
        {
            return (x >> n) | (x << (32 - n));
        }
    }
}
