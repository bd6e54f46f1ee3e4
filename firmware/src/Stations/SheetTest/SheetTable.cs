using System.Threading;

namespace Tfb.Stations.SheetTest
{
    /// <summary>Tests that have limits, in the contract's order (Limits/&lt;Test&gt; Lo/Hi).</summary>
    public static class SheetTests
    {
        /// <summary>Kelvin contact check, ohm.</summary>
        public const int Contact = 0;
        /// <summary>Short/leakage current, A.</summary>
        public const int Leakage = 1;
        /// <summary>Open-circuit voltage, V.</summary>
        public const int Ocv = 2;
        /// <summary>|Z| at frequency 1, ohm.</summary>
        public const int Z1 = 3;
        /// <summary>|Z| at frequency 2, ohm.</summary>
        public const int Z2 = 4;
        /// <summary>|Z| at frequency 3, ohm.</summary>
        public const int Z3 = 5;
        /// <summary>Number of tests with limits.</summary>
        public const int Count = 6;

        /// <summary>Contract names (Sparkplug <c>Limits/&lt;name&gt; Lo</c>).</summary>
        public static readonly string[] Names = { "Contact Ohm", "Leakage A", "OCV V", "Z1 Ohm", "Z2 Ohm", "Z3 Ohm" };

        /// <summary>Results-file names (<c># limit test=...</c>).</summary>
        public static readonly string[] FileNames = { "Contact_Ohm", "Leakage_A", "OCV_V", "Z1_Ohm", "Z2_Ohm", "Z3_Ohm" };
    }

    /// <summary>Result flags (contract <c>Result/Flags</c>).</summary>
    public static class SiteFlags
    {
        /// <summary>The contact check was retested.</summary>
        public const int Retested = 1;
        /// <summary>Downgraded by failing neighbours.</summary>
        public const int Downgraded = 2;
        /// <summary>Failed a per-sheet dynamic limit.</summary>
        public const int DynamicFail = 4;
        /// <summary>An EIS sweep was taken on this site.</summary>
        public const int EisSampled = 8;
    }

    /// <summary>
    /// One sheet's results: header (ids, grid, frequencies, limits), one row per cell (row-major index
    /// y * Columns + x), bins and counts. Preallocated for <see cref="MaxSites"/>; reused sheet after sheet.
    /// </summary>
    /// <remarks>
    /// Ownership moves by <see cref="State"/> (Interlocked): Free (nobody) -> Filling (the scan: sequencer,
    /// then binning) -> Complete (the publisher thread reads it) -> Free. A reader looks only at a table in a
    /// state that its writer has left. Measurements are float (24-bit mantissa: 0.5 uV at 4.2 V); NaN = not measured.
    /// </remarks>
    public sealed class SheetTable
    {
        /// <summary>Largest grid (cells).</summary>
        public const int MaxSites = 1024;
        /// <summary>State: unused.</summary>
        public const int Free = 0;
        /// <summary>State: being measured or binned (scan thread).</summary>
        public const int Filling = 1;
        /// <summary>State: complete, waiting to be published.</summary>
        public const int Complete = 2;

        private int _state;

        /// <summary>Ownership state (<see cref="Free"/>, <see cref="Filling"/>, <see cref="Complete"/>).</summary>
        public int State { get { return Interlocked.CompareExchange(ref _state, 0, 0); } }

        /// <summary>Moves the table from <paramref name="from"/> to <paramref name="to"/>; false if it was not in <paramref name="from"/>.</summary>
        public bool TryMove(int from, int to) { return Interlocked.CompareExchange(ref _state, to, from) == from; }

