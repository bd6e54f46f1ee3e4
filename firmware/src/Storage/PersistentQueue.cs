using Tfb.Codes;
using Tfb.Hal;
using Tfb.Logging;

namespace Tfb.Storage
{
    /// <summary>
    /// A bounded FIFO of byte records in an <see cref="INvStore"/> partition that survives power loss at any
    /// byte: the store-and-forward queue for data that must never be lost (sheet-test results, alarms,
    /// events, program completions). An entry is removed only when its delivery was confirmed.
    /// </summary>
    /// <remarks>
    /// Layout: two head-pointer slots (32 bytes each) at the start, then a ring of records.
    /// Head slot: <c>"TFQH" | slot sequence u32 | head offset u32 | head record sequence u32 | CRC-32</c>.
    /// Record: <c>"Q" 0x51 | 0xA5 | payload length u16 | record sequence u32 | payload | CRC-32 of all before</c>.
    /// Appending writes one record after the tail and never touches older data, so a torn append is an invalid
    /// record that recovery stops at (the producer had not been told "stored", so nothing is lost). Removing
    /// advances the head by writing the head slot that does not hold the newest pointer; a torn write leaves
    /// the previous pointer valid and the entry is delivered again (a duplicate with the same record sequence,
    /// which consumers use to recognise it). Record sequences are consecutive, so a stale record left from an
    /// earlier lap of the ring is never mistaken for the tail's successor. A record that fails its CRC in the
    /// middle of the queue (bit rot, not a torn write) is skipped by searching for the next valid record; the
    /// count is in <see cref="CorruptSkipped"/> and AlarmCode.StoreForwardCorrupt is raised.
    /// Threading: one owner thread (the MQTT / persistence thread); not for the scan.
    /// </remarks>
    public sealed class PersistentQueue
    {
        private const int HeadSlotSize = 32;
        private const int DataStart = 2 * HeadSlotSize;
        private const int RecordHeader = 8;
        private const int RecordOverhead = RecordHeader + 4;
        private const uint HeadMagic = 0x48514654; // "TFQH"
        private const byte RecordMagic0 = 0x51;
        private const byte RecordMagic1 = 0xA5;

        private readonly INvStore _store;
        private readonly AlarmLog _alarms;
        private readonly int _dataSize;
        private readonly int _maxPayload;
        private readonly byte[] _record;
        private readonly byte[] _head = new byte[HeadSlotSize];

        private int _headOffset;      // data-relative offset of the oldest record
        private uint _headSeq;        // record sequence of the oldest record
        private int _tailOffset;      // data-relative offset where the next record goes
        private uint _nextSeq;        // record sequence the next record gets
        private int _count;
        private int _usedBytes;
        private int _headSlot = -1;
        private uint _headSlotSeq;

        /// <summary>Creates the queue over a partition; call <see cref="Open"/> before use.</summary>
        /// <param name="store">The partition (its whole size is used).</param>
        /// <param name="maxPayloadBytes">Largest record payload accepted.</param>
        /// <param name="alarms">Where corruption is reported.</param>
        public PersistentQueue(INvStore store, int maxPayloadBytes, AlarmLog alarms)
        {
            _store = store;
            _alarms = alarms;
            _maxPayload = maxPayloadBytes;
            _dataSize = store.Size - DataStart;
            if (_dataSize < 4 * (maxPayloadBytes + RecordOverhead)) throw new System.ArgumentException("partition too small for the record size");
            _record = new byte[maxPayloadBytes + RecordOverhead];
            NearFullPercent = 80;
        }

        /// <summary>Records queued.</summary>
        public int Count { get { return _count; } }

        /// <summary>Bytes of the ring in use.</summary>
        public int UsedBytes { get { return _usedBytes; } }

        /// <summary>Bytes of the ring.</summary>
        public int CapacityBytes { get { return _dataSize; } }

        /// <summary>Fill level at which <see cref="NearFull"/> turns true (percent of the ring).</summary>
        public int NearFullPercent { get; set; }

        /// <summary>True when producers must pause (the sheet test waits) rather than risk a full queue.</summary>
        public bool NearFull { get { return (long)_usedBytes * 100 >= (long)_dataSize * NearFullPercent; } }

        /// <summary>Records skipped at <see cref="Open"/> because they failed their check in mid-queue.</summary>
        public int CorruptSkipped { get; private set; }

        /// <summary>Record sequence of the oldest entry (valid when Count &gt; 0).</summary>
        public uint OldestSequence { get { return _headSeq; } }

