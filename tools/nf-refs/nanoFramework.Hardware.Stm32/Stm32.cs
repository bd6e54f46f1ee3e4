// Compile-only surface (bodies throw null; only members the board adapters call). Signatures from
// shared/reference/nanoframework-api.md / nanoframework-api-2.md; names, namespaces and overload sets exact.
// nanoFramework.Hardware.Stm32 1.10.37. BackupMemory = battery-backed SRAM; no double variant; no Watchdog.
using System.Reflection;

[assembly: AssemblyVersion("1.10.37.0")]

namespace nanoFramework.Hardware.Stm32
{
    public static class BackupMemory
    {
        public static int Size { get { throw null; } }
        public static void WriteByte(uint position, byte value) { throw null; }
        public static void WriteBytes(uint position, byte[] value) { throw null; }
        public static byte ReadByte(uint position) { throw null; }
        public static void ReadBytes(uint position, byte[] value) { throw null; }
    }
}
