namespace Tfb.Stations.Web
{
    /// <summary>Scan command codes of the web module (range 2001-2099; stable).</summary>
    public static class WebCommandCode
    {
        /// <summary>First code of the range.</summary>
        public const int First = 2001;
        /// <summary>Idle -> Thread.</summary>
        public const int Thread = 2001;
        /// <summary>Thread -> Run.</summary>
        public const int Run = 2002;
        /// <summary>Controlled stop.</summary>
        public const int Stop = 2003;
        /// <summary>Thread at standstill -> Idle.</summary>
        public const int Off = 2004;
        /// <summary>Jog speed, Value0 m/s.</summary>
        public const int Jog = 2005;
        /// <summary>Manual mode on (Arg0 1) or off (0).</summary>
        public const int Manual = 2006;
        /// <summary>Manual torques, Value0 unwind N m, Value1 rewind N m.</summary>
        public const int ManualTorque = 2007;
        /// <summary>Re-arm the sputter permit.</summary>
        public const int ArmPermit = 2008;
        /// <summary>New rolls, Value0 unwind radius m, Value1 rewind radius m.</summary>
        public const int NewRolls = 2009;
        /// <summary>Autotune start, Arg0 roll (0 unwind, 2 rewind), Value0 amplitude as tension, N.</summary>
        public const int AutotuneStart = 2010;
        /// <summary>Autotune cancel.</summary>
        public const int AutotuneCancel = 2011;
        /// <summary>Reset latched faults, Arg0 fault bits.</summary>
        public const int ResetFaults = 2012;
        /// <summary>Last code of the range.</summary>
        public const int Last = 2099;
    }
}
