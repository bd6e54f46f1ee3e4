using System;
using nanoFramework.Hardware.Stm32;
using Tfb.Boards.Io;
using Tfb.Hal;

namespace Tfb.Boards.Nano.Stm32
{
    /// <summary>
    /// INvStore over a range of STM32 battery-backed SRAM (nanoFramework BackupMemory): fast, byte addressed,
    /// kept while VBAT is present (coin cell or supercap on VBAT), lost without it.
    /// </summary>
    /// <remarks>
    /// Power-loss: bytes are written one by one; a cut leaves a prefix of the new bytes and the old bytes
    /// after it, exactly INvStore's model. Use for small, frequently written records (boot counter, last trip),
    /// not for settings that must survive a flat battery. Threading: one owner; a lock guards against misuse.
    /// </remarks>
    public sealed class BackupMemoryNvStore : INvStore
    {
        private readonly object _lock = new object();
        private readonly uint _base;
        private readonly int _size;

        /// <summary>Binds the partition of <paramref name="def"/>; checks it fits the target's backup memory.</summary>
        /// <exception cref="InvalidOperationException">The range exceeds BackupMemory.Size.</exception>
        public BackupMemoryNvStore(NvPartitionDef def)
        {
            int available = BackupMemory.Size;
            if (def.Offset + def.SizeBytes > available)
                throw new InvalidOperationException("nv " + def.Name + ": offset+size " + (def.Offset + def.SizeBytes).ToString() + " exceeds backup memory of " + available.ToString() + " bytes");
            _base = (uint)def.Offset;
            _size = def.SizeBytes;
        }

        /// <summary>Adapter factory matching <see cref="NvStoreFactory"/>.</summary>
        public static INvStore Create(NvPartitionDef def)
        {
            return new BackupMemoryNvStore(def);
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
                    for (int i = 0; i < count; i++) buffer[offset + i] = BackupMemory.ReadByte(_base + (uint)(address + i));
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
                    for (int i = 0; i < count; i++) BackupMemory.WriteByte(_base + (uint)(address + i), buffer[offset + i]);
                    return true;
                }
                catch (Exception)
                {
                    return false;
                }
            }
        }
    }
}
