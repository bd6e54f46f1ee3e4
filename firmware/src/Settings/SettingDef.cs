namespace Tfb.Settings
{
    /// <summary>The declaration of one setting: created once at startup by the module that owns it.</summary>
    public sealed class SettingDef
    {
        /// <summary>Dotted lower-case name, e.g. <c>web.tension.setpointN</c> (letters, digits, '.', '_', '-').</summary>
        public string Name;
        /// <summary>Unit shown to people (N, m/min, degC, W, s, "" for none).</summary>
        public string Unit;
        /// <summary>Value type.</summary>
        public SettingType Type;
        /// <summary>Smallest value accepted (numbers) or minimum length (text).</summary>
        public double Min;
        /// <summary>Largest value accepted (numbers) or maximum length (text).</summary>
        public double Max;
        /// <summary>Default for numbers and booleans (1 = true).</summary>
        public double Default;
        /// <summary>Default for text settings.</summary>
        public string DefaultText;
        /// <summary>Level needed to change it.</summary>
        public AccessLevel WriteLevel;
        /// <summary>True when a change takes effect only after a restart.</summary>
        public bool NeedsRestart;
        /// <summary>True for credentials: shown masked, dumped only to engineers.</summary>
        public bool Secret;
        /// <summary>One line of help.</summary>
        public string Help;

        /// <summary>A numeric setting.</summary>
        public static SettingDef Number(string name, string unit, SettingType type, double min, double max, double defaultValue, AccessLevel writeLevel, string help)
        {
            SettingDef d = new SettingDef();
            d.Name = name;
            d.Unit = unit;
            d.Type = type;
            d.Min = min;
            d.Max = max;
            d.Default = defaultValue;
            d.WriteLevel = writeLevel;
            d.Help = help;
            return d;
        }

        /// <summary>A boolean setting.</summary>
        public static SettingDef Flag(string name, bool defaultValue, AccessLevel writeLevel, string help)
        {
            return Number(name, "", SettingType.Boolean, 0, 1, defaultValue ? 1 : 0, writeLevel, help);
        }

        /// <summary>A text setting of at most <paramref name="maxLength"/> characters.</summary>
        public static SettingDef Text(string name, int maxLength, string defaultValue, AccessLevel writeLevel, string help)
        {
            SettingDef d = Number(name, "", SettingType.Text, 0, maxLength, 0, writeLevel, help);
            d.DefaultText = defaultValue;
            return d;
        }
    }
}
