using Tfb.Codes;
using Tfb.Sparkplug;

namespace Tfb.Stations.SheetTest
{
    /// <summary>
    /// Publishes completed sheets through the store-and-forward queue as the results contract says: one
    /// sheet-start record (ids, grid, frequencies, formed, program, limits), one record per site (all
    /// <c>Result/*</c> metrics, timestamp = the site's measurement time), one sheet-end record (sites tested, bin
    /// counts). Device <c>SheetTest</c>.
    /// </summary>
    /// <remarks>
    /// Runs on the persistence thread (<see cref="Pump"/>). A record the queue refuses (back-pressure, full) is
    /// retried on the next pump from the same place: nothing is skipped; the table is freed for the sequencer
    /// only after its end record is queued. Allocates strings per sheet (ids, bin counts) on this thread only.
    /// </remarks>
    public sealed class SheetResultPublisher
    {
        /// <summary>Sparkplug device id.</summary>
        public const string DeviceId = "SheetTest";

        private readonly SiteSequencer _seq;
        private readonly SparkplugDevice _device;
        private readonly StoreForwardRecord _record = new StoreForwardRecord(Tfb.Runtime.BoardEdgeNode.MaxRecordBytes);
        private readonly SparkplugMetric _rRoll, _rSheet, _rX, _rY, _rSeq, _rContact, _rLeak, _rOcv, _rHard, _rSoft, _rFlags;
        private readonly SparkplugMetric[] _rZ = new SparkplugMetric[3];
        private readonly SparkplugMetric[] _rDeg = new SparkplugMetric[3];
        private readonly SparkplugMetric _sRoll, _sSheet, _sCols, _sRows, _sPx, _sPy, _sW, _sH, _sFormed, _sProgram;
        private readonly SparkplugMetric[] _sHz = new SparkplugMetric[3];
        private readonly SparkplugMetric[] _lLo = new SparkplugMetric[SheetTests.Count];
        private readonly SparkplugMetric[] _lHi = new SparkplugMetric[SheetTests.Count];
        private readonly SparkplugMetric _eSheet, _eSites, _eBins;
        private SheetTable _current;
        private int _stage; // 0 start record, 1 sites, 2 end record
        private int _site;
        private string _sheetId;
        private int _published;

        /// <summary>Declares the device and its result metrics on <paramref name="session"/>.</summary>
        public SheetResultPublisher(SiteSequencer sequencer, EdgeNodeSession session, int extraMetrics)
        {
            _seq = sequencer;
            _device = session.AddDevice(DeviceId, 48 + extraMetrics);
            MetricRegistry m = _device.Metrics;
            _rRoll = Text(m, "Result/Roll Id");
            _rSheet = Text(m, "Result/Sheet Id");
            _rX = Num(m, "Result/Cell X", SparkplugDataType.UInt8);
            _rY = Num(m, "Result/Cell Y", SparkplugDataType.UInt8);
            _rSeq = Num(m, "Result/Site Seq", SparkplugDataType.UInt32);
            _rContact = Num(m, "Result/Contact Ohm", SparkplugDataType.Float);
            _rLeak = Num(m, "Result/Leakage A", SparkplugDataType.Float);
            _rOcv = Num(m, "Result/OCV V", SparkplugDataType.Float);
            for (int k = 0; k < 3; k++)
            {
                _rZ[k] = Num(m, "Result/Z" + (k + 1).ToString() + " Ohm", SparkplugDataType.Float);
                _rDeg[k] = Num(m, "Result/Z" + (k + 1).ToString() + " Deg", SparkplugDataType.Float);
            }

            _rHard = Num(m, "Result/Hard Bin", SparkplugDataType.UInt8);
            _rSoft = Num(m, "Result/Soft Bin", SparkplugDataType.UInt16);
            _rFlags = Num(m, "Result/Flags", SparkplugDataType.UInt32);
            _sRoll = Text(m, "Sheet/Roll Id");
            _sSheet = Text(m, "Sheet/Sheet Id");
            _sCols = Num(m, "Sheet/Columns", SparkplugDataType.UInt8);
            _sRows = Num(m, "Sheet/Rows", SparkplugDataType.UInt8);
            _sPx = Num(m, "Sheet/Pitch X mm", SparkplugDataType.Float);
            _sPy = Num(m, "Sheet/Pitch Y mm", SparkplugDataType.Float);
            _sW = Num(m, "Sheet/Cell W mm", SparkplugDataType.Float);
            _sH = Num(m, "Sheet/Cell H mm", SparkplugDataType.Float);
            for (int k = 0; k < 3; k++) _sHz[k] = Num(m, "Sheet/Z" + (k + 1).ToString() + " Hz", SparkplugDataType.Float);
            _sFormed = Num(m, "Sheet/Formed", SparkplugDataType.Boolean);
            _sProgram = Text(m, "Sheet/Test Program");
            for (int k = 0; k < SheetTests.Count; k++)
            {
                _lLo[k] = Num(m, "Limits/" + SheetTests.Names[k] + " Lo", SparkplugDataType.Float);
                _lHi[k] = Num(m, "Limits/" + SheetTests.Names[k] + " Hi", SparkplugDataType.Float);
            }

            _eSheet = _sSheet;
            _eSites = Num(m, "Sheet/End Sites", SparkplugDataType.UInt32);
            _eBins = Text(m, "Sheet/Bin Counts");
        }

