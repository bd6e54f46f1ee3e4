namespace Tfb.Codes
{
    /// <summary>
    /// Why a command (console line, MQTT NCMD/DCMD write, scenario step) was refused: the number after
    /// <c>error:</c> on the console and in the rejection event metric. Stable: a value never changes meaning;
    /// docs/codes/errors.csv is the table and a test keeps the two equal.
    /// </summary>
    public enum ErrorCode
    {
        /// <summary>No command of that name.</summary>
        UnknownCommand = 1,
        /// <summary>Too few or too many arguments.</summary>
        BadArgumentCount = 2,
        /// <summary>An argument does not parse (number, name, keyword).</summary>
        BadArgument = 3,
        /// <summary>The line exceeded the maximum length and was discarded.</summary>
        LineTooLong = 4,
        /// <summary>The session's access level is below what the command or setting needs.</summary>
        AccessDenied = 5,
        /// <summary>The command needs the line idle (no motion, RF or heat).</summary>
        NotIdle = 6,
        /// <summary>No setting of that name.</summary>
        UnknownSetting = 7,
        /// <summary>A value outside the setting's or command's minimum..maximum.</summary>
        OutOfRange = 8,
        /// <summary>The item cannot be written from here.</summary>
        ReadOnly = 9,
        /// <summary>Non-volatile storage failed; nothing was committed.</summary>
        StorageFailed = 10,
        /// <summary>Wrong password or unknown level.</summary>
        LoginFailed = 11,
        /// <summary>The command queue into the scan is full; try again.</summary>
        Busy = 12,
        /// <summary>An interlock forbids the action; nothing from the console or network bypasses one.</summary>
        InterlockActive = 13,
        /// <summary>The action is not valid in the current state.</summary>
        BadState = 14,
        /// <summary>The board or build does not support the action.</summary>
        NotSupported = 15,
        /// <summary>An unexpected fault inside the firmware; the command did nothing.</summary>
        InternalError = 16,
        /// <summary>Reset refused: the condition behind the latched trip is still present.</summary>
        ConditionPresent = 17,
        /// <summary>A payload (MQTT command) that does not decode.</summary>
        MalformedPayload = 20,
        /// <summary>A metric name the board does not know.</summary>
        UnknownMetric = 21,
        /// <summary>A metric value of the wrong Sparkplug datatype.</summary>
        WrongDatatype = 22,
        /// <summary>A recipe or program that does not validate.</summary>
        InvalidRecipe = 30,
        /// <summary>A calibration whose result is implausible.</summary>
        ImplausibleCalibration = 31,

        // ---- 260-279 sheet test ----
        /// <summary>A scan list (window) outside the sheet's grid, or empty.</summary>
        ScanListOutsideSheet = 260,
        /// <summary>A test's low limit is above its high limit.</summary>
        LimitsInverted = 261,
        /// <summary>No sheet in the fixture.</summary>
        NoSheet = 262,
        /// <summary>The analog front end did not answer.</summary>
        FrontEndNotResponding = 263,
    }
}
