using System;
using System.Threading;
using Tfb.Hal;

namespace Tfb.Scan
{
    /// <summary>
    /// Device runner: a dedicated highest-priority thread that waits for each absolute release and calls
    /// <see cref="ScanExecutive.RunOnce"/>. The board composition root builds the executive, then calls
    /// <see cref="Start"/>. (The host lockstep runner calls RunOnce itself instead.)
    /// </summary>
    /// <remarks>
    /// Waiting: Thread.Sleep has millisecond granularity and may wake late by a scheduler tick, so the thread
    /// sleeps for the bulk of the wait minus <c>sleepGuardUs</c>, then spins on <see cref="IClock"/> for the
    /// rest. The guard trades CPU left to T2 threads (console, MQTT) against release jitter: it should be
    /// at least the board's sleep overshoot and well under the period (a guard of at least the period means
    /// the thread never sleeps and T2 only runs when the scheduler preempts the spin).
    /// Not measured on hardware here; the board definition sets the guard.
    /// If a task throws, the executive has already driven the safe state and latched Faulted; the loop keeps
    /// releasing scans (which re-assert the safe state and no longer kick the watchdog) until the supervisor
    /// resets the board.
    /// </remarks>
    public sealed class ScanThreadRunner
    {
        private readonly ScanExecutive _executive;
        private readonly IClock _clock;
        private readonly int _sleepGuardUs;
        private Thread _thread;
        private int _stop;
        private int _faults;

        /// <summary>Creates the runner (no thread yet).</summary>
        /// <param name="executive">The composed executive.</param>
        /// <param name="clock">The same clock the executive reads.</param>
        /// <param name="sleepGuardUs">Time before a release spent spinning instead of sleeping, us (0..period).</param>
        public ScanThreadRunner(ScanExecutive executive, IClock clock, int sleepGuardUs)
        {
            if (executive == null) throw new ArgumentNullException("executive");
            if (clock == null) throw new ArgumentNullException("clock");
            if (sleepGuardUs < 0) throw new ArgumentOutOfRangeException("sleepGuardUs");
            _executive = executive;
            _clock = clock;
            _sleepGuardUs = sleepGuardUs;
        }

        /// <summary>Exceptions that escaped a scan (the first one latched the executive's Faulted state).</summary>
        public int Faults { get { return Interlocked.CompareExchange(ref _faults, 0, 0); } }

        /// <summary>True while the scan thread runs.</summary>
        public bool IsRunning { get { return _thread != null && _thread.IsAlive; } }

        /// <summary>
        /// Starts the scan thread at the highest priority; scan 0 is released one period from now unless the
        /// executive was started already.
        /// </summary>
        public void Start()
        {
            if (_thread != null) throw new InvalidOperationException("already started");
            if (!_executive.Started) _executive.Start(_clock.NowMicros + _executive.PeriodUs);
            Interlocked.Exchange(ref _stop, 0);
            _thread = new Thread(Loop);
            _thread.Priority = ThreadPriority.Highest;
            _thread.Start();
        }

        /// <summary>
        /// Ends the loop after the current scan and waits for the thread (host real-time mode, tests, shutdown).
        /// The outputs are left as the last scan wrote them: call the safe state first when stopping a live board.
        /// </summary>
        /// <returns>False when the thread did not end within <paramref name="timeoutMs"/>.</returns>
        public bool Stop(int timeoutMs)
        {
            Interlocked.Exchange(ref _stop, 1);
            Thread t = _thread;
            return t == null || t.Join(timeoutMs);
        }

        private void Loop()
        {
            while (Interlocked.CompareExchange(ref _stop, 0, 0) == 0)
            {
                long remainingUs = _executive.NextReleaseUs - _clock.NowMicros;
                if (remainingUs > _sleepGuardUs)
                {
                    // Sleep whole ms that still end _sleepGuardUs before the release, rounded down:
                    // e.g. period 5000 us, scan took 1200 us, guard 1500 us -> (3800 - 1500) / 1000 = 2 ms, then
                    // spin the remaining ~1.8 ms. Re-evaluate after waking (sleep can end early or late).
                    int sleepMs = (int)((remainingUs - _sleepGuardUs) / 1000);
                    if (sleepMs > 0)
                    {
                        Thread.Sleep(sleepMs);
                        continue;
                    }
                }
                bool stopping = false;
                while (_clock.NowMicros < _executive.NextReleaseUs)
                {
                    // Spin to the release: the last part of the wait is shorter than the sleep granularity.
                    if (Interlocked.CompareExchange(ref _stop, 0, 0) != 0)
                    {
                        stopping = true;
                        break;
                    }
                }
                if (stopping) break;
                try
                {
                    _executive.RunOnce();
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref _faults);
                }
            }
        }
    }
}
