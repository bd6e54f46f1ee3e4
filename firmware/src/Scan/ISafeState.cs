namespace Tfb.Scan
{
    /// <summary>
    /// A hook the executive calls to de-energize: on an overrun trip, on every scan while tripped or faulted,
    /// and after a task threw.
    /// </summary>
    /// <remarks>
    /// Contract: drive every output the implementer owns to its declared safe state AND drop the owning
    /// module's state to one that needs a fresh, deliberate operator start, so that resetting the trip cannot
    /// re-energize anything by itself. Scan thread only; idempotent (called every scan while tripped);
    /// no allocation, no blocking. An exception from it latches <see cref="ScanExecutive.Faulted"/>.
    /// </remarks>
    public interface ISafeState
    {
        /// <summary>Drives the safe state (see the interface remarks).</summary>
        void EnterSafeState();
    }
}
