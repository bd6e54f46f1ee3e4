using Tfb.Codes;

namespace Tfb.Stations.Anneal
{
    /// <summary>What a program segment does.</summary>
    public enum SegmentKind
    {
        /// <summary><c>ramp,&lt;C/min&gt;,&lt;targetC&gt;</c>: the setpoint moves to the target at a rate.</summary>
        RampRate = 1,
        /// <summary><c>time,&lt;min&gt;,&lt;targetC&gt;</c>: the setpoint moves to the target in a time.</summary>
        RampTime = 2,
        /// <summary><c>dwell,&lt;min&gt;</c>: the setpoint stays for a time (soak).</summary>
        Dwell = 3,
        /// <summary><c>step,&lt;targetC&gt;</c>: the setpoint jumps to the target.</summary>
        Step = 4,
        /// <summary><c>wait,pv,&lt;C&gt;</c>: until every zone has reached the temperature.</summary>
        WaitPv = 5,
        /// <summary><c>wait,o2</c>: until the O2 flow is established.</summary>
        WaitO2 = 6,
        /// <summary><c>wait,event</c>: until an operator or SCADA <c>continue</c>.</summary>
        WaitEvent = 7,
        /// <summary><c>jump,&lt;segment&gt;,&lt;count&gt;</c>: back to an earlier segment, count more times.</summary>
        Jump = 8,
        /// <summary><c>end,hold|off|sp,&lt;C&gt;</c>: the last segment.</summary>
        End = 9,
    }

    /// <summary>Guaranteed-soak holdback of a segment: which deviation holds the program clock.</summary>
    public enum HoldbackMode
    {
        /// <summary>No holdback.</summary>
        Off = 0,
        /// <summary>Holds while any zone is below setpoint - band (<c>lo&lt;band&gt;</c>).</summary>
        Low = 1,
        /// <summary>Holds while any zone is above setpoint + band (<c>hi&lt;band&gt;</c>).</summary>
        High = 2,
        /// <summary>Holds while any zone is outside setpoint +- band (<c>band&lt;band&gt;</c>).</summary>
        Band = 3,
    }

    /// <summary>What the programmer does at the end segment.</summary>
    public enum EndAction
    {
        /// <summary>Keep the last setpoint and keep controlling (operator ends it).</summary>
        Hold = 0,
        /// <summary>Heaters off, O2 off.</summary>
        Off = 1,
        /// <summary>Control at the end segment's setpoint.</summary>
        Setpoint = 2,
    }

    /// <summary>Limits every program is validated against (from settings).</summary>
    public sealed class ProgramLimits
    {
        /// <summary>Highest temperature a program may name, C.</summary>
        public double MaxTempC = 900;
        /// <summary>Lowest temperature a program may name, C.</summary>
        public double MinTempC = 0;
        /// <summary>Fastest ramp, C/min.</summary>
        public double MaxRateCPerMin = 100;
        /// <summary>Longest dwell or timed ramp, min.</summary>
        public double MaxTimeMin = 6000;
        /// <summary>Widest holdback band, C.</summary>
        public double MaxBandC = 100;
    }

    /// <summary>
    /// A ramp/soak program: up to <see cref="MaxSegments"/> segments in fixed arrays, parsed from its text
    /// form without allocation (so the scan may parse the stored text when a program starts).
    /// </summary>
    /// <remarks>
    /// Text form: segments separated by spaces, each <c>kind,arg[,arg][,modifier...]</c>; modifiers
    /// <c>lo&lt;C&gt;</c>, <c>hi&lt;C&gt;</c>, <c>band&lt;C&gt;</c> (holdback) and <c>o2</c> (O2 on during the segment).
    /// Example (the default LiCoO2 anneal): <c>ramp,5,700,band10,o2 dwell,120,band10,o2 ramp,5,200,o2 end,off</c>.
    /// Rules: 1..16 segments, the last (and only the last) is <c>end</c>; jumps go to an earlier segment with a
    /// count of 1..99 and may not nest across each other; temperatures, rates, times and bands within
    /// <see cref="ProgramLimits"/>. A refused text leaves the program unchanged (parsing goes to scratch first).
    /// Threading: an instance belongs to one thread at a time.
    /// </remarks>
    public sealed class AnnealProgram
    {
        /// <summary>Most segments in a program.</summary>
        public const int MaxSegments = 16;
        /// <summary>Largest loop count of a jump.</summary>
        public const int MaxLoopCount = 99;

