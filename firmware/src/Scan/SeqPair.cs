using System.Threading;

namespace Tfb.Scan
{
    /// <summary>
    /// Sequence counters for a double buffer written by one thread (the scan) and read by any number of others
    /// without locks (a seqlock over two buffers).
    /// </summary>
    /// <remarks>
    /// The writer fills the buffer readers are not pointed at: its counter is odd while it is being written,
    /// even when complete; then <c>latest</c> flips to it. A reader notes the latest buffer and its even
    /// counter, copies, and accepts the copy only if the counter is unchanged; otherwise the writer came round
    /// to that buffer during the copy (two publishes) and the reader retries. The writer never waits.
    /// Interlocked operations are full fences on .NET and nanoFramework, so the data accesses cannot move across
    /// the counter updates; reads go through CompareExchange(ref x, 0, 0) because mscorlib has no Volatile.
    /// </remarks>
    internal sealed class SeqPair
    {
        private int _seq0;
        private int _seq1;
        private int _latest = -1;

        /// <summary>Writer: marks the spare buffer as being written and returns its index.</summary>
        internal int BeginWrite()
        {
            int b = Interlocked.CompareExchange(ref _latest, 0, 0) == 0 ? 1 : 0;
            if (b == 0) Interlocked.Increment(ref _seq0); else Interlocked.Increment(ref _seq1);
            return b;
        }

        /// <summary>Writer: marks buffer <paramref name="b"/> complete and points readers at it.</summary>
        internal void EndWrite(int b)
        {
            if (b == 0) Interlocked.Increment(ref _seq0); else Interlocked.Increment(ref _seq1);
            Interlocked.Exchange(ref _latest, b);
        }

        /// <summary>Reader: the buffer to copy (-1 when nothing was published yet) and its counter.</summary>
        /// <returns>The buffer index; copy it only when <paramref name="seq"/> is even.</returns>
        internal int BeginRead(out int seq)
        {
            int b = Interlocked.CompareExchange(ref _latest, 0, 0);
            seq = b < 0 ? 0 : ReadSeq(b);
            return b;
        }

        /// <summary>Reader: true when the copy of buffer <paramref name="b"/> taken since <see cref="BeginRead"/> is consistent.</summary>
        internal bool EndRead(int b, int seq)
        {
            return (seq & 1) == 0 && ReadSeq(b) == seq;
        }

        private int ReadSeq(int b)
        {
            return b == 0 ? Interlocked.CompareExchange(ref _seq0, 0, 0) : Interlocked.CompareExchange(ref _seq1, 0, 0);
        }
    }
}
