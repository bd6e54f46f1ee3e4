using System.Threading;

namespace Tfb.Boards.Io
{
    /// <summary>
    /// Fast interlock path of an interrupt-capable input: the pin-change callback (GPIO event thread) records
    /// that the signal dropped out of its asserted state; the scan consumes the record at its next read, so
    /// a de-assertion shorter than a scan period or the debounce time is never lost. Assertions are not latched
    /// (they must pass the debounce: a permissive needs a steady signal, a trip needs only one edge).
    /// </summary>
    /// <remarks>Threading: <see cref="OnLevel"/> from any thread; <see cref="ConsumeDrop"/> from the scan. Interlocked only.</remarks>
    public sealed class EdgeLatch
    {
        private int _dropped;
        private int _edges;

        /// <summary>Records a pin level seen by the change callback.</summary>
        /// <param name="active">Polarity-corrected level after the edge.</param>
        public void OnLevel(bool active)
        {
            Interlocked.Increment(ref _edges);
            if (!active) Interlocked.Exchange(ref _dropped, 1);
        }

        /// <summary>Edges seen since construction (wraps; diagnostics only).</summary>
        public int EdgeCount { get { return Interlocked.CompareExchange(ref _edges, 0, 0); } }

        /// <summary>True once per de-assertion recorded since the previous call.</summary>
        public bool ConsumeDrop()
        {
            return Interlocked.Exchange(ref _dropped, 0) != 0;
        }
    }
}
