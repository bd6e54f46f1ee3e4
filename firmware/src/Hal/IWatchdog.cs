namespace Tfb.Hal
{
    /// <summary>
    /// The supervisor that resets the board when the scan stops completing. On real boards an external
    /// supervisor chip kicked over a GPIO (nanoFramework 1.x has no watchdog API); on the host, a model of one.
    /// </summary>
    /// <remarks>Kicked by the scan executive once per completed scan, from the scan thread only.</remarks>
    public interface IWatchdog
    {
        /// <summary>Supervisor timeout in milliseconds, from the board definition.</summary>
        int TimeoutMs { get; }

        /// <summary>Restarts the supervisor's timeout.</summary>
        void Kick();
    }
}
