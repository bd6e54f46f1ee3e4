using Tfb.Text;

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
            int value;
            if (s == null || s.Length == 0 || s[0] == '+' || s.Length - (s[0] == '-' ? 1 : 0) > 9) return int.MinValue;
            return NumberText.TryParseInt(s, out value) ? value : int.MinValue;
        }

        /// <summary>
        /// Parses a plain decimal number: optional '-', digits, optional '.' and digits (no exponent, no '+', no
        /// thousands separator, at least one digit on each side of a point, at most 15 significant digits).
        /// The board format's stricter form of <see cref="NumberText.TryParseReal"/>, which does the parsing.
        /// </summary>
        /// <returns>False when it does not parse; <paramref name="value"/> is then NaN.</returns>
        public static bool TryParseDouble(string s, out double value)
        {
            value = double.NaN;
            if (s == null || s.Length == 0 || s.Length > 24) return false;
            int start = s[0] == '-' ? 1 : 0;
            for (int i = start; i < s.Length; i++)
            {
                char c = s[i];
                if ((c < '0' || c > '9') && c != '.') return false;
            }
            if (start >= s.Length || s[start] == '.' || s[s.Length - 1] == '.') return false;
            if (NumberText.TryParseReal(s, out value)) return true;
            value = double.NaN;
            return false;
        }
    }
}
