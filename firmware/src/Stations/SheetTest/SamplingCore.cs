using System.Threading;
using Tfb.Hal;

namespace Tfb.Stations.SheetTest
{
    /// <summary>
    /// The producer half of the sampling core: drains a data-ready-paced <see cref="IAdcBlockSource"/> into a
    /// <see cref="SampleRing"/> in blocks (never per sample), with a timestamp per block and counters for bus
    /// errors, converter overruns and times the ring was full.
    /// </summary>
    /// <remarks>
    /// On a board a reader thread at the highest priority waits for data-ready and calls <see cref="Pump"/>;
    /// on the virtual line (lockstep) the sequencer calls it at the start of each scan. A full ring leaves the
    /// data in the converter's FIFO (it overruns there, counted by the converter): nothing is overwritten that the
    /// consumer has not released. No allocation. Threading: <see cref="Pump"/> from the producer thread only;
    /// counters readable from any thread.
    /// </remarks>
    public sealed class SamplingCore
    {
        /// <summary>Smallest block the reader asks for once data is flowing (the reference's >= 64 samples per wake-up).</summary>
        public const int MinBlockSamples = 64;

        private readonly IAdcBlockSource _source;
        private readonly SampleRing _ring;
        private readonly int _overrunBase;
        private int _spiErrors;
        private int _ringFull;
        private int _blocks;
        private int _samples;

        /// <summary>Binds a source to a ring (the ring's channel count must be the source's).</summary>
        public SamplingCore(IAdcBlockSource source, SampleRing ring)
        {
            if (source == null || ring == null) throw new System.ArgumentNullException("source");
            if (source.Channels != ring.Channels) throw new System.ArgumentException("channel count");
            _source = source;
            _ring = ring;
            _overrunBase = source.OverrunCount;
        }

        /// <summary>The ring the consumer reads.</summary>
        public SampleRing Ring { get { return _ring; } }

        /// <summary>The converter.</summary>
        public IAdcBlockSource Source { get { return _source; } }

        /// <summary>Block reads that failed on the bus.</summary>
        public int SpiErrorCount { get { return Interlocked.CompareExchange(ref _spiErrors, 0, 0); } }

        /// <summary>Frames the converter lost since this core started (its FIFO overflowed: the reader was late).</summary>
        public int OverrunCount { get { return _source.OverrunCount - _overrunBase; } }

        /// <summary>Pumps that stopped because the ring was full (the consumer was late).</summary>
        public int RingFullCount { get { return Interlocked.CompareExchange(ref _ringFull, 0, 0); } }

        /// <summary>Blocks moved into the ring.</summary>
        public int BlockCount { get { return Interlocked.CompareExchange(ref _blocks, 0, 0); } }

        /// <summary>Samples moved into the ring.</summary>
        public int SampleCount { get { return Interlocked.CompareExchange(ref _samples, 0, 0); } }

        /// <summary>Moves every completed frame from the converter into the ring.</summary>
        /// <returns>Samples moved; -1 when a block read failed (counted; the next pump retries).</returns>
        public int Pump()
        {
            int total = 0;
            for (;;)
            {
                int offset;
                int space = _ring.WriteSpace(out offset);
                if (space == 0)
                {
                    Interlocked.Increment(ref _ringFull);
                    return total;
                }

                long t0;
                int n = _source.ReadBlock(_ring.Samples, offset, space, out t0);
                if (n < 0)
                {
                    Interlocked.Increment(ref _spiErrors);
                    return -1;
                }

                if (n == 0) return total;
                _ring.Commit(n, t0);
                Interlocked.Increment(ref _blocks);
                Interlocked.Exchange(ref _samples, _samples + n);
                total += n;
                if (n < space) return total;
            }
        }
    }
}
