namespace Tfb.Sparkplug
{
    /// <summary>
    /// Capped exponential reconnect delay with "equal jitter": attempt n waits base/2 + random(0..base/2) where
    /// base = min(max, min * 2^n). Jitter spreads a plant's boards after a broker restart; the PRNG is seeded
    /// so tests are deterministic.
    /// </summary>
    public sealed class ReconnectBackoff
    {
        private readonly long _minMicros;
        private readonly long _maxMicros;
        private uint _state;
        private int _attempt;

        /// <summary>Creates the policy.</summary>
        /// <param name="minMs">Base delay of the first retry (ms, &gt; 0).</param>
        /// <param name="maxMs">Cap of the base delay (ms, &gt;= minMs).</param>
        /// <param name="seed">PRNG seed (0 is replaced by a fixed non-zero constant).</param>
        public ReconnectBackoff(int minMs, int maxMs, uint seed)
        {
            _minMicros = (minMs < 1 ? 1 : minMs) * 1000L;
            _maxMicros = (maxMs < minMs ? minMs : maxMs) * 1000L;
            _state = seed == 0 ? 0x9E3779B9u : seed;
        }

        /// <summary>Failed attempts since the last <see cref="Reset"/>.</summary>
        public int Attempt { get { return _attempt; } }

        /// <summary>The delay before the next attempt (microseconds); advances the attempt counter.</summary>
        public long NextDelayMicros()
        {
            long baseMicros = _minMicros;
            for (int i = 0; i < _attempt && baseMicros < _maxMicros; i++)
            {
                baseMicros *= 2;
            }

            if (baseMicros > _maxMicros)
            {
                baseMicros = _maxMicros;
            }

            if (_attempt < 64)
            {
                _attempt++;
            }

            long half = baseMicros / 2;
            return half + (long)(NextRandom() % (ulong)(half + 1));
        }

        /// <summary>Back to the first delay (after a successful connect).</summary>
        public void Reset()
        {
            _attempt = 0;
        }

        /// <summary>xorshift32: small, fast, deterministic; not for security.</summary>
        private uint NextRandom()
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return x;
        }
    }
}
