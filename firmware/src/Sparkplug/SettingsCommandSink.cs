using Tfb.Codes;
using Tfb.Settings;

namespace Tfb.Sparkplug
{
    /// <summary>
    /// An action a SCADA client may trigger by writing true to a Boolean metric (e.g. "Program/Start").
    /// The implementation applies the same state checks as the console command that does the same thing.
    /// </summary>
    /// <remarks>Called on the Poll thread (T2). Interlock resets are deliberately not offered over MQTT.</remarks>
    public interface IRemoteAction
    {
        /// <summary>Checks the action may run now (line state, interlocks) without doing anything.</summary>
        /// <param name="error">Why not (e.g. NotIdle, InterlockActive, BadState).</param>
        bool Validate(out ErrorCode error);

        /// <summary>Runs the action (e.g. queues a scan command); called only after <see cref="Validate"/> passed.</summary>
        void Execute();
    }

    /// <summary>
    /// The NCMD/DCMD sink of a board: writable metrics bound to entries of the same
    /// <see cref="SettingsRegistry"/> the console uses, with the same checks and the same
    /// <see cref="ErrorCode"/>s, plus Boolean action metrics. A network client writes at one configured
    /// <see cref="AccessLevel"/> (<see cref="RemoteLevel"/>, e.g. Technician): a setting whose
    /// <see cref="SettingDef.WriteLevel"/> is higher is refused with AccessDenied.
    /// </summary>
    /// <remarks>
    /// Validation never changes anything (the session validates every metric of a command before applying
    /// any). A setting change is applied to RAM like console <c>set</c> (not saved; <c>save</c> or the board's
    /// save policy commits it). Nothing here can reset an interlock or an alarm: there is no such binding.
    /// Threading: Validate/Apply/<see cref="Refresh"/> on the Poll thread; binding before the session starts.
    /// </remarks>
    public sealed class SettingsCommandSink : ICommandSink
    {
        private readonly SettingsRegistry _settings;
        private readonly SparkplugMetric[] _metrics;
        private readonly int[] _settingIndex;
        private readonly IRemoteAction[] _actions;
        private readonly AccessLevel[] _actionLevel;
        private int _count;
        private int _applyFailures;

        /// <summary>Creates an empty sink.</summary>
        /// <param name="settings">The board's settings registry (the console's).</param>
        /// <param name="remoteLevel">Access level of every network write (Technician in the default configuration).</param>
        /// <param name="capacity">Most bindings (settings + actions).</param>
        public SettingsCommandSink(SettingsRegistry settings, AccessLevel remoteLevel, int capacity)
        {
            _settings = settings;
            RemoteLevel = remoteLevel;
            _metrics = new SparkplugMetric[capacity];
            _settingIndex = new int[capacity];
            _actions = new IRemoteAction[capacity];
            _actionLevel = new AccessLevel[capacity];
        }

        /// <summary>Access level of network writes.</summary>
        public AccessLevel RemoteLevel { get; set; }

        /// <summary>Bindings made.</summary>
        public int Count { get { return _count; } }

        /// <summary>Applies that the registry refused after validation passed (should stay 0).</summary>
        public int ApplyFailures { get { return _applyFailures; } }

        /// <summary>The Sparkplug datatype a setting is exposed with: Integer Int32 (Int64 beyond), Real Double, Boolean, Text String.</summary>
        public static SparkplugDataType DataTypeOf(SettingDef def)
        {
            switch (def.Type)
            {
                case SettingType.Integer:
                    return def.Min >= -2147483648.0 && def.Max <= 2147483647.0 ? SparkplugDataType.Int32 : SparkplugDataType.Int64;
                case SettingType.Boolean:
                    return SparkplugDataType.Boolean;
                case SettingType.Text:
                    return SparkplugDataType.String;
                default:
                    return SparkplugDataType.Double;
            }
        }

        /// <summary>
        /// Declares a writable metric named <paramref name="metricName"/> in <paramref name="registry"/> (node or a
        /// device's, before the session starts) bound to setting <paramref name="settingName"/>, holding its current value.
        /// </summary>
        /// <returns>The metric, or null when the setting is unknown or secret, the name is invalid or taken, or a capacity is exhausted.</returns>
        public SparkplugMetric ExposeSetting(MetricRegistry registry, string metricName, string settingName)
        {
            int index = _settings.IndexOf(settingName);
            if (index < 0 || _count >= _metrics.Length)
            {
                return null;
            }

            SettingDef def = _settings.GetDef(index);
            if (def.Secret)
            {
                return null;
            }

            SparkplugMetric metric = registry.Add(metricName, DataTypeOf(def), 0, 0, true, 0, null);
            if (metric == null)
            {
                return null;
            }

            _metrics[_count] = metric;
            _settingIndex[_count] = index;
            _actions[_count] = null;
            _count++;
            CopyValue(_count - 1);
            return metric;
        }

