using Tfb.Codes;
using Tfb.Settings;

namespace Tfb.Runtime
{
    /// <summary>
    /// A station's firmware (web transport, sputter, anneal, sheet test) as the board runtime composes it.
    /// The board definition's <c>station</c> lines say which modules a board runs.
    /// </summary>
    /// <remarks>
    /// Lifecycle, all at boot on one thread: <see cref="DeclareSettings"/> (before the stored settings load),
    /// then <see cref="Attach"/> (look up I/O by logical name, add scan tasks, command handlers, console
    /// commands, status providers, snapshot fields, Sparkplug metrics). A module that lacks an input it needs
    /// throws from Attach: a board that cannot run its station must not pretend to.
    /// </remarks>
    public interface IStationModule
    {
        /// <summary>Station name as in board definitions, e.g. <c>anneal</c>.</summary>
        string Name { get; }

        /// <summary>Declares the module's settings.</summary>
        void DeclareSettings(SettingsRegistry settings);

        /// <summary>Wires the module into the runtime.</summary>
        void Attach(BoardRuntime runtime);

        /// <summary>True when the station is idle: no motion, RF or heat (from the last snapshot; any thread).</summary>
        bool IsIdle { get; }

        /// <summary>Resets one of the module's latched alarms if its condition is healthy (console thread).</summary>
        /// <returns>False with BadArgument when the code is not the module's, ConditionPresent when it persists.</returns>
        bool TryResetAlarm(int code, out ErrorCode error);
    }
}