        /// <summary>The device (modules add their live metrics to it).</summary>
        public SparkplugDevice Device { get { return _device; } }

        /// <summary>The queue (set once by the module).</summary>
        public StoreForwardQueue Queue;

        /// <summary>Records queued since boot.</summary>
        public int Published { get { return _published; } }

        private static SparkplugMetric Num(MetricRegistry m, string name, SparkplugDataType type)
        {
            SparkplugMetric metric = m.Add(name, type, 0, 0);
            metric.SetNull();
            return metric;
        }

        private static SparkplugMetric Text(MetricRegistry m, string name)
        {
            SparkplugMetric metric = m.Add(name, SparkplugDataType.String, 0, 0, false, 64, null);
            metric.SetNull();
            return metric;
        }

        /// <summary>Queues as much of the completed sheets as the queue takes (persistence thread).</summary>
        public void Pump()
        {
            if (Queue == null) return;
            for (;;)
            {
                if (_current == null)
                {
                    _current = Oldest();
                    if (_current == null) return;
                    _stage = 0;
                    _site = 0;
                    _sheetId = SheetId(_current.SheetNumber);
                }

                if (Queue.ProducersMustPause) return;
                if (!Append()) return;
                if (_stage == 3)
                {
                    _current.TryMove(SheetTable.Complete, SheetTable.Free);
                    _current = null;
                }
            }
        }

        private SheetTable Oldest()
        {
            SheetTable best = null;
            for (int i = 0; i < 2; i++)
            {
                SheetTable t = _seq.Table(i);
                if (t.State == SheetTable.Complete && (best == null || t.SheetNumber < best.SheetNumber)) best = t;
            }

            return best;
        }

        /// <summary>The contract's sheet id for sheet number <paramref name="n"/>: S + 4 digits.</summary>
        public static string SheetId(int n)
        {
            string d = n.ToString();
            while (d.Length < 4) d = "0" + d;
            return "S" + d;
        }

        /// <summary>The contract's bin-count list: nine comma-separated counts for hard bins 1..9.</summary>
        public static string BinCounts(SheetTable t)
        {
            string s = t.BinCounts[1].ToString();
            for (int b = 2; b <= 9; b++) s = s + "," + t.BinCounts[b].ToString();
            return s;
        }

        private bool Append()
        {
            SheetTable t = _current;
            StoreForwardRecord r = _record;
            if (_stage == 0)
            {
                r.Begin(_device, t.StartMs);
                r.AddString(_sRoll, t.RollId);
                r.AddString(_sSheet, _sheetId);
                r.AddInteger(_sCols, t.Columns);
                r.AddInteger(_sRows, t.Rows);
                r.AddReal(_sPx, t.PitchXMm);
                r.AddReal(_sPy, t.PitchYMm);
                r.AddReal(_sW, t.CellWMm);
                r.AddReal(_sH, t.CellHMm);
                for (int k = 0; k < 3; k++) r.AddReal(_sHz[k], t.FrequencyHz[k]);
                r.AddInteger(_sFormed, t.Formed ? 1 : 0);
                r.AddString(_sProgram, t.Program);
                for (int k = 0; k < SheetTests.Count; k++)
                {
                    r.AddReal(_lLo[k], t.LimitLo[k]);
                    r.AddReal(_lHi[k], t.LimitHi[k]);
                }
            }
            else if (_stage == 1)
            {
                int cell = t.Order[_site];
                r.Begin(_device, t.Tested[cell] ? t.TimeMs[cell] : t.EndMs);
                r.AddString(_rRoll, t.RollId);
                r.AddString(_rSheet, _sheetId);
                r.AddInteger(_rX, cell % t.Columns);
                r.AddInteger(_rY, cell / t.Columns);
                r.AddInteger(_rSeq, _site);
                r.AddReal(_rContact, t.ContactOhm[cell]);
                r.AddReal(_rLeak, t.LeakageA[cell]);
                r.AddReal(_rOcv, t.OcvV[cell]);
                for (int k = 0; k < 3; k++)
                {
                    r.AddReal(_rZ[k], t.ZOhm[cell * 3 + k]);
                    r.AddReal(_rDeg[k], t.ZDeg[cell * 3 + k]);
                }

                r.AddInteger(_rHard, t.HardBin[cell]);
                r.AddInteger(_rSoft, t.SoftBin[cell]);
                r.AddInteger(_rFlags, t.Flags[cell]);
            }
            else
            {
                r.Begin(_device, t.EndMs);
                r.AddString(_eSheet, _sheetId);
                r.AddInteger(_eSites, t.SitesTested);
                r.AddString(_eBins, BinCounts(t));
            }

            uint seq;
            ErrorCode error;
            if (!Queue.TryAppend(r, out seq, out error)) return false;
            _published++;
            if (_stage == 0) _stage = 1;
            else if (_stage == 1)
            {
                _site++;
                if (_site >= t.SiteCount) _stage = 2;
            }
            else _stage = 3;
            return true;
        }
    }
}
