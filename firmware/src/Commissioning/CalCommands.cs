using Tfb.Boards;
using Tfb.Codes;
using Tfb.Settings;
using Tfb.Shell;
using Tfb.Text;

namespace Tfb.Commissioning
{
    /// <summary>
    /// <c>cal zero</c>, <c>cal span</c>, <c>cal show</c>, <c>cal clear</c>: two-point calibration of the analog
    /// inputs into the <c>cal.&lt;ain&gt;.zero</c> / <c>cal.&lt;ain&gt;.gain</c> settings.
    /// </summary>
    /// <remarks>
    /// The adapters compute calibrated = (eng - zero) * gain (<c>AnalogScaling</c>). The snapshot carries the
    /// (zero, gain) in effect when the value was read, so the uncalibrated value is eng = value / gain + zero.
    /// Zero point: zero' = eng with the zero reference applied (gain unchanged). Span point: gain' = reference /
    /// (eng - zero) with the reference applied (zero unchanged). A result outside the settings' ranges
    /// (|zero| &lt;= 5 % of span, gain 0.8..1.25), an invalid or stale reading, a pending calibration change,
    /// or a span point within 10 % of span of the zero point is refused with ImplausibleCalibration and nothing
    /// changes. New values are written to settings in RAM (settings save keeps them); the scan task applies them.
    /// </remarks>
    internal sealed class CalCommands : ICommandHandler
    {
        private const int Zero = 1;
        private const int Span = 2;
        private const int Show = 3;
        private const int Clear = 4;

        private readonly CommissioningModule _m;

        private CalCommands(CommissioningModule m)
        {
            _m = m;
        }

        internal static void Register(CommissioningModule m)
        {
            CalCommands h = new CalCommands(m);
            CommandRegistry r = m.Core.Commands;
            AccessLevel eng = AccessLevel.Engineer;
            r.Register(CommandDef.Create("cal zero", "<ain>", "With the zero reference applied: store the zero offset", 1, 1, eng, true, h, Zero));
            r.Register(CommandDef.Create("cal span", "<ain> <reference>", "With the span reference applied (engineering units): store the span gain", 2, 2, eng, true, h, Span));
            r.Register(CommandDef.Create("cal show", "", "Calibration of every analog input and whether it is in effect", 0, 0, AccessLevel.Technician, false, h, Show));
            r.Register(CommandDef.Create("cal clear", "<ain>", "Back to zero 0, gain 1", 1, 1, eng, true, h, Clear));
        }

        public bool Execute(CommandContext ctx)
        {
            switch (ctx.Command.Tag)
            {
                case Zero: return DoPoint(ctx, false);
                case Span: return DoPoint(ctx, true);
                case Show: return DoShow(ctx);
                case Clear: return DoClear(ctx);
                default: return ctx.Fail(ErrorCode.InternalError, null);
            }
        }

