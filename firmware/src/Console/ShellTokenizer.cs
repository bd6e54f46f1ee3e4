using Tfb.Codes;

namespace Tfb.Shell
{
    /// <summary>
    /// Splits a console line into words. Words are separated by spaces. A word that starts with a double quote
    /// runs to the next unescaped double quote and may hold spaces; inside quotes <c>\"</c> is a quote and
    /// <c>\\</c> a backslash, any other backslash sequence is an error. Outside quotes a backslash is an ordinary
    /// character and a double quote is an error (no half-quoted words). <c>""</c> is an empty word.
    /// </summary>
    /// <remarks>Stateless and thread-safe.</remarks>
    public static class ShellTokenizer
    {
        /// <summary>Splits <paramref name="line"/> into <paramref name="words"/>.</summary>
        /// <param name="line">The line without its end-of-line bytes.</param>
        /// <param name="words">Receives the words; its length is the maximum word count.</param>
        /// <param name="count">Words found.</param>
        /// <param name="error">Why it failed: BadArgument (quoting) or BadArgumentCount (too many words).</param>
        /// <param name="errorText">Human text for the failure.</param>
        /// <returns>False when the line does not tokenize; nothing is executed then.</returns>
        public static bool TryTokenize(string line, string[] words, out int count, out ErrorCode error, out string errorText)
        {
            count = 0;
            error = ErrorCode.BadArgument;
            errorText = null;
            int n = line.Length;
            char[] buf = new char[n];
            int i = 0;
            while (true)
            {
                while (i < n && line[i] == ' ') i++;
                if (i >= n) return true;
                if (count == words.Length)
                {
                    error = ErrorCode.BadArgumentCount;
                    errorText = "too many words";
                    return false;
                }
                int len = 0;
                if (line[i] == '"')
                {
                    i++;
                    bool closed = false;
                    while (i < n)
                    {
                        char c = line[i++];
                        if (c == '"') { closed = true; break; }
                        if (c == '\\')
                        {
                            if (i >= n || (line[i] != '"' && line[i] != '\\'))
                            {
                                errorText = "bad escape in quotes (only \\\" and \\\\)";
                                return false;
                            }
                            c = line[i++];
                        }
                        buf[len++] = c;
                    }
                    if (!closed)
                    {
                        errorText = "unterminated quote";
                        return false;
                    }
                    if (i < n && line[i] != ' ')
                    {
                        errorText = "text after closing quote";
                        return false;
                    }
                }
                else
                {
                    while (i < n && line[i] != ' ')
                    {
                        char c = line[i++];
                        if (c == '"')
                        {
                            errorText = "quote inside a word";
                            return false;
                        }
                        buf[len++] = c;
                    }
                }
                words[count++] = new string(buf, 0, len);
            }
        }

        /// <summary>
        /// The word as the tokenizer reads it back: unchanged when it is a plain word, otherwise double-quoted
        /// with <c>"</c> and <c>\</c> escaped. Used by <c>settings dump</c> so every line replays exactly.
        /// </summary>
        public static string Quote(string word)
        {
            if (word == null) word = "";
            bool plain = word.Length > 0 && word[0] != '#';
            int extra = 0;
            for (int i = 0; i < word.Length; i++)
            {
                char c = word[i];
                if (c == ' ' || c == '"' || c == '\\') plain = false;
                if (c == '"' || c == '\\') extra++;
            }
            if (plain) return word;
            char[] outChars = new char[word.Length + extra + 2];
            int p = 0;
            outChars[p++] = '"';
            for (int i = 0; i < word.Length; i++)
            {
                char c = word[i];
                if (c == '"' || c == '\\') outChars[p++] = '\\';
                outChars[p++] = c;
            }
            outChars[p++] = '"';
            return new string(outChars, 0, p);
        }
    }
}
