using Tfb.Hal;

namespace Tfb.Sparkplug
{
    /// <summary>
    /// Persists the Sparkplug birth/death sequence (bdSeq, 0-255) so a fast reboot never reuses the value
    /// the broker still holds in the previous session's Will.
    /// </summary>
    /// <remarks>
    /// Layout: two 12-byte slots at the start of the partition, written alternately, each
    /// [0xB5][version 1][generation u32 LE][bdSeq][0][CRC-32 of bytes 0-7, LE]. The slot with the higher
    /// valid generation wins; a write cut by power loss spoils only the slot being written. The value is
    /// committed before CONNECT, so the stored value is always the one in the newest Will.
    /// </remarks>
    public sealed class BdSeqStore
    {
        /// <summary>Bytes of one record.</summary>
        public const int RecordBytes = 12;

        /// <summary>Bytes the store needs in its partition (two records).</summary>
        public const int PartitionBytes = 2 * RecordBytes;

        private const byte Magic = 0xB5;
        private const byte Version = 1;

        private readonly INvStore _store;
        private readonly byte[] _record = new byte[RecordBytes];
        private bool _loaded;
        private uint _generation;
        private int _last;
        private bool _lastKnown;

        /// <summary>Creates the store over <paramref name="store"/> (a partition of at least <see cref="PartitionBytes"/>).</summary>
        public BdSeqStore(INvStore store)
        {
            _store = store;
        }

        /// <summary>
        /// True: bdSeq runs 1..127 and wraps 127 -> 1 instead of 0..255 (see <see cref="EdgeNodeConfig.SevenBitWill"/>);
        /// a stored value outside that range is followed by 1.
        /// </summary>
        public bool SevenBitRange { get; set; }

        /// <summary>The bdSeq of the newest Will, or -1 when none is stored.</summary>
        public int Last
        {
            get
            {
                Load();
                return _lastKnown ? _last : -1;
            }
        }

        /// <summary>
        /// Takes the bdSeq for the next CONNECT (stored + 1, wrapping 255 -> 0; 0 when none is stored) and commits it.
        /// </summary>
        /// <param name="persisted">False when the write failed (the value is still used; a reboot may then reuse it).</param>
        /// <returns>The bdSeq to put in the Will and the following NBIRTH.</returns>
        public int TakeNext(out bool persisted)
        {
            Load();
            int next;
            if (SevenBitRange)
            {
                next = _lastKnown ? _last + 1 : 1;
                if (next < 1 || next > 127)
                {
                    next = 1;
                }
            }
            else
            {
                next = _lastKnown ? (_last + 1) & 0xFF : 0;
            }

            _generation++;
            _record[0] = Magic;
            _record[1] = Version;
            _record[2] = (byte)_generation;
            _record[3] = (byte)(_generation >> 8);
            _record[4] = (byte)(_generation >> 16);
            _record[5] = (byte)(_generation >> 24);
            _record[6] = (byte)next;
            _record[7] = 0;
            uint crc = Crc32.Compute(_record, 0, 8);
            _record[8] = (byte)crc;
            _record[9] = (byte)(crc >> 8);
            _record[10] = (byte)(crc >> 16);
            _record[11] = (byte)(crc >> 24);
            int slot = (int)(_generation & 1);
            persisted = _store.Size >= PartitionBytes && _store.Write(slot * RecordBytes, _record, 0, RecordBytes);
            _last = next;
            _lastKnown = true;
            return next;
        }

        private void Load()
        {
            if (_loaded)
            {
                return;
            }

            _loaded = true;
            if (_store.Size < PartitionBytes)
            {
                return;
            }

            for (int slot = 0; slot < 2; slot++)
            {
                uint generation;
                int value;
                if (ReadSlot(slot, out generation, out value) && (!_lastKnown || generation > _generation))
                {
                    _generation = generation;
                    _last = value;
                    _lastKnown = true;
                }
            }
        }

        private bool ReadSlot(int slot, out uint generation, out int value)
        {
            generation = 0;
            value = 0;
            if (!_store.Read(slot * RecordBytes, _record, 0, RecordBytes) || _record[0] != Magic || _record[1] != Version)
            {
                return false;
            }

            uint crc = (uint)(_record[8] | (_record[9] << 8) | (_record[10] << 16) | (_record[11] << 24));
            if (crc != Crc32.Compute(_record, 0, 8))
            {
                return false;
            }

            generation = (uint)(_record[2] | (_record[3] << 8) | (_record[4] << 16) | (_record[5] << 24));
            value = _record[6];
            return true;
        }
    }

    /// <summary>CRC-32 (IEEE 802.3, reflected 0xEDB88320), bitwise: small records only, no table in RAM.</summary>
    public static class Crc32
    {
        /// <summary>CRC of <paramref name="buffer"/>[offset..offset+count) ("123456789" gives 0xCBF43926).</summary>
        public static uint Compute(byte[] buffer, int offset, int count)
        {
            uint crc = 0xFFFFFFFFu;
            for (int i = 0; i < count; i++)
            {
                crc ^= buffer[offset + i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
                }
            }

            return ~crc;
        }
    }
}
