namespace Tfb.Sparkplug
{
    /// <summary>
    /// Protocol Buffers wire-format reader over a byte range. Every read checks bounds and returns false on
    /// malformed input instead of throwing: truncated varints, varints longer than 10 bytes, lengths past the
    /// end, groups and unknown wire types. Allocates nothing.
    /// </summary>
    public sealed class ProtoReader
    {
        private byte[] _buffer;
        private int _position;
        private int _limit;

        /// <summary>Points the reader at <paramref name="buffer"/>[offset..offset+count).</summary>
        /// <returns>False when the range lies outside the buffer.</returns>
        public bool Reset(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                _buffer = null;
                _position = 0;
                _limit = 0;
                return false;
            }

            _buffer = buffer;
            _position = offset;
            _limit = offset + count;
            return true;
        }

        /// <summary>The buffer being read.</summary>
        public byte[] Buffer { get { return _buffer; } }

        /// <summary>Current read offset in <see cref="Buffer"/>.</summary>
        public int Position { get { return _position; } }

        /// <summary>End of the current (innermost) message.</summary>
        public int Limit { get { return _limit; } }

        /// <summary>True at the end of the current message.</summary>
        public bool AtEnd { get { return _position >= _limit; } }

        /// <summary>Reads a field key.</summary>
        /// <returns>False for a truncated key, field number 0 or above 2^29-1, or a wire type other than 0, 1, 2, 5.</returns>
        public bool TryReadTag(out int fieldNumber, out int wireType)
        {
            fieldNumber = 0;
            wireType = 0;
            ulong key;
            if (!TryReadVarint(out key) || key > 0xFFFFFFFFUL)
            {
                return false;
            }

            wireType = (int)(key & 7);
            ulong field = key >> 3;
            if (field == 0 || field > 0x1FFFFFFFUL)
            {
                return false;
            }

            fieldNumber = (int)field;
            return wireType == ProtoWriter.WireVarint || wireType == ProtoWriter.WireFixed64
                || wireType == ProtoWriter.WireLengthDelimited || wireType == ProtoWriter.WireFixed32;
        }

        /// <summary>Reads a varint of at most 10 bytes (the 10th may only carry the top bit).</summary>
        public bool TryReadVarint(out ulong value)
        {
            value = 0;
            int shift = 0;
            for (int i = 0; i < 10; i++)
            {
                if (_position >= _limit)
                {
                    return false;
                }

                byte b = _buffer[_position++];
                if (i == 9 && b > 1)
                {
                    return false;
                }

                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return true;
                }

                shift += 7;
            }

            return false;
        }

        /// <summary>Reads 4 little-endian bytes.</summary>
        public bool TryReadFixed32(out uint value)
        {
            value = 0;
            if (_limit - _position < 4)
            {
                return false;
            }

            value = (uint)(_buffer[_position] | (_buffer[_position + 1] << 8) | (_buffer[_position + 2] << 16) | (_buffer[_position + 3] << 24));
            _position += 4;
            return true;
        }

        /// <summary>Reads 8 little-endian bytes.</summary>
        public bool TryReadFixed64(out ulong value)
        {
            value = 0;
            if (_limit - _position < 8)
            {
                return false;
            }

            for (int i = 7; i >= 0; i--)
            {
                value = (value << 8) | _buffer[_position + i];
            }

            _position += 8;
            return true;
        }

        /// <summary>Reads a length prefix and skips the body, returning where the body is.</summary>
        /// <returns>False when the length is truncated or runs past the end of the current message.</returns>
        public bool TryReadLengthDelimited(out int offset, out int count)
        {
            offset = 0;
            count = 0;
            ulong length;
            if (!TryReadVarint(out length) || length > (ulong)(_limit - _position))
            {
                return false;
            }

            offset = _position;
            count = (int)length;
            _position += count;
            return true;
        }

        /// <summary>Skips the value of a field of <paramref name="wireType"/>.</summary>
        public bool TrySkip(int wireType)
        {
            switch (wireType)
            {
                case ProtoWriter.WireVarint:
                    ulong v;
                    return TryReadVarint(out v);
                case ProtoWriter.WireFixed64:
                    if (_limit - _position < 8)
                    {
                        return false;
                    }

                    _position += 8;
                    return true;
                case ProtoWriter.WireFixed32:
                    if (_limit - _position < 4)
                    {
                        return false;
                    }

                    _position += 4;
                    return true;
                case ProtoWriter.WireLengthDelimited:
                    int o;
                    int c;
                    return TryReadLengthDelimited(out o, out c);
                default:
                    return false;
            }
        }

        /// <summary>Enters a nested message at [offset..offset+count) and returns the outer limit to restore.</summary>
        /// <remarks>The caller obtained the range from <see cref="TryReadLengthDelimited"/>, so it lies within the outer message.</remarks>
        public int EnterMessage(int offset, int count)
        {
            int outer = _limit;
            _position = offset;
            _limit = offset + count;
            return outer;
        }

        /// <summary>Leaves a nested message: continues after it with the outer limit.</summary>
        public void LeaveMessage(int outerLimit)
        {
            _position = _limit;
            _limit = outerLimit;
        }
    }
}
