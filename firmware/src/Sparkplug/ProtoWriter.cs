namespace Tfb.Sparkplug
{
    /// <summary>
    /// Protocol Buffers (proto2 wire format) writer over one preallocated byte array. Allocates nothing after
    /// construction: nested messages reserve a one-byte length and move their body only when it outgrows it.
    /// </summary>
    /// <remarks>
    /// Overflow never throws: the first write that does not fit sets <see cref="Overflowed"/>, and every later
    /// write is ignored, so a caller checks once at the end. Not thread-safe (one owner, the MQTT thread).
    /// </remarks>
    public sealed class ProtoWriter
    {
        /// <summary>Wire type 0: varint.</summary>
        public const int WireVarint = 0;
        /// <summary>Wire type 1: 64-bit little-endian.</summary>
        public const int WireFixed64 = 1;
        /// <summary>Wire type 2: length-delimited.</summary>
        public const int WireLengthDelimited = 2;
        /// <summary>Wire type 5: 32-bit little-endian.</summary>
        public const int WireFixed32 = 5;

        /// <summary>Deepest nesting of <see cref="BeginMessage"/> (Sparkplug needs 4: metric, property set, value, set).</summary>
        public const int MaxDepth = 8;

        private readonly byte[] _buffer;
        private readonly int[] _bodyStart = new int[MaxDepth];
        private int _position;
        private int _limit;
        private int _depth;
        private bool _overflowed;

        /// <summary>Creates a writer over its own buffer of <paramref name="capacityBytes"/>.</summary>
        public ProtoWriter(int capacityBytes)
        {
            _buffer = new byte[capacityBytes];
            _limit = capacityBytes;
        }

        /// <summary>
        /// Writable bytes (default: the whole buffer). Lowering it keeps a tail in reserve, e.g. for the
        /// fields that close a payload after its metrics filled the rest.
        /// </summary>
        public int Limit
        {
            get { return _limit; }
            set { _limit = value < 0 ? 0 : value > _buffer.Length ? _buffer.Length : value; }
        }

        /// <summary>The output buffer; the encoded message is bytes 0..<see cref="Length"/>-1.</summary>
        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Bytes written so far.</summary>
        public int Length { get { return _position; } }

        /// <summary>True once a write did not fit (or nesting was unbalanced); the content is then unusable.</summary>
        public bool Overflowed { get { return _overflowed; } }

        /// <summary>Starts a new message at offset 0.</summary>
        public void Reset()
        {
            _position = 0;
            _depth = 0;
            _overflowed = false;
        }

        /// <summary>Truncates to <paramref name="length"/> bytes and clears an overflow; only between top-level fields.</summary>
        public void Rewind(int length)
        {
            if (length < 0 || length > _position)
            {
                _overflowed = true;
                return;
            }

            _position = length;
            _depth = 0;
            _overflowed = false;
        }

        /// <summary>Writes a field key (field number and wire type).</summary>
        public void WriteTag(int fieldNumber, int wireType)
        {
            WriteVarint((ulong)(uint)((fieldNumber << 3) | wireType));
        }

        /// <summary>Writes a base-128 varint.</summary>
        public void WriteVarint(ulong value)
        {
            if (_overflowed)
            {
                return;
            }

            // Tags, datatypes, booleans and small aliases: one byte, the common case.
            if (value < 0x80 && _position < _limit)
            {
                _buffer[_position++] = (byte)value;
                return;
            }

            // A 64-bit varint is at most 10 bytes; check once instead of per byte.
            if (_position + 10 > _limit && _position + VarintSize(value) > _limit)
            {
                _overflowed = true;
                return;
            }

            while (value >= 0x80)
            {
                _buffer[_position++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _buffer[_position++] = (byte)value;
        }

        /// <summary>Encoded size of <paramref name="value"/> as a varint (1..10 bytes).</summary>
        public static int VarintSize(ulong value)
        {
            int size = 1;
            while (value >= 0x80)
            {
                value >>= 7;
                size++;
            }

            return size;
        }

        /// <summary>Writes a varint field (uint32/uint64/bool/enum).</summary>
        public void WriteVarintField(int fieldNumber, ulong value)
        {
            WriteTag(fieldNumber, WireVarint);
            WriteVarint(value);
        }

        /// <summary>Writes a bool field.</summary>
        public void WriteBoolField(int fieldNumber, bool value)
        {
            WriteTag(fieldNumber, WireVarint);
            WriteVarint(value ? 1UL : 0UL);
        }

        /// <summary>Writes a float field (wire type 5, IEEE 754 single, little-endian).</summary>
        public void WriteFloatField(int fieldNumber, float value)
        {
            WriteTag(fieldNumber, WireFixed32);
            WriteFixed32(FloatBits.SingleToUInt32Bits(value));
        }

        /// <summary>Writes a double field (wire type 1, IEEE 754 double, little-endian).</summary>
        public void WriteDoubleField(int fieldNumber, double value)
        {
            WriteTag(fieldNumber, WireFixed64);
            WriteFixed64((ulong)System.BitConverter.DoubleToInt64Bits(value));
        }

        /// <summary>Writes 4 bytes little-endian.</summary>
        public void WriteFixed32(uint value)
        {
            if (!Ensure(4))
            {
                return;
            }

            _buffer[_position] = (byte)value;
            _buffer[_position + 1] = (byte)(value >> 8);
            _buffer[_position + 2] = (byte)(value >> 16);
            _buffer[_position + 3] = (byte)(value >> 24);
            _position += 4;
        }

        /// <summary>Writes 8 bytes little-endian.</summary>
        public void WriteFixed64(ulong value)
        {
            if (!Ensure(8))
            {
                return;
            }

            for (int i = 0; i < 8; i++)
            {
                _buffer[_position + i] = (byte)(value >> (8 * i));
            }

            _position += 8;
        }

        /// <summary>Writes a string field as UTF-8 (own encoder: no Encoding class on the device).</summary>
        /// <remarks>A lone surrogate is written as U+FFFD, as every conforming encoder does.</remarks>
        public void WriteStringField(int fieldNumber, string value)
        {
            WriteTag(fieldNumber, WireLengthDelimited);
            int byteCount = Utf8.ByteCount(value);
            WriteVarint((ulong)byteCount);
            if (!Ensure(byteCount))
            {
                return;
            }

            _position += Utf8.Encode(value, _buffer, _position);
        }

        /// <summary>Writes a bytes field from <paramref name="source"/>[offset..offset+count).</summary>
        public void WriteBytesField(int fieldNumber, byte[] source, int offset, int count)
        {
            WriteTag(fieldNumber, WireLengthDelimited);
            WriteVarint((ulong)count);
            if (!Ensure(count))
            {
                return;
            }

            for (int i = 0; i < count; i++)
            {
                _buffer[_position + i] = source[offset + i];
            }

            _position += count;
        }

        /// <summary>Starts a nested message field; close it with <see cref="EndMessage"/>.</summary>
        public void BeginMessage(int fieldNumber)
        {
            WriteTag(fieldNumber, WireLengthDelimited);
            if (_depth >= MaxDepth)
            {
                _overflowed = true;
                return;
            }

            // One byte reserved for the length: metrics of a few dozen bytes never move.
            if (!Ensure(1))
            {
                return;
            }

            _position++;
            _bodyStart[_depth++] = _position;
        }

        /// <summary>Closes the innermost nested message and writes its length.</summary>
        public void EndMessage()
        {
            if (_overflowed)
            {
                return;
            }

            if (_depth == 0)
            {
                _overflowed = true;
                return;
            }

            int start = _bodyStart[--_depth];
            int bodyLength = _position - start;
            int lengthSize = VarintSize((ulong)bodyLength);
            if (lengthSize > 1)
            {
                int extra = lengthSize - 1;
                if (!Ensure(extra))
                {
                    return;
                }

                // Move the body right; backwards so the overlapping copy is safe.
                for (int i = _position - 1; i >= start; i--)
                {
                    _buffer[i + extra] = _buffer[i];
                }

                _position += extra;
            }

            ulong value = (ulong)bodyLength;
            int p = start - 1;
            while (value >= 0x80)
            {
                _buffer[p++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _buffer[p] = (byte)value;
        }

        private bool Ensure(int count)
        {
            if (_overflowed)
            {
                return false;
            }

            if (count < 0 || _position + count > _limit)
            {
                _overflowed = true;
                return false;
            }

            return true;
        }
    }
}
