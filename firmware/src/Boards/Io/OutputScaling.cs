namespace Tfb.Boards.Io
{
    /// <summary>
    /// Fraction of full scale to a PWM duty cycle or DAC code, with the safety rules of IAnalogOutput: NaN or
    /// out-of-range commands drive the declared safe value, never something energizing; polarity inverts.
    /// </summary>
    /// <remarks>Allocation-free; threading: scan thread only.</remarks>
    public static class OutputScaling
    {
        /// <summary>The fraction actually driven for a command: the command if it is within 0..1, else the safe fraction.</summary>
        public static double Sanitize(double fraction, double safeFraction)
        {
            if (double.IsNaN(fraction) || fraction < 0.0 || fraction > 1.0) return safeFraction;
            return fraction;
        }

        /// <summary>PWM duty cycle (0..1) for a sanitized fraction; active-low outputs are inverted.</summary>
        public static double ToDuty(double fraction, bool activeHigh)
        {
            return activeHigh ? fraction : 1.0 - fraction;
        }

        /// <summary>DAC code for a sanitized fraction at <paramref name="resolutionBits"/> (1..16), rounded to nearest.</summary>
        public static ushort ToDacCode(double fraction, bool activeHigh, int resolutionBits)
        {
            if (resolutionBits < 1 || resolutionBits > 16) throw new System.ArgumentOutOfRangeException("resolutionBits");
            int full = (1 << resolutionBits) - 1;
            double f = activeHigh ? fraction : 1.0 - fraction;
            int code = (int)(f * full + 0.5);
            if (code < 0) code = 0;
            if (code > full) code = full;
            return (ushort)code;
        }

        /// <summary>Raw pin level for a logical digital state under a polarity.</summary>
        public static bool ToLevel(bool active, bool activeHigh)
        {
            return active == activeHigh;
        }
    }
}