        /// <summary>Segment kinds.</summary>
        public readonly SegmentKind[] Kind = new SegmentKind[MaxSegments];
        /// <summary>Target temperature (ramps, step, wait pv, end sp), C.</summary>
        public readonly double[] TargetC = new double[MaxSegments];
        /// <summary>Ramp rate (RampRate), C/min.</summary>
        public readonly double[] RateCPerMin = new double[MaxSegments];
        /// <summary>Duration (RampTime, Dwell), min.</summary>
        public readonly double[] TimeMin = new double[MaxSegments];
        /// <summary>Holdback mode.</summary>
        public readonly HoldbackMode[] Holdback = new HoldbackMode[MaxSegments];
        /// <summary>Holdback band, C.</summary>
        public readonly double[] BandC = new double[MaxSegments];
        /// <summary>O2 on during the segment.</summary>
        public readonly bool[] O2 = new bool[MaxSegments];
        /// <summary>Jump target (0-based segment index).</summary>
        public readonly int[] JumpTo = new int[MaxSegments];
        /// <summary>Jump loop count.</summary>
        public readonly int[] LoopCount = new int[MaxSegments];
        /// <summary>End action.</summary>
        public readonly EndAction[] End = new EndAction[MaxSegments];

        private readonly double[] _args = new double[4];
        private AnnealProgram _scratch;

        /// <summary>Number of segments (0 = no valid program).</summary>
        public int Count;

        /// <summary>Highest temperature the program names, C (for the limit-channel margin check).</summary>
        public double MaxTempC;

        /// <summary>Character position of the last parse error (0-based), or -1.</summary>
        public int ErrorPosition = -1;

        /// <summary>Copies <paramref name="from"/> into this program (no allocation).</summary>
        public void CopyFrom(AnnealProgram from)
        {
            for (int i = 0; i < MaxSegments; i++)
            {
                Kind[i] = from.Kind[i];
                TargetC[i] = from.TargetC[i];
                RateCPerMin[i] = from.RateCPerMin[i];
                TimeMin[i] = from.TimeMin[i];
                Holdback[i] = from.Holdback[i];
                BandC[i] = from.BandC[i];
                O2[i] = from.O2[i];
                JumpTo[i] = from.JumpTo[i];
                LoopCount[i] = from.LoopCount[i];
                End[i] = from.End[i];
            }
            Count = from.Count;
            MaxTempC = from.MaxTempC;
        }

        /// <summary>
        /// Parses and validates <paramref name="text"/>; on success this program holds it, on failure it is unchanged.
        /// Allocation-free after the first call (a scratch program is made once).
        /// </summary>
        /// <param name="text">Program text.</param>
        /// <param name="limits">Limits to validate against.</param>
        /// <param name="error">InvalidRecipe (syntax, structure, empty, loops), OutOfRange (a value beyond the limits).</param>
        public bool TryParse(string text, ProgramLimits limits, out ErrorCode error)
        {
            if (_scratch == null) _scratch = new AnnealProgram();
            AnnealProgram p = _scratch;
            if (!p.ParseInto(text, limits, out error))
            {
                ErrorPosition = p.ErrorPosition;
                return false;
            }
            CopyFrom(p);
            ErrorPosition = -1;
            return true;
        }

        private bool ParseInto(string text, ProgramLimits limits, out ErrorCode error)
        {
            Count = 0;
            MaxTempC = double.MinValue;
            ErrorPosition = 0;
            if (text == null) { error = ErrorCode.InvalidRecipe; return false; }
            int n = text.Length;
            int pos = 0;
            while (true)
            {
                while (pos < n && text[pos] == ' ') pos++;
                if (pos >= n) break;
                if (Count == MaxSegments) return Fail(pos, ErrorCode.InvalidRecipe, out error);
                int end = pos;
                while (end < n && text[end] != ' ') end++;
                if (!ParseSegment(text, pos, end, Count, limits, out error)) return false;
                Count++;
                pos = end;
            }
            if (Count == 0) return Fail(0, ErrorCode.InvalidRecipe, out error);
            if (Kind[Count - 1] != SegmentKind.End) return Fail(n, ErrorCode.InvalidRecipe, out error);
            for (int i = 0; i < Count - 1; i++)
            {
                if (Kind[i] == SegmentKind.End) return Fail(0, ErrorCode.InvalidRecipe, out error);
            }
            // Loops: a jump goes back, and loops either nest or follow each other (no crossing), so every
            // loop ends and the program reaches its end segment.
            for (int i = 0; i < Count; i++)
            {
                if (Kind[i] != SegmentKind.Jump) continue;
                if (JumpTo[i] >= i) return Fail(n, ErrorCode.InvalidRecipe, out error);
                for (int j = 0; j < Count; j++)
                {
                    if (j == i || Kind[j] != SegmentKind.Jump) continue;
                    bool jInside = j > JumpTo[i] && j < i;
                    if (jInside && JumpTo[j] < JumpTo[i]) return Fail(n, ErrorCode.InvalidRecipe, out error);
                }
            }
            if (MaxTempC == double.MinValue) MaxTempC = 0;
            ErrorPosition = -1;
            error = ErrorCode.BadArgument;
            return true;
        }

