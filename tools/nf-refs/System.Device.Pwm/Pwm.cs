// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.System.Device.Pwm 1.1.23. CreateFromPin returns null when no timer maps to the pin.
// DutyCycle is a fraction 0.0..1.0.
using System.Reflection;

[assembly: AssemblyVersion("1.1.23.0")]

namespace System.Device.Pwm
{
    public enum PwmPulsePolarity
    {
        ActiveHigh = 0,
        ActiveLow = 1,
    }

    public sealed class PwmChannel : IDisposable
    {
        public PwmChannel(int chip, int channel, int frequency = 400, double dutyCyclePercentage = 0.5) { throw null; }
        public static PwmChannel CreateFromPin(int pin, int frequency = 400, double dutyCyclePercentage = 0.5) { throw null; }
        public static PwmChannel Create(int chip, int channel, int frequency = 400, double dutyCyclePercentage = 0.5) { throw null; }
        public int Frequency { get { throw null; } set { throw null; } }
        public double DutyCycle { get { throw null; } set { throw null; } }
        public void Start() { throw null; }
        public void Stop() { throw null; }
        public void Dispose() { throw null; }
    }
}
