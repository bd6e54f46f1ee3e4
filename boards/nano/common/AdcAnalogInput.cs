using System;
using System.Device.Adc;
using Tfb.Boards.Io;
using Tfb.Hal;

namespace Tfb.Boards.Nano
{
    /// <summary>
    /// IAnalogInput over an on-chip ADC channel with the board definition's scaling and a settable calibration.
    /// </summary>
    /// <remarks>
    /// nanoFramework's AdcController is a singleton (a second construction throws), so every channel comes from
    /// <see cref="SharedAdc"/>. Threading: scan thread only. TryRead: one native conversion + arithmetic; no allocation.
    /// </remarks>
    public sealed class AdcAnalogInput : IAnalogInput, IDisposable
    {
        private readonly AdcChannel _channel;
        private readonly AnalogScaling _scaling;
        private readonly string _name;
        private AnalogStatus _lastStatus = AnalogStatus.ReadFailed;

        /// <summary>Opens the channel named by <paramref name="def"/>.</summary>
        public AdcAnalogInput(AnalogInputDef def)
        {
            _name = def.Name;
            _scaling = new AnalogScaling(def);
            _channel = SharedAdc.Controller.OpenChannel(def.Channel);
        }

        /// <summary>Logical name from the board definition.</summary>
        public string Name { get { return _name; } }

        /// <summary>The scaling, for applying a calibration from settings.</summary>
        public AnalogScaling Scaling { get { return _scaling; } }

        /// <summary>Why the last read failed (Ok after a good read): open, short, out of range, converter error.</summary>
        public AnalogStatus LastStatus { get { return _lastStatus; } }

        /// <inheritdoc />
        public bool TryRead(out double value)
        {
            int counts;
            try
            {
                counts = _channel.ReadValue();
            }
            catch (Exception)
            {
                value = double.NaN;
                _lastStatus = AnalogStatus.ReadFailed;
                return false;
            }
            _lastStatus = _scaling.Convert(counts, out value);
            return _lastStatus == AnalogStatus.Ok;
        }

        /// <summary>Releases the channel.</summary>
        public void Dispose()
        {
            _channel.Dispose();
        }
    }

    /// <summary>The one AdcController of the board (nanoFramework allows only one instance).</summary>
    public static class SharedAdc
    {
        private static readonly object s_lock = new object();
        private static AdcController s_controller;

        /// <summary>The controller, created on first use.</summary>
        public static AdcController Controller
        {
            get
            {
                lock (s_lock)
                {
                    if (s_controller == null) s_controller = new AdcController();
                    return s_controller;
                }
            }
        }
    }
}
