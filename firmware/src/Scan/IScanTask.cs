namespace Tfb.Scan
{
    /// <summary>
    /// One entry of the scan's task table: a piece of T1 work (read inputs, interlocks, a state machine, a
    /// controller, write outputs) that the <see cref="ScanExecutive"/> calls on the scans its rate divisor and
    /// phase select.
    /// </summary>
    /// <remarks>
    /// Contract: runs on the scan thread only; must not allocate, build strings, block, sleep, take a lock held
    /// across I/O, or wait on another thread; must finish within the budget it was registered with.
    /// Time comes from <see cref="ScanContext"/> (dt, deadline), never from DateTime or a platform timer.
    /// An exception escaping <see cref="Run"/> is a firmware defect: the executive drives the safe state,
    /// latches <see cref="ScanExecutive.Faulted"/> and stops kicking the watchdog.
    /// </remarks>
    public interface IScanTask
    {
        /// <summary>Does this task's work for the current scan.</summary>
        /// <param name="ctx">The scan's timing (scan number, release, deadline, this task's dt); reused, do not keep.</param>
        void Run(ScanContext ctx);
    }
}