        private bool DoPoint(CommandContext ctx, bool span)
        {
            if (!_m.ScanTask.CalibrationSupported) return ctx.Fail(ErrorCode.NotSupported, "this board's analog adapters take no calibration");
            string name = ctx.Arg(0);
            int i = _m.AnalogInputIndex(name);
            if (i < 0) return ctx.Fail(ErrorCode.BadArgument, "no analog input '" + name + "' on this board");
            AnalogInputDef def = _m.Board.AnalogInputs[i];
            double range = def.EngMax - def.EngMin;
            if (range < 0) range = -range;
            double reference = 0;
            if (span)
            {
                if (!NumberText.TryParseReal(ctx.Arg(1), out reference)) return ctx.Fail(ErrorCode.BadArgument, "reference must be a number in " + def.Unit);
            }

            SettingsRegistry s = ctx.Core.Settings;
            double zero = s.GetNumber(_m.ZeroSetting[i]);
            double gain = s.GetNumber(_m.GainSetting[i]);
            IoSnapshot snap = _m.ScanTask.NewSnapshot();
            _m.ScanTask.CopySnapshot(snap);
            if (!snap.Taken || ctx.Core.Clock.NowMicros - snap.TakenUs > IoCommands.StaleUs)
                return ctx.Fail(ErrorCode.ImplausibleCalibration, "no fresh reading of " + name + " (scan task not running)");
            if (!snap.AinCalApplied[i] || snap.AinZero[i] != zero || snap.AinGain[i] != gain)
                return ctx.Fail(ErrorCode.ImplausibleCalibration, "a calibration change of " + name + " is not in effect yet; retry");
            if (!snap.AinValid[i]) return ctx.Fail(ErrorCode.ImplausibleCalibration, "reading of " + name + " is invalid");
            double eng = snap.AinValue[i] / gain + zero;
            if (double.IsNaN(eng) || double.IsInfinity(eng)) return ctx.Fail(ErrorCode.ImplausibleCalibration, "reading of " + name + " is not finite");

            int setting;
            double value;
            if (!span)
            {
                value = TextFormat.Quantize(eng);
                double limit = s.GetDef(_m.ZeroSetting[i]).Max;
                if (!(value >= -limit && value <= limit))
                    return ctx.Fail(ErrorCode.ImplausibleCalibration, "zero offset " + TextFormat.Fixed(eng, 4) + " " + def.Unit
                        + " beyond +-" + TextFormat.Fixed(limit, 4) + " (5 % of span): wrong reference or wiring?");
                setting = _m.ZeroSetting[i];
            }
            else
            {
                double minDistance = range * CommissioningModule.MinSpanFractionOfRange;
                double distance = eng - zero;
                if (!(reference >= minDistance || reference <= -minDistance))
                    return ctx.Fail(ErrorCode.ImplausibleCalibration, "reference " + ctx.Arg(1) + " " + def.Unit + " too close to the zero point (needs 10 % of span)");
                if (!(distance >= minDistance || distance <= -minDistance))
                    return ctx.Fail(ErrorCode.ImplausibleCalibration, "reading " + TextFormat.Fixed(eng, 4) + " " + def.Unit + " too close to the zero point: is the reference applied?");
                value = TextFormat.Quantize(reference / distance);
                if (!(value >= CommissioningModule.MinGain && value <= CommissioningModule.MaxGain))
                    return ctx.Fail(ErrorCode.ImplausibleCalibration, "gain " + TextFormat.Fixed(reference / distance, 4) + " outside "
                        + TextFormat.Fixed(CommissioningModule.MinGain, 2) + ".." + TextFormat.Fixed(CommissioningModule.MaxGain, 2));
                setting = _m.GainSetting[i];
            }
            ErrorCode error;
            if (!s.TrySetNumber(setting, value, out error)) return ctx.Fail(ErrorCode.ImplausibleCalibration, "refused by the setting's range");
            ctx.Core.Events.Add(span ? (int)EventCode.CalibrationSpanSet : (int)EventCode.CalibrationZeroSet, i);
            ctx.WriteLine(s.GetDef(setting).Name + " = " + NumberText.FormatReal(value) + " in RAM (was "
                + NumberText.FormatReal(span ? gain : zero) + "); applied at the next scan; settings save keeps it");
            return true;
        }

        private bool DoShow(CommandContext ctx)
        {
            SettingsRegistry s = ctx.Core.Settings;
            IoSnapshot snap = _m.ScanTask.NewSnapshot();
            _m.ScanTask.CopySnapshot(snap);
            AnalogInputDef[] a = _m.Board.AnalogInputs;
            int n = a == null ? 0 : a.Length;
            if (n == 0) ctx.WriteLine("no analog inputs");
            for (int i = 0; i < n; i++)
            {
                double z = s.GetNumber(_m.ZeroSetting[i]);
                double g = s.GetNumber(_m.GainSetting[i]);
                bool inEffect = snap.Taken && snap.AinCalApplied[i] && snap.AinZero[i] == z && snap.AinGain[i] == g;
                ctx.WriteLine(TextFormat.Pad(a[i].Name, 20) + "zero=" + NumberText.FormatReal(z) + " " + a[i].Unit + " gain=" + NumberText.FormatReal(g)
                    + (inEffect ? " in effect" : " NOT in effect") + " value=" + (snap.Taken ? TextFormat.Fixed(snap.AinValue[i], 3) : "-") + " " + a[i].Unit);
            }
            return true;
        }

        private bool DoClear(CommandContext ctx)
        {
            string name = ctx.Arg(0);
            int i = _m.AnalogInputIndex(name);
            if (i < 0) return ctx.Fail(ErrorCode.BadArgument, "no analog input '" + name + "' on this board");
            SettingsRegistry s = ctx.Core.Settings;
            ErrorCode error;
            if (!s.TrySetNumber(_m.ZeroSetting[i], 0, out error)) return ctx.Fail(error, null);
            if (!s.TrySetNumber(_m.GainSetting[i], 1, out error)) return ctx.Fail(error, null);
            ctx.Core.Events.Add((int)EventCode.CalibrationCleared, i);
            ctx.WriteLine(name + ": zero 0, gain 1 in RAM; settings save keeps it");
            return true;
        }
    }
}
