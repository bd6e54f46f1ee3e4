using Tfb.Settings;

namespace Tfb.Shell
{
    /// <summary>The declaration of one console command, registered once at startup.</summary>
    public sealed class CommandDef
    {
        /// <summary>Full name, lower-case words separated by single spaces, e.g. <c>settings set</c>.</summary>
        public string Name;
        /// <summary>The name split into words (filled in by the registry).</summary>
        public string[] Words;
        /// <summary>Argument synopsis after the name, e.g. <c>&lt;name&gt; &lt;value&gt;</c> ("" for none).</summary>
        public string Usage;
        /// <summary>One line of help.</summary>
        public string Help;
        /// <summary>Fewest arguments accepted (checked before the handler runs).</summary>
        public int MinArgs;
        /// <summary>Most arguments accepted (checked before the handler runs).</summary>
        public int MaxArgs;
        /// <summary>Lowest access level that may run it.</summary>
        public AccessLevel Level;
        /// <summary>True when it may only run while the line is idle (<see cref="ILineControl.IsIdle"/>).</summary>
        public bool NeedsIdle;
        /// <summary>The code behind it.</summary>
        public ICommandHandler Handler;
        /// <summary>Free for the handler: lets one handler class serve several commands.</summary>
        public int Tag;

        /// <summary>Creates a declaration.</summary>
        public static CommandDef Create(string name, string usage, string help, int minArgs, int maxArgs,
            AccessLevel level, bool needsIdle, ICommandHandler handler, int tag)
        {
            CommandDef d = new CommandDef();
            d.Name = name;
            d.Usage = usage;
            d.Help = help;
            d.MinArgs = minArgs;
            d.MaxArgs = maxArgs;
            d.Level = level;
            d.NeedsIdle = needsIdle;
            d.Handler = handler;
            d.Tag = tag;
            return d;
        }
    }
}
