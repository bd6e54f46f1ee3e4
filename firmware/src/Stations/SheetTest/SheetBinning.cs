namespace Tfb.Stations.SheetTest
{
    /// <summary>Soft bins (causes); each maps to one hard bin (its hundreds digit). Table in docs/sheet-test.md.</summary>
    public static class SoftBins
    {
        /// <summary>Good A: inside every static limit and inside the tight dynamic band.</summary>
        public const int GoodA = 100;
        /// <summary>Good B: inside every limit, outside the tight dynamic band.</summary>
        public const int GoodB = 200;
        /// <summary>Good A downgraded to B by failing neighbours.</summary>
        public const int NeighbourDowngrade = 210;
        /// <summary>Formed sheet, OCV below the LiCoO2 table: the anode did not plate (re-form).</summary>
        public const int Reform = 301;
        /// <summary>Leakage above its limit (before formation).</summary>
        public const int Leakage = 401;
        /// <summary>OCV collapsed (after formation): a hard short.</summary>
        public const int OcvCollapsed = 402;
        /// <summary>|Z| at frequency 3 below its low limit: a resistive short.</summary>
        public const int LowZ3 = 403;
        /// <summary>Contact open.</summary>
        public const int ContactOpen = 501;
        /// <summary>Contact resistance above its limit.</summary>
        public const int ContactHigh = 502;
        /// <summary>|Z| at frequency 1 outside its static limits.</summary>
        public const int Z1Limit = 601;
        /// <summary>|Z| at frequency 2 outside its static limits.</summary>
        public const int Z2Limit = 602;
        /// <summary>|Z| at frequency 3 above its high limit.</summary>
        public const int Z3High = 603;
        /// <summary>|Z| outside the per-sheet dynamic limits.</summary>
        public const int ZDynamic = 604;
        /// <summary>OCV below its low limit.</summary>
        public const int OcvLow = 701;
        /// <summary>OCV above its high limit.</summary>
        public const int OcvHigh = 702;
        /// <summary>OCV outside the per-sheet dynamic limits.</summary>
        public const int OcvDynamic = 703;
        /// <summary>Phase at frequency 3 not capacitive enough (before formation the blocking tail is missing).</summary>
        public const int Shape = 801;
        /// <summary>Outside the scan list or in the edge exclusion.</summary>
        public const int Excluded = 901;
        /// <summary>Not tested: the sheet was stopped first.</summary>
        public const int NotTested = 902;
        /// <summary>The measurement failed (no ADC data, front-end error).</summary>
        public const int MeasurementFailed = 903;
    }

    /// <summary>Binning parameters, captured at sheet start.</summary>
    public sealed class BinningParameters
    {
        /// <summary>Dynamic limit half-width in robust sigmas (IQR / 1.35).</summary>
        public double DynamicSigma = 6;
        /// <summary>Good-A band half-width in robust sigmas.</summary>
        public double GoodASigma = 3;
        /// <summary>Failing neighbours (of 8) that downgrade a good A cell.</summary>
        public int NeighbourFails = 3;
        /// <summary>Contact at or above this is open, ohm.</summary>
        public double OpenOhm = 1000;
        /// <summary>Before formation: the phase at frequency 3 must be below this, degrees.</summary>
        public double ShapeMaxDeg = -45;
        /// <summary>After formation: OCV below this is a re-form, V.</summary>
        public double ReformBelowV = 3.8;
        /// <summary>After formation: OCV below this is a collapsed (shorted) cell, V.</summary>
        public double ShortOcvV = 1.0;
        /// <summary>Least sites for dynamic limits (fewer: static limits only).</summary>
        public int MinDynamicSites = 8;
    }

    /// <summary>
    /// Bins a measured <see cref="SheetTable"/>: static limits, per-sheet dynamic limits (median +- k * IQR/1.35 on
    /// OCV and |Z| at each frequency, over the cells that passed the static limits), good A/B, neighbourhood
    /// downgrade, bin counts. Runs in phases, one per <see cref="Step"/> call (one per scan), so no scan does
    /// more than one sort of at most <see cref="SheetTable.MaxSites"/> values. No allocation.
    /// </summary>
    public sealed class SheetBinning
    {
        private const int Phases = 7;
        private readonly float[] _scratch = new float[SheetTable.MaxSites];
        private readonly double[] _median = new double[4];
        private readonly double[] _sigma = new double[4];
        private SheetTable _t;
        private BinningParameters _p;
        private int _phase;

        /// <summary>Robust median of the last sheet's values (0 OCV, 1..3 |Z|), NaN when not computed.</summary>
        public double Median(int k) { return _median[k]; }

        /// <summary>Robust sigma (IQR / 1.35) of the last sheet's values.</summary>
        public double Sigma(int k) { return _sigma[k]; }

        /// <summary>Starts binning <paramref name="table"/>.</summary>
        public void Begin(SheetTable table, BinningParameters parameters)
        {
            _t = table;
            _p = parameters;
            _phase = 0;
        }

        /// <summary>Runs one phase; true when the table is binned.</summary>
        public bool Step()
        {
            if (_phase == 0) StaticPass();
            else if (_phase >= 1 && _phase <= 4) Robust(_phase - 1);
            else if (_phase == 5) DynamicPass();
            else if (_phase == 6) Neighbours();
            _phase++;
            return _phase >= Phases;
        }

        /// <summary>Bins a table in one go (tests, host tools).</summary>
        public void RunAll(SheetTable table, BinningParameters parameters)
        {
            Begin(table, parameters);
            while (!Step()) { }
        }

        private void StaticPass()
        {
            SheetTable t = _t;
            int n = t.Columns * t.Rows;
            for (int i = 0; i < n; i++)
            {
                if (t.SoftBin[i] != 0) continue; // already decided (excluded, not tested, failed, open)
                t.SoftBin[i] = (short)StaticBin(t, i);
            }
        }

        private int StaticBin(SheetTable t, int i)
        {
            double c = t.ContactOhm[i];
            if (double.IsNaN(c) || c >= _p.OpenOhm) return SoftBins.ContactOpen;
            if (Above(c, t.LimitHi[SheetTests.Contact])) return SoftBins.ContactHigh;
            if (!t.Formed)
            {
                if (double.IsNaN(t.LeakageA[i])) return SoftBins.MeasurementFailed;
                if (Above(t.LeakageA[i], t.LimitHi[SheetTests.Leakage])) return SoftBins.Leakage;
            }
            else
            {
                double v = t.OcvV[i];
                if (double.IsNaN(v)) return SoftBins.MeasurementFailed;
                if (v < _p.ShortOcvV) return SoftBins.OcvCollapsed;
            }

            for (int k = 0; k < 3; k++) if (double.IsNaN(t.ZOhm[i * 3 + k])) return SoftBins.MeasurementFailed;
            if (Below(t.ZOhm[i * 3 + 2], t.LimitLo[SheetTests.Z3])) return SoftBins.LowZ3;
            if (Outside(t.ZOhm[i * 3], SheetTests.Z1)) return SoftBins.Z1Limit;
            if (Outside(t.ZOhm[i * 3 + 1], SheetTests.Z2)) return SoftBins.Z2Limit;
            if (Above(t.ZOhm[i * 3 + 2], t.LimitHi[SheetTests.Z3])) return SoftBins.Z3High;
            if (t.Formed)
            {
                double v = t.OcvV[i];
                if (v < _p.ReformBelowV) return SoftBins.Reform;
                if (Below(v, t.LimitLo[SheetTests.Ocv])) return SoftBins.OcvLow;
                if (Above(v, t.LimitHi[SheetTests.Ocv])) return SoftBins.OcvHigh;
            }
            else if (t.ZDeg[i * 3 + 2] > _p.ShapeMaxDeg)
            {
                return SoftBins.Shape;
            }

            return 0; // passes the static limits; the dynamic pass decides A or B
        }

        private bool Outside(double v, int test)
        {
            return Below(v, _t.LimitLo[test]) || Above(v, _t.LimitHi[test]);
        }

        private static bool Above(double v, double hi) { return !double.IsNaN(hi) && v > hi; }

        private static bool Below(double v, double lo) { return !double.IsNaN(lo) && v < lo; }

        // k = 0: OCV (formed sheets only), 1..3: |Z| at frequency k.
        private void Robust(int k)
        {
            _median[k] = double.NaN;
            _sigma[k] = double.NaN;
            if (k == 0 && !_t.Formed) return;
            SheetTable t = _t;
            int n = t.Columns * t.Rows;
            int m = 0;
            for (int i = 0; i < n; i++)
            {
                if (t.SoftBin[i] != 0) continue;
                _scratch[m++] = k == 0 ? t.OcvV[i] : t.ZOhm[i * 3 + k - 1];
            }

            if (m < _p.MinDynamicSites) return;
            ShellSort(_scratch, m);
            _median[k] = Quantile(_scratch, m, 0.5);
            _sigma[k] = (Quantile(_scratch, m, 0.75) - Quantile(_scratch, m, 0.25)) / 1.35;
        }

        private void DynamicPass()
        {
            SheetTable t = _t;
            int n = t.Columns * t.Rows;
            for (int i = 0; i < n; i++)
            {
                if (t.SoftBin[i] != 0) continue;
                double worst = 0;
                int worstK = -1;
                for (int k = 0; k < 4; k++)
                {
                    if (double.IsNaN(_median[k]) || !(_sigma[k] > 0)) continue;
                    double v = k == 0 ? t.OcvV[i] : t.ZOhm[i * 3 + k - 1];
                    double z = System.Math.Abs(v - _median[k]) / _sigma[k];
                    if (z > worst)
                    {
                        worst = z;
                        worstK = k;
                    }
                }

                if (worst > _p.DynamicSigma)
                {
                    t.SoftBin[i] = (short)(worstK == 0 ? SoftBins.OcvDynamic : SoftBins.ZDynamic);
                    t.Flags[i] |= SiteFlags.DynamicFail;
                }
                else
                {
                    t.SoftBin[i] = (short)(worst > _p.GoodASigma ? SoftBins.GoodB : SoftBins.GoodA);
                }
            }
        }

        private void Neighbours()
        {
            SheetTable t = _t;
            int n = t.Columns * t.Rows;
            for (int i = 0; i < n; i++) t.HardBin[i] = (byte)(t.SoftBin[i] / 100);
            for (int y = 0; y < t.Rows; y++)
            {
                for (int x = 0; x < t.Columns; x++)
                {
                    int i = y * t.Columns + x;
                    if (t.SoftBin[i] != SoftBins.GoodA) continue;
                    int fails = 0;
                    for (int dy = -1; dy <= 1; dy++)
                    {
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            if (dx == 0 && dy == 0) continue;
                            int nx = x + dx, ny = y + dy;
                            if (nx < 0 || ny < 0 || nx >= t.Columns || ny >= t.Rows) continue;
                            int h = t.HardBin[ny * t.Columns + nx];
                            if (h >= 3 && h <= 8) fails++;
                        }
                    }

                    if (fails >= _p.NeighbourFails)
                    {
                        t.SoftBin[i] = SoftBins.NeighbourDowngrade;
                        t.Flags[i] |= SiteFlags.Downgraded;
                    }
                }
            }

            for (int b = 0; b < t.BinCounts.Length; b++) t.BinCounts[b] = 0;
            for (int i = 0; i < n; i++)
            {
                t.HardBin[i] = (byte)(t.SoftBin[i] / 100);
                t.BinCounts[t.HardBin[i]]++;
            }
        }

        /// <summary>Sorts the first <paramref name="n"/> values ascending (Shell sort, Ciura gaps; no Array.Sort on nanoFramework).</summary>
        public static void ShellSort(float[] a, int n)
        {
            int[] gaps = s_gaps;
            for (int g = 0; g < gaps.Length; g++)
            {
                int gap = gaps[g];
                for (int i = gap; i < n; i++)
                {
                    float v = a[i];
                    int j = i;
                    while (j >= gap && a[j - gap] > v)
                    {
                        a[j] = a[j - gap];
                        j -= gap;
                    }

                    a[j] = v;
                }
            }
        }

        private static readonly int[] s_gaps = { 701, 301, 132, 57, 23, 10, 4, 1 };

        /// <summary>Linear-interpolated quantile of sorted values.</summary>
        public static double Quantile(float[] sorted, int n, double q)
        {
            double pos = q * (n - 1);
            int lo = (int)pos;
            int hi = lo + 1 < n ? lo + 1 : lo;
            double f = pos - lo;
            return sorted[lo] + (sorted[hi] - sorted[lo]) * f;
        }
    }
}
