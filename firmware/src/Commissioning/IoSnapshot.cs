namespace Tfb.Commissioning
{
    /// <summary>
    /// One consistent picture of the board's I/O taken by <see cref="CommissioningScan"/> in a single scan: what
    /// <c>io show</c>, <c>io watch</c>, <c>cal</c> and <c>selftest</c> read (the console never reads a HAL object
    /// the scan owns). Arrays follow the board definition's order.
    /// </summary>
    /// <remarks>Console side only: filled by <see cref="CommissioningScan.CopySnapshot"/>, one instance per command.</remarks>
    public sealed class IoSnapshot
    {
        /// <summary>False until the scan task has run once.</summary>
        public bool Taken;
        /// <summary>Number of snapshots taken so far (one per run of the task).</summary>
        public long Sequence;
        /// <summary>Clock reading when it was taken, microseconds.</summary>
        public long TakenUs;
        /// <summary>Digital input read succeeded.</summary>
        public bool[] DinValid;
        /// <summary>Digital input logical state (asserted).</summary>
        public bool[] DinActive;
        /// <summary>Analog input read succeeded with a finite value.</summary>
        public bool[] AinValid;
        /// <summary>Analog input value in its engineering unit (NaN when invalid).</summary>
        public double[] AinValue;
        /// <summary>Zero offset in effect in the adapter when the value was read.</summary>
        public double[] AinZero;
        /// <summary>Span gain in effect in the adapter when the value was read.</summary>
        public double[] AinGain;
        /// <summary>True when the calibration settings of the input are the ones in effect.</summary>
        public bool[] AinCalApplied;
        /// <summary>Output held by a force (digital outputs first, then analog outputs).</summary>
        public bool[] OutForced;
        /// <summary>Output value driven: 0/1 for digital, the fraction for analog (NaN when the platform lacks it).</summary>
        public double[] OutValue;
        /// <summary>Clock time at which a force expires, microseconds.</summary>
        public long[] OutForceUntilUs;

        /// <summary>Allocates for a board's counts.</summary>
        public IoSnapshot(int digitalInputs, int analogInputs, int outputs)
        {
            DinValid = new bool[digitalInputs];
            DinActive = new bool[digitalInputs];
            AinValid = new bool[analogInputs];
            AinValue = new double[analogInputs];
            AinZero = new double[analogInputs];
            AinGain = new double[analogInputs];
            AinCalApplied = new bool[analogInputs];
            OutForced = new bool[outputs];
            OutValue = new double[outputs];
            OutForceUntilUs = new long[outputs];
        }

        internal void CopyFrom(IoSnapshot s)
        {
            Taken = s.Taken;
            Sequence = s.Sequence;
            TakenUs = s.TakenUs;
            System.Array.Copy(s.DinValid, DinValid, DinValid.Length);
            System.Array.Copy(s.DinActive, DinActive, DinActive.Length);
            System.Array.Copy(s.AinValid, AinValid, AinValid.Length);
            System.Array.Copy(s.AinValue, AinValue, AinValue.Length);
            System.Array.Copy(s.AinZero, AinZero, AinZero.Length);
            System.Array.Copy(s.AinGain, AinGain, AinGain.Length);
            System.Array.Copy(s.AinCalApplied, AinCalApplied, AinCalApplied.Length);
            System.Array.Copy(s.OutForced, OutForced, OutForced.Length);
            System.Array.Copy(s.OutValue, OutValue, OutValue.Length);
            System.Array.Copy(s.OutForceUntilUs, OutForceUntilUs, OutForceUntilUs.Length);
        }
    }
}
