using Tfb.Hal;

namespace Tfb.Runtime
{
    /// <summary>Stands in for the supervisor on a board whose definition declares none (TimeoutMs = 0 says so in status).</summary>
    public sealed class NoWatchdog : IWatchdog
    {
        /// <summary>Always 0: nothing resets the board.</summary>
        public int TimeoutMs { get { return 0; } }

        /// <summary>Does nothing.</summary>
        public void Kick()
        {
        }
    }
}
