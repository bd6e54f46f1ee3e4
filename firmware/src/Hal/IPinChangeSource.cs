namespace Tfb.Hal
{
    /// <summary>Receives pin-change callbacks of interrupt inputs (<c>irq=yes</c>): the fast interlock path.</summary>
    /// <remarks>
    /// Threading: called on the GPIO event thread of a real board, or inside the lockstep step of the virtual
    /// line (after the plant step, before any scan); never on the scan thread's schedule. Implementations must be
    /// short, allocation-free and lock-free: drive outputs to their safe state and set Interlocked flags only.
    /// </remarks>
    public interface IPinChangeListener
    {
        /// <summary>The input's logical (polarity-corrected, not debounced) level changed.</summary>
        /// <param name="tag">The value given to <see cref="IPinChangeSource.SetListener"/>.</param>
        /// <param name="active">The level after the edge.</param>
        void OnPinChanged(int tag, bool active);
    }

    /// <summary>
    /// Implemented by the digital inputs a board declares with <c>irq=yes</c>: a module hooks its fast path here
    /// (check with <c>input as IPinChangeSource</c>; a polled input does not implement it).
    /// </summary>
    /// <remarks>One listener per input (set at Attach, boot thread). The callback is in addition to, never instead
    /// of, the scan's own reading: a missed or spurious edge must not change what the scan decides.</remarks>
    public interface IPinChangeSource
    {
        /// <summary>Sets the listener called on every level change (null removes it).</summary>
        void SetListener(IPinChangeListener listener, int tag);
    }
}
