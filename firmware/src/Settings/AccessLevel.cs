namespace Tfb.Settings
{
    /// <summary>
    /// Who may do what: the same levels gate console commands, setting writes and MQTT command writes.
    /// Ordered: a higher level may do everything a lower one may.
    /// </summary>
    public enum AccessLevel
    {
        /// <summary>Read status, acknowledge; the level of an unauthenticated console and of SCADA reads.</summary>
        Operator = 0,
        /// <summary>Change process settings, reset alarms, commissioning checks.</summary>
        Technician = 1,
        /// <summary>Change board configuration, calibration, network, credentials.</summary>
        Engineer = 2,
    }
}
