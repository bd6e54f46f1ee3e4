namespace Tfb.Hal
{
    /// <summary>A single scaled analog input (on-chip ADC or an external converter read once per scan).</summary>
    /// <remarks>
    /// The adapter applies the board definition's scaling (counts to volts to engineering units) and the
    /// calibration (zero, span) from settings. Threading: scan thread only.
    /// </remarks>
    public interface IAnalogInput
    {
        /// <summary>Reads the value in the engineering unit the board definition names (N, Pa, degC, V...).</summary>
        /// <returns>
        /// False on a failed conversion, a reading at the converter's rails (open or shorted input) or a
        /// non-finite result; <paramref name="value"/> is then NaN. Callers treat false as a fault.
        /// </returns>
        bool TryRead(out double value);
    }
}