        private bool ParseSegment(string text, int start, int end, int index, ProgramLimits limits, out ErrorCode error)
        {
            int fieldEnd = NextComma(text, start, end);
            SegmentKind kind;
            int argsNeeded;
            if (Is(text, start, fieldEnd, "ramp")) { kind = SegmentKind.RampRate; argsNeeded = 2; }
            else if (Is(text, start, fieldEnd, "time")) { kind = SegmentKind.RampTime; argsNeeded = 2; }
            else if (Is(text, start, fieldEnd, "dwell")) { kind = SegmentKind.Dwell; argsNeeded = 1; }
            else if (Is(text, start, fieldEnd, "step")) { kind = SegmentKind.Step; argsNeeded = 1; }
            else if (Is(text, start, fieldEnd, "wait")) { kind = SegmentKind.WaitEvent; argsNeeded = 0; }
            else if (Is(text, start, fieldEnd, "jump")) { kind = SegmentKind.Jump; argsNeeded = 2; }
            else if (Is(text, start, fieldEnd, "end")) { kind = SegmentKind.End; argsNeeded = 0; }
            else return Fail(start, ErrorCode.InvalidRecipe, out error);

            Kind[index] = kind;
            TargetC[index] = double.NaN;
            RateCPerMin[index] = 0;
            TimeMin[index] = 0;
            Holdback[index] = HoldbackMode.Off;
            BandC[index] = 0;
            O2[index] = false;
            JumpTo[index] = -1;
            LoopCount[index] = 0;
            End[index] = EndAction.Hold;

            int pos = fieldEnd;
            // Sub-keywords of wait and end.
            if (kind == SegmentKind.WaitEvent || kind == SegmentKind.End)
            {
                if (pos >= end) return Fail(pos, ErrorCode.InvalidRecipe, out error);
                int s = pos + 1;
                int e = NextComma(text, s, end);
                if (kind == SegmentKind.WaitEvent)
                {
                    if (Is(text, s, e, "pv")) { kind = SegmentKind.WaitPv; argsNeeded = 1; }
                    else if (Is(text, s, e, "o2")) kind = SegmentKind.WaitO2;
                    else if (!Is(text, s, e, "event")) return Fail(s, ErrorCode.InvalidRecipe, out error);
                }
                else
                {
                    if (Is(text, s, e, "hold")) End[index] = EndAction.Hold;
                    else if (Is(text, s, e, "off")) End[index] = EndAction.Off;
                    else if (Is(text, s, e, "sp")) { End[index] = EndAction.Setpoint; argsNeeded = 1; }
                    else return Fail(s, ErrorCode.InvalidRecipe, out error);
                }
                Kind[index] = kind;
                pos = e;
            }

            for (int a = 0; a < argsNeeded; a++)
            {
                if (pos >= end) return Fail(pos, ErrorCode.InvalidRecipe, out error);
                int s = pos + 1;
                int e = NextComma(text, s, end);
                double v;
                if (!TryParseNumber(text, s, e, out v)) return Fail(s, ErrorCode.InvalidRecipe, out error);
                _args[a] = v;
                pos = e;
            }

            // Modifiers.
            while (pos < end)
            {
                int s = pos + 1;
                int e = NextComma(text, s, end);
                if (Is(text, s, e, "o2")) O2[index] = true;
                else if (StartsWith(text, s, e, "band")) { if (!Band(text, s + 4, e, index, HoldbackMode.Band, limits, out error)) return false; }
                else if (StartsWith(text, s, e, "lo")) { if (!Band(text, s + 2, e, index, HoldbackMode.Low, limits, out error)) return false; }
                else if (StartsWith(text, s, e, "hi")) { if (!Band(text, s + 2, e, index, HoldbackMode.High, limits, out error)) return false; }
                else return Fail(s, ErrorCode.InvalidRecipe, out error);
                pos = e;
            }
            if ((kind == SegmentKind.Jump || kind == SegmentKind.End || kind == SegmentKind.Step) && (Holdback[index] != HoldbackMode.Off))
            {
                return Fail(start, ErrorCode.InvalidRecipe, out error);
            }

            switch (kind)
            {
                case SegmentKind.RampRate:
                    if (!(_args[0] > 0 && _args[0] <= limits.MaxRateCPerMin)) return Fail(start, ErrorCode.OutOfRange, out error);
                    RateCPerMin[index] = _args[0];
                    if (!Temp(_args[1], index, start, limits, out error)) return false;
                    break;
                case SegmentKind.RampTime:
                    if (!(_args[0] > 0 && _args[0] <= limits.MaxTimeMin)) return Fail(start, ErrorCode.OutOfRange, out error);
                    TimeMin[index] = _args[0];
                    if (!Temp(_args[1], index, start, limits, out error)) return false;
                    break;
                case SegmentKind.Dwell:
                    if (!(_args[0] > 0 && _args[0] <= limits.MaxTimeMin)) return Fail(start, ErrorCode.OutOfRange, out error);
                    TimeMin[index] = _args[0];
                    break;
                case SegmentKind.Step:
                case SegmentKind.WaitPv:
                    if (!Temp(_args[0], index, start, limits, out error)) return false;
                    break;
                case SegmentKind.Jump:
                    int to = (int)_args[0];
                    int count = (int)_args[1];
                    if (to != _args[0] || count != _args[1]) return Fail(start, ErrorCode.InvalidRecipe, out error);
                    if (count < 1 || count > MaxLoopCount) return Fail(start, ErrorCode.InvalidRecipe, out error);
                    if (to < 1 || to > index) return Fail(start, ErrorCode.InvalidRecipe, out error);
                    JumpTo[index] = to - 1;
                    LoopCount[index] = count;
                    break;
                case SegmentKind.End:
                    if (End[index] == EndAction.Setpoint && !Temp(_args[0], index, start, limits, out error)) return false;
                    if (O2[index] && End[index] == EndAction.Off) return Fail(start, ErrorCode.InvalidRecipe, out error);
                    break;
            }
            error = ErrorCode.BadArgument;
            return true;
        }

