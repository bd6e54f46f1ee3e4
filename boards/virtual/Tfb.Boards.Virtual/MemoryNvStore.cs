using Tfb.Hal;

namespace Tfb.Boards.Virtual;

/// <summary>
/// Non-volatile store in RAM with the power-loss behaviour of the <see cref="INvStore"/> contract made
/// controllable: <see cref="CutPowerAfterBytes"/> makes a write stop after that many more bytes, as a power
/// loss in the middle of a flash write would, and every later write fail until <see cref="RestorePower"/>.
/// </summary>
public sealed class MemoryNvStore : INvStore
{
    private readonly byte[] _bytes;
    private long _bytesUntilCut = -1;

    /// <summary>Creates an erased store (all 0xFF, as erased flash reads).</summary>
    public MemoryNvStore(int size)
    {
        _bytes = new byte[size];
        Array.Fill(_bytes, (byte)0xFF);
    }

    /// <inheritdoc />
    public int Size => _bytes.Length;

    /// <summary>Total bytes written through <see cref="Write"/> since creation.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>True once a cut has happened and until <see cref="RestorePower"/>.</summary>
    public bool PowerLost { get; private set; }

    /// <summary>Arms a power cut after <paramref name="bytes"/> more written bytes (0 = the next byte is lost).</summary>
    public void CutPowerAfterBytes(long bytes) => _bytesUntilCut = bytes;

    /// <summary>Ends the simulated outage: the contents are what the cut left.</summary>
    public void RestorePower()
    {
        PowerLost = false;
        _bytesUntilCut = -1;
    }

    /// <summary>A copy of the raw contents (for tests that corrupt or inspect the image).</summary>
    public byte[] Snapshot() => (byte[])_bytes.Clone();

    /// <summary>Overwrites raw contents without the power-loss model (tests that plant corrupt images).</summary>
    public void Poke(int address, ReadOnlySpan<byte> data) => data.CopyTo(_bytes.AsSpan(address));

    /// <inheritdoc />
    public bool Read(int address, byte[] buffer, int offset, int count)
    {
        if (PowerLost || !InRange(address, count) || offset < 0 || offset + count > buffer.Length) return false;
        Buffer.BlockCopy(_bytes, address, buffer, offset, count);
        return true;
    }

    /// <inheritdoc />
    public bool Write(int address, byte[] buffer, int offset, int count)
    {
        if (PowerLost || !InRange(address, count) || offset < 0 || offset + count > buffer.Length) return false;
        for (int i = 0; i < count; i++)
        {
            if (_bytesUntilCut == 0)
            {
                PowerLost = true;
                return false;
            }
            if (_bytesUntilCut > 0) _bytesUntilCut--;
            _bytes[address + i] = buffer[offset + i];
            BytesWritten++;
        }
        return true;
    }

    private bool InRange(int address, int count) => address >= 0 && count >= 0 && address + count <= _bytes.Length;
}
