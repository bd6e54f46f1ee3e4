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
        /// <summary>Web break: a span's tension collapsed below the break level (detail: span 1 or 2).</summary>
        WebBreak = 2001,
        /// <summary>Over-tension trip (detail: span).</summary>
        WebOverTension = 2002,
        /// <summary>Under-tension beyond its timeout (detail: span).</summary>
        WebUnderTension = 2003,
        /// <summary>Roll radius from v/w and from integrated thickness disagree (detail: roller 0 unwind, 2 rewind).</summary>
        WebRadiusDivergence = 2004,
        /// <summary>Encoder unreadable or without pulses while driven (detail: roller 0 unwind, 1 drum, 2 rewind).</summary>
        WebEncoderFault = 2005,
        /// <summary>Load cell missing or NaN while the web is under control (detail: span).</summary>
        WebTensionSensorFault = 2006,
        /// <summary>A drive's ready contact opened while enabled (detail: roller).</summary>
        WebDriveFault = 2007,
        /// <summary>Line speed does not follow its reference: stuck drum drive (detail: roller).</summary>
        WebSpeedDeviation = 2008,
        /// <summary>Load-cell reading implausible: it disagrees with the tension from the roll's torque balance at steady speed (offset drift; detail: span).</summary>
        WebTensionImplausible = 2009,

        // ---- 3000-3999 sputter ----
        /// <summary>Sputter: chamber door or lid opened (hard-wired; RF dropped by the pin-change fast path). Latched.</summary>
        DoorOpen = 3001,
        /// <summary>Sputter: the web board's hard-wired permit (web moving, tension OK) dropped; RF dropped and shutters closed. Latched.</summary>
        WebPermitLost = 3002,
        /// <summary>Sputter: chamber pressure above the process window or unreadable while gas or RF was on (detail: pressure in mPa, -1 unreadable). Latched.</summary>
        ChamberPressureHigh = 3003,
        /// <summary>Sputter: chamber pressure below the process window while RF was on (detail: pressure in mPa). Latched.</summary>
        ChamberPressureLow = 3004,
        /// <summary>Sputter: an open gas line stayed outside its flow tolerance (detail: deviation in 0.1 %, -1 unreadable). Latched.</summary>
        GasFlowDeviation = 3005,
        /// <summary>Sputter cathode rf1: cooling-water flow switch opened (hard-wired; RF dropped by the fast path). Latched.</summary>
        Rf1WaterFlowLost = 3011,
        /// <summary>Sputter cathode rf1: generator interlock loop open (status bit, hard-wired; RF dropped by the fast path). Latched.</summary>
        Rf1GeneratorInterlockOpen = 3012,
        /// <summary>Sputter cathode rf1: generator over-temperature status. Latched.</summary>
        Rf1GeneratorOvertemp = 3013,
        /// <summary>Sputter cathode rf1: cooling-water return temperature above the trip limit (detail: 0.1 C, -1 unreadable). Latched.</summary>
        Rf1WaterReturnHot = 3014,
        /// <summary>Sputter cathode rf1: reflected power above the trip level for the trip time after the blanking window (detail: 0.1 % of forward). Latched.</summary>
        Rf1ReflectedPowerTrip = 3015,
        /// <summary>Sputter cathode rf1: arc count reached the lockout count within the window (detail: arcs in the window). Latched until an operator clears it.</summary>
        Rf1ArcLockout = 3016,
        /// <summary>Sputter cathode rf1: strike failures reached the lockout count within the window (detail: failures in the window). Latched until an operator clears it.</summary>
        Rf1StrikeLockout = 3017,
        /// <summary>Sputter cathode rf1: forward or reflected readback unreadable while RF was on. Latched.</summary>
        Rf1ReadbackFault = 3018,
        /// <summary>Sputter cathode rf1: reflected power above the warning level: the ramp holds (detail: 0.1 % of forward). Clears by itself.</summary>
        Rf1ReflectedPowerWarning = 3019,
        /// <summary>Sputter cathode rf2: cooling-water flow switch opened (hard-wired; RF dropped by the fast path). Latched.</summary>
        Rf2WaterFlowLost = 3021,
        /// <summary>Sputter cathode rf2: generator interlock loop open (status bit, hard-wired; RF dropped by the fast path). Latched.</summary>
        Rf2GeneratorInterlockOpen = 3022,
        /// <summary>Sputter cathode rf2: generator over-temperature status. Latched.</summary>
        Rf2GeneratorOvertemp = 3023,
        /// <summary>Sputter cathode rf2: cooling-water return temperature above the trip limit (detail: 0.1 C, -1 unreadable). Latched.</summary>
        Rf2WaterReturnHot = 3024,
        /// <summary>Sputter cathode rf2: reflected power above the trip level for the trip time after the blanking window (detail: 0.1 % of forward). Latched.</summary>
        Rf2ReflectedPowerTrip = 3025,
        /// <summary>Sputter cathode rf2: arc count reached the lockout count within the window (detail: arcs in the window). Latched until an operator clears it.</summary>
        Rf2ArcLockout = 3026,
        /// <summary>Sputter cathode rf2: strike failures reached the lockout count within the window (detail: failures in the window). Latched until an operator clears it.</summary>
        Rf2StrikeLockout = 3027,
        /// <summary>Sputter cathode rf2: forward or reflected readback unreadable while RF was on. Latched.</summary>
        Rf2ReadbackFault = 3028,
        /// <summary>Sputter cathode rf2: reflected power above the warning level: the ramp holds (detail: 0.1 % of forward). Clears by itself.</summary>
        Rf2ReflectedPowerWarning = 3029,
        /// <summary>Sputter cathode rf1: cooling-water return more than the pre-alarm rise above the inlet (detail: rise in 0.1 K). Clears by itself.</summary>
        Rf1WaterRisePreAlarm = 3041,
        /// <summary>Sputter cathode rf2: cooling-water return more than the pre-alarm rise above the inlet (detail: rise in 0.1 K). Clears by itself.</summary>
        Rf2WaterRisePreAlarm = 3042,

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
