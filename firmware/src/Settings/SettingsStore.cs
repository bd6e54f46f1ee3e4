using System;
using Tfb.Codes;
using Tfb.Hal;
using Tfb.Logging;
using Tfb.Storage;

namespace Tfb.Settings
{
    /// <summary>What <see cref="SettingsStore.Load"/> found.</summary>
    public enum SettingsLoadOutcome
    {
        /// <summary>A valid image was loaded.</summary>
        Loaded = 0,
        /// <summary>Both slots erased (a new board): defaults, no alarm.</summary>
        Blank = 1,
        /// <summary>No valid image: defaults, alarm SettingsCorrupt.</summary>
        Corrupt = 2,
        /// <summary>An image of an unknown layout version: defaults, alarm SettingsVersionUnknown.</summary>
        UnknownVersion = 3,
        /// <summary>The store could not be read: defaults, alarm SettingsCorrupt.</summary>
        ReadFailed = 4,
    }

    /// <summary>
    /// Persists a <see cref="SettingsRegistry"/> in an <see cref="INvStore"/> partition as two alternating,
    /// versioned, CRC-checked slots, so a power loss at any byte of a save still boots with the last good settings.
    /// </summary>
    /// <remarks>
    /// Partition layout: slot A at 0, slot B at Size/2. Slot image (little-endian):
    /// <c>"TFBS" | layout u16 | flags u16 | sequence u32 | payload length u32 | payload | CRC-32 of all before</c>.
    /// Payload: records <c>name length u8 | name | type u8 | value</c> where value is the double's 8 bytes for
    /// numbers and booleans, or <c>length u16 | ASCII</c> for text. Settings are stored by name, so an image
    /// survives firmware that adds or removes settings: unknown names are skipped, missing ones keep defaults,
    /// values now out of range fall back to the default (counted in <see cref="RejectedOnLoad"/>).
    /// A save always writes the slot that does NOT hold the newest valid image, with sequence + 1; load takes
    /// the valid image with the newer sequence. Threading: called from one T2 thread at a time.
    /// </remarks>
    public sealed class SettingsStore
    {
        /// <summary>Layout version written by this firmware.</summary>
        public const int LayoutVersion = 1;

        private const int HeaderSize = 16;
        private const int CrcSize = 4;
        private const uint Magic = 0x53424654; // "TFBS" little-endian

        private readonly INvStore _store;
        private readonly SettingsRegistry _registry;
        private readonly AlarmLog _alarms;
        private readonly LogRing _events;
        private readonly int _slotSize;
        private readonly byte[] _buffer;
        private int _newestSlot = -1;
        private uint _newestSeq;

        /// <summary>Creates the store over a partition; nothing is read until <see cref="Load"/>.</summary>
        public SettingsStore(INvStore store, SettingsRegistry registry, AlarmLog alarms, LogRing events)
        {
            _store = store;
            _registry = registry;
            _alarms = alarms;
            _events = events;
            _slotSize = store.Size / 2;
            _buffer = new byte[_slotSize];
        }

        /// <summary>Bytes one slot holds.</summary>
        public int SlotSize { get { return _slotSize; } }

        /// <summary>Slot (0 or 1) of the newest valid image, or -1.</summary>
        public int CurrentSlot { get { return _newestSlot; } }

        /// <summary>Sequence number of the newest valid image.</summary>
        public uint CurrentSequence { get { return _newestSeq; } }

        /// <summary>Stored values ignored at the last load (unknown name, wrong type, out of range).</summary>
        public int RejectedOnLoad { get; private set; }

        /// <summary>Loads the newest valid image into the registry, or leaves defaults and says why.</summary>
        public SettingsLoadOutcome Load()
        {
            RejectedOnLoad = 0;
            _newestSlot = -1;
            int blank = 0;
            bool unknownVersion = false;
            bool readFailed = false;
            for (int slot = 0; slot < 2; slot++)
            {
                uint seq;
                int state = Inspect(slot, out seq);
                if (state == SlotValid)
                {
                    if (_newestSlot < 0 || (int)(seq - _newestSeq) > 0)
                    {
                        _newestSlot = slot;
                        _newestSeq = seq;
                    }
                }
                else if (state == SlotBlank) blank++;
                else if (state == SlotUnknownVersion) unknownVersion = true;
                else if (state == SlotReadFailed) readFailed = true;
            }

            _registry.ResetToDefaults("");
            if (_newestSlot >= 0)
            {
                Inspect(_newestSlot, out _newestSeq);
                Apply();
                _registry.MarkClean();
                _events.Add((int)EventCode.SettingsLoaded, _newestSlot);
                return SettingsLoadOutcome.Loaded;
            }
            _registry.MarkClean();
            if (readFailed)
            {
                _alarms.Raise((int)AlarmCode.SettingsCorrupt, 0);
                return SettingsLoadOutcome.ReadFailed;
            }
            if (unknownVersion)
            {
                _alarms.Raise((int)AlarmCode.SettingsVersionUnknown, 0);
                return SettingsLoadOutcome.UnknownVersion;
            }
            if (blank == 2) return SettingsLoadOutcome.Blank;
            _alarms.Raise((int)AlarmCode.SettingsCorrupt, 0);
            return SettingsLoadOutcome.Corrupt;
        }

