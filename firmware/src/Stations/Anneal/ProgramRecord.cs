using Tfb.Hal;
using Tfb.Storage;

namespace Tfb.Stations.Anneal
{
    /// <summary>
    /// The program state that must survive a power cycle, in its own small NV partition: two alternating 64-byte
    /// slots with a sequence number and a CRC, so a power loss in the middle of a write leaves the previous record.
    /// </summary>
    /// <remarks>
    /// Slot layout (little-endian): <c>"TFBA" u32 | sequence u32 | state u8 | program u8 | segment u8 | flags u8 |
    /// segment elapsed s (double bits) | setpoint C (double bits) | UTC ms at save (i64) | loop counters 16 x u8 |
    /// reserved 8 | CRC-32 of the 60 bytes before</c>. Flags: bit 0 limit channel tripped.
    /// Written by the scan at state changes and every <see cref="AnnealController.RecordPeriodS"/> while a program
    /// is active (64 bytes; on a board the partition should sit in FRAM or backup RAM, see docs/anneal.md).
    /// Allocation-free.
    /// </remarks>
    public sealed class ProgramRecord
    {
        /// <summary>Bytes of one slot.</summary>
        public const int SlotSize = 64;
        private const uint Magic = 0x41424654; // "TFBA"

        private readonly INvStore _store;
        private readonly byte[] _buf = new byte[SlotSize];
        private uint _seq;
        private int _nextSlot;

        /// <summary>Programmer state saved.</summary>
        public int State;
        /// <summary>Program number (1-based).</summary>
        public int Program;
        /// <summary>Segment index.</summary>
        public int Segment;
        /// <summary>Limit channel tripped.</summary>
        public bool LimitTripped;
        /// <summary>Program-clock time in the segment, s.</summary>
        public double SegmentElapsedS;
        /// <summary>Working setpoint, C.</summary>
        public double SetpointC;
        /// <summary>Wall-clock time of the save, ms since the Unix epoch (0: unknown).</summary>
        public long UtcMs;
        /// <summary>Loop counters per segment.</summary>
        public readonly byte[] Loops = new byte[AnnealProgram.MaxSegments];

        /// <summary>Creates the record over a partition of at least 2 * <see cref="SlotSize"/> bytes.</summary>
        public ProgramRecord(INvStore store)
        {
            if (store == null || store.Size < 2 * SlotSize) throw new System.ArgumentException("anneal NV partition");
            _store = store;
        }

        /// <summary>Reads the newest valid slot; false when neither is valid (a new board: nothing to recover).</summary>
        public bool Load()
        {
            int best = -1;
            uint bestSeq = 0;
            for (int s = 0; s < 2; s++)
            {
                if (!ReadSlot(s)) continue;
                uint seq = LittleEndian.ReadUInt32(_buf, 4);
                if (best < 0 || (int)(seq - bestSeq) > 0) { best = s; bestSeq = seq; }
            }
            if (best < 0) { _nextSlot = 0; _seq = 0; return false; }
            ReadSlot(best);
            _seq = bestSeq;
            _nextSlot = 1 - best;
            State = _buf[8];
            Program = _buf[9];
            Segment = _buf[10];
            LimitTripped = (_buf[11] & 1) != 0;
            SegmentElapsedS = System.BitConverter.Int64BitsToDouble(LittleEndian.ReadInt64(_buf, 12));
            SetpointC = System.BitConverter.Int64BitsToDouble(LittleEndian.ReadInt64(_buf, 20));
            UtcMs = LittleEndian.ReadInt64(_buf, 28);
            for (int i = 0; i < Loops.Length; i++) Loops[i] = _buf[36 + i];
            return true;
        }

        /// <summary>Writes the fields into the older slot; false when the store failed.</summary>
        public bool Save()
        {
            _seq++;
            for (int i = 0; i < SlotSize; i++) _buf[i] = 0;
            LittleEndian.WriteUInt32(_buf, 0, Magic);
            LittleEndian.WriteUInt32(_buf, 4, _seq);
            _buf[8] = (byte)State;
            _buf[9] = (byte)Program;
            _buf[10] = (byte)Segment;
            _buf[11] = (byte)(LimitTripped ? 1 : 0);
            LittleEndian.WriteInt64(_buf, 12, System.BitConverter.DoubleToInt64Bits(SegmentElapsedS));
            LittleEndian.WriteInt64(_buf, 20, System.BitConverter.DoubleToInt64Bits(SetpointC));
            LittleEndian.WriteInt64(_buf, 28, UtcMs);
            for (int i = 0; i < Loops.Length; i++) _buf[36 + i] = Loops[i];
            LittleEndian.WriteUInt32(_buf, 60, Crc32.Compute(_buf, 0, 60));
            bool ok = _store.Write(_nextSlot * SlotSize, _buf, 0, SlotSize);
            if (ok) _nextSlot = 1 - _nextSlot;
            return ok;
        }

        private bool ReadSlot(int slot)
        {
            if (!_store.Read(slot * SlotSize, _buf, 0, SlotSize)) return false;
            if (LittleEndian.ReadUInt32(_buf, 0) != Magic) return false;
            return LittleEndian.ReadUInt32(_buf, 60) == Crc32.Compute(_buf, 0, 60);
        }
    }
}
