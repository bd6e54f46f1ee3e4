using Tfb.Hal;

namespace Tfb.Commissioning
{
    /// <summary>
    /// A digital output as the station modules see it, with a commissioning override: while forced, the
    /// module's writes are remembered but not driven.
    /// </summary>
    /// <remarks>
    /// Scan thread only (the modules write it, <see cref="CommissioningScan"/> forces it). <see cref="SetSafe"/>
    /// (from the module or the executive's safe state) always wins: it ends a force on the spot.
    /// After a force ends the output is at its safe state until the owning module writes it again.
    /// </remarks>
    public sealed class ForcedDigitalOutput : IDigitalOutput
    {
        private readonly IDigitalOutput _inner;
        private bool _forced;
        private bool _endedBySafeState;

        /// <summary>Wraps <paramref name="inner"/>.</summary>
        public ForcedDigitalOutput(string name, bool safeActive, IDigitalOutput inner)
        {
            if (inner == null) throw new System.ArgumentNullException("inner");
            Name = name;
            SafeActive = safeActive;
            _inner = inner;
        }

        /// <summary>Logical name.</summary>
        public string Name { get; private set; }

        /// <summary>The declared safe state (true = asserted).</summary>
        public bool SafeActive { get; private set; }

        /// <summary>True while a force holds the output.</summary>
        public bool IsForced { get { return _forced; } }

        /// <inheritdoc />
        public void Write(bool active)
        {
            if (!_forced) _inner.Write(active);
        }

        /// <inheritdoc />
        public void SetSafe()
        {
            if (_forced) _endedBySafeState = true;
            _forced = false;
            _inner.SetSafe();
        }

        /// <inheritdoc />
        public bool State { get { return _inner.State; } }

        internal void Force(bool active)
        {
            _forced = true;
            _inner.Write(active);
        }

        internal void EndForce()
        {
            _forced = false;
            _inner.SetSafe();
        }

        // True once after SetSafe ended a force (the scan task logs it and clears its slot).
        internal bool TakeEndedBySafeState()
        {
            bool b = _endedBySafeState;
            _endedBySafeState = false;
            return b;
        }
    }

    /// <summary>An analog/PWM output with a commissioning override; same rules as <see cref="ForcedDigitalOutput"/>.</summary>
    public sealed class ForcedAnalogOutput : IAnalogOutput
    {
        private readonly IAnalogOutput _inner;
        private bool _forced;
        private bool _endedBySafeState;
        private double _lastFraction;

        /// <summary>Wraps <paramref name="inner"/>.</summary>
        public ForcedAnalogOutput(string name, double safeFraction, IAnalogOutput inner)
        {
            if (inner == null) throw new System.ArgumentNullException("inner");
            Name = name;
            SafeFraction = safeFraction;
            _inner = inner;
            _lastFraction = safeFraction;
        }

        /// <summary>Logical name.</summary>
        public string Name { get; private set; }

        /// <summary>The declared safe fraction.</summary>
        public double SafeFraction { get; private set; }

        /// <summary>True while a force holds the output.</summary>
        public bool IsForced { get { return _forced; } }

        /// <summary>The fraction last driven (the safe fraction after SetSafe).</summary>
        public double Fraction { get { return _lastFraction; } }

        /// <inheritdoc />
        public void Write(double fraction)
        {
            if (_forced) return;
            _inner.Write(fraction);
            _lastFraction = fraction;
        }

        /// <inheritdoc />
        public void SetSafe()
        {
            if (_forced) _endedBySafeState = true;
            _forced = false;
            _inner.SetSafe();
            _lastFraction = SafeFraction;
        }

        internal void Force(double fraction)
        {
            _forced = true;
            _inner.Write(fraction);
            _lastFraction = fraction;
        }

        internal void EndForce()
        {
            _forced = false;
            _inner.SetSafe();
            _lastFraction = SafeFraction;
        }

        internal bool TakeEndedBySafeState()
        {
            bool b = _endedBySafeState;
            _endedBySafeState = false;
            return b;
        }
    }
}