        /// <summary>Recovers the queue from the partition (after boot or a power loss).</summary>
        public void Open()
        {
            _headSlot = -1;
            for (int slot = 0; slot < 2; slot++)
            {
                if (!_store.Read(slot * HeadSlotSize, _head, 0, HeadSlotSize)) continue;
                if (LittleEndian.ReadUInt32(_head, 0) != HeadMagic) continue;
                if (Crc32.Compute(_head, 0, 16) != LittleEndian.ReadUInt32(_head, 16)) continue;
                uint s = LittleEndian.ReadUInt32(_head, 4);
                if (_headSlot >= 0 && (int)(s - _headSlotSeq) <= 0) continue;
                int offset = (int)LittleEndian.ReadUInt32(_head, 8);
                if (offset < 0 || offset >= _dataSize) continue;
                _headSlot = slot;
                _headSlotSeq = s;
                _headOffset = offset;
                _headSeq = LittleEndian.ReadUInt32(_head, 12);
            }
            if (_headSlot < 0)
            {
                _headOffset = 0;
                _headSeq = 1;
                _headSlotSeq = 0;
            }

            _count = 0;
            _usedBytes = 0;
            CorruptSkipped = 0;
            int position = _headOffset;
            uint expected = _headSeq;
            bool first = true;
            while (true)
            {
                int length;
                int at = FindRecord(position, expected, out length);
                if (at < 0)
                {
                    // No record with the expected sequence: either the end of the queue, or a damaged record
                    // with later records behind it. Look ahead for a later sequence before concluding.
                    uint foundSeq;
                    int resync = Resync(position, expected, out foundSeq, out length);
                    if (resync < 0) break;
                    CorruptSkipped += (int)(foundSeq - expected);
                    _usedBytes += Distance(position, resync);
                    if (first) { _headOffset = resync; _headSeq = foundSeq; _usedBytes = 0; }
                    at = resync;
                    expected = foundSeq;
                }
                else if (at != position)
                {
                    _usedBytes += _dataSize - position; // the gap left at the end of the ring before wrapping
                }
                if (first) _headOffset = at; // the head record may have wrapped to offset 0
                first = false;
                int size = RecordOverhead + length;
                _usedBytes += size;
                _count++;
                expected++;
                position = at + size;
                if (position >= _dataSize) position = 0;
            }
            _tailOffset = position;
            _nextSeq = expected;
            if (_count == 0)
            {
                _headOffset = _tailOffset;
                _headSeq = _nextSeq;
                _usedBytes = 0;
            }
            if (CorruptSkipped > 0) _alarms.Raise((int)AlarmCode.StoreForwardCorrupt, CorruptSkipped);
        }

        /// <summary>Appends a record; when this returns true the record is durable.</summary>
        /// <returns>False with <see cref="ErrorCode.Busy"/> when there is no room (nothing is dropped: retry after
        /// deliveries), <see cref="ErrorCode.BadArgument"/> for an empty or oversize record, or
        /// <see cref="ErrorCode.StorageFailed"/> when the write failed.</returns>
        public bool TryAppend(byte[] payload, int offset, int count, out uint sequence, out ErrorCode error)
        {
            sequence = 0;
            if (count <= 0 || count > _maxPayload) { error = ErrorCode.BadArgument; return false; }
            int size = RecordOverhead + count;
            int at = _tailOffset;
            int cost = size;
            if (at + size > _dataSize)
            {
                cost += _dataSize - at;
                at = 0;
            }
            // Keep one record's worth of slack so the tail never runs into the head.
            if (_usedBytes + cost + RecordOverhead > _dataSize) { error = ErrorCode.Busy; return false; }

            _record[0] = RecordMagic0;
            _record[1] = RecordMagic1;
            LittleEndian.WriteUInt16(_record, 2, count);
            LittleEndian.WriteUInt32(_record, 4, _nextSeq);
            System.Array.Copy(payload, offset, _record, RecordHeader, count);
            LittleEndian.WriteUInt32(_record, RecordHeader + count, Crc32.Compute(_record, 0, RecordHeader + count));
            if (!_store.Write(DataStart + at, _record, 0, size)) { error = ErrorCode.StorageFailed; return false; }

            if (_count == 0) { _headOffset = at; _headSeq = _nextSeq; }
            sequence = _nextSeq;
            _nextSeq++;
            _count++;
            _usedBytes += cost;
            _tailOffset = at + size >= _dataSize ? 0 : at + size;
            error = ErrorCode.BadArgument;
            return true;
        }

        /// <summary>Reads the oldest record into <paramref name="buffer"/>.</summary>
        /// <returns>False when the queue is empty or the record cannot be read now.</returns>
        public bool TryPeekOldest(byte[] buffer, out int length, out uint sequence)
        {
            length = 0;
            sequence = 0;
            int at;
            int len;
            if (!LocateHead(out at, out len) || len > buffer.Length) return false;
            System.Array.Copy(_record, RecordHeader, buffer, 0, len);
            length = len;
            sequence = _headSeq;
            return true;
        }

