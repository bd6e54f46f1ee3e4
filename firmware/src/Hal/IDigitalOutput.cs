namespace Tfb.Hal
{
    /// <summary>A logical digital output (polarity from the board definition is applied by the adapter).</summary>
    /// <remarks>
    /// Threading: written from the scan thread only. De-energize to trip: the safe state of every output is
    /// declared in the board definition and is what the adapter drives at construction, on <see cref="SetSafe"/>,
    /// and what the hardware falls to on reset.
    /// </remarks>
    public interface IDigitalOutput
    {
        /// <summary>Drives the logical state; true = asserted.</summary>
        void Write(bool active);

        /// <summary>Drives the declared safe state.</summary>
        void SetSafe();

        /// <summary>The last commanded logical state.</summary>
        bool State { get; }
    }
}
