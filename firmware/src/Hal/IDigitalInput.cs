namespace Tfb.Hal
{
    /// <summary>A logical digital input: polarity and debounce are applied by the adapter from the board definition.</summary>
    /// <remarks>
    /// Threading: read from the scan thread only. A failed read (bus error, pin not open, expander not
    /// answering) returns false and leaves the value false; callers treat it as a fault,
    /// never as "inactive".
    /// </remarks>
    public interface IDigitalInput
    {
        /// <summary>Reads the logical (polarity-corrected, debounced) state.</summary>
        /// <param name="active">True when the signal is asserted in the sense the board definition names.</param>
        /// <returns>False when the state could not be read; the value is then meaningless.</returns>
        bool TryRead(out bool active);
    }
}
