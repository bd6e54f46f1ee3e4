namespace Tfb.Hal
{
    /// <summary>An analog or PWM output expressed as a fraction of full scale.</summary>
    /// <remarks>
    /// 0.0 = off / minimum, 1.0 = full scale; the adapter maps it to a DAC code or PWM duty cycle and applies
    /// polarity. Values outside [0, 1] or NaN are clamped to the safe value (0) by the adapter: a NaN command
    /// never energizes anything. Threading: scan thread only.
    /// </remarks>
    public interface IAnalogOutput
    {
        /// <summary>Sets the output, 0.0..1.0 of full scale.</summary>
        void Write(double fraction);

        /// <summary>Drives the declared safe value (normally 0).</summary>
        void SetSafe();
    }
}
