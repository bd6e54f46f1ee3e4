namespace Tfb.Text
{
    /// <summary>
    /// Strict, culture-free number parsing and formatting that behaves identically on the board and the host
    /// (nanoFramework's and .NET's own parsers and formatters differ in edge cases and cultures).
    /// </summary>
    /// <remarks>
    /// Round trip: a value parsed from a decimal with at most <see cref="MaxSignificantDigits"/> significant
    /// digits formats back to that decimal, and parsing the output gives the identical double, because both
    /// directions do a single correctly rounded division or multiplication by an exact power of ten.
    /// Settings dumps rely on this to replay exactly.
    /// </remarks>
    public static class NumberText
    {
        /// <summary>Significant digits kept by <see cref="FormatReal"/> and accepted by <see cref="TryParseReal"/>.</summary>
        public const int MaxSignificantDigits = 15;

        private static readonly double[] s_pow10 =
        {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        };

        /// <summary>
        /// Parses <c>[+-]digits[.digits][(e|E)[+-]digits]</c>. No spaces, no thousands separators, no NaN or
        /// infinity, at most 15 significant digits, magnitude within 1e-22..1e22 (or zero).
        /// </summary>
        public static bool TryParseReal(string text, out double value)
        {
            value = 0;
            if (text == null) return false;
            int n = text.Length;
            int i = 0;
            bool negative = false;
            if (i < n && (text[i] == '+' || text[i] == '-'))
            {
                negative = text[i] == '-';
                i++;
            }
            long mantissa = 0;
            int significant = 0;
            int digits = 0;
            int scale = 0;
            bool seenPoint = false;
            for (; i < n; i++)
            {
                char c = text[i];
                if (c >= '0' && c <= '9')
                {
                    digits++;
                    if (mantissa == 0 && c == '0')
                    {
                        if (seenPoint) scale--;
                        continue;
                    }
                    if (++significant > MaxSignificantDigits) return false;
                    mantissa = mantissa * 10 + (c - '0');
                    if (seenPoint) scale--;
                }
                else if (c == '.' && !seenPoint)
                {
                    seenPoint = true;
                }
                else
                {
                    break;
                }
            }
            if (digits == 0) return false;
            if (i < n)
            {
                if (text[i] != 'e' && text[i] != 'E') return false;
                i++;
                bool expNegative = false;
                if (i < n && (text[i] == '+' || text[i] == '-'))
                {
                    expNegative = text[i] == '-';
                    i++;
                }
                int exp = 0;
                int expDigits = 0;
                for (; i < n; i++)
                {
                    char c = text[i];
                    if (c < '0' || c > '9') return false;
                    if (++expDigits > 3) return false;
                    exp = exp * 10 + (c - '0');
                }
                if (expDigits == 0) return false;
                scale += expNegative ? -exp : exp;
            }
            if (mantissa == 0)
            {
                value = 0;
                return true;
            }
            if (scale < -22 || scale > 22) return false;
            double m = mantissa;
            value = scale < 0 ? m / s_pow10[-scale] : m * s_pow10[scale];
            if (negative) value = -value;
            return true;
        }

        /// <summary>Parses an optionally signed decimal integer that fits an int.</summary>
        public static bool TryParseInt(string text, out int value)
        {
            value = 0;
            if (text == null || text.Length == 0 || text.Length > 11) return false;
            int i = 0;
            bool negative = false;
            if (text[0] == '+' || text[0] == '-')
            {
                negative = text[0] == '-';
                i = 1;
                if (text.Length == 1) return false;
            }
            long acc = 0;
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9') return false;
                acc = acc * 10 + (c - '0');
            }
            if (negative) acc = -acc;
            if (acc < int.MinValue || acc > int.MaxValue) return false;
            value = (int)acc;
            return true;
        }

        /// <summary>
        /// Formats with up to 15 significant digits, plain decimal notation for 1e-6 &lt;= |v| &lt; 1e15,
        /// exponent notation otherwise; "nan", "inf", "-inf" for non-finite values (never parsed back).
        /// </summary>
        public static string FormatReal(double value)
        {
            if (double.IsNaN(value)) return "nan";
            if (value > double.MaxValue) return "inf";
            if (value < -double.MaxValue) return "-inf";
            if (value == 0) return "0";
            bool negative = value < 0;
            double a = negative ? -value : value;

            // Decimal exponent e with 10^e <= a < 10^(e+1), then a 15-digit integer mantissa.
            int e = 0;
            while (a >= 10 && e < 400) { a /= 10; e++; }
            while (a < 1 && e > -400) { a *= 10; e--; }
            // Recompute from the original to avoid accumulated error: mantissa = |value| * 10^(14 - e).
            double abs = negative ? -value : value;
            int shift = MaxSignificantDigits - 1 - e;
            double scaled;
            if (shift >= 0 && shift <= 22) scaled = abs * s_pow10[shift];
            else if (shift < 0 && -shift <= 22) scaled = abs / s_pow10[-shift];
            else return negative ? "-" + FormatExponent(a, e) : FormatExponent(a, e);
            long m = (long)(scaled + 0.5);
            if (m >= 1000000000000000L)
            {
                m = (m + 5) / 10;
                e++;
                shift--;
            }
            while (m % 10 == 0 && shift > 0)
            {
                m /= 10;
                shift--;
            }
            string digits = m.ToString();
            string body;
            if (e >= 15 || e < -6)
            {
                body = digits.Length > 1 ? digits.Substring(0, 1) + "." + digits.Substring(1) : digits;
                body = body + "e" + e.ToString();
            }
            else if (shift <= 0)
            {
                body = digits + new string('0', -shift);
            }
            else if (digits.Length > shift)
            {
                body = digits.Substring(0, digits.Length - shift) + "." + digits.Substring(digits.Length - shift);
            }
            else
            {
                body = "0." + new string('0', shift - digits.Length) + digits;
            }
            return negative ? "-" + body : body;
        }

        /// <summary>True when <paramref name="value"/>'s console text parses back to exactly the same double.</summary>
        public static bool RoundTrips(double value)
        {
            double back;
            return TryParseReal(FormatReal(value), out back) && back == value;
        }

        /// <summary>The IEEE-754 bits of <paramref name="value"/> as 16 lower-case hex digits.</summary>
        public static string FormatBits(double value)
        {
            long bits = System.BitConverter.DoubleToInt64Bits(value);
            char[] c = new char[16];
            for (int i = 15; i >= 0; i--)
            {
                int nibble = (int)(bits & 0xF);
                c[i] = (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
                bits = (long)((ulong)bits >> 4);
            }
            return new string(c);
        }

        /// <summary>Parses 16 hex digits (either case) as IEEE-754 bits; refuses NaN and infinities.</summary>
        public static bool TryParseBits(string text, out double value)
        {
            value = double.NaN;
            if (text == null || text.Length != 16) return false;
            ulong bits = 0;
            for (int i = 0; i < 16; i++)
            {
                char ch = text[i];
                int n;
                if (ch >= '0' && ch <= '9') n = ch - '0';
                else if (ch >= 'a' && ch <= 'f') n = ch - 'a' + 10;
                else if (ch >= 'A' && ch <= 'F') n = ch - 'A' + 10;
                else return false;
                bits = (bits << 4) | (uint)n;
            }
            double v = System.BitConverter.Int64BitsToDouble((long)bits);
            if (double.IsNaN(v) || double.IsInfinity(v)) return false;
            value = v;
            return true;
        }

        private static string FormatExponent(double normalized, int e)
        {
            long m = (long)(normalized * 1e14 + 0.5);
            if (m >= 1000000000000000L) { m = (m + 5) / 10; e++; }
            while (m % 10 == 0 && m >= 10) m /= 10;
            string digits = m.ToString();
            string body = digits.Length > 1 ? digits.Substring(0, 1) + "." + digits.Substring(1) : digits;
            return body + "e" + e.ToString();
        }
    }
}
