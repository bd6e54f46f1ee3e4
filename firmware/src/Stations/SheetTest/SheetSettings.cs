using Tfb.Settings;

namespace Tfb.Stations.SheetTest
{
    /// <summary>The sheet-test parameters of one sheet (captured from the settings at sheet start).</summary>
    public sealed class SheetParameters
    {
        /// <summary>Grid columns.</summary>
        public int Columns = 20;
        /// <summary>Grid rows.</summary>
        public int Rows = 25;
        /// <summary>Pitch across, mm.</summary>
        public double PitchXMm = 12;
        /// <summary>Pitch along, mm.</summary>
        public double PitchYMm = 12;
        /// <summary>Cell width, mm.</summary>
        public double CellWMm = 10;
        /// <summary>Cell height, mm.</summary>
        public double CellHMm = 10;
        /// <summary>Sheet formed (OCV test) or as made (leakage test).</summary>
        public bool Formed;
        /// <summary>Cells excluded at each border.</summary>
        public int EdgeExclude;
        /// <summary>Settling after a select (the sense anti-alias RC), us.</summary>
        public int SettleUs = 20000;
        /// <summary>Contact-check integration, us.</summary>
        public int ContactUs = 5000;
        /// <summary>Contact retests after a failure.</summary>
        public int ContactRetests = 1;
        /// <summary>Consecutive open sites that pause the sheet (fixture contact lost).</summary>
        public int MaxConsecutiveOpen = 20;
        /// <summary>Mux on-resistance per switch (two in the contact loop), ohm.</summary>
        public double MuxRonOhm = 5;
        /// <summary>Leakage test voltage, V.</summary>
        public double LeakVoltageV = 0.5;
        /// <summary>Leakage settling (charging tail), us.</summary>
        public int LeakSettleUs = 20000;
        /// <summary>Leakage integration, mains cycles.</summary>
        public int LeakCycles = 1;
        /// <summary>OCV integration, mains cycles.</summary>
        public int OcvCycles = 2;
        /// <summary>Mains frequency, Hz.</summary>
        public int MainsHz = 50;
        /// <summary>Impedance frequencies, Hz.</summary>
        public readonly int[] FrequencyHz = { 100000, 1000, 10 };
        /// <summary>Integrated periods per frequency.</summary>
        public readonly int[] Periods = { 2000, 20, 2 };
        /// <summary>Excitation, V rms (at most 10 mV rms).</summary>
        public double ExcitationVrms = 0.00707;
        /// <summary>ADC master clock, Hz.</summary>
        public int AdcClockHz = 24000000;
        /// <summary>Highest ADC rate, Hz.</summary>
        public int AdcMaxRateHz = 500000;
        /// <summary>Voltage channel full scale, V.</summary>
        public double VoltageFullScaleV = 5;
        /// <summary>Current channel full scale, A.</summary>
        public double CurrentFullScaleA = 0.01;
        /// <summary>Limits (NaN = none), <see cref="SheetTests"/> order.</summary>
        public readonly double[] LimitLo = new double[SheetTests.Count];
        /// <summary>High limits.</summary>
        public readonly double[] LimitHi = new double[SheetTests.Count];
        /// <summary>Binning parameters.</summary>
        public readonly BinningParameters Binning = new BinningParameters();
        /// <summary>Every Nth tested site gets an EIS sweep (0 = none).</summary>
        public int EisEvery;

        /// <summary>Checks the limits: the index of the first test whose low limit is above its high one, or -1.</summary>
        public int FirstInvertedLimit()
        {
            for (int k = 0; k < SheetTests.Count; k++)
            {
                if (!double.IsNaN(LimitLo[k]) && !double.IsNaN(LimitHi[k]) && LimitLo[k] > LimitHi[k]) return k;
            }

            return -1;
        }
    }

    /// <summary>Declares the sheet-test settings and captures them into <see cref="SheetParameters"/>.</summary>
    /// <remarks>Names, units and limits are in docs/sheet-test.md. <see cref="Capture"/> takes the registry's lock per value and does not allocate.</remarks>
    public sealed class SheetSettings
    {
        private SettingsRegistry _r;
        private int _cols, _rows, _pitchX, _pitchY, _cellW, _cellH, _formed, _edge, _settle, _contact, _retests, _maxOpen, _ron;
        private int _leakV, _leakSettle, _leakCycles, _ocvCycles, _mains, _exc, _clock, _maxRate, _vfs, _ifs, _eis;
        private int _rollId, _program;
        private int _dynSigma, _goodA, _neigh, _openOhm, _shape, _reform, _shortOcv;
        private readonly int[] _freq = new int[3];
        private readonly int[] _periods = new int[3];
        private readonly int[] _lo = new int[SheetTests.Count];
        private readonly int[] _hi = new int[SheetTests.Count];

