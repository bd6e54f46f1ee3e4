namespace Tfb.Stations.Anneal
{
    /// <summary>Power-fail recovery: what the programmer does when it boots and finds a program was active.</summary>
    public enum PowerFailMode
    {
        /// <summary>Continue at the saved segment and setpoint.</summary>
        Continue = 0,
        /// <summary>Ramp from the measured temperature back to the saved setpoint at the segment's rate (or <see cref="AnnealConfig.RampBackRateCPerMin"/>), then continue.</summary>
        RampBack = 1,
        /// <summary>Hold at the saved setpoint with the program clock stopped until an operator resumes.</summary>
        Hold = 2,
        /// <summary>Abort: heaters off, alarm.</summary>
        Abort = 3,
    }

    /// <summary>The anneal module's working configuration, copied from settings when they change (scan thread).</summary>
    public sealed class AnnealConfig
    {
        /// <summary>Limit channel trip temperature, C.</summary>
        public double LimitC = 760;
        /// <summary>Program validation limits.</summary>
        public readonly ProgramLimits Limits = new ProgramLimits();
        /// <summary>Longest continuous holdback before the alarm, s.</summary>
        public double MaxHoldS = 3600;
        /// <summary>Power-fail recovery mode.</summary>
        public PowerFailMode PowerFail = PowerFailMode.RampBack;
        /// <summary>Longest power-off time that is recovered; longer aborts, s.</summary>
        public double MaxOffS = 1800;
        /// <summary>Ramp-back rate when the segment has none (dwell), C/min.</summary>
        public double RampBackRateCPerMin = 5;
        /// <summary>TC error window, s.</summary>
        public double TcWindowS = 4;
        /// <summary>TC bad-read share that is a fault, 0..1.</summary>
        public double TcMaxBadFraction = 0.3;
        /// <summary>SSR time-proportioning cycle, s.</summary>
        public double CycleS = 2;
        /// <summary>O2 flow below which an O2 segment is starved, slpm.</summary>
        public double O2MinSlpm = 1;
        /// <summary>Time the O2 flow may take to establish, s.</summary>
        public double O2DelayS = 30;
        /// <summary>Baseline control: fixed gains, no feed-forward, no holdback, no ramp rounding.</summary>
        public bool Baseline;
        /// <summary>Gain schedule breakpoints, C.</summary>
        public double ScheduleLowC = 100;
        /// <summary>Gain schedule high breakpoint, C.</summary>
        public double ScheduleHighC = 700;
        /// <summary>Ramp rounding: the setpoint approaches a ramp's target with this time constant, s (0: sharp corner).</summary>
        public double ApproachS = 150;
        /// <summary>Feed-forward lead time (heater node C_h*R_ho plus thermocouple lag), s; 0 = none.</summary>
        public double LeadS = 70;
        /// <summary>PV filter time constant, s.</summary>
        public double PvFilterS = 1;
    }
}
