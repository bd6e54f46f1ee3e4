namespace Tfb.Hal
{
    /// <summary>
    /// One partition of non-volatile storage (flash file, backup RAM, host file), byte addressed.
    /// </summary>
    /// <remarks>
    /// Power-loss model all callers design for: a <see cref="Write"/> may be cut at any byte, leaving a prefix
    /// of the new bytes and the old bytes after it. Bytes already written and flushed survive. Layouts above
    /// this interface (settings slots, store-and-forward queue) therefore carry a version, a sequence number
    /// and a CRC and never overwrite the only good copy. Threading: callers serialize access (one owner).
    /// </remarks>
    public interface INvStore
    {
        /// <summary>Partition size in bytes.</summary>
        int Size { get; }

        /// <summary>Reads <paramref name="count"/> bytes at <paramref name="address"/>.</summary>
        /// <returns>False on a device error or an out-of-range request (nothing is read).</returns>
        bool Read(int address, byte[] buffer, int offset, int count);

        /// <summary>Writes <paramref name="count"/> bytes at <paramref name="address"/> and makes them durable.</summary>
        /// <returns>False on a device error or an out-of-range request; a prefix may have been written.</returns>
        bool Write(int address, byte[] buffer, int offset, int count);
    }
}
