using Tfb.Commissioning;
using Tfb.Scan;
using Tfb.Text;

namespace Tfb.Stations.Anneal
{
    /// <summary>
    /// Scan task that refreshes the configuration when settings changed, stores autotune results, and publishes
    /// the anneal state into the scan snapshot (fields <c>anneal.*</c>) for the console, MQTT and tests.
    /// </summary>
    internal sealed class AnnealPublisher : IScanTask
    {
        private readonly AnnealModule _m;
        private readonly ScanSnapshot _s;
        internal readonly int State, Program, Segment, DelayS;
        internal readonly int SetpointC, RateCpm, RemainingS, HoldbackS, LimitHighestC, O2Flow;
        internal readonly int Holdback, Heating, Manual, LimitTripped, LimitResetAllowed, TcClean, DoorClosed, O2Valve;
        internal readonly int[] Pv, Out, TcFault, ZoneManual, Tuning, LimitTc;

        public AnnealPublisher(AnnealModule m, ScanSnapshot s)
        {
            _m = m;
            _s = s;
            State = s.AddInt("anneal.state");
            Program = s.AddInt("anneal.program");
            Segment = s.AddInt("anneal.segment");
            DelayS = s.AddInt("anneal.delayS");
            SetpointC = s.AddDouble("anneal.setpointC");
            RateCpm = s.AddDouble("anneal.rateCPerMin");
            RemainingS = s.AddDouble("anneal.segmentRemainingS");
            HoldbackS = s.AddDouble("anneal.holdbackS");
            LimitHighestC = s.AddDouble("anneal.limit.highestC");
            O2Flow = s.AddDouble("anneal.o2.flowSlpm");
            Holdback = s.AddBool("anneal.holdback");
            Heating = s.AddBool("anneal.heating");
            Manual = s.AddBool("anneal.manual");
            LimitTripped = s.AddBool("anneal.limit.tripped");
            LimitResetAllowed = s.AddBool("anneal.limit.resetAllowed");
            TcClean = s.AddBool("anneal.tc.clean");
            DoorClosed = s.AddBool("anneal.door.closed");
            O2Valve = s.AddBool("anneal.o2.valve");
            int n = m.Controller.ZoneCount;
            Pv = new int[n]; Out = new int[n]; TcFault = new int[n]; ZoneManual = new int[n]; Tuning = new int[n]; LimitTc = new int[n];
            for (int i = 0; i < n; i++)
            {
                string z = "anneal.z" + (i + 1);
                Pv[i] = s.AddDouble(z + ".pvC");
                Out[i] = s.AddDouble(z + ".outPct");
                LimitTc[i] = s.AddDouble(z + ".limitC");
                TcFault[i] = s.AddBool(z + ".tcFault");
                ZoneManual[i] = s.AddBool(z + ".manual");
                Tuning[i] = s.AddBool(z + ".tuning");
            }
        }

        public void Run(ScanContext ctx)
        {
            _m.RefreshConfig();
            AnnealController c = _m.Controller;
            if (c.TuneDone != 0)
            {
                int zone = c.TuneDone;
                c.TuneDone = 0;
                _m.StoreTune(zone);
            }
            _s.SetInt(State, (int)c.State);
            _s.SetInt(Program, c.ProgramNumber);
            _s.SetInt(Segment, c.State == ProgramState.Idle ? 0 : c.Segment + 1);
            _s.SetInt(DelayS, (int)c.DelayRemainingS);
            _s.SetDouble(SetpointC, c.SetpointC);
            _s.SetDouble(RateCpm, c.RateCPerMin);
            _s.SetDouble(RemainingS, c.SegmentRemainingS);
            _s.SetDouble(HoldbackS, c.HoldbackS);
            _s.SetDouble(LimitHighestC, c.Limit.HighestC);
            _s.SetDouble(O2Flow, c.O2FlowSlpm);
            _s.SetBool(Holdback, c.HoldbackActive);
            _s.SetBool(Heating, c.Heating);
            _s.SetBool(Manual, c.AnyManual());
            _s.SetBool(LimitTripped, c.Limit.Tripped);
            _s.SetBool(LimitResetAllowed, c.Limit.ResetAllowed);
            _s.SetBool(DoorClosed, c.DoorClosed);
            bool clean = true;
            for (int i = 0; i < c.ZoneCount; i++)
            {
                ZoneLoop z = c.Zone(i);
                if (z.TcWindow.BadCount > 0) clean = false;
                _s.SetDouble(Pv[i], z.PvC);
                _s.SetDouble(Out[i], z.SsrOn || z.OutputPct > 0 ? z.OutputPct : 0);
                _s.SetDouble(LimitTc[i], c.Limit.TempC(i));
                _s.SetBool(TcFault[i], z.TcFault);
                _s.SetBool(ZoneManual[i], z.Manual);
                _s.SetBool(Tuning[i], z.Tuning_Active);
            }
            _s.SetBool(TcClean, clean);
        }

