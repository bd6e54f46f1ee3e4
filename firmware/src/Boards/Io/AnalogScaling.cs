namespace Tfb.Boards.Io
{
    /// <summary>
    /// Counts to engineering units for one analog input, from its board definition plus a calibration
    /// (zero offset and span gain from settings): counts -> pin volts -> sensor volts -> engineering value.
    /// </summary>
    /// <remarks>
    /// Scaling: volts = VoltsMin + (counts - CountsMin) * (VoltsMax - VoltsMin) / (CountsMax - CountsMin);
    /// eng = EngMin + (volts - SensorVoltsMin) * (EngMax - EngMin) / (SensorVoltsMax - SensorVoltsMin);
    /// calibrated = (eng - zero) * gain. Open/short limits are checked on raw counts before anything else.
    /// Allocation-free; threading: scan thread only (calibration changes arrive through the scan's command queue).
    /// </remarks>
    public sealed class AnalogScaling
    {
        /// <summary>Smallest accepted span gain.</summary>
        public const double MinGain = 0.5;
        /// <summary>Largest accepted span gain.</summary>
        public const double MaxGain = 2.0;

        private readonly int _countsMin;
        private readonly int _countsMax;
        private readonly int _openBelow;
        private readonly int _shortAbove;
        private readonly double _voltsPerCount;
        private readonly double _voltsMin;
        private readonly double _sensorVoltsMin;
        private readonly double _engPerVolt;
        private readonly double _engMin;
        private double _zero;
        private double _gain = 1.0;

        /// <summary>Builds the scaling of <paramref name="def"/> (validated by the parser).</summary>
        public AnalogScaling(AnalogInputDef def)
        {
            _countsMin = def.CountsMin;
            _countsMax = def.CountsMax;
            _openBelow = def.OpenBelowCounts;
            _shortAbove = def.ShortAboveCounts;
            _voltsMin = def.VoltsMin;
            _voltsPerCount = (def.VoltsMax - def.VoltsMin) / (def.CountsMax - def.CountsMin);
            _sensorVoltsMin = def.SensorVoltsMin;
            _engPerVolt = (def.EngMax - def.EngMin) / (def.SensorVoltsMax - def.SensorVoltsMin);
            _engMin = def.EngMin;
        }

        /// <summary>Zero offset in engineering units (subtracted before the gain).</summary>
        public double Zero { get { return _zero; } }

        /// <summary>Span gain (dimensionless).</summary>
        public double Gain { get { return _gain; } }

        /// <summary>Sets the calibration; refuses non-finite values and a gain outside <see cref="MinGain"/>..<see cref="MaxGain"/>.</summary>
        /// <returns>False (and nothing changes) when refused.</returns>
        public bool SetCalibration(double zero, double gain)
        {
            if (!IsFinite(zero) || !IsFinite(gain) || gain < MinGain || gain > MaxGain) return false;
            _zero = zero;
            _gain = gain;
            return true;
        }

        /// <summary>Converts a raw converter reading.</summary>
        /// <param name="counts">Raw counts from the converter.</param>
        /// <param name="value">Calibrated engineering value, or NaN on failure.</param>
        /// <returns>
        /// <see cref="AnalogStatus.Ok"/>; <see cref="AnalogStatus.Open"/> at or below the open limit;
        /// <see cref="AnalogStatus.Short"/> at or above the short limit; <see cref="AnalogStatus.OutOfRange"/>
        /// outside the converter range; <see cref="AnalogStatus.NotFinite"/> if the arithmetic is not finite.
        /// </returns>
        public AnalogStatus Convert(int counts, out double value)
        {
            value = double.NaN;
            if (counts < _countsMin || counts > _countsMax) return AnalogStatus.OutOfRange;
            if (counts <= _openBelow) return AnalogStatus.Open;
            if (counts >= _shortAbove) return AnalogStatus.Short;
            double volts = _voltsMin + (counts - _countsMin) * _voltsPerCount;
            double eng = _engMin + (volts - _sensorVoltsMin) * _engPerVolt;
            double calibrated = (eng - _zero) * _gain;
            if (!IsFinite(calibrated)) return AnalogStatus.NotFinite;
            value = calibrated;
            return AnalogStatus.Ok;
        }

        private static bool IsFinite(double v)
        {
            return !double.IsNaN(v) && !double.IsInfinity(v);
        }
    }

    /// <summary>Outcome of an analog conversion; anything but Ok is a fault for the caller.</summary>
    public enum AnalogStatus
    {
        /// <summary>A valid value.</summary>
        Ok = 0,
        /// <summary>At or below the open-input limit (broken wire, open 4-20 mA loop).</summary>
        Open = 1,
        /// <summary>At or above the short/saturation limit.</summary>
        Short = 2,
        /// <summary>Outside the converter's declared count range (converter fault).</summary>
        OutOfRange = 3,
        /// <summary>The result is NaN or infinite.</summary>
        NotFinite = 4,
        /// <summary>The converter read failed.</summary>
        ReadFailed = 5,
    }
}
