using System;
using System.IO;
using Tfb.Boards.Io;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary>
    /// INvStore over one file of the target's internal flash file system (ESP32: LittleFS, drive I:), one
    /// file per partition, fixed size, byte addressed.
    /// </summary>
    /// <remarks>
    /// Power-loss: every Write seeks, writes and flushes before returning. LittleFS is copy-on-write and
    /// commits at flush, so a cut write leaves either the old or the new bytes, which satisfies INvStore's
    /// model (a prefix of the new bytes, old bytes after it). A file found shorter than the partition (power cut
    /// while it was being created) is extended with 0xFF, the erased value, which the checksummed layouts above
    /// treat as empty. A file longer than the partition means the definition changed: refused at construction.
    /// Threading: one owner (callers serialize); a lock guards against misuse.
    /// </remarks>
    public sealed class FileNvStore : INvStore, IDisposable
    {
        private readonly object _lock = new object();
        private readonly FileStream _file;
        private readonly int _size;

        /// <summary>Opens or creates the partition file of <paramref name="def"/>.</summary>
        /// <exception cref="InvalidOperationException">The file is larger than the partition.</exception>
        public FileNvStore(NvPartitionDef def)
        {
            _size = def.SizeBytes;
            string dir = Path.GetDirectoryName(def.Path);
            if (dir != null && dir.Length > 0 && !Directory.Exists(dir)) Directory.CreateDirectory(dir);
            _file = new FileStream(def.Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            long length = _file.Length;
            if (length > _size)
            {
                _file.Dispose();
                throw new InvalidOperationException("nv " + def.Name + ": " + def.Path + " holds " + length.ToString() + " bytes, the partition is " + _size.ToString());
            }
            if (length < _size) Extend(length);
        }

        /// <inheritdoc />
        public int Size { get { return _size; } }

        /// <inheritdoc />
        public bool Read(int address, byte[] buffer, int offset, int count)
        {
            if (!NvRange.IsValid(address, buffer, offset, count, _size)) return false;
            lock (_lock)
            {
                try
                {
                    _file.Seek(address, SeekOrigin.Begin);
                    int done = 0;
                    while (done < count)
                    {
                        int n = _file.Read(buffer, offset + done, count - done);
                        if (n <= 0) return false;
                        done += n;
                    }
                    return true;
                }
                catch (Exception)
                {
                    return false;
                }
            }
        }

        /// <inheritdoc />
        public bool Write(int address, byte[] buffer, int offset, int count)
        {
            if (!NvRange.IsValid(address, buffer, offset, count, _size)) return false;
            lock (_lock)
            {
                try
                {
                    _file.Seek(address, SeekOrigin.Begin);
                    _file.Write(buffer, offset, count);
                    _file.Flush();
                    return true;
                }
                catch (Exception)
                {
                    return false;
                }
            }
        }

        private void Extend(long from)
        {
            byte[] erased = new byte[64];
            for (int i = 0; i < erased.Length; i++) erased[i] = 0xFF;
            _file.Seek(from, SeekOrigin.Begin);
            long remaining = _size - from;
            while (remaining > 0)
            {
                int n = remaining < erased.Length ? (int)remaining : erased.Length;
                _file.Write(erased, 0, n);
                remaining -= n;
            }
            _file.Flush();
        }

        /// <summary>Closes the file.</summary>
        public void Dispose()
        {
            lock (_lock) _file.Dispose();
        }
    }
}
