namespace Tfb.Shell
{
    /// <summary>
    /// Salted password hashes as stored in the secret credential settings:
    /// <c>&lt;salt: 16 hex&gt;:&lt;SHA-256(salt bytes || password ASCII): 64 hex&gt;</c>, lower-case, 81 characters.
    /// </summary>
    /// <remarks>
    /// One SHA-256 pass, no key stretching: an MCU would need seconds per login for a useful work factor.
    /// Brute force over the console is held back by the login lockout instead, and the hashes are secret
    /// settings (masked, dumped only to engineers).
    /// </remarks>
    public static class Credentials
    {
        /// <summary>Salt length in bytes.</summary>
        public const int SaltBytes = 8;
        /// <summary>Length of the stored form.</summary>
        public const int FormattedLength = SaltBytes * 2 + 1 + Sha256.HashBytes * 2;

        /// <summary>The stored form of <paramref name="password"/> under <paramref name="saltHex"/>.</summary>
        public static string Format(string saltHex, string password)
        {
            return saltHex + ":" + HashHex(saltHex, password);
        }

        /// <summary>True when <paramref name="stored"/> is well formed (lower-case hex, the right lengths).</summary>
        public static bool IsWellFormed(string stored)
        {
            if (stored == null || stored.Length != FormattedLength || stored[SaltBytes * 2] != ':') return false;
            for (int i = 0; i < stored.Length; i++)
            {
                if (i == SaltBytes * 2) continue;
                char c = stored[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
            }
            return true;
        }

        /// <summary>True when <paramref name="password"/> matches <paramref name="stored"/>; false for a malformed stored form.</summary>
        public static bool Verify(string stored, string password)
        {
            if (!IsWellFormed(stored) || password == null) return false;
            string salt = stored.Substring(0, SaltBytes * 2);
            string expected = stored.Substring(SaltBytes * 2 + 1);
            string actual = HashHex(salt, password);
            if (actual == null) return false;
            // Compare every character so the time taken does not tell how much matched.
            int diff = 0;
            for (int i = 0; i < expected.Length; i++) diff |= expected[i] ^ actual[i];
            return diff == 0;
        }

        /// <summary>Lower-case hex of <paramref name="count"/> bytes.</summary>
        public static string ToHex(byte[] data, int offset, int count)
        {
            const string digits = "0123456789abcdef";
            char[] c = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                int b = data[offset + i];
                c[2 * i] = digits[b >> 4];
                c[2 * i + 1] = digits[b & 15];
            }
            return new string(c);
        }

        // SHA-256 over the salt bytes then the password's characters (printable ASCII; others map to '?').
        private static string HashHex(string saltHex, string password)
        {
            if (saltHex == null || saltHex.Length != SaltBytes * 2 || password == null) return null;
            byte[] m = new byte[SaltBytes + password.Length];
            for (int i = 0; i < SaltBytes; i++)
            {
                int hi = HexValue(saltHex[2 * i]);
                int lo = HexValue(saltHex[2 * i + 1]);
                if (hi < 0 || lo < 0) return null;
                m[i] = (byte)((hi << 4) | lo);
            }
            for (int i = 0; i < password.Length; i++)
            {
                char c = password[i];
                m[SaltBytes + i] = (byte)(c >= ' ' && c <= '~' ? c : '?');
            }
            byte[] h = Sha256.Compute(m, 0, m.Length);
            return ToHex(h, 0, h.Length);
        }

        private static int HexValue(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            return -1;
        }
    }
}
