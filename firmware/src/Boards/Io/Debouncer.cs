namespace Tfb.Boards.Io
{
    /// <summary>
    /// Time-based debounce of one digital input: the logical state follows the raw level only after the raw
    /// level has held for the debounce time. Platform-free so the host tests run the code the boards run.
    /// </summary>
    /// <remarks>
    /// Called once per scan with the scan's timestamp; no allocation. A debounce of 0 passes the raw level
    /// through. Until the first <see cref="Update"/> the state is unknown (<see cref="HasState"/> false).
    /// Threading: scan thread only.
    /// </remarks>
    public sealed class Debouncer
    {
        private readonly long _debounceUs;
        private bool _hasState;
        private bool _stable;
        private bool _candidate;
        private long _candidateSinceUs;

        /// <summary>Creates a debouncer.</summary>
        /// <param name="debounceMs">Hold time in milliseconds, 0..10000 (the board-definition range).</param>
        public Debouncer(int debounceMs)
        {
            if (debounceMs < 0 || debounceMs > 10000) throw new System.ArgumentOutOfRangeException("debounceMs");
            _debounceUs = debounceMs * 1000L;
        }

        /// <summary>True after the first sample.</summary>
        public bool HasState { get { return _hasState; } }

        /// <summary>The debounced level.</summary>
        public bool State { get { return _stable; } }

        /// <summary>
        /// Feeds one raw sample. The first sample sets the state directly: at boot there is no history, and
        /// holding the input "inactive" for a debounce time would be a default, not a measurement.
        /// </summary>
        /// <param name="raw">Raw (polarity-corrected) level.</param>
        /// <param name="nowUs">Monotonic time of the sample in microseconds.</param>
        /// <returns>The debounced level.</returns>
        public bool Update(bool raw, long nowUs)
        {
            if (!_hasState)
            {
                _hasState = true;
                _stable = raw;
                _candidate = raw;
                _candidateSinceUs = nowUs;
                return _stable;
            }
            if (raw != _candidate)
            {
                _candidate = raw;
                _candidateSinceUs = nowUs;
            }
            if (_candidate != _stable && nowUs - _candidateSinceUs >= _debounceUs) _stable = _candidate;
            return _stable;
        }

        /// <summary>
        /// Forces the debounced state (the fast path saw a de-assertion edge that must not be filtered away).
        /// </summary>
        public void Force(bool state, long nowUs)
        {
            _hasState = true;
            _stable = state;
            _candidate = state;
            _candidateSinceUs = nowUs;
        }
    }
}