        /// <summary>Roll id (STDF lot).</summary>
        public string RollId = "";
        /// <summary>Sheet number on the roll (the sheet id is S + 4 digits of it).</summary>
        public int SheetNumber;
        /// <summary>Test program name.</summary>
        public string Program = "default";
        /// <summary>Columns of the grid.</summary>
        public int Columns;
        /// <summary>Rows of the grid.</summary>
        public int Rows;
        /// <summary>Pitch across, mm.</summary>
        public double PitchXMm;
        /// <summary>Pitch along, mm.</summary>
        public double PitchYMm;
        /// <summary>Cell width, mm.</summary>
        public double CellWMm;
        /// <summary>Cell height, mm.</summary>
        public double CellHMm;
        /// <summary>Impedance frequencies, Hz.</summary>
        public readonly int[] FrequencyHz = new int[3];
        /// <summary>True after formation.</summary>
        public bool Formed;
        /// <summary>Sheet start, ms UTC.</summary>
        public long StartMs;
        /// <summary>Sheet end, ms UTC.</summary>
        public long EndMs;
        /// <summary>Low limits by <see cref="SheetTests"/> index (NaN = none).</summary>
        public readonly double[] LimitLo = new double[SheetTests.Count];
        /// <summary>High limits.</summary>
        public readonly double[] LimitHi = new double[SheetTests.Count];
        /// <summary>Sites tested.</summary>
        public int SitesTested;
        /// <summary>True when the sheet was stopped before its scan list ended (front-end fault, abort).</summary>
        public bool Aborted;
        /// <summary>Counts per hard bin (index 1..9; 0 unused).</summary>
        public readonly int[] BinCounts = new int[10];

        /// <summary>Cell index of each site in test order (<see cref="SiteCount"/> entries: tested, then untested).</summary>
        public readonly short[] Order = new short[MaxSites];
        /// <summary>Entries of <see cref="Order"/> (every cell of the grid once).</summary>
        public int SiteCount;

        /// <summary>Per cell: measured (tested) flag.</summary>
        public readonly bool[] Tested = new bool[MaxSites];
        /// <summary>Per cell: measurement time, ms UTC.</summary>
        public readonly long[] TimeMs = new long[MaxSites];
        /// <summary>Per cell: contact, ohm.</summary>
        public readonly float[] ContactOhm = new float[MaxSites];
        /// <summary>Per cell: leakage, A.</summary>
        public readonly float[] LeakageA = new float[MaxSites];
        /// <summary>Per cell: OCV, V.</summary>
        public readonly float[] OcvV = new float[MaxSites];
        /// <summary>Per cell: |Z| at frequencies 1..3 (index cell * 3 + k), ohm.</summary>
        public readonly float[] ZOhm = new float[MaxSites * 3];
        /// <summary>Per cell: phase at frequencies 1..3, degrees.</summary>
        public readonly float[] ZDeg = new float[MaxSites * 3];
        /// <summary>Per cell: hard bin 1..9.</summary>
        public readonly byte[] HardBin = new byte[MaxSites];
        /// <summary>Per cell: soft bin.</summary>
        public readonly short[] SoftBin = new short[MaxSites];
        /// <summary>Per cell: <see cref="SiteFlags"/>.</summary>
        public readonly byte[] Flags = new byte[MaxSites];

        /// <summary>Clears every row for a new sheet of <paramref name="columns"/> x <paramref name="rows"/>.</summary>
        public void Reset(int columns, int rows)
        {
            Columns = columns;
            Rows = rows;
            SitesTested = 0;
            SiteCount = 0;
            Aborted = false;
            EndMs = 0;
            for (int b = 0; b < BinCounts.Length; b++) BinCounts[b] = 0;
            int n = columns * rows;
            for (int i = 0; i < n; i++)
            {
                Tested[i] = false;
                TimeMs[i] = 0;
                ContactOhm[i] = float.NaN;
                LeakageA[i] = float.NaN;
                OcvV[i] = float.NaN;
                for (int k = 0; k < 3; k++)
                {
                    ZOhm[i * 3 + k] = float.NaN;
                    ZDeg[i * 3 + k] = float.NaN;
                }

                HardBin[i] = 0;
                SoftBin[i] = 0;
                Flags[i] = 0;
            }
        }
    }
}
