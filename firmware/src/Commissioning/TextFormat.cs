using Tfb.Text;

namespace Tfb.Commissioning
{
    /// <summary>Console formatting and exact-number helpers of the commissioning commands (console threads only).</summary>
    public static class TextFormat
    {
        private static readonly double[] s_pow10 = { 1, 10, 100, 1000, 10000, 100000, 1000000 };

        /// <summary><paramref name="value"/> with <paramref name="decimals"/> (0..6) decimals; "nan", "inf" for non-finite.</summary>
        public static string Fixed(double value, int decimals)
        {
            if (double.IsNaN(value)) return "nan";
            if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
            if (decimals < 0) decimals = 0;
            if (decimals > 6) decimals = 6;
            bool negative = value < 0;
            double a = negative ? -value : value;
            if (a >= 1e15) return NumberText.FormatReal(value);
            long p = (long)s_pow10[decimals];
            long scaled = (long)(a * p + 0.5);
            long whole = scaled / p;
            string s = whole.ToString();
            if (decimals > 0)
            {
                string f = (scaled % p).ToString();
                while (f.Length < decimals) f = "0" + f;
                s = s + "." + f;
            }
            if (negative && scaled != 0) s = "-" + s;
            return s;
        }

        /// <summary>
        /// The value closest to <paramref name="value"/> whose console text (<see cref="NumberText.FormatReal"/>)
        /// parses back to exactly the same double, so a calibration written to settings survives a
        /// <c>settings dump</c> / <c>backup</c> replay bit for bit. NaN when no such value is found.
        /// </summary>
        public static double Quantize(double value)
        {
            double v = value;
            for (int i = 0; i < 8; i++)
            {
                double back;
                if (!NumberText.TryParseReal(NumberText.FormatReal(v), out back)) return double.NaN;
                if (back == v) return v;
                v = back;
            }
            return double.NaN;
        }

        /// <summary>True when <paramref name="value"/>'s console text parses back to exactly the same double.</summary>
        public static bool RoundTrips(double value)
        {
            double back;
            return NumberText.TryParseReal(NumberText.FormatReal(value), out back) && back == value;
        }

        /// <summary>The IEEE-754 bits of <paramref name="value"/> as 16 lower-case hex digits.</summary>
        public static string Bits(double value)
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

        /// <summary><paramref name="s"/> padded with spaces to <paramref name="width"/> (at least one space follows).</summary>
        public static string Pad(string s, int width)
        {
            return s.Length >= width ? s + " " : s + new string(' ', width - s.Length);
        }

        /// <summary>Microseconds as seconds with one decimal.</summary>
        public static string Seconds(long us)
        {
            return Fixed(us / 1e6, 1);
        }
    }
}