        /// <summary>Index of the roll id setting.</summary>
        public int RollIdIndex { get { return _rollId; } }
        /// <summary>Index of the program setting.</summary>
        public int ProgramIndex { get { return _program; } }

        /// <summary>Declares every setting (before the stored settings load).</summary>
        public void Declare(SettingsRegistry r)
        {
            _r = r;
            AccessLevel t = AccessLevel.Technician;
            AccessLevel e = AccessLevel.Engineer;
            _cols = r.Add(SettingDef.Number("sheet.cols", "", SettingType.Integer, 1, 64, 20, e, "cell columns (x, across the web)"));
            _rows = r.Add(SettingDef.Number("sheet.rows", "", SettingType.Integer, 1, 64, 25, e, "cell rows (y, along the web); cols*rows <= 1024"));
            _pitchX = r.Add(SettingDef.Number("sheet.pitchXMm", "mm", SettingType.Real, 0.5, 200, 12, e, "cell pitch across"));
            _pitchY = r.Add(SettingDef.Number("sheet.pitchYMm", "mm", SettingType.Real, 0.5, 200, 12, e, "cell pitch along"));
            _cellW = r.Add(SettingDef.Number("sheet.cellWMm", "mm", SettingType.Real, 0.5, 200, 10, e, "cell width"));
            _cellH = r.Add(SettingDef.Number("sheet.cellHMm", "mm", SettingType.Real, 0.5, 200, 10, e, "cell height"));
            _formed = r.Add(SettingDef.Flag("sheet.formed", false, t, "sheet is formed: OCV test instead of leakage"));
            _rollId = r.Add(SettingDef.Text("sheet.rollId", 16, "R1", t, "roll id (STDF lot)"));
            _program = r.Add(SettingDef.Text("sheet.program", 16, "default", e, "test program name"));
            _edge = r.Add(SettingDef.Number("sheet.edgeExclude", "", SettingType.Integer, 0, 10, 0, e, "cells excluded at each border (bin 9)"));
            _settle = r.Add(SettingDef.Number("sheet.settleMs", "ms", SettingType.Real, 1, 500, 20, e, "settling after select (24 bit: 17.3 tau of the sense RC)"));
            _contact = r.Add(SettingDef.Number("sheet.contactMs", "ms", SettingType.Real, 1, 100, 5, e, "contact check integration"));
            _retests = r.Add(SettingDef.Number("sheet.contactRetests", "", SettingType.Integer, 0, 3, 1, e, "contact retests after a failure"));
            _maxOpen = r.Add(SettingDef.Number("sheet.maxConsecutiveOpen", "", SettingType.Integer, 2, 1000, 20, e, "consecutive open sites that pause the sheet"));
            _ron = r.Add(SettingDef.Number("sheet.muxRonOhm", "ohm", SettingType.Real, 0, 50, 5, e, "mux on-resistance per switch (subtracted twice from the contact loop)"));
            _leakV = r.Add(SettingDef.Number("sheet.leakVoltageV", "V", SettingType.Real, 0.1, 1, 0.5, e, "leakage test voltage"));
            _leakSettle = r.Add(SettingDef.Number("sheet.leakSettleMs", "ms", SettingType.Real, 1, 1000, 20, e, "leakage settling before integration"));
            _leakCycles = r.Add(SettingDef.Number("sheet.leakCycles", "", SettingType.Integer, 1, 50, 1, e, "leakage integration, mains cycles"));
            _ocvCycles = r.Add(SettingDef.Number("sheet.ocvCycles", "", SettingType.Integer, 1, 50, 2, e, "OCV integration, mains cycles"));
            _mains = r.Add(SettingDef.Number("sheet.mainsHz", "Hz", SettingType.Integer, 50, 60, 50, e, "mains frequency (50 or 60)"));
            _freq[0] = r.Add(SettingDef.Number("sheet.z1Hz", "Hz", SettingType.Integer, 1, 200000, 100000, e, "impedance frequency 1"));
            _freq[1] = r.Add(SettingDef.Number("sheet.z2Hz", "Hz", SettingType.Integer, 1, 200000, 1000, e, "impedance frequency 2"));
            _freq[2] = r.Add(SettingDef.Number("sheet.z3Hz", "Hz", SettingType.Integer, 1, 200000, 10, e, "impedance frequency 3"));
            _periods[0] = r.Add(SettingDef.Number("sheet.z1Periods", "", SettingType.Integer, 1, 100000, 2000, e, "periods integrated at frequency 1"));
            _periods[1] = r.Add(SettingDef.Number("sheet.z2Periods", "", SettingType.Integer, 1, 100000, 20, e, "periods integrated at frequency 2"));
            _periods[2] = r.Add(SettingDef.Number("sheet.z3Periods", "", SettingType.Integer, 1, 1000, 2, e, "periods integrated at frequency 3"));
            _exc = r.Add(SettingDef.Number("sheet.excitationMvRms", "mV", SettingType.Real, 1, 10, 7.07, e, "AC excitation (<= 10 mV rms)"));
            _clock = r.Add(SettingDef.Number("sheet.adcClockHz", "Hz", SettingType.Integer, 1000000, 100000000, 24000000, e, "ADC master clock"));
            _maxRate = r.Add(SettingDef.Number("sheet.adcMaxRateHz", "Hz", SettingType.Integer, 1000, 2000000, 500000, e, "highest ADC rate"));
            _vfs = r.Add(SettingDef.Number("sheet.adcVoltsFs", "V", SettingType.Real, 0.1, 20, 5, e, "voltage channel full scale"));
            _ifs = r.Add(SettingDef.Number("sheet.adcAmpsFs", "A", SettingType.Real, 1e-6, 1, 0.01, e, "current channel full scale"));
            _eis = r.Add(SettingDef.Number("sheet.eisEvery", "", SettingType.Integer, 0, 1000, 0, e, "EIS sweep on every Nth tested site (0 = none)"));
            _hi[SheetTests.Contact] = r.Add(SettingDef.Number("sheet.lim.contactOhmHi", "ohm", SettingType.Real, 0.1, 1000, 20, t, "contact high limit"));
            _hi[SheetTests.Leakage] = r.Add(SettingDef.Number("sheet.lim.leakageAHi", "A", SettingType.Real, 1e-12, 1, 1e-6, t, "leakage high limit"));
            _lo[SheetTests.Ocv] = r.Add(SettingDef.Number("sheet.lim.ocvVLo", "V", SettingType.Real, 0, 5, 3.9, t, "OCV low limit"));
            _hi[SheetTests.Ocv] = r.Add(SettingDef.Number("sheet.lim.ocvVHi", "V", SettingType.Real, 0, 5, 4.25, t, "OCV high limit"));
            _lo[SheetTests.Z1] = r.Add(SettingDef.Number("sheet.lim.z1OhmLo", "ohm", SettingType.Real, 0, 1e6, 30, t, "|Z1| low limit"));
            _hi[SheetTests.Z1] = r.Add(SettingDef.Number("sheet.lim.z1OhmHi", "ohm", SettingType.Real, 0, 1e6, 120, t, "|Z1| high limit"));
            _lo[SheetTests.Z2] = r.Add(SettingDef.Number("sheet.lim.z2OhmLo", "ohm", SettingType.Real, 0, 1e6, 30, t, "|Z2| low limit"));
            _hi[SheetTests.Z2] = r.Add(SettingDef.Number("sheet.lim.z2OhmHi", "ohm", SettingType.Real, 0, 1e6, 400, t, "|Z2| high limit"));
            _lo[SheetTests.Z3] = r.Add(SettingDef.Number("sheet.lim.z3OhmLo", "ohm", SettingType.Real, 0, 1e7, 1000, t, "|Z3| low limit (below: resistive short)"));
            _hi[SheetTests.Z3] = r.Add(SettingDef.Number("sheet.lim.z3OhmHi", "ohm", SettingType.Real, 0, 1e7, 20000, t, "|Z3| high limit"));
            _dynSigma = r.Add(SettingDef.Number("sheet.bin.dynamicSigma", "", SettingType.Real, 1, 20, 6, e, "dynamic limit half-width, robust sigmas"));
            _goodA = r.Add(SettingDef.Number("sheet.bin.goodASigma", "", SettingType.Real, 0.5, 20, 3, e, "good A band half-width, robust sigmas"));
            _neigh = r.Add(SettingDef.Number("sheet.bin.neighbourFails", "", SettingType.Integer, 1, 8, 3, e, "failing neighbours that downgrade a good A cell"));
            _openOhm = r.Add(SettingDef.Number("sheet.bin.openOhm", "ohm", SettingType.Real, 10, 1e9, 1000, e, "contact at or above this is open"));
            _shape = r.Add(SettingDef.Number("sheet.bin.shapeMaxDeg", "deg", SettingType.Real, -90, 0, -45, e, "before formation: phase at frequency 3 must be below"));
            _reform = r.Add(SettingDef.Number("sheet.bin.reformBelowV", "V", SettingType.Real, 0, 5, 3.8, e, "formed: OCV below this is a re-form"));
            _shortOcv = r.Add(SettingDef.Number("sheet.bin.shortOcvV", "V", SettingType.Real, 0, 5, 1.0, e, "formed: OCV below this is a collapsed (shorted) cell"));
            _lo[SheetTests.Contact] = -1;
            _lo[SheetTests.Leakage] = -1;
        }

