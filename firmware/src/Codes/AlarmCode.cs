namespace Tfb.Codes
{
    /// <summary>
    /// Alarm codes: conditions that need a person, raised with a timestamp and a detail number into the
    /// alarm log and published over MQTT. Stable; docs/codes/alarms.csv is the table and a test keeps the two
    /// equal. Ranges: 1000-1999 board and platform, 2000-2999 web transport, 3000-3999 sputter,
    /// 4000-4999 anneal, 5000-5999 sheet test.
    /// </summary>
    public enum AlarmCode
    {
        /// <summary>A scan ran past its deadline (detail: index of the task furthest over its budget, else of the longest task).</summary>
        ScanOverrun = 1001,
        /// <summary>Repeated overruns: outputs were driven to their safe state and the scan latched in fault.</summary>
        ScanOverrunTrip = 1002,
        /// <summary>The board restarted after a watchdog reset.</summary>
        WatchdogReset = 1003,
        /// <summary>Both settings slots were corrupt or empty: booted with defaults.</summary>
        SettingsCorrupt = 1010,
        /// <summary>The stored settings image has an unknown layout version: booted with defaults.</summary>
        SettingsVersionUnknown = 1011,
        /// <summary>Saving settings to non-volatile storage failed.</summary>
        SettingsSaveFailed = 1012,
        /// <summary>A command could not be queued into the scan (queue full).</summary>
        CommandQueueFull = 1020,
        /// <summary>An analog input read invalid (open, shorted, at a rail, NaN, or the read failed) for longer than its debounce (detail: input index).</summary>
        SensorFault = 1040,
        /// <summary>A digital input could not be read (detail: input index).</summary>
        InputReadFailed = 1041,
        /// <summary>The MQTT broker could not be reached for longer than the alarm delay.</summary>
        BrokerUnreachable = 1030,
        /// <summary>The store-and-forward queue is nearly full: producers are paused.</summary>
        StoreForwardNearFull = 1031,
        /// <summary>The store-and-forward storage is corrupt; unreadable entries were quarantined.</summary>
        StoreForwardCorrupt = 1032,

        // ---- 2000-2999 web transport ----

        // ---- 3000-3999 sputter ----

        // ---- 4000-4999 anneal ----
        /// <summary>Anneal limit channel: a limit thermocouple reached the limit temperature (or the external limit opened); heater contactor dropped, latched (detail: zone 1-3, 9 external contact).</summary>
        AnnealOverTemperatureTrip = 4001,
        /// <summary>Anneal limit channel: a limit thermocouple read invalid for 1 s; heater contactor dropped, latched (detail: 10 + zone).</summary>
        AnnealLimitSensorFault = 4002,
        /// <summary>Anneal: a control thermocouple's bad-read rate over its window exceeded the threshold; that zone's output off, program held (detail: zone).</summary>
        AnnealZoneTcFault = 4010,
        /// <summary>Anneal: the guaranteed-soak holdback held the program clock longer than the maximum (detail: segment, 1-based).</summary>
        AnnealHoldbackTimeout = 4020,
        /// <summary>Anneal: the furnace door opened while heating; heaters off, program held (detail: 0).</summary>
        AnnealDoorOpen = 4030,
        /// <summary>Anneal: O2 flow below the minimum during an O2 segment; program clock held (detail: flow in 0.1 slpm).</summary>
        AnnealO2FlowLow = 4040,
        /// <summary>Anneal: a program was active at a power failure and was recovered (detail: off time in s, capped).</summary>
        AnnealPowerFailRecovered = 4050,
        /// <summary>Anneal: a program was active at a power failure and was aborted (off too long, unknown off time, or mode abort; detail: off time in s, -1 unknown).</summary>
        AnnealPowerFailAborted = 4051,
        /// <summary>Anneal: a relay autotune ended without a sane result; gains unchanged (detail: zone).</summary>
        AnnealAutotuneFailed = 4060,
        /// <summary>Anneal: the program record could not be written to its NV partition (detail: 0).</summary>
        AnnealProgramStoreFailed = 4070,

        // ---- 5000-5999 sheet test ----
    }
}
