// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.System.Device.Dac 1.5.26.
using System.Reflection;

[assembly: AssemblyVersion("1.5.26.0")]

namespace System.Device.Dac
{
    public sealed class DacController
    {
        internal DacController() { }
        public static DacController GetDefault() { throw null; }
        public static string GetDeviceSelector() { throw null; }
        public DacChannel OpenChannel(int channelNumber) { throw null; }
        public int ChannelCount { get { throw null; } }
        public int ResolutionInBits { get { throw null; } }
    }

    public sealed class DacChannel : IDisposable
    {
        internal DacChannel() { }
        public void WriteValue(ushort value) { throw null; }
        public DacController Controller { get { throw null; } }
        public void Dispose() { throw null; }
    }
}
