using System.Threading;

namespace Tfb.Stations.SheetTest
{
    /// <summary>
    /// Preallocated single-producer / single-consumer ring of raw ADC samples in blocks, each block with the
    /// monotonic time of its first frame. The producer (the data-ready reader) writes a block in place and
    /// publishes it; the consumer (the site sequencer) reads and releases. No allocation after construction.
    /// </summary>
    /// <remarks>
    /// A block never wraps the end of the sample array (the producer offers only the contiguous free space), so
    /// a consumer always sees one contiguous run. Counters are ints that may wrap: only their differences are
    /// used. Publication order: samples, then the descriptor, then <c>Interlocked.Exchange</c> of the block
    /// count (a full barrier on both runtimes). Threading: exactly one producer thread and one consumer thread.
    /// </remarks>
    public sealed class SampleRing
    {
        private readonly int[] _samples;
        private readonly int[] _blockStart;
        private readonly int[] _blockCount;
        private readonly long[] _blockTimeUs;
        private readonly int _channels;
        private int _written;       // samples, producer-owned, published through _blocksWritten
        private int _read;          // samples released, consumer-owned
        private int _blocksWritten; // published by the producer
        private int _blocksRead;    // published by the consumer
        private int _readOffset;    // consumer: samples of the current block already consumed

        /// <summary>Creates the ring.</summary>
        /// <param name="capacitySamples">Samples held (a multiple of <paramref name="channels"/>).</param>
        /// <param name="capacityBlocks">Block descriptors held.</param>
        /// <param name="channels">Interleaved channels per frame.</param>
        public SampleRing(int capacitySamples, int capacityBlocks, int channels)
        {
            if (channels < 1 || capacitySamples < channels || capacityBlocks < 2) throw new System.ArgumentException("ring size");
            capacitySamples -= capacitySamples % channels;
            _samples = new int[capacitySamples];
            _blockStart = new int[capacityBlocks];
            _blockCount = new int[capacityBlocks];
            _blockTimeUs = new long[capacityBlocks];
            _channels = channels;
        }

        /// <summary>The sample storage (valid ranges given by the producer and consumer calls).</summary>
        public int[] Samples { get { return _samples; } }

        /// <summary>Capacity in samples.</summary>
        public int Capacity { get { return _samples.Length; } }

        /// <summary>Interleaved channels per frame.</summary>
        public int Channels { get { return _channels; } }

        /// <summary>Samples written and not yet released (any thread; a momentary value).</summary>
        public int Fill
        {
            get { return Interlocked.CompareExchange(ref _written, 0, 0) - Interlocked.CompareExchange(ref _read, 0, 0); }
        }

        /// <summary>Producer: where the next block may go and how many samples fit contiguously (0 = full).</summary>
        /// <param name="offset">Index in <see cref="Samples"/> to write at.</param>
        /// <returns>Samples that fit, a multiple of the channel count.</returns>
        public int WriteSpace(out int offset)
        {
            int read = Interlocked.CompareExchange(ref _read, 0, 0);
            int blocksRead = Interlocked.CompareExchange(ref _blocksRead, 0, 0);
            offset = Mod(_written);
            if (_blocksWritten - blocksRead >= _blockStart.Length)
            {
                return 0;
            }

            int free = _samples.Length - (_written - read);
            int contiguous = _samples.Length - offset;
            int n = free < contiguous ? free : contiguous;
            return n - n % _channels;
        }

        /// <summary>Producer: publishes <paramref name="count"/> samples written at the offset <see cref="WriteSpace"/> gave.</summary>
        public void Commit(int count, long firstSampleUs)
        {
            if (count <= 0) return;
            int slot = Mod2(_blocksWritten);
            _blockStart[slot] = Mod(_written);
            _blockCount[slot] = count;
            _blockTimeUs[slot] = firstSampleUs;
            _written += count;
            Interlocked.Exchange(ref _blocksWritten, _blocksWritten + 1);
        }

        /// <summary>Consumer: the unconsumed part of the oldest block.</summary>
        /// <param name="offset">Index in <see cref="Samples"/> of its first sample.</param>
        /// <param name="count">Samples available (whole frames).</param>
        /// <param name="firstSampleUs">Time of the block's first frame (add the consumed frames / rate for the part).</param>
        /// <param name="consumed">Samples of this block already consumed.</param>
        /// <returns>False when the ring is empty.</returns>
        public bool TryPeek(out int offset, out int count, out long firstSampleUs, out int consumed)
        {
            int published = Interlocked.CompareExchange(ref _blocksWritten, 0, 0);
            if (published == _blocksRead)
            {
                offset = 0;
                count = 0;
                firstSampleUs = 0;
                consumed = 0;
                return false;
            }

            int slot = Mod2(_blocksRead);
            offset = _blockStart[slot] + _readOffset;
            count = _blockCount[slot] - _readOffset;
            firstSampleUs = _blockTimeUs[slot];
            consumed = _readOffset;
            return true;
        }

        /// <summary>Consumer: marks <paramref name="count"/> samples of the oldest block consumed (releases it when done).</summary>
        public void Advance(int count)
        {
            int slot = Mod2(_blocksRead);
            _readOffset += count;
            if (_readOffset < _blockCount[slot]) return;
            int size = _blockCount[slot];
            _readOffset = 0;
            Interlocked.Exchange(ref _read, _read + size);
            Interlocked.Exchange(ref _blocksRead, _blocksRead + 1);
        }

        /// <summary>Consumer: releases everything published so far.</summary>
        public void Flush()
        {
            int offset, count, consumed;
            long t;
            while (TryPeek(out offset, out count, out t, out consumed)) Advance(count);
        }

        private int Mod(int counter)
        {
            int m = counter % _samples.Length;
            return m < 0 ? m + _samples.Length : m;
        }

        private int Mod2(int counter)
        {
            int m = counter % _blockStart.Length;
            return m < 0 ? m + _blockStart.Length : m;
        }
    }
}
