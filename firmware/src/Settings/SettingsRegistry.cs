using System.Threading;
using Tfb.Codes;
using Tfb.Text;

namespace Tfb.Settings
{
    /// <summary>
    /// A module's extra check of one of its settings (e.g. a program text that must parse, or a value that may not
    /// change while the station runs), applied by every writer: console <c>settings set</c>, MQTT, stored settings.
    /// </summary>
    /// <remarks>Called on the writer's thread (T2, or boot); no blocking on the scan. Must not change anything.</remarks>
    public interface ISettingValidator
    {
        /// <summary>Checks a new value (<paramref name="number"/> for numeric settings, <paramref name="text"/> for text ones).</summary>
        /// <param name="index">The setting's index.</param>
        /// <param name="number">New numeric value (NaN for text settings).</param>
        /// <param name="text">New text (null for numeric settings).</param>
        /// <param name="error">Why not (stable code).</param>
        bool Check(int index, double number, string text, out ErrorCode error);
    }

    /// <summary>
    /// The typed settings of a board: declared once at startup by each module, changed by the console and
    /// MQTT commands through the same validation, read by the scan without allocation.
    /// </summary>
    /// <remarks>
    /// Threading: writers (console, MQTT: tier T2) and readers (the scan) share a short lock around single
    /// values, so a double is never read torn on a 32-bit MCU. <see cref="Version"/> increments on every change;
    /// a module may cache values and refresh them when it changes. A setting's index is stable for the life of
    /// the image and is what the scan uses; names are for people, storage and MQTT.
    /// </remarks>
    public sealed class SettingsRegistry
    {
        private readonly object _sync = new object();
        private readonly SettingDef[] _defs;
        private readonly double[] _number;
        private readonly string[] _text;
        private readonly ISettingValidator[] _validators;
        private int _count;
        private int _version;
        private bool _dirty;
        private bool _restartPending;

        /// <summary>Creates a registry for at most <paramref name="capacity"/> settings.</summary>
        public SettingsRegistry(int capacity)
        {
            _defs = new SettingDef[capacity];
            _number = new double[capacity];
            _text = new string[capacity];
            _validators = new ISettingValidator[capacity];
        }

        /// <summary>Adds a module's check to setting <paramref name="index"/> (startup only; one per setting).</summary>
        public void SetValidator(int index, ISettingValidator validator)
        {
            if (index < 0 || index >= _count) throw new System.ArgumentException("setting index");
            _validators[index] = validator;
        }

        /// <summary>Runs the module check of setting <paramref name="index"/> (true when it has none).</summary>
        public bool CheckValidator(int index, double number, string text, out ErrorCode error)
        {
            error = ErrorCode.BadArgument;
            if (index < 0 || index >= _count) { error = ErrorCode.UnknownSetting; return false; }
            ISettingValidator v = _validators[index];
            return v == null || v.Check(index, number, text, out error);
        }

        /// <summary>Number of declared settings.</summary>
        public int Count { get { return _count; } }

        /// <summary>Increments on every change of any value (wraps).</summary>
        public int Version { get { return Interlocked.CompareExchange(ref _version, 0, 0); } }

        /// <summary>True when values changed since the last load or save.</summary>
        public bool Dirty { get { lock (_sync) { return _dirty; } } }

        /// <summary>True when a changed setting takes effect only after a restart.</summary>
        public bool RestartPending { get { lock (_sync) { return _restartPending; } } }

        /// <summary>Declares a setting (startup only) and sets it to its default.</summary>
        /// <returns>The setting's index.</returns>
        /// <exception cref="System.ArgumentException">Duplicate or malformed name, bad limits, a default outside them, or the registry is full: a firmware defect, found by the boot test.</exception>
        public int Add(SettingDef def)
        {
            if (def == null || !IsValidName(def.Name)) throw new System.ArgumentException("setting name");
            if (IndexOf(def.Name) >= 0) throw new System.ArgumentException("duplicate setting " + def.Name);
            if (_count == _defs.Length) throw new System.ArgumentException("settings registry full");
            if (!(def.Min <= def.Max)) throw new System.ArgumentException("limits of " + def.Name);
            if (def.Unit == null) def.Unit = "";
            if (def.Help == null) def.Help = "";
            if (def.Type == SettingType.Text)
            {
                if (def.DefaultText == null) def.DefaultText = "";
                if (!IsValidText(def.DefaultText, def)) throw new System.ArgumentException("default of " + def.Name);
            }
            else
            {
                ErrorCode err;
                if (!CheckNumber(def, def.Default, out err)) throw new System.ArgumentException("default of " + def.Name);
            }
            lock (_sync)
            {
                int i = _count;
                _defs[i] = def;
                _number[i] = def.Default;
                _text[i] = def.DefaultText;
                _count = i + 1;
                return i;
            }
        }

        /// <summary>The declaration at <paramref name="index"/>.</summary>
        public SettingDef GetDef(int index) { return _defs[index]; }

        /// <summary>Index of the setting called <paramref name="name"/>, or -1.</summary>
        public int IndexOf(string name)
        {
            if (name == null) return -1;
            for (int i = 0; i < _count; i++)
            {
                if (_defs[i].Name == name) return i;
            }
            return -1;
        }

        /// <summary>Numeric value (Integer, Real; Boolean as 0/1).</summary>
        public double GetNumber(int index) { lock (_sync) { return _number[index]; } }

        /// <summary>Integer value.</summary>
        public int GetInt(int index) { lock (_sync) { return (int)_number[index]; } }

        /// <summary>Boolean value.</summary>
        public bool GetBool(int index) { lock (_sync) { return _number[index] != 0; } }

