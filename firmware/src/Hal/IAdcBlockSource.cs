namespace Tfb.Hal
{
    /// <summary>
    /// A hardware-paced ADC (data-ready driven) that delivers samples in blocks: managed code never paces
    /// individual samples (about 6-20 us per managed call on a microcontroller).
    /// </summary>
    /// <remarks>
    /// Samples are raw signed converter codes, interleaved by channel. Threading: one consumer thread.
    /// </remarks>
    public interface IAdcBlockSource
    {
        /// <summary>Converter sample rate per channel, in samples per second.</summary>
        int SampleRateHz { get; }

        /// <summary>Number of interleaved channels in each frame.</summary>
        int Channels { get; }

        /// <summary>Blocks lost because the consumer was late (monotonic counter).</summary>
        int OverrunCount { get; }

        /// <summary>Copies up to <paramref name="maxCount"/> samples of completed frames.</summary>
        /// <param name="samples">Destination buffer (preallocated by the caller).</param>
        /// <param name="offset">First index written.</param>
        /// <param name="maxCount">Capacity available; rounded down to whole frames.</param>
        /// <param name="firstSampleMicros">Monotonic time of the first sample copied (same base as <see cref="IClock.NowMicros"/>).</param>
        /// <returns>Samples copied (0 when none is ready), or -1 on a converter or bus error.</returns>
        int ReadBlock(int[] samples, int offset, int maxCount, out long firstSampleMicros);
    }
}