        /// <summary>Declares a writable Boolean action metric (false in the birth; writing true runs it, false is refused).</summary>
        /// <param name="registry">Node or device registry, before the session starts.</param>
        /// <param name="metricName">Metric name, e.g. "Program/Start".</param>
        /// <param name="action">What runs.</param>
        /// <param name="level">Level needed (compared with <see cref="RemoteLevel"/>).</param>
        /// <returns>The metric, or null when the name is invalid or taken or a capacity is exhausted.</returns>
        public SparkplugMetric ExposeAction(MetricRegistry registry, string metricName, IRemoteAction action, AccessLevel level)
        {
            if (action == null || _count >= _metrics.Length)
            {
                return null;
            }

            SparkplugMetric metric = registry.Add(metricName, SparkplugDataType.Boolean, 0, 0, true, 0, null);
            if (metric == null)
            {
                return null;
            }

            metric.SetBoolean(false);
            _metrics[_count] = metric;
            _settingIndex[_count] = -1;
            _actions[_count] = action;
            _actionLevel[_count] = level;
            _count++;
            return metric;
        }

        /// <summary>
        /// Copies current setting values into their metrics (so a console change reaches SCADA by report by
        /// exception). Call on the Poll thread, e.g. when <see cref="SettingsRegistry.Version"/> changed.
        /// </summary>
        public void Refresh()
        {
            for (int i = 0; i < _count; i++)
            {
                if (_actions[i] == null)
                {
                    CopyValue(i);
                }
            }
        }

        /// <inheritdoc />
        public bool Validate(SparkplugDevice device, SparkplugMetric metric, SparkplugValue value, out ErrorCode error)
        {
            int i = Find(metric);
            if (i < 0)
            {
                error = ErrorCode.NotSupported;
                return false;
            }

            IRemoteAction action = _actions[i];
            if (action != null)
            {
                if (_actionLevel[i] > RemoteLevel)
                {
                    error = ErrorCode.AccessDenied;
                    return false;
                }

                if (!value.Boolean)
                {
                    // Only "true" triggers; "false" would be a silent no-op that looks like success.
                    error = ErrorCode.BadArgument;
                    return false;
                }

                return action.Validate(out error);
            }

            SettingDef def = _settings.GetDef(_settingIndex[i]);
            if (def.WriteLevel > RemoteLevel)
            {
                error = ErrorCode.AccessDenied;
                return false;
            }

            if (def.Type == SettingType.Text)
            {
                string text = value.Text;
                if (text == null || !SettingsRegistry.IsPrintable(text))
                {
                    error = ErrorCode.BadArgument;
                    return false;
                }

                if (text.Length < def.Min || text.Length > def.Max)
                {
                    error = ErrorCode.OutOfRange;
                    return false;
                }

                return _settings.CheckValidator(_settingIndex[i], double.NaN, text, out error);
            }

            double number = ToNumber(metric, value);
            return CheckNumber(def, number, out error) && _settings.CheckValidator(_settingIndex[i], number, null, out error);
        }

        /// <inheritdoc />
        public void Apply(SparkplugDevice device, SparkplugMetric metric, SparkplugValue value)
        {
            int i = Find(metric);
            if (i < 0)
            {
                return;
            }

            if (_actions[i] != null)
            {
                _actions[i].Execute();
                return;
            }

            int index = _settingIndex[i];
            ErrorCode error;
            bool ok = _settings.GetDef(index).Type == SettingType.Text
                ? _settings.TrySetText(index, value.Text, out error)
                : _settings.TrySetNumber(index, ToNumber(metric, value), out error);
            if (!ok)
            {
                _applyFailures++;
            }

            CopyValue(i);
        }

        /// <summary>The same checks as <see cref="SettingsRegistry.TrySetNumber"/>, without setting (its checks are private).</summary>
        private static bool CheckNumber(SettingDef def, double value, out ErrorCode error)
        {
            if (!(value >= def.Min && value <= def.Max))
            {
                error = double.IsNaN(value) ? ErrorCode.BadArgument : ErrorCode.OutOfRange;
                return false;
            }

            if ((def.Type == SettingType.Integer || def.Type == SettingType.Boolean) && value != (double)(long)value)
            {
                error = ErrorCode.BadArgument;
                return false;
            }

            error = ErrorCode.BadArgument;
            return true;
        }

        private static double ToNumber(SparkplugMetric metric, SparkplugValue value)
        {
            SparkplugDataType t = metric.DataType;
            return t == SparkplugDataType.Double || t == SparkplugDataType.Float ? value.Real : value.Integer;
        }

        private int Find(SparkplugMetric metric)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_metrics[i] == metric)
                {
                    return i;
                }
            }

            return -1;
        }

        private void CopyValue(int i)
        {
            int index = _settingIndex[i];
            SparkplugMetric metric = _metrics[i];
            switch (_settings.GetDef(index).Type)
            {
                case SettingType.Text:
                    metric.SetString(_settings.GetText(index));
                    break;
                case SettingType.Boolean:
                    metric.SetBoolean(_settings.GetBool(index));
                    break;
                case SettingType.Integer:
                    metric.SetInteger((long)_settings.GetNumber(index));
                    break;
                default:
                    metric.SetReal(_settings.GetNumber(index));
                    break;
            }
        }
    }
}