        /// <summary>Text value (Text settings; null for others).</summary>
        public string GetText(int index) { lock (_sync) { return _text[index]; } }

        /// <summary>Sets a numeric or boolean setting after checking type and range.</summary>
        /// <returns>False with the reason when refused; nothing changes then.</returns>
        public bool TrySetNumber(int index, double value, out ErrorCode error)
        {
            if (index < 0 || index >= _count) { error = ErrorCode.UnknownSetting; return false; }
            SettingDef d = _defs[index];
            if (d.Type == SettingType.Text) { error = ErrorCode.BadArgument; return false; }
            if (!CheckNumber(d, value, out error)) return false;
            if (!CheckValidator(index, value, null, out error)) return false;
            lock (_sync)
            {
                if (_number[index] != value) MarkChanged(d);
                _number[index] = value;
            }
            return true;
        }

        /// <summary>Sets a text setting after checking characters and length.</summary>
        public bool TrySetText(int index, string value, out ErrorCode error)
        {
            if (index < 0 || index >= _count) { error = ErrorCode.UnknownSetting; return false; }
            SettingDef d = _defs[index];
            if (d.Type != SettingType.Text) { error = ErrorCode.BadArgument; return false; }
            if (value == null || !IsPrintable(value)) { error = ErrorCode.BadArgument; return false; }
            if (value.Length < d.Min || value.Length > d.Max) { error = ErrorCode.OutOfRange; return false; }
            if (!CheckValidator(index, double.NaN, value, out error)) return false;
            lock (_sync)
            {
                if (_text[index] != value) MarkChanged(d);
                _text[index] = value;
            }
            error = ErrorCode.BadArgument;
            return true;
        }

        /// <summary>Parses <paramref name="text"/> by the setting's type and sets it (console, MQTT, replayed dumps).</summary>
        public bool TrySetFromText(int index, string text, out ErrorCode error)
        {
            if (index < 0 || index >= _count) { error = ErrorCode.UnknownSetting; return false; }
            SettingDef d = _defs[index];
            double v;
            switch (d.Type)
            {
                case SettingType.Text:
                    return TrySetText(index, text, out error);
                case SettingType.Boolean:
                    if (!TryParseBool(text, out v)) { error = ErrorCode.BadArgument; return false; }
                    return TrySetNumber(index, v, out error);
                default:
                    if (!NumberText.TryParseReal(text, out v)) { error = ErrorCode.BadArgument; return false; }
                    return TrySetNumber(index, v, out error);
            }
        }

        /// <summary>The value as text, the form <see cref="TrySetFromText"/> accepts back.</summary>
        public string FormatValue(int index)
        {
            SettingDef d = _defs[index];
            lock (_sync)
            {
                switch (d.Type)
                {
                    case SettingType.Text: return _text[index];
                    case SettingType.Boolean: return _number[index] != 0 ? "true" : "false";
                    default: return NumberText.FormatReal(_number[index]);
                }
            }
        }

        /// <summary>Resets to defaults every setting whose name starts with <paramref name="prefix"/> ("" = all).</summary>
        /// <returns>How many settings changed value.</returns>
        public int ResetToDefaults(string prefix)
        {
            int changed = 0;
            lock (_sync)
            {
                for (int i = 0; i < _count; i++)
                {
                    SettingDef d = _defs[i];
                    if (prefix != null && prefix.Length > 0 && !d.Name.StartsWith(prefix)) continue;
                    bool differs = d.Type == SettingType.Text ? _text[i] != d.DefaultText : _number[i] != d.Default;
                    if (!differs) continue;
                    _number[i] = d.Default;
                    _text[i] = d.DefaultText;
                    MarkChanged(d);
                    changed++;
                }
            }
            return changed;
        }

        /// <summary>Called by the store after a successful load or save.</summary>
        internal void MarkClean()
        {
            lock (_sync) { _dirty = false; }
        }

        /// <summary>True for names the registry accepts: 1-48 chars of a-z, A-Z, 0-9, '.', '_', '-'.</summary>
        public static bool IsValidName(string name)
        {
            if (name == null || name.Length == 0 || name.Length > 48) return false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                if (!ok) return false;
            }
            return true;
        }

        /// <summary>True for printable ASCII (0x20-0x7E), the only characters text settings hold.</summary>
        public static bool IsPrintable(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] < ' ' || text[i] > '~') return false;
            }
            return true;
        }

        /// <summary>Accepts true/false, on/off, 1/0 (lower case).</summary>
        public static bool TryParseBool(string text, out double value)
        {
            value = 0;
            if (text == "true" || text == "on" || text == "1") { value = 1; return true; }
            if (text == "false" || text == "off" || text == "0") return true;
            return false;
        }

        private static bool IsValidText(string text, SettingDef d)
        {
            return IsPrintable(text) && text.Length >= d.Min && text.Length <= d.Max;
        }

        private static bool CheckNumber(SettingDef d, double value, out ErrorCode error)
        {
            // NaN fails both comparisons and is refused here: missing data is never a value.
            if (!(value >= d.Min && value <= d.Max))
            {
                error = double.IsNaN(value) ? ErrorCode.BadArgument : ErrorCode.OutOfRange;
                return false;
            }
            if ((d.Type == SettingType.Integer || d.Type == SettingType.Boolean) && value != (double)(long)value)
            {
                error = ErrorCode.BadArgument;
                return false;
            }
            error = ErrorCode.BadArgument;
            return true;
        }

        private void MarkChanged(SettingDef d)
        {
            _dirty = true;
            if (d.NeedsRestart) _restartPending = true;
            Interlocked.Increment(ref _version);
        }
    }
}
