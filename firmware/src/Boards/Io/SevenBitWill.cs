namespace Tfb.Boards.Io
{
    /// <summary>
    /// nanoFramework.M2Mqtt takes the Will payload as a <c>string</c> and sends it UTF-8 encoded, and the
    /// nanoFramework runtime keeps strings as NUL-terminated UTF-8. A binary Will (the Sparkplug NDEATH
    /// protobuf) therefore survives only if every byte is 0x01..0x7F: each such byte is one char and encodes to
    /// itself. Protobuf in general is not 7-bit clean (varints >= 128, lengths >= 128, zero values), so the
    /// Will is checked here at connect time and refused with a clear error instead of being sent corrupted.
    /// </summary>
    /// <remarks>
    /// What keeps NDEATH representable: no timestamp field (its varint has bytes &gt;= 0x80), only the bdSeq
    /// metric, bdSeq in 1..127 (0 encodes a 0x00 byte; 128+ need continuation bytes), short metric name.
    /// The Sparkplug layer owns that choice; this class only checks and converts. Allocation: at connect only.
    /// </remarks>
    public static class SevenBitWill
    {
        /// <summary>IMqttSession.Connect result when the Will payload cannot be carried by M2Mqtt's string Will.</summary>
        public const int WillNotRepresentable = -1001;

        /// <summary>Index of the first byte outside 0x01..0x7F in the first <paramref name="count"/> bytes, or -1 when all are representable.</summary>
        public static int FirstUnrepresentable(byte[] payload, int count)
        {
            if (payload == null) return -1;
            if (count < 0 || count > payload.Length) return 0;
            for (int i = 0; i < count; i++)
            {
                byte b = payload[i];
                if (b == 0 || b >= 0x80) return i;
            }
            return -1;
        }

        /// <summary>
        /// The string whose UTF-8 encoding is exactly <paramref name="payload"/>; null when a byte is not representable.
        /// </summary>
        public static string ToWillString(byte[] payload)
        {
            if (payload == null) return null;
            if (FirstUnrepresentable(payload, payload.Length) >= 0) return null;
            char[] chars = new char[payload.Length];
            for (int i = 0; i < payload.Length; i++) chars[i] = (char)payload[i];
            return new string(chars);
        }
    }
}
