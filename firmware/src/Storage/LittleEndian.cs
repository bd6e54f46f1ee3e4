namespace Tfb.Storage
{
    /// <summary>Little-endian integer access to byte buffers without allocation (BitConverter allocates).</summary>
    public static class LittleEndian
    {
        /// <summary>Writes a 16-bit value.</summary>
        public static void WriteUInt16(byte[] b, int at, int v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
        }

        /// <summary>Writes a 32-bit value.</summary>
        public static void WriteUInt32(byte[] b, int at, uint v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
            b[at + 2] = (byte)(v >> 16);
            b[at + 3] = (byte)(v >> 24);
        }

        /// <summary>Writes a 64-bit value.</summary>
        public static void WriteInt64(byte[] b, int at, long v)
        {
            WriteUInt32(b, at, (uint)v);
            WriteUInt32(b, at + 4, (uint)(v >> 32));
        }

        /// <summary>Reads a 16-bit value.</summary>
        public static int ReadUInt16(byte[] b, int at)
        {
            return b[at] | (b[at + 1] << 8);
        }

        /// <summary>Reads a 32-bit value.</summary>
        public static uint ReadUInt32(byte[] b, int at)
        {
            return (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));
        }

        /// <summary>Reads a 64-bit value.</summary>
        public static long ReadInt64(byte[] b, int at)
        {
            return (long)ReadUInt32(b, at) | ((long)ReadUInt32(b, at + 4) << 32);
        }
    }
}
