namespace Tfb.Sparkplug
{
    /// <summary>
    /// IEEE 754 single-precision bit conversions without allocation (nanoFramework's BitConverter has
    /// DoubleToInt64Bits but only an allocating GetBytes(float)). A float widens to double exactly, so the
    /// single's bits are re-packed from the double's.
    /// </summary>
    public static class FloatBits
    {
        /// <summary>Returns the 32 bits of <paramref name="value"/> (NaN payload: quiet NaN 0x7FC00000 or sign kept).</summary>
        public static uint SingleToUInt32Bits(float value)
        {
            ulong d = (ulong)System.BitConverter.DoubleToInt64Bits(value);
            uint sign = (uint)(d >> 32) & 0x80000000u;
            int exponent = (int)((d >> 52) & 0x7FF);
            ulong mantissa = d & 0xFFFFFFFFFFFFFUL;

            if (exponent == 0x7FF)
            {
                // Infinity keeps a zero mantissa; NaN keeps its top mantissa bits (at least the quiet bit).
                uint m = (uint)(mantissa >> 29);
                if (mantissa != 0 && m == 0)
                {
                    m = 0x400000;
                }

                return sign | 0x7F800000u | m;
            }

            if (exponent == 0 && mantissa == 0)
            {
                return sign;
            }

            int e = exponent - 1023 + 127;
            if (e >= 1)
            {
                // Normal single: the low 29 mantissa bits are zero because the value came from a float.
                return sign | ((uint)e << 23) | (uint)(mantissa >> 29);
            }

            // Subnormal single: shift the implicit 1 into the mantissa.
            int shift = 29 + (1 - e);
            if (shift > 52 + 1)
            {
                return sign;
            }

            ulong full = mantissa | (1UL << 52);
            return sign | (uint)(full >> shift);
        }

        /// <summary>Returns the float whose bits are <paramref name="bits"/>.</summary>
        public static float UInt32BitsToSingle(uint bits)
        {
            ulong sign = (ulong)(bits & 0x80000000u) << 32;
            int e = (int)((bits >> 23) & 0xFF);
            ulong m = bits & 0x7FFFFFu;
            ulong d;
            if (e == 0xFF)
            {
                d = sign | (0x7FFUL << 52) | (m << 29);
            }
            else if (e == 0)
            {
                if (m == 0)
                {
                    d = sign;
                }
                else
                {
                    // Normalise the subnormal single into a normal double.
                    int exponent = -126;
                    while ((m & 0x800000u) == 0)
                    {
                        m <<= 1;
                        exponent--;
                    }

                    m &= 0x7FFFFFu;
                    d = sign | ((ulong)(exponent + 1023) << 52) | (m << 29);
                }
            }
            else
            {
                d = sign | ((ulong)(e - 127 + 1023) << 52) | (m << 29);
            }

            return (float)System.BitConverter.Int64BitsToDouble((long)d);
        }
    }
}
