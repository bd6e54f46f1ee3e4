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

        // ---- 5000-5999 sheet test ----
        /// <summary>Sheet test: the analog front end (mux, source) stopped answering SPI; the sheet was stopped and its measured sites kept (detail: site sequence).</summary>
        SheetFrontEndNotResponding = 5001,
        /// <summary>Sheet test: the ADC failed (bus errors, overruns or no data within the timeout) during a measurement (detail: site sequence).</summary>
        SheetAdcFault = 5002,
        /// <summary>Sheet test: too many consecutive open sites: fixture contact lost; the sequencer paused (detail: consecutive opens).</summary>
        SheetContactLoss = 5003,
        /// <summary>Sheet test: the limits became invalid (a low limit above its high limit) before a sheet; it was not started (detail: test index).</summary>
        SheetLimitsInvalid = 5004,
    }
}
