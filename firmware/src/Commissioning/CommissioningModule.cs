using Tfb.Boards;
using Tfb.Hal;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Commissioning
{
    /// <summary>
    /// The commissioning commands of the technician console (<c>io</c>, <c>cal</c>, <c>net</c>, <c>identity</c>,
    /// <c>selftest</c>, <c>backup</c>) with their settings and their scan task. One per board, created by the
    /// composition root through <see cref="Register"/>.
    /// </summary>
    /// <remarks>
    /// Composition order: platform IBoardIo -> <see cref="ForcingBoardIo"/> (give it to the station modules and the
    /// output bank) -> ShellCore -> <see cref="Register"/> (declares settings, so before <c>SettingsStore.Load</c>)
    /// -> add <see cref="ScanTask"/> to the scan executive -> <see cref="AddForcePermit"/> per station module,
    /// <see cref="AddSpiProbe"/> per SPI device with a known ID. Settings declared (all engineer-level):
    /// <c>cal.&lt;ain&gt;.zero</c>, <c>cal.&lt;ain&gt;.gain</c> per analog input, <c>io.force.unowned</c>,
    /// <c>board.assetId</c>, and the 13 <c>net.*</c> settings of <see cref="NetworkSettings"/>: size the
    /// registry for 2 * analog inputs + 15 more.
    /// </remarks>
    public sealed class CommissioningModule
    {
        /// <summary>Most SPI probes that can be registered.</summary>
        public const int MaxSpiProbes = 16;
        /// <summary>Largest zero offset accepted, as a fraction of the input's span (also the setting's range).</summary>
        public const double MaxZeroFractionOfSpan = 0.05;
        /// <summary>Smallest span gain accepted (also the setting's range).</summary>
        public const double MinGain = 0.8;
        /// <summary>Largest span gain accepted (also the setting's range).</summary>
        public const double MaxGain = 1.25;
        /// <summary>Smallest distance of a span point from the zero point, as a fraction of the span.</summary>
        public const double MinSpanFractionOfRange = 0.1;
        /// <summary>Longest asset id, characters.</summary>
        public const int MaxAssetIdLength = 32;

        /// <summary>Most NV owner locks that can be declared.</summary>
        public const int MaxNvLocks = 16;
        /// <summary>Conventional name of the settings partition, whose owner lock the console already holds.</summary>
        public const string SettingsPartition = "settings";

        private readonly string[] _nvLockNames = new string[MaxNvLocks];
        private readonly object[] _nvLocks = new object[MaxNvLocks];
        private int _nvLockCount;
        private readonly string[] _probeNames = new string[MaxSpiProbes];
        private readonly ISpiProbe[] _probes = new ISpiProbe[MaxSpiProbes];
        private int _probeCount;

        private CommissioningModule(ShellCore core, BoardDefinition board, ForcingBoardIo io, ICalibrationSink calibration,
            IConnectionTester connectionTester)
        {
            Core = core;
            Board = board;
            Io = io;
            ConnectionTester = connectionTester;
            SettingsRegistry s = core.Settings;

            int nain = board.AnalogInputs == null ? 0 : board.AnalogInputs.Length;
            ZeroSetting = new int[nain];
            GainSetting = new int[nain];
            for (int i = 0; i < nain; i++)
            {
                AnalogInputDef a = board.AnalogInputs[i];
                double span = a.EngMax - a.EngMin;
                if (span < 0) span = -span;
                double maxZero = TextFormat.Quantize(span * MaxZeroFractionOfSpan);
                ZeroSetting[i] = s.Add(SettingDef.Number("cal." + a.Name + ".zero", a.Unit, SettingType.Real, -maxZero, maxZero, 0,
                    AccessLevel.Engineer, "Calibration zero offset of " + a.Name + " (subtracted before the gain); set by cal zero"));
                GainSetting[i] = s.Add(SettingDef.Number("cal." + a.Name + ".gain", "", SettingType.Real, MinGain, MaxGain, 1,
                    AccessLevel.Engineer, "Calibration span gain of " + a.Name + "; set by cal span"));
            }
            UnownedForceSetting = s.Add(SettingDef.Flag("io.force.unowned", false, AccessLevel.Engineer,
                "Allow io force away from the safe state on outputs no station module vouches for (bench boards only)"));
            string asset = core.Identity != null && core.Identity.AssetId != null && IsValidAssetId(core.Identity.AssetId) ? core.Identity.AssetId : "";
            AssetSetting = s.Add(SettingDef.Text("board.assetId", MaxAssetIdLength, asset, AccessLevel.Engineer,
                "Plant asset id of this board's station (info, Sparkplug NBIRTH); set by identity asset"));
            Network = new NetworkSettings(s, board.Name);

            if (board.FindNvPartition(SettingsPartition) != null) AddNvLock(SettingsPartition, core.StoreSync);
            ScanTask = new CommissioningScan(board, io, core.Clock, core.Events, core.Line, s, calibration, core.Identity);
            ScanTask.BindSettings(ZeroSetting, GainSetting, AssetSetting, UnownedForceSetting);
        }

        /// <summary>
        /// Declares the commissioning settings and registers the commands on <paramref name="core"/>. Call once,
        /// before <c>SettingsStore.Load</c>.
        /// </summary>
        /// <param name="core">The board's console (its settings, logs, clock, identity and line hook are used).</param>
        /// <param name="board">The board definition (logical names, safe states, scaling, partitions).</param>
        /// <param name="io">The forcing view of the board's I/O (the one the station modules use).</param>
        /// <param name="calibration">Where calibrations go on the scan thread; null = the adapters take none (cal refuses).</param>
        /// <param name="connectionTester">The broker test behind <c>net test</c>; null = net test says NotSupported.</param>
        /// <returns>The module: add <see cref="ScanTask"/> to the scan executive.</returns>
        public static CommissioningModule Register(ShellCore core, BoardDefinition board, ForcingBoardIo io,
            ICalibrationSink calibration, IConnectionTester connectionTester)
        {
            if (core == null) throw new System.ArgumentNullException("core");
            if (board == null) throw new System.ArgumentNullException("board");
            if (io == null) throw new System.ArgumentNullException("io");
            CommissioningModule m = new CommissioningModule(core, board, io, calibration, connectionTester);
            IoCommands.Register(m);
            CalCommands.Register(m);
            NetCommands.Register(m);
            BoardCommands.Register(m);
            return m;
        }

        /// <summary>The console the commands live in.</summary>
        public ShellCore Core { get; private set; }
        /// <summary>The board definition.</summary>
        public BoardDefinition Board { get; private set; }
        /// <summary>The forcing view of the board's I/O.</summary>
        public ForcingBoardIo Io { get; private set; }
        /// <summary>The scan task: add it to the scan executive (every scan, or a small divisor).</summary>
        public CommissioningScan ScanTask { get; private set; }
        /// <summary>The broker test hook, or null.</summary>
        public IConnectionTester ConnectionTester { get; private set; }
        /// <summary>The network and broker settings (also what the Sparkplug edge node connects with).</summary>
        public NetworkSettings Network { get; private set; }
        /// <summary>Setting index of <c>cal.&lt;ain&gt;.zero</c> per analog input (board order).</summary>
        public int[] ZeroSetting { get; private set; }
        /// <summary>Setting index of <c>cal.&lt;ain&gt;.gain</c> per analog input (board order).</summary>
        public int[] GainSetting { get; private set; }
        /// <summary>Setting index of <c>io.force.unowned</c>.</summary>
        public int UnownedForceSetting { get; private set; }
        /// <summary>Setting index of <c>board.assetId</c>.</summary>
        public int AssetSetting { get; private set; }

        /// <summary>Adds a station module's force permit (composition time).</summary>
        public void AddForcePermit(IForcePermit permit)
        {
            ScanTask.AddPermit(permit);
        }

        /// <summary>Declares how <c>selftest</c> probes SPI device <paramref name="device"/> (composition time).</summary>
        public void AddSpiProbe(string device, ISpiProbe probe)
        {
            if (probe == null) throw new System.ArgumentNullException("probe");
            if (Board.FindSpiDevice(device) == null) throw new System.ArgumentException("no SPI device " + device);
            lock (_probes)
            {
                if (_probeCount == MaxSpiProbes) throw new System.InvalidOperationException("too many SPI probes");
                _probeNames[_probeCount] = device;
                _probes[_probeCount++] = probe;
            }
        }

        /// <summary>
        /// Declares the lock the owner of NV partition <paramref name="partition"/> holds around its accesses
        /// (composition time). <c>selftest</c> write-tests only partitions with a declared lock (it holds it for the
        /// read/write/restore); the others are read-tested and reported SKIP for the write. The <c>settings</c>
        /// partition is declared by <see cref="Register"/> (the console's store lock).
        /// </summary>
        public void AddNvLock(string partition, object ownerLock)
        {
            if (ownerLock == null) throw new System.ArgumentNullException("ownerLock");
            if (Board.FindNvPartition(partition) == null) throw new System.ArgumentException("no NV partition " + partition);
            lock (_nvLocks)
            {
                if (_nvLockCount == MaxNvLocks) throw new System.InvalidOperationException("too many NV locks");
                _nvLockNames[_nvLockCount] = partition;
                _nvLocks[_nvLockCount++] = ownerLock;
            }
        }

        /// <summary>The owner lock declared for <paramref name="partition"/>, or null.</summary>
        public object FindNvLock(string partition)
        {
            lock (_nvLocks)
            {
                for (int i = 0; i < _nvLockCount; i++) if (_nvLockNames[i] == partition) return _nvLocks[i];
            }
            return null;
        }

        /// <summary>
        /// Call after <c>SettingsStore.Load</c>: copies the loaded <c>board.assetId</c> into the identity at once, so
        /// <c>info</c> and the first NBIRTH show it before the scan task has run.
        /// </summary>
        public void AfterSettingsLoaded()
        {
            if (Core.Identity != null) Core.Identity.AssetId = Core.Settings.GetText(AssetSetting);
        }

        /// <summary>The probe declared for <paramref name="device"/>, or null.</summary>
        public ISpiProbe FindSpiProbe(string device)
        {
            lock (_probes)
            {
                for (int i = 0; i < _probeCount; i++) if (_probeNames[i] == device) return _probes[i];
            }
            return null;
        }

        /// <summary>Index of analog input <paramref name="name"/> in the board definition, or -1.</summary>
        public int AnalogInputIndex(string name)
        {
            AnalogInputDef[] a = Board.AnalogInputs;
            if (a == null) return -1;
            for (int i = 0; i < a.Length; i++) if (a[i].Name == name) return i;
            return -1;
        }

        /// <summary>1-32 characters of A-Z a-z 0-9 '.' '_' '-'.</summary>
        public static bool IsValidAssetId(string id)
        {
            if (id == null || id.Length == 0 || id.Length > MaxAssetIdLength) return false;
            for (int i = 0; i < id.Length; i++)
            {
                char c = id[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                if (!ok) return false;
            }
            return true;
        }
    }
}
