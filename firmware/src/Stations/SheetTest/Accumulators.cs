namespace Tfb.Stations.SheetTest
{
    /// <summary>
    /// Mean of both channels over a whole number of mains cycles (a boxcar over whole cycles has a null at the
    /// mains frequency and every harmonic: the decimation that OCV and leakage need). Integer sums of raw codes.
    /// </summary>
    public sealed class DcAverager
    {
        private long _sum0;
        private long _sum1;
        private int _frames;
        private int _target;

        /// <summary>Starts over for <paramref name="frames"/> frames.</summary>
        public void Begin(int frames)
        {
            _sum0 = 0;
            _sum1 = 0;
            _frames = 0;
            _target = frames;
        }

        /// <summary>Frames still wanted.</summary>
        public int Remaining { get { return _target - _frames; } }

        /// <summary>Adds up to <see cref="Remaining"/> frames of 2-channel data; returns the frames taken.</summary>
        public int Add(int[] samples, int offset, int frames)
        {
            int take = frames < _target - _frames ? frames : _target - _frames;
            int end = offset + 2 * take;
            long s0 = _sum0, s1 = _sum1;
            for (int i = offset; i < end; i += 2)
            {
                s0 += samples[i];
                s1 += samples[i + 1];
            }

            _sum0 = s0;
            _sum1 = s1;
            _frames += take;
            return take;
        }

        /// <summary>Mean raw code of channel 0.</summary>
        public double Mean0 { get { return _frames == 0 ? double.NaN : (double)_sum0 / _frames; } }

        /// <summary>Mean raw code of channel 1.</summary>
        public double Mean1 { get { return _frames == 0 ? double.NaN : (double)_sum1 / _frames; } }
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
