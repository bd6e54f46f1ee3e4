using System;

namespace Tfb.Boards
{
    /// <summary>
    /// Why a board-definition line was refused. Stable: a value never changes meaning; docs/boards/format.md
    /// lists them and a test keeps the two equal.
    /// </summary>
    public enum BoardError
    {
        /// <summary>No error.</summary>
        None = 0,
        /// <summary>The first word of the line is not a known keyword.</summary>
        UnknownKeyword = 1,
        /// <summary>A key=value option the keyword does not take.</summary>
        UnknownKey = 2,
        /// <summary>A required key or positional argument is absent.</summary>
        MissingArgument = 3,
        /// <summary>Too many positional arguments, or a token that is neither positional nor key=value.</summary>
        BadSyntax = 4,
        /// <summary>A value does not parse (number, keyword, range, name).</summary>
        BadValue = 5,
        /// <summary>A value parses but is outside what the item allows (negative size, min &gt;= max, ...).</summary>
        OutOfRange = 6,
        /// <summary>Two items carry the same name, or a key is given twice on one line.</summary>
        DuplicateName = 7,
        /// <summary>A physical pin or simulated signal is used by two items.</summary>
        DuplicatePin = 8,
        /// <summary>A once-only line (board, mcu, clock, watchdog, ethernet, a station) appears twice.</summary>
        DuplicateLine = 9,
        /// <summary>A required line (board, mcu, clock, watchdog on a real MCU, a station, a console UART) is absent.</summary>
        MissingLine = 10,
        /// <summary>The pin name does not exist on this MCU, or is the wrong kind (sim: on a real MCU, GPIO on host).</summary>
        BadPin = 11,
        /// <summary>The pin exists but the MCU or the board reserves it (flash, debug UART, Ethernet RMII).</summary>
        PinReserved = 12,
        /// <summary>An input-only pin (ESP32 GPIO 34-39) is used as an output.</summary>
        InputOnlyPin = 13,
        /// <summary>A strapping pin is used without <c>strap=ok</c> on the line.</summary>
        StrappingPin = 14,
        /// <summary>The ADC or DAC channel does not exist or is not wired to the named pin.</summary>
        BadChannel = 15,
        /// <summary>The clock source does not exist on this MCU.</summary>
        ClockNotSupported = 16,
        /// <summary>No station module of that name.</summary>
        UnknownStation = 17,
        /// <summary>A reference to an item that is not declared (SPI device on an undeclared bus, pinfunc on an unused pin).</summary>
        UnknownReference = 18,
        /// <summary>A pin needs an alternate-function routing line (ESP32 pinfunc) that is absent or names another function.</summary>
        PinFunctionMismatch = 19,
        /// <summary>The line is longer than the parser accepts.</summary>
        LineTooLong = 20,
        /// <summary>The keyword is valid but not on this MCU (ESP32 DAC behind Ethernet, backup memory off STM32).</summary>
        NotOnThisMcu = 21,
    }

    /// <summary>One refused line: stable code, 1-based line number (0 = the file as a whole) and a message for people.</summary>
    public sealed class BoardParseError
    {
        /// <summary>Creates an error record.</summary>
        public BoardParseError(BoardError code, int lineNumber, string message)
        {
            Code = code;
            LineNumber = lineNumber;
            Message = message;
        }

        /// <summary>The stable code.</summary>
        public BoardError Code { get; }

        /// <summary>1-based line number; 0 when the problem is the file as a whole (a missing line).</summary>
        public int LineNumber { get; }

        /// <summary>What is wrong, naming the token.</summary>
        public string Message { get; }

        /// <summary>"line N: BE&lt;code&gt; message".</summary>
        public override string ToString()
        {
            return "line " + LineNumber.ToString() + ": BE" + ((int)Code).ToString() + " " + Message;
        }
    }

    /// <summary>Thrown by <see cref="BoardDefinitionParser.Parse"/>; carries the first error.</summary>
    public sealed class BoardDefinitionException : Exception
    {
        /// <summary>Wraps a parse error.</summary>
        public BoardDefinitionException(BoardParseError error) : base(error.ToString())
        {
            Error = error;
        }

        /// <summary>The refused line.</summary>
        public BoardParseError Error { get; }
    }
}
