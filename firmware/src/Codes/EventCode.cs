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
        /// <summary>Commissioning: an output was forced by the console (detail: output index, digital outputs first, then analog outputs in board-definition order).</summary>
        OutputForced = 15,
        /// <summary>Commissioning: a forced output was released by io release and returned to its safe state (detail: output index).</summary>
        OutputForceReleased = 16,
        /// <summary>Commissioning: a force timed out and the output returned to its safe state (detail: output index).</summary>
        OutputForceExpired = 17,
        /// <summary>Commissioning: a force was ended by an interlock, the line leaving idle or a safe-state entry (detail: output index).</summary>
        OutputForceCancelled = 18,
        /// <summary>Commissioning: an analog input's zero offset was calibrated (detail: analog input index).</summary>
        CalibrationZeroSet = 19,
        /// <summary>Commissioning: an analog input's span gain was calibrated (detail: analog input index).</summary>
        CalibrationSpanSet = 20,
        /// <summary>Commissioning: an analog input's calibration was reset to zero 0, gain 1 (detail: analog input index).</summary>
        CalibrationCleared = 21,
        /// <summary>Commissioning: network or broker configuration changed (detail: 1 IP, 2 broker, 3 credentials, 4 Sparkplug ids).</summary>
        NetworkConfigChanged = 22,
        /// <summary>Commissioning: the broker CA certificate was stored or cleared (detail: base64 characters, 0 = cleared).</summary>
        CaCertificateChanged = 23,
        /// <summary>Commissioning: net test ran (detail: result code of the connection tester, 0 = connected).</summary>
        ConnectionTested = 24,
        /// <summary>Commissioning: the board's asset id was set (detail: length).</summary>
        AssetIdChanged = 25,
        /// <summary>Commissioning: selftest ran (detail: number of failed checks, 0 = pass).</summary>
        SelfTestRun = 26,
        /// <summary>Commissioning: a settings backup was printed (detail: lines).</summary>
        SettingsBackup = 27,
        /// <summary>Sputter: the station sequence changed state (detail: new state number, docs/sputter.md).</summary>
        SputterStateChanged = 220,
        /// <summary>Sputter: the operating mode changed (detail: 0 normal, 1 manual, 2 maintenance).</summary>
        SputterModeChanged = 221,
        /// <summary>Sputter: an output was commanded in maintenance (detail: 100*kind + index + 1000*on; kind 1 RF, 2 shutter, 3 gas).</summary>
        SputterMaintenanceAction = 222,
        /// <summary>Sputter: maintenance timed out; outputs ramped off and the station returned to idle.</summary>
        SputterMaintenanceTimeout = 223,
        /// <summary>Sputter: no plasma after the strike time, or the plasma went out (detail: cathode index).</summary>
        SputterStrikeFailure = 224,
        /// <summary>Sputter: an arc (reflected spike) was counted (detail: cathode index).</summary>
        SputterArc = 225,
        /// <summary>Sputter: a run stopped without an operator stop (detail: alarm code that latched, 0 = strike failure, 1 = pump-down timeout).</summary>
        SputterRunAborted = 226,
        /// <summary>Sputter: the scan refused a queued operator command (detail: error code).</summary>
        SputterCommandRefused = 227,
        /// <summary>Anneal: a program started (detail: program number).</summary>
        AnnealProgramStarted = 240,
        /// <summary>Anneal: a program reached its end segment (detail: program number).</summary>
        AnnealProgramEnded = 241,
        /// <summary>Anneal: a program was aborted (detail: 1 operator, 2 limit trip, 3 power fail).</summary>
        AnnealProgramAborted = 242,
        /// <summary>Anneal: a segment started (detail: segment, 1-based).</summary>
        AnnealSegmentStarted = 243,
        /// <summary>Anneal: a stored program was edited (detail: program number).</summary>
        AnnealProgramEdited = 244,
        /// <summary>Anneal: a relay autotune finished and its gains were stored (detail: zone).</summary>
        AnnealAutotuneDone = 245,
        /// <summary>Anneal: the program was held or resumed (detail: 1 held, 0 resumed).</summary>
        AnnealProgramHeld = 246,
    }
}
