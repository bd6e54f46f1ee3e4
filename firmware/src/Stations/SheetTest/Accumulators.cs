namespace Tfb.Stations.SheetTest
{
    /// <summary>
    /// Weighted mean of both channels over a window of an even number of mains cycles, with triangular weights:
    /// the convolution of two boxcars of half the window each. A boxcar over whole cycles has a null at the mains
    /// frequency and every harmonic, but only a single one: off-nominal mains (49.5-50.5 Hz) leaks in linearly
    /// (about -40 dB at 1 % off). Two boxcars in cascade square the response, so the nulls are double and
    /// off-nominal leakage falls quadratically (about -80 dB at 1 % off) for the same window, at the price of
    /// about 15 % more white noise than a plain mean over it. Integer sums of raw codes (24-bit codes times
    /// weights up to half the window stay far inside a long).
    /// </summary>
    /// <remarks>
    /// <see cref="BeginMains"/> with an even number of cycles: weights for a window of L frames, h = L / 2:
    /// w(i) = min(i + 1, 2h - 1 - i), i.e. 1, 2, ..., h, ..., 2, 1 over the first 2h - 1 frames (the last frame
    /// weighs 0; the sum of the weights is h squared). An odd number of cycles keeps the plain mean over whole
    /// cycles (half-cycle boxcars would lose the null at the mains fundamental); so does <see cref="Begin"/>,
    /// for windows that are not tied to the mains (the contact check).
    /// </remarks>
    public sealed class DcAverager
    {
        private long _sum0;
        private long _sum1;
        private long _weights;
        private int _frames;
        private int _target;
        private int _half;

        /// <summary>Starts a plain mean over <paramref name="frames"/> frames.</summary>
        public void Begin(int frames)
        {
            Start(frames, 0);
        }

        /// <summary>
        /// Starts a mean over <paramref name="cycles"/> mains cycles of <paramref name="framesPerCycle"/> frames:
        /// triangular (double nulls) when the number of cycles is even, plain otherwise.
        /// </summary>
        public void BeginMains(int cycles, int framesPerCycle)
        {
            int frames = cycles * framesPerCycle;
            Start(frames, cycles >= 2 && cycles % 2 == 0 ? frames / 2 : 0);
        }

        private void Start(int frames, int half)
        {
            _sum0 = 0;
            _sum1 = 0;
            _weights = 0;
            _frames = 0;
            _target = frames;
            _half = half;
        }

        /// <summary>Frames still wanted.</summary>
        public int Remaining { get { return _target - _frames; } }

        /// <summary>Adds up to <see cref="Remaining"/> frames of 2-channel data; returns the frames taken.</summary>
        public int Add(int[] samples, int offset, int frames)
        {
            int take = frames < _target - _frames ? frames : _target - _frames;
            int end = offset + 2 * take;
            long s0 = _sum0, s1 = _sum1, sw = _weights;
            int i = _frames;
            int h = _half;
            int last = 2 * h - 1;
            for (int k = offset; k < end; k += 2, i++)
            {
                long w;
                if (h == 0) w = 1;
                else
                {
                    int up = i + 1;
                    int down = last - i;
                    w = up < down ? up : down;
                    if (w <= 0) continue;
                }

                s0 += w * samples[k];
                s1 += w * samples[k + 1];
                sw += w;
            }

            _sum0 = s0;
            _sum1 = s1;
            _weights = sw;
            _frames += take;
            return take;
        }

        /// <summary>Weighted mean raw code of channel 0 (NaN before any weighted frame).</summary>
        public double Mean0 { get { return _weights == 0 ? double.NaN : (double)_sum0 / _weights; } }

        /// <summary>Weighted mean raw code of channel 1 (NaN before any weighted frame).</summary>
        public double Mean1 { get { return _weights == 0 ? double.NaN : (double)_sum1 / _weights; } }
    }

    /// <summary>
    /// Single-frequency DFT of both channels over a whole number of periods, coherent with the sample clock
    /// (samples per period an integer): the bin is exact, DC and the mains (also whole cycles in the window when
    /// the window is a multiple of the mains period) fall in other bins. Cosine and sine tables of one period are
    /// built once per frequency by <see cref="Prepare"/> (no allocation: the table arrays are preallocated).
    /// </summary>
    public sealed class ToneDft
    {
        /// <summary>Largest samples-per-period supported.</summary>
        public const int MaxSamplesPerPeriod = 256;

        private readonly double[] _cos = new double[MaxSamplesPerPeriod];
        private readonly double[] _sin = new double[MaxSamplesPerPeriod];
        private int _spp;
        private int _phase;
        private double _re0, _im0, _re1, _im1;
        private int _frames;
        private int _target;

        /// <summary>Builds the tables for <paramref name="samplesPerPeriod"/> (3..256) and starts over for <paramref name="frames"/> frames.</summary>
        public void Prepare(int samplesPerPeriod, int frames)
        {
            if (samplesPerPeriod != _spp)
            {
                for (int k = 0; k < samplesPerPeriod; k++)
                {
                    double a = 2 * System.Math.PI * k / samplesPerPeriod;
                    _cos[k] = System.Math.Cos(a);
                    _sin[k] = System.Math.Sin(a);
                }

                _spp = samplesPerPeriod;
            }

            _phase = 0;
            _re0 = _im0 = _re1 = _im1 = 0;
            _frames = 0;
            _target = frames;
        }

        /// <summary>Frames still wanted.</summary>
        public int Remaining { get { return _target - _frames; } }

        /// <summary>Adds up to <see cref="Remaining"/> frames; returns the frames taken.</summary>
        public int Add(int[] samples, int offset, int frames)
        {
            int take = frames < _target - _frames ? frames : _target - _frames;
            int end = offset + 2 * take;
            int p = _phase;
            int spp = _spp;
            double re0 = _re0, im0 = _im0, re1 = _re1, im1 = _im1;
            double[] c = _cos, s = _sin;
            for (int i = offset; i < end; i += 2)
            {
                double x0 = samples[i];
                double x1 = samples[i + 1];
                re0 += x0 * c[p];
                im0 -= x0 * s[p];
                re1 += x1 * c[p];
                im1 -= x1 * s[p];
                if (++p == spp) p = 0;
            }

            _re0 = re0;
            _im0 = im0;
            _re1 = re1;
            _im1 = im1;
            _phase = p;
            _frames += take;
            return take;
        }

        /// <summary>Channel 0 bin, real part (raw code units times frames / 2 for a sine of amplitude 1 code).</summary>
        public double Re0 { get { return _re0; } }
        /// <summary>Channel 0 bin, imaginary part.</summary>
        public double Im0 { get { return _im0; } }
        /// <summary>Channel 1 bin, real part.</summary>
        public double Re1 { get { return _re1; } }
        /// <summary>Channel 1 bin, imaginary part.</summary>
        public double Im1 { get { return _im1; } }
    }
}
