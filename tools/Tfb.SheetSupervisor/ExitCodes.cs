namespace Tfb.SheetSupervisor;

/// <summary>
/// Process exit codes of the supervisor. Stable: scripts depend on them (docs/supervisor.md lists them).
/// </summary>
public enum ExitCode
{
    /// <summary>Done, nothing skipped.</summary>
    Ok = 0,

    /// <summary>Bad command line (unknown option, missing argument).</summary>
    Usage = 1,

    /// <summary>The input file does not exist or cannot be read.</summary>
    InputUnreadable = 2,

    /// <summary>The input is empty or holds no sheet.</summary>
    EmptyInput = 3,

    /// <summary>A header is missing or malformed (no <c># sheet</c> before the rows, no or wrong column header line).</summary>
    BadHeader = 4,

    /// <summary>Unknown measurement name.</summary>
    UnknownMeasurement = 5,

    /// <summary>The requested measurement has no finite value on any cell of the sheet (e.g. every cell open).</summary>
    NoMeasuredData = 6,

    /// <summary>Output written, but input rows or records were skipped (each one was reported on stderr).</summary>
    CompletedWithSkips = 7,

    /// <summary>The output file cannot be written.</summary>
    OutputFailed = 8,

    /// <summary>The MQTT broker cannot be reached or refused the connection.</summary>
    BrokerUnreachable = 9,

    /// <summary>The requested sheet is not in the input.</summary>
    SheetNotFound = 10,

    /// <summary>A fault in the tool itself (a bug): reported in one line, never as a stack trace.</summary>
    Internal = 70,
}

/// <summary>A failure with a stable exit code and a message meant for the operator (never a stack trace).</summary>
public sealed class SupervisorException : Exception
{
    /// <summary>Creates the failure.</summary>
    public SupervisorException(ExitCode code, string message) : base(message) => Code = code;

    /// <summary>The exit code the command ends with.</summary>
    public ExitCode Code { get; }
}

/// <summary>Something skipped or repaired while reading input: where, and what.</summary>
/// <param name="Line">1-based line number of the input (0 when not line-based, e.g. an MQTT message).</param>
/// <param name="Message">What was wrong and what was done about it.</param>
public sealed record InputIssue(long Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"line {Line}: {Message}" : Message;
}
