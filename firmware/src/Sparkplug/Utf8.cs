namespace Tfb.Sparkplug
{
    /// <summary>
    /// UTF-8 encoding and strict decoding without System.Text.Encoding (absent from nanoFramework mscorlib)
    /// and without allocation, except <see cref="TryDecode"/> which returns a new string.
    /// </summary>
    public static class Utf8
    {
        /// <summary>Bytes needed to encode <paramref name="value"/>; a lone surrogate counts as U+FFFD (3 bytes).</summary>
        public static int ByteCount(string value)
        {
            int count = 0;
            int length = value.Length;
            for (int i = 0; i < length; i++)
            {
                char c = value[i];
                if (c < 0x80)
                {
                    count += 1;
                }
                else if (c < 0x800)
                {
                    count += 2;
                }
                else if (c >= 0xD800 && c <= 0xDBFF && i + 1 < length && value[i + 1] >= 0xDC00 && value[i + 1] <= 0xDFFF)
                {
                    count += 4;
                    i++;
                }
                else
                {
                    count += 3;
                }
            }

            return count;
        }

        /// <summary>Encodes <paramref name="value"/> at <paramref name="offset"/>; the caller made room for <see cref="ByteCount"/>.</summary>
        /// <returns>Bytes written.</returns>
        public static int Encode(string value, byte[] buffer, int offset)
        {
            int p = offset;
            int length = value.Length;
            for (int i = 0; i < length; i++)
            {
                int c = value[i];
                if (c < 0x80)
                {
                    buffer[p++] = (byte)c;
                    continue;
                }

                if (c < 0x800)
                {
                    buffer[p++] = (byte)(0xC0 | (c >> 6));
                    buffer[p++] = (byte)(0x80 | (c & 0x3F));
                    continue;
                }

                if (c >= 0xD800 && c <= 0xDFFF)
                {
                    int low = i + 1 < length ? value[i + 1] : 0;
                    if (c <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF)
                    {
                        int cp = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                        buffer[p++] = (byte)(0xF0 | (cp >> 18));
                        buffer[p++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                        buffer[p++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                        buffer[p++] = (byte)(0x80 | (cp & 0x3F));
                        i++;
                        continue;
                    }

                    c = 0xFFFD;
                }

                buffer[p++] = (byte)(0xE0 | (c >> 12));
                buffer[p++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                buffer[p++] = (byte)(0x80 | (c & 0x3F));
            }

            return p - offset;
        }

        /// <summary>Encodes <paramref name="value"/> into a new exact-size array (setup time only).</summary>
        public static byte[] GetBytes(string value)
        {
            byte[] bytes = new byte[ByteCount(value)];
            Encode(value, bytes, 0);
            return bytes;
        }

        /// <summary>True when <paramref name="buffer"/>[offset..offset+count) equals <paramref name="expected"/>.</summary>
        public static bool BytesEqual(byte[] buffer, int offset, int count, byte[] expected)
        {
            if (count != expected.Length)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (buffer[offset + i] != expected[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Decodes strict UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF, no truncated sequence).
        /// </summary>
        /// <returns>False on invalid input; <paramref name="value"/> is then null.</returns>
        public static bool TryDecode(byte[] buffer, int offset, int count, out string value)
        {
            value = null;
            int chars = CountChars(buffer, offset, count);
            if (chars < 0)
            {
                return false;
            }

            char[] text = new char[chars];
            int end = offset + count;
            int p = offset;
            int t = 0;
            while (p < end)
            {
                int b0 = buffer[p];
                int cp;
                if (b0 < 0x80)
                {
                    cp = b0;
                    p += 1;
                }
                else if (b0 < 0xE0)
                {
                    cp = ((b0 & 0x1F) << 6) | (buffer[p + 1] & 0x3F);
                    p += 2;
                }
                else if (b0 < 0xF0)
                {
                    cp = ((b0 & 0x0F) << 12) | ((buffer[p + 1] & 0x3F) << 6) | (buffer[p + 2] & 0x3F);
                    p += 3;
                }
                else
                {
                    cp = ((b0 & 0x07) << 18) | ((buffer[p + 1] & 0x3F) << 12) | ((buffer[p + 2] & 0x3F) << 6) | (buffer[p + 3] & 0x3F);
                    p += 4;
                }

                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    text[t++] = (char)(0xD800 + (cp >> 10));
                    text[t++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                else
                {
                    text[t++] = (char)cp;
                }
            }

            value = new string(text, 0, t);
            return true;
        }

        /// <summary>Validates strict UTF-8 and counts the UTF-16 chars it decodes to, or -1 when invalid.</summary>
        public static int CountChars(byte[] buffer, int offset, int count)
        {
            int end = offset + count;
            int p = offset;
            int chars = 0;
            while (p < end)
            {
                int b0 = buffer[p];
                if (b0 < 0x80)
                {
                    p++;
                    chars++;
                    continue;
                }

                int need;
                int min;
                int cp;
                if (b0 >= 0xC2 && b0 <= 0xDF)
                {
                    need = 1;
                    min = 0x80;
                    cp = b0 & 0x1F;
                }
                else if (b0 >= 0xE0 && b0 <= 0xEF)
                {
                    need = 2;
                    min = 0x800;
                    cp = b0 & 0x0F;
                }
                else if (b0 >= 0xF0 && b0 <= 0xF4)
                {
                    need = 3;
                    min = 0x10000;
                    cp = b0 & 0x07;
                }
                else
                {
                    return -1;
                }

                if (p + need >= end)
                {
                    return -1;
                }

                for (int k = 1; k <= need; k++)
                {
                    int b = buffer[p + k];
                    if ((b & 0xC0) != 0x80)
                    {
                        return -1;
                    }

                    cp = (cp << 6) | (b & 0x3F);
                }

                if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                {
                    return -1;
                }

                chars += cp >= 0x10000 ? 2 : 1;
                p += need + 1;
            }

            return chars;
        }
    }
}
