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
