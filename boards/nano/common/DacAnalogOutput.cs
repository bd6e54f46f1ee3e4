using System;
using System.Device.Dac;
using Tfb.Boards.Io;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary>IAnalogOutput on an on-chip DAC channel, at the controller's resolution.</summary>
    /// <remarks>Threading: scan thread only; no allocation per write.</remarks>
    public sealed class DacAnalogOutput : IAnalogOutput, IDisposable
    {
        private readonly DacChannel _channel;
        private readonly int _bits;
        private readonly double _safe;
        private readonly bool _activeHigh;
        private readonly string _name;

        /// <summary>Opens the DAC channel of <paramref name="def"/> and drives the safe value.</summary>
        public DacAnalogOutput(AnalogOutputDef def)
        {
            _name = def.Name;
            _safe = def.SafeFraction;
            _activeHigh = def.ActiveHigh;
            DacController dac = DacController.GetDefault();
            _bits = dac.ResolutionInBits;
            if (_bits < 1 || _bits > 16) throw new InvalidOperationException("aout " + def.Name + ": DAC reports " + _bits.ToString() + " bits");
            _channel = dac.OpenChannel(def.Channel);
            SetSafe();
        }

        /// <summary>Logical name from the board definition.</summary>
        public string Name { get { return _name; } }

        /// <inheritdoc />
        public void Write(double fraction)
        {
            _channel.WriteValue(OutputScaling.ToDacCode(OutputScaling.Sanitize(fraction, _safe), _activeHigh, _bits));
        }

        /// <inheritdoc />
        public void SetSafe()
        {
            _channel.WriteValue(OutputScaling.ToDacCode(_safe, _activeHigh, _bits));
        }

        /// <summary>Drives the safe value and releases the channel.</summary>
        public void Dispose()
        {
            SetSafe();
            _channel.Dispose();
        }
    }
}
