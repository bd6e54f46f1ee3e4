namespace Tfb.Hal
{
    /// <summary>A byte stream to a technician's terminal (UART on a board, a TCP socket or the terminal on the host).</summary>
    /// <remarks>Threading: one reader thread and one writer thread (the console's); not called from the scan.</remarks>
    public interface ISerialLink
    {
        /// <summary>Reads available bytes, waiting at most <paramref name="timeoutMs"/> for the first.</summary>
        /// <returns>Bytes read; 0 on timeout; -1 when the link is closed for good.</returns>
        int Read(byte[] buffer, int offset, int count, int timeoutMs);

        /// <summary>Writes bytes; a closed link drops them silently (a terminal may come and go).</summary>
        void Write(byte[] buffer, int offset, int count);
    }
}
