namespace Tfb.Boards.Io
{
    /// <summary>Argument checks every INvStore adapter applies before touching storage.</summary>
    public static class NvRange
    {
        /// <summary>
        /// True when <paramref name="count"/> bytes at <paramref name="address"/> fit a partition of
        /// <paramref name="size"/> bytes and the buffer slice is valid (count 0 is valid).
        /// </summary>
        public static bool IsValid(int address, byte[] buffer, int offset, int count, int size)
        {
            if (buffer == null || address < 0 || offset < 0 || count < 0) return false;
            if (offset > buffer.Length - count) return false;
            if (address > size - count) return false;
            return true;
        }
    }
}
