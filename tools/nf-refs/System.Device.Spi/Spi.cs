// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.System.Device.Spi 1.3.89 (1.x: SpanByte from mscorlib, not Span<T>).
using System.Device.Gpio;
using System.Reflection;

[assembly: AssemblyVersion("1.3.89.0")]

namespace System.Device.Spi
{
    public enum SpiMode
    {
        Mode0,
        Mode1,
        Mode2,
        Mode3,
    }

    public enum DataFlow
    {
        MsbFirst,
        LsbFirst,
    }

    public enum SpiBusConfiguration
    {
        FullDuplex,
        HalfDuplex,
        Simplex,
    }

    public sealed class SpiConnectionSettings
    {
        public SpiConnectionSettings(int busId, int chipSelectLine = -1) { throw null; }
        public int BusId { get { throw null; } set { throw null; } }
        public int ChipSelectLine { get { throw null; } set { throw null; } }
        public SpiMode Mode { get { throw null; } set { throw null; } }
        public int DataBitLength { get { throw null; } set { throw null; } }
        public int ClockFrequency { get { throw null; } set { throw null; } }
        public DataFlow DataFlow { get { throw null; } set { throw null; } }
        public PinValue ChipSelectLineActiveState { get { throw null; } set { throw null; } }
        public SpiBusConfiguration Configuration { get { throw null; } set { throw null; } }
    }

    public class SpiDevice : IDisposable
    {
        public SpiDevice(SpiConnectionSettings settings) { throw null; }
        public static SpiDevice Create(SpiConnectionSettings settings) { throw null; }
        public SpiConnectionSettings ConnectionSettings { get { throw null; } }
        public byte ReadByte() { throw null; }
        public void Read(SpanByte buffer) { throw null; }
        public void Read(ushort[] buffer) { throw null; }
        public void WriteByte(byte value) { throw null; }
        public void Write(SpanByte buffer) { throw null; }
        public void Write(ushort[] buffer) { throw null; }
        public void TransferFullDuplex(SpanByte writeBuffer, SpanByte readBuffer) { throw null; }
        public void TransferFullDuplex(ushort[] writeBuffer, ushort[] readBuffer) { throw null; }
        public void Dispose() { throw null; }
        protected void Dispose(bool disposing) { throw null; }
    }
}
