using System.Collections;

namespace Tfb.Shell
{
    /// <summary>
    /// The console commands of a board, shared by every session. Station modules register theirs at startup
    /// next to the built-ins; a line is matched to the command with the longest run of leading words.
    /// </summary>
    /// <remarks>
    /// Register before sessions start; lookups take a short lock so a late registration is still safe.
    /// </remarks>
    public sealed class CommandRegistry
    {
        /// <summary>Most words in a command name.</summary>
        public const int MaxNameWords = 4;

        private readonly object _sync = new object();
        private readonly ArrayList _commands = new ArrayList();

        /// <summary>Number of registered commands.</summary>
        public int Count { get { lock (_sync) { return _commands.Count; } } }

        /// <summary>The command at <paramref name="index"/> in registration order.</summary>
        public CommandDef Get(int index)
        {
            lock (_sync) { return (CommandDef)_commands[index]; }
        }

        /// <summary>Registers a command.</summary>
        /// <exception cref="System.ArgumentException">
        /// Malformed name (1-4 words of a-z, 0-9, '-'), duplicate name, MinArgs &gt; MaxArgs, negative counts or
        /// no handler: a firmware defect the boot test finds.
        /// </exception>
        public void Register(CommandDef def)
        {
            if (def == null || def.Handler == null) throw new System.ArgumentException("command handler");
            string[] words = SplitName(def.Name);
            if (words == null) throw new System.ArgumentException("command name");
            if (def.MinArgs < 0 || def.MinArgs > def.MaxArgs) throw new System.ArgumentException("argument counts of " + def.Name);
            if (def.Usage == null) def.Usage = "";
            if (def.Help == null) def.Help = "";
            def.Words = words;
            lock (_sync)
            {
                if (FindExact(def.Name) != null) throw new System.ArgumentException("duplicate command " + def.Name);
                _commands.Add(def);
            }
        }

        /// <summary>The command whose name is the longest prefix of <paramref name="words"/>.</summary>
        /// <param name="words">Line words.</param>
        /// <param name="count">Words in use.</param>
        /// <param name="nameWords">Words the name took; the rest are arguments.</param>
        /// <returns>Null when no command matches.</returns>
        public CommandDef Find(string[] words, int count, out int nameWords)
        {
            nameWords = 0;
            CommandDef best = null;
            lock (_sync)
            {
                for (int i = 0; i < _commands.Count; i++)
                {
                    CommandDef d = (CommandDef)_commands[i];
                    int k = d.Words.Length;
                    if (k > count || k <= nameWords) continue;
                    if (StartsWith(words, d.Words)) { best = d; nameWords = k; }
                }
            }
            return best;
        }

        /// <summary>True when some command's name starts with the first <paramref name="count"/> words (a group such as <c>settings</c>).</summary>
        public bool IsGroup(string[] words, int count)
        {
            lock (_sync)
            {
                for (int i = 0; i < _commands.Count; i++)
                {
                    CommandDef d = (CommandDef)_commands[i];
                    if (d.Words.Length > count && StartsWith(d.Words, words, count)) return true;
                }
            }
            return false;
        }

        /// <summary>True when the command's name starts with the first <paramref name="count"/> of <paramref name="words"/>.</summary>
        public static bool NameStartsWith(CommandDef d, string[] words, int count)
        {
            return d.Words.Length >= count && StartsWith(d.Words, words, count);
        }

        private CommandDef FindExact(string name)
        {
            for (int i = 0; i < _commands.Count; i++)
            {
                CommandDef d = (CommandDef)_commands[i];
                if (d.Name == name) return d;
            }
            return null;
        }

        private static bool StartsWith(string[] words, string[] prefix)
        {
            return StartsWith(words, prefix, prefix.Length);
        }

        private static bool StartsWith(string[] words, string[] prefix, int prefixCount)
        {
            for (int i = 0; i < prefixCount; i++)
            {
                if (words[i] != prefix[i]) return false;
            }
            return true;
        }

        // Splits "a b c" into words; null when malformed (empty word, double space, bad character, too many words).
        private static string[] SplitName(string name)
        {
            if (name == null || name.Length == 0) return null;
            int words = 1;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c == ' ')
                {
                    if (i == 0 || i == name.Length - 1 || name[i - 1] == ' ') return null;
                    words++;
                    continue;
                }
                bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                if (!ok) return null;
            }
            if (words > MaxNameWords) return null;
            string[] result = new string[words];
            int start = 0;
            int w = 0;
            for (int i = 0; i <= name.Length; i++)
            {
                if (i == name.Length || name[i] == ' ')
                {
                    result[w++] = name.Substring(start, i - start);
                    start = i + 1;
                }
            }
            return result;
        }
    }
}
