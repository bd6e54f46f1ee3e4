using Tfb.Hal;

namespace Tfb.Boards.Virtual;

/// <summary>
/// A non-volatile partition backed by a file of fixed size: where the virtual line keeps a board's settings
/// between runs. Every write is flushed through to the disk before it returns, so the only partial state a
/// host crash can leave is the torn-write prefix that <see cref="INvStore"/> already allows for.
/// </summary>
public sealed class FileNvStore : INvStore, IDisposable
{
    private readonly FileStream _file;
    private readonly object _sync = new();

    /// <summary>Opens or creates the partition file; a new or shorter file is extended with 0xFF (erased flash).</summary>
    public FileNvStore(string path, int size)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.WriteThrough);
        Size = size;
        if (_file.Length < size)
        {
            _file.Seek(_file.Length, SeekOrigin.Begin);
            var erased = new byte[size - _file.Length];
            Array.Fill(erased, (byte)0xFF);
            _file.Write(erased);
            _file.Flush(true);
        }
    }

    /// <inheritdoc />
    public int Size { get; }

    /// <inheritdoc />
    public bool Read(int address, byte[] buffer, int offset, int count)
    {
        if (address < 0 || count < 0 || address + count > Size || offset < 0 || offset + count > buffer.Length) return false;
        lock (_sync)
        {
            try
            {
                _file.Seek(address, SeekOrigin.Begin);
                _file.ReadExactly(buffer, offset, count);
                return true;
            }
            catch (IOException) { return false; }
        }
    }

    /// <inheritdoc />
    public bool Write(int address, byte[] buffer, int offset, int count)
    {
        if (address < 0 || count < 0 || address + count > Size || offset < 0 || offset + count > buffer.Length) return false;
        lock (_sync)
        {
            try
            {
                _file.Seek(address, SeekOrigin.Begin);
                _file.Write(buffer, offset, count);
                _file.Flush(true);
                return true;
            }
            catch (IOException) { return false; }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
