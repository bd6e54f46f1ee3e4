namespace Tfb.Codes
{
    /// <summary>
    /// Event codes: things worth a line in the event log (who did what, when) that need nobody's attention.
    /// Stable; docs/codes/events.csv is the table and a test keeps the two equal.
    /// </summary>
    public enum EventCode
    {
        /// <summary>Firmware started (detail: reset cause).</summary>
        Boot = 1,
        /// <summary>A console session logged in (detail: access level).</summary>
        Login = 2,
        /// <summary>A console session logged out or timed out (detail: 1 = idle timeout).</summary>
        Logout = 3,
        /// <summary>A login attempt failed (detail: level asked for).</summary>
        LoginFailed = 4,
        /// <summary>A setting changed in RAM (detail: setting index).</summary>
        SettingChanged = 5,
        /// <summary>Settings committed to non-volatile storage (detail: save sequence number, low 31 bits).</summary>
        SettingsSaved = 6,
        /// <summary>Settings reset to defaults (detail: number of settings reset).</summary>
        SettingsDefaults = 7,
        /// <summary>An alarm was acknowledged and reset (detail: alarm code).</summary>
        AlarmReset = 8,
        /// <summary>Stop requested by the real-time console byte or a command.</summary>
        StopRequested = 9,
        /// <summary>Resume requested by the real-time console byte or a command.</summary>
        ResumeRequested = 10,
        /// <summary>Settings loaded at boot (detail: slot 0 or 1).</summary>
        SettingsLoaded = 11,
        /// <summary>A command from the network was rejected (detail: error code).</summary>
        RemoteCommandRejected = 12,
        /// <summary>The MQTT session came up (detail: bdSeq).</summary>
        MqttOnline = 13,
        /// <summary>The MQTT session went down (detail: reason).</summary>
        MqttOffline = 14,
    }
}
