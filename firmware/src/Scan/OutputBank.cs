using System;
using Tfb.Hal;

namespace Tfb.Scan
{
    /// <summary>
    /// The board's outputs as one <see cref="ISafeState"/>: <see cref="EnterSafeState"/> calls SetSafe() on
    /// every registered output. The board composition root fills it from the board definition and registers
    /// it with <see cref="ScanExecutive.AddSafeState"/>.
    /// </summary>
    /// <remarks>Registration at composition time only; <see cref="EnterSafeState"/> from the scan thread only.</remarks>
    public sealed class OutputBank : ISafeState
    {
        private readonly IDigitalOutput[] _digital;
        private readonly IAnalogOutput[] _analog;
        private int _digitalCount;
        private int _analogCount;

        /// <summary>Creates an empty bank with room for the given number of outputs.</summary>
        public OutputBank(int maxDigital, int maxAnalog)
        {
            if (maxDigital < 0) throw new ArgumentOutOfRangeException("maxDigital");
            if (maxAnalog < 0) throw new ArgumentOutOfRangeException("maxAnalog");
            _digital = new IDigitalOutput[maxDigital];
            _analog = new IAnalogOutput[maxAnalog];
        }

        /// <summary>Digital outputs registered.</summary>
        public int DigitalCount { get { return _digitalCount; } }

        /// <summary>Analog outputs registered.</summary>
        public int AnalogCount { get { return _analogCount; } }

        /// <summary>Adds a digital output.</summary>
        public void AddDigital(IDigitalOutput output)
        {
            if (output == null) throw new ArgumentNullException("output");
            if (_digitalCount == _digital.Length) throw new InvalidOperationException("OutputBank digital capacity exhausted");
            _digital[_digitalCount++] = output;
        }

        /// <summary>Adds an analog or PWM output.</summary>
        public void AddAnalog(IAnalogOutput output)
        {
            if (output == null) throw new ArgumentNullException("output");
            if (_analogCount == _analog.Length) throw new InvalidOperationException("OutputBank analog capacity exhausted");
            _analog[_analogCount++] = output;
        }

        /// <summary>Drives every registered output to its declared safe state.</summary>
        public void EnterSafeState()
        {
            for (int i = 0; i < _digitalCount; i++) _digital[i].SetSafe();
            for (int i = 0; i < _analogCount; i++) _analog[i].SetSafe();
        }
    }
}
