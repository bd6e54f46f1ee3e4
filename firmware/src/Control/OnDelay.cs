namespace Tfb.Control
{
    /// <summary>
    /// IEC 61131 TON: the output turns on once the input has been on continuously for the preset time and
    /// turns off at once with the input. Used for debounce and "condition sustained for N s" trips.
    /// </summary>
    public sealed class OnDelay
    {
        private long _onSinceUs;
        private bool _wasOn;

        /// <summary>Preset in microseconds.</summary>
        public long PresetUs;

        /// <summary>Output.</summary>
        public bool Q { get; private set; }

        /// <summary>Evaluates at monotonic time <paramref name="nowUs"/>.</summary>
        public bool Step(bool input, long nowUs)
        {
            if (!input)
            {
                _wasOn = false;
                Q = false;
                return false;
            }
            if (!_wasOn)
            {
                _wasOn = true;
                _onSinceUs = nowUs;
            }
            Q = nowUs - _onSinceUs >= PresetUs;
            return Q;
        }

        /// <summary>Time the input has been on, in microseconds (0 when off).</summary>
        public long ElapsedUs(long nowUs)
        {
            return _wasOn ? nowUs - _onSinceUs : 0;
        }
    }
}
