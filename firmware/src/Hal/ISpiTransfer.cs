namespace Tfb.Hal
{
    /// <summary>One device on an SPI bus (chip select handled by the adapter).</summary>
    /// <remarks>
    /// Buffers are the caller's, preallocated: an adapter must not allocate per transfer. Threading: one
    /// owner thread per device (the scan, or the sampling core's reader).
    /// </remarks>
    public interface ISpiTransfer
    {
        /// <summary>Full-duplex transfer of <paramref name="count"/> bytes from offset 0 of both buffers.</summary>
        /// <returns>False on a bus error; the contents of <paramref name="read"/> are then undefined.</returns>
        bool Transfer(byte[] write, byte[] read, int count);
    }
}
