namespace Tfb.Settings
{
    /// <summary>The value type of a setting.</summary>
    public enum SettingType
    {
        /// <summary>A whole number (stored as a double, range-checked, must be integral).</summary>
        Integer = 0,
        /// <summary>A real number in the setting's unit.</summary>
        Real = 1,
        /// <summary>true / false (also accepts 1 / 0, on / off).</summary>
        Boolean = 2,
        /// <summary>Printable ASCII text up to the setting's maximum length.</summary>
        Text = 3,
    }
}