        private bool Temp(double v, int index, int pos, ProgramLimits limits, out ErrorCode error)
        {
            if (!(v >= limits.MinTempC && v <= limits.MaxTempC)) return Fail(pos, ErrorCode.OutOfRange, out error);
            TargetC[index] = v;
            if (v > MaxTempC) MaxTempC = v;
            error = ErrorCode.BadArgument;
            return true;
        }

        private bool Band(string text, int s, int e, int index, HoldbackMode mode, ProgramLimits limits, out ErrorCode error)
        {
            double v;
            if (Holdback[index] != HoldbackMode.Off) return Fail(s, ErrorCode.InvalidRecipe, out error);
            if (!TryParseNumber(text, s, e, out v)) return Fail(s, ErrorCode.InvalidRecipe, out error);
            if (!(v > 0 && v <= limits.MaxBandC)) return Fail(s, ErrorCode.OutOfRange, out error);
            Holdback[index] = mode;
            BandC[index] = v;
            error = ErrorCode.BadArgument;
            return true;
        }

        private bool Fail(int pos, ErrorCode code, out ErrorCode error)
        {
            ErrorPosition = pos;
            error = code;
            return false;
        }

        private static int NextComma(string text, int start, int end)
        {
            int i = start;
            while (i < end && text[i] != ',') i++;
            return i;
        }

        private static bool Is(string text, int start, int end, string word)
        {
            if (end - start != word.Length) return false;
            for (int i = 0; i < word.Length; i++)
            {
                if (text[start + i] != word[i]) return false;
            }
            return true;
        }

        private static bool StartsWith(string text, int start, int end, string word)
        {
            if (end - start <= word.Length) return false;
            for (int i = 0; i < word.Length; i++)
            {
                if (text[start + i] != word[i]) return false;
            }
            return true;
        }

        /// <summary>Parses <c>[-]digits[.digits]</c> in text[start..end) without allocation.</summary>
        public static bool TryParseNumber(string text, int start, int end, out double value)
        {
            value = 0;
            int i = start;
            bool negative = false;
            if (i < end && text[i] == '-') { negative = true; i++; }
            int digits = 0;
            double v = 0;
            while (i < end && text[i] >= '0' && text[i] <= '9')
            {
                v = v * 10 + (text[i] - '0');
                i++;
                digits++;
            }
            if (i < end && text[i] == '.')
            {
                i++;
                double scale = 0.1;
                while (i < end && text[i] >= '0' && text[i] <= '9')
                {
                    v += (text[i] - '0') * scale;
                    scale *= 0.1;
                    i++;
                    digits++;
                }
            }
            if (digits == 0 || i != end || digits > 12) return false;
            value = negative ? -v : v;
            return true;
        }
    }
}