        /// <summary>One status line from a snapshot copy (T2).</summary>
        public string Format(ScanSnapshotCopy c)
        {
            ProgramState st = (ProgramState)c.Ints[State];
            string line = "state=" + StateName(st);
            if (st != ProgramState.Idle)
            {
                line += " program=" + c.Ints[Program] + " segment=" + c.Ints[Segment]
                    + " spC=" + TextFormat.Fixed(c.Doubles[SetpointC], 1)
                    + " rateCPerMin=" + TextFormat.Fixed(c.Doubles[RateCpm], 2);
                double rem = c.Doubles[RemainingS];
                if (!double.IsNaN(rem)) line += " remainingS=" + TextFormat.Fixed(rem, 0);
                if (st == ProgramState.Delayed) line += " startInS=" + c.Ints[DelayS];
            }
            if (c.Bools[Holdback]) line += " HOLDBACK=" + TextFormat.Fixed(c.Doubles[HoldbackS], 0) + "s";
            for (int i = 0; i < Pv.Length; i++)
            {
                line += " z" + (i + 1) + "=" + TextFormat.Fixed(c.Doubles[Pv[i]], 1) + "C/" + TextFormat.Fixed(c.Doubles[Out[i]], 1) + "%";
                if (c.Bools[TcFault[i]]) line += "(TCFAULT)";
                if (c.Bools[ZoneManual[i]]) line += "(MAN)";
                if (c.Bools[Tuning[i]]) line += "(TUNE)";
            }
            line += " heating=" + (c.Bools[Heating] ? "yes" : "no");
            line += " limitC=" + TextFormat.Fixed(c.Doubles[LimitHighestC], 1) + (c.Bools[LimitTripped] ? " LIMIT-TRIPPED" : "");
            line += " door=" + (c.Bools[DoorClosed] ? "closed" : "OPEN");
            line += " o2Slpm=" + TextFormat.Fixed(c.Doubles[O2Flow], 2);
            return line;
        }

        /// <summary>Lower-case state name.</summary>
        public static string StateName(ProgramState s)
        {
            switch (s)
            {
                case ProgramState.Idle: return "idle";
                case ProgramState.Delayed: return "delayed";
                case ProgramState.Running: return "running";
                case ProgramState.Held: return "held";
                case ProgramState.Ended: return "ended";
                default: return "unknown";
            }
        }
    }

    /// <summary>
    /// io force permits for the anneal outputs: heater SSRs and the contactor only while the limit channel is
    /// healthy and the door is closed; the O2 valve always (it energizes no heat).
    /// </summary>
    internal sealed class AnnealForcePermit : IForcePermit
    {
        private readonly AnnealModule _m;

        public AnnealForcePermit(AnnealModule m) { _m = m; }

        public ForceVerdict Check(string output, bool analog, double value, out int interlockCode)
        {
            interlockCode = 0;
            bool heater = output == "heater_contactor" || output == "heater_z1_ssr" || output == "heater_z2_ssr" || output == "heater_z3_ssr";
            if (!heater && output != "o2_valve") return ForceVerdict.NotMine;
            if (!heater || value == 0) return ForceVerdict.Allow;
            AnnealController c = _m.Controller;
            // Read without the snapshot: booleans written by the scan, read whole (no tearing).
            if (c.Limit.Tripped) { interlockCode = (int)Codes.AlarmCode.AnnealOverTemperatureTrip; return ForceVerdict.Deny; }
            if (!c.DoorClosed) { interlockCode = (int)Codes.AlarmCode.AnnealDoorOpen; return ForceVerdict.Deny; }
            return ForceVerdict.Allow;
        }
    }
}
