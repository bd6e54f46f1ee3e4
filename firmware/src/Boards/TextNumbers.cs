namespace Tfb.Boards
{
    /// <summary>
    /// Culture-free number parsing for board files and other text the firmware reads (no reliance on
    /// double.TryParse behaviour differences between nanoFramework and .NET).
    /// </summary>
    public static class TextNumbers
    {
        /// <summary>Parses a decimal integer (optional leading '-', digits only, at most 9 digits); int.MinValue when it does not parse.</summary>
        public static int ParseIntOrMin(string s)
        {
            if (s == null || s.Length == 0) return int.MinValue;
            int i = 0;
            bool negative = false;
            if (s[0] == '-') { negative = true; i = 1; }
            if (i >= s.Length || s.Length - i > 9) return int.MinValue;
            int value = 0;
            for (; i < s.Length; i++)
            {
                char c = s[i];
                if (c < '0' || c > '9') return int.MinValue;
                value = value * 10 + (c - '0');
            }
            return negative ? -value : value;
        }

        /// <summary>
        /// Parses a plain decimal number: optional '-', digits, optional '.' and digits (no exponent, no
        /// thousands separator, at least one digit, at most 15 significant digits).
        /// </summary>
        /// <returns>False when it does not parse; <paramref name="value"/> is then NaN.</returns>
        public static bool TryParseDouble(string s, out double value)
        {
            value = double.NaN;
            if (s == null || s.Length == 0 || s.Length > 24) return false;
            int i = 0;
            bool negative = false;
            if (s[0] == '-') { negative = true; i = 1; }
            long mantissa = 0;
            int digits = 0;
            int fractionDigits = 0;
            bool seenPoint = false;
            for (; i < s.Length; i++)
            {
                char c = s[i];
                if (c == '.')
                {
                    if (seenPoint) return false;
                    seenPoint = true;
                    continue;
                }
                if (c < '0' || c > '9') return false;
                if (digits >= 15) return false;
                mantissa = mantissa * 10 + (c - '0');
                if (mantissa != 0 || seenPoint) digits++;
                if (seenPoint) fractionDigits++;
            }
            if (digits == 0 && mantissa == 0)
            {
                // "0", "0.0" are fine; "", "-", "." are not.
                bool anyDigit = false;
                for (int k = 0; k < s.Length; k++) if (s[k] >= '0' && s[k] <= '9') anyDigit = true;
                if (!anyDigit) return false;
            }
            if (seenPoint && (s[s.Length - 1] == '.' || s[negative ? 1 : 0] == '.')) return false;
            // One correctly rounded division by an exact power of ten (10^15 is exact in a double), so "3.3"
            // parses to the same double as the literal 3.3.
            double scale = 1.0;
            for (int k = 0; k < fractionDigits; k++) scale *= 10.0;
            double v = mantissa / scale;
            value = negative ? -v : v;
            return true;
        }
    }
}
