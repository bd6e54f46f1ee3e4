namespace Tfb.Stations.Web
{
    /// <summary>States of the web transport (stable numbers: published over MQTT).</summary>
    public enum WebState
    {
        /// <summary>Drives disabled, no motion, permit off.</summary>
        Idle = 0,
        /// <summary>Threading: drives enabled at threading tension, jog up to the threading speed.</summary>
        Thread = 1,
        /// <summary>Running at the tension and speed setpoints.</summary>
        Run = 2,
        /// <summary>Controlled stop: speed ramps to zero under tension control, then threading hold.</summary>
        Stopping = 3,
        /// <summary>A latched fault: permit off, speed ramped to zero, drives disabled at standstill; needs reset.</summary>
        FaultStop = 4,
    }

    /// <summary>Latched fault bits of the web controller; each maps to one alarm code.</summary>
    public static class WebFault
    {
        /// <summary>Web break (tension collapse).</summary>
        public const int Break = 1;
        /// <summary>Over-tension trip.</summary>
        public const int OverTension = 2;
        /// <summary>Under-tension beyond the timeout.</summary>
        public const int UnderTension = 4;
        /// <summary>v/w and integrated radius disagree.</summary>
        public const int RadiusDivergence = 8;
        /// <summary>Encoder without pulses while driven, or unreadable.</summary>
        public const int Encoder = 16;
        /// <summary>Load cell missing or NaN.</summary>
        public const int TensionSensor = 32;
        /// <summary>A drive's ready contact opened while enabled.</summary>
        public const int Drive = 64;
        /// <summary>Line speed does not follow its reference (stuck drive).</summary>
        public const int SpeedDeviation = 128;
        /// <summary>A load cell disagrees with the torque-balance tension at steady speed (offset drift).</summary>
        public const int TensionImplausible = 256;
        /// <summary>Number of fault bits.</summary>
        public const int Count = 9;
    }
}