        /// <summary>Commits the registry's current values to the slot not holding the newest image.</summary>
        /// <returns>False with <see cref="ErrorCode.StorageFailed"/> when the image does not fit or the write failed; the previous image stays the current one.</returns>
        public bool Save(out ErrorCode error)
        {
            error = ErrorCode.StorageFailed;
            int length = Serialize();
            if (length < 0)
            {
                _alarms.Raise((int)AlarmCode.SettingsSaveFailed, 1);
                return false;
            }
            int slot = _newestSlot == 0 ? 1 : 0;
            uint seq = _newestSlot < 0 ? 1 : _newestSeq + 1;
            LittleEndian.WriteUInt32(_buffer, 8, seq);
            uint crc = Crc32.Compute(_buffer, 0, HeaderSize + length);
            LittleEndian.WriteUInt32(_buffer, HeaderSize + length, crc);
            int total = HeaderSize + length + CrcSize;
            if (!_store.Write(slot * _slotSize, _buffer, 0, total))
            {
                _alarms.Raise((int)AlarmCode.SettingsSaveFailed, 2);
                return false;
            }
            _newestSlot = slot;
            _newestSeq = seq;
            _registry.MarkClean();
            _events.Add((int)EventCode.SettingsSaved, (int)(seq & 0x7FFFFFFF));
            return true;
        }

        private const int SlotValid = 0;
        private const int SlotBlank = 1;
        private const int SlotCorrupt = 2;
        private const int SlotUnknownVersion = 3;
        private const int SlotReadFailed = 4;

        // Reads a slot into _buffer and classifies it.
        private int Inspect(int slot, out uint seq)
        {
            seq = 0;
            int at = slot * _slotSize;
            if (!_store.Read(at, _buffer, 0, HeaderSize)) return SlotReadFailed;
            bool erased = true;
            for (int i = 0; i < HeaderSize; i++)
            {
                if (_buffer[i] != 0xFF && _buffer[i] != 0x00) { erased = false; break; }
            }
            if (erased) return SlotBlank;
            if (LittleEndian.ReadUInt32(_buffer, 0) != Magic) return SlotCorrupt;
            uint length = LittleEndian.ReadUInt32(_buffer, 12);
            if (length > (uint)(_slotSize - HeaderSize - CrcSize)) return SlotCorrupt;
            int total = HeaderSize + (int)length + CrcSize;
            if (!_store.Read(at, _buffer, 0, total)) return SlotReadFailed;
            uint crc = Crc32.Compute(_buffer, 0, HeaderSize + (int)length);
            if (crc != LittleEndian.ReadUInt32(_buffer, HeaderSize + (int)length)) return SlotCorrupt;
            // Only a CRC-valid image can claim an unknown version: a torn write must read as corrupt.
            if (LittleEndian.ReadUInt16(_buffer, 4) != LayoutVersion) return SlotUnknownVersion;
            seq = LittleEndian.ReadUInt32(_buffer, 8);
            return SlotValid;
        }

        // Applies the image in _buffer (already validated) to the registry.
        private void Apply()
        {
            int end = HeaderSize + (int)LittleEndian.ReadUInt32(_buffer, 12);
            int p = HeaderSize;
            ErrorCode err;
            while (p < end)
            {
                int nameLength = _buffer[p++];
                if (p + nameLength + 1 > end) { RejectedOnLoad++; return; }
                string name = AsciiString(_buffer, p, nameLength);
                p += nameLength;
                int type = _buffer[p++];
                int index = _registry.IndexOf(name);
                if (type == (int)SettingType.Text)
                {
                    if (p + 2 > end) { RejectedOnLoad++; return; }
                    int len = LittleEndian.ReadUInt16(_buffer, p);
                    p += 2;
                    if (p + len > end) { RejectedOnLoad++; return; }
                    string text = AsciiString(_buffer, p, len);
                    p += len;
                    if (index < 0 || _registry.GetDef(index).Type != SettingType.Text || !_registry.TrySetText(index, text, out err))
                        RejectedOnLoad++;
                }
                else
                {
                    if (p + 8 > end) { RejectedOnLoad++; return; }
                    double v = BitConverter.Int64BitsToDouble(LittleEndian.ReadInt64(_buffer, p));
                    p += 8;
                    if (index < 0 || (int)_registry.GetDef(index).Type != type || !_registry.TrySetNumber(index, v, out err))
                        RejectedOnLoad++;
                }
            }
        }

        // Writes header (without sequence) and payload into _buffer; returns payload length or -1 if too big.
        private int Serialize()
        {
            LittleEndian.WriteUInt32(_buffer, 0, Magic);
            LittleEndian.WriteUInt16(_buffer, 4, LayoutVersion);
            LittleEndian.WriteUInt16(_buffer, 6, 0);
            int p = HeaderSize;
            int limit = _slotSize - CrcSize;
            for (int i = 0; i < _registry.Count; i++)
            {
                SettingDef d = _registry.GetDef(i);
                string name = d.Name;
                if (p + 1 + name.Length + 1 > limit) return -1;
                _buffer[p++] = (byte)name.Length;
                for (int c = 0; c < name.Length; c++) _buffer[p++] = (byte)name[c];
                _buffer[p++] = (byte)d.Type;
                if (d.Type == SettingType.Text)
                {
                    string text = _registry.GetText(i);
                    if (p + 2 + text.Length > limit) return -1;
                    LittleEndian.WriteUInt16(_buffer, p, text.Length);
                    p += 2;
                    for (int c = 0; c < text.Length; c++) _buffer[p++] = (byte)text[c];
                }
                else
                {
                    if (p + 8 > limit) return -1;
                    LittleEndian.WriteInt64(_buffer, p, BitConverter.DoubleToInt64Bits(_registry.GetNumber(i)));
                    p += 8;
                }
            }
            LittleEndian.WriteUInt32(_buffer, 12, (uint)(p - HeaderSize));
            return p - HeaderSize;
        }

        private static string AsciiString(byte[] b, int offset, int count)
        {
            char[] chars = new char[count];
            for (int i = 0; i < count; i++) chars[i] = (char)b[offset + i];
            return new string(chars);
        }
    }
}