        /// <summary>Reads every setting into <paramref name="p"/> (scan thread; no allocation).</summary>
        public void Capture(SheetParameters p)
        {
            SettingsRegistry r = _r;
            p.Columns = r.GetInt(_cols);
            p.Rows = r.GetInt(_rows);
            p.PitchXMm = r.GetNumber(_pitchX);
            p.PitchYMm = r.GetNumber(_pitchY);
            p.CellWMm = r.GetNumber(_cellW);
            p.CellHMm = r.GetNumber(_cellH);
            p.Formed = r.GetBool(_formed);
            p.EdgeExclude = r.GetInt(_edge);
            p.SettleUs = (int)(r.GetNumber(_settle) * 1000);
            p.ContactUs = (int)(r.GetNumber(_contact) * 1000);
            p.ContactRetests = r.GetInt(_retests);
            p.MaxConsecutiveOpen = r.GetInt(_maxOpen);
            p.MuxRonOhm = r.GetNumber(_ron);
            p.LeakVoltageV = r.GetNumber(_leakV);
            p.LeakSettleUs = (int)(r.GetNumber(_leakSettle) * 1000);
            p.LeakCycles = r.GetInt(_leakCycles);
            p.OcvCycles = r.GetInt(_ocvCycles);
            p.MainsHz = r.GetInt(_mains);
            for (int k = 0; k < 3; k++)
            {
                p.FrequencyHz[k] = r.GetInt(_freq[k]);
                p.Periods[k] = r.GetInt(_periods[k]);
            }

            p.ExcitationVrms = r.GetNumber(_exc) / 1000;
            p.AdcClockHz = r.GetInt(_clock);
            p.AdcMaxRateHz = r.GetInt(_maxRate);
            p.VoltageFullScaleV = r.GetNumber(_vfs);
            p.CurrentFullScaleA = r.GetNumber(_ifs);
            p.EisEvery = r.GetInt(_eis);
            for (int k = 0; k < SheetTests.Count; k++)
            {
                p.LimitLo[k] = _lo[k] < 0 ? double.NaN : r.GetNumber(_lo[k]);
                p.LimitHi[k] = _hi[k] < 0 ? double.NaN : r.GetNumber(_hi[k]);
            }

            p.Binning.DynamicSigma = r.GetNumber(_dynSigma);
            p.Binning.GoodASigma = r.GetNumber(_goodA);
            p.Binning.NeighbourFails = r.GetInt(_neigh);
            p.Binning.OpenOhm = r.GetNumber(_openOhm);
            p.Binning.ShapeMaxDeg = r.GetNumber(_shape);
            p.Binning.ReformBelowV = r.GetNumber(_reform);
            p.Binning.ShortOcvV = r.GetNumber(_shortOcv);
        }

        /// <summary>The roll id (the registry's string: no allocation).</summary>
        public string RollId { get { return _r.GetText(_rollId); } }

        /// <summary>The test program name.</summary>
        public string Program { get { return _r.GetText(_program); } }
    }
}