        /// <summary>
        /// Removes the oldest record after its delivery was confirmed. <paramref name="sequence"/> must be the
        /// oldest record's sequence (a late or repeated confirmation removes nothing).
        /// </summary>
        /// <returns>False when it is not the oldest or the head pointer could not be written.</returns>
        public bool RemoveOldest(uint sequence)
        {
            int at;
            int len;
            if (!LocateHead(out at, out len) || sequence != _headSeq) return false;
            int size = RecordOverhead + len;
            int next = at + size >= _dataSize ? 0 : at + size;
            int freed = Distance(_headOffset, at) + size;

            int slot = _headSlot == 0 ? 1 : 0;
            uint slotSeq = _headSlotSeq + 1;
            LittleEndian.WriteUInt32(_head, 0, HeadMagic);
            LittleEndian.WriteUInt32(_head, 4, slotSeq);
            LittleEndian.WriteUInt32(_head, 8, (uint)next);
            LittleEndian.WriteUInt32(_head, 12, _headSeq + 1);
            LittleEndian.WriteUInt32(_head, 16, Crc32.Compute(_head, 0, 16));
            if (!_store.Write(slot * HeadSlotSize, _head, 0, 20)) return false;

            _headSlot = slot;
            _headSlotSeq = slotSeq;
            _headOffset = next;
            _headSeq++;
            _count--;
            _usedBytes -= freed;
            if (_count == 0) _usedBytes = 0;
            return true;
        }

        // Finds the oldest record, stepping over a record that went bad since Open (the head offset stays
        // where it was so the freed-space accounting covers the skipped bytes). Leaves it in _record.
        private bool LocateHead(out int at, out int length)
        {
            at = -1;
            length = 0;
            if (_count == 0) return false;
            at = FindRecord(_headOffset, _headSeq, out length);
            if (at >= 0) return true;
            uint found;
            at = Resync(_headOffset, _headSeq, out found, out length);
            if (at < 0) return false;
            CorruptSkipped += (int)(found - _headSeq);
            _headSeq = found;
            _alarms.Raise((int)AlarmCode.StoreForwardCorrupt, CorruptSkipped);
            return ReadValid(at, out length);
        }

        // Reads the record with sequence `seq` at `position`, or at 0 when the ring wrapped there.
        // Leaves the record in _record. Returns its data offset or -1.
        private int FindRecord(int position, uint seq, out int length)
        {
            if (ReadValid(position, out length) && LittleEndian.ReadUInt32(_record, 4) == seq) return position;
            // An append that did not fit before the end of the ring went to offset 0.
            if (position != 0 && ReadValid(0, out length) && LittleEndian.ReadUInt32(_record, 4) == seq) return 0;
            length = 0;
            return -1;
        }

        // Searches the rest of the ring for a valid record with a sequence after `expected` that continues the
        // queue (only forward, at most one lap); returns its offset or -1.
        private int Resync(int position, uint expected, out uint found, out int length)
        {
            found = 0;
            length = 0;
            int limit = _dataSize - RecordOverhead;
            int p = position;
            for (int step = 0; step < _dataSize; step++)
            {
                p++;
                if (p > limit) p = 0;
                if (p == position) break;
                int len;
                if (!ReadValid(p, out len)) continue;
                uint s = LittleEndian.ReadUInt32(_record, 4);
                int ahead = (int)(s - expected);
                // Plausible successors only: at most a thousand records ahead, never behind (stale laps).
                if (ahead < 0 || ahead > 1000) continue;
                found = s;
                length = len;
                return p;
            }
            return -1;
        }

        private bool ReadValid(int position, out int length)
        {
            length = 0;
            if (position < 0 || position + RecordOverhead > _dataSize) return false;
            if (!_store.Read(DataStart + position, _record, 0, RecordHeader)) return false;
            if (_record[0] != RecordMagic0 || _record[1] != RecordMagic1) return false;
            int len = LittleEndian.ReadUInt16(_record, 2);
            if (len == 0 || len > _maxPayload || position + RecordOverhead + len > _dataSize) return false;
            if (!_store.Read(DataStart + position + RecordHeader, _record, RecordHeader, len + 4)) return false;
            if (Crc32.Compute(_record, 0, RecordHeader + len) != LittleEndian.ReadUInt32(_record, RecordHeader + len)) return false;
            length = len;
            return true;
        }

        private int Distance(int from, int to)
        {
            return to >= from ? to - from : _dataSize - from + to;
        }
    }
}
