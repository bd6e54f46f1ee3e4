using Tfb.Boards;
using Tfb.Codes;
using Tfb.Hal;
using Tfb.Settings;
using Tfb.Shell;

namespace Tfb.Commissioning
{
    /// <summary>
    /// <c>identity asset</c>, <c>selftest</c>, <c>backup</c> (the exact-number line
    /// a backup uses for values whose decimal text would not parse back to the same bits).
    /// </summary>
    internal sealed class BoardCommands : ICommandHandler
    {
        /// <summary>Bytes of the scratch area written and restored at the end of every NV partition.</summary>
        internal const int NvScratchBytes = 16;

        private const int Asset = 1;
        private const int SelfTest = 2;
        private const int Backup = 3;
        private readonly CommissioningModule _m;

        private BoardCommands(CommissioningModule m)
        {
            _m = m;
        }

        internal static void Register(CommissioningModule m)
        {
            BoardCommands h = new BoardCommands(m);
            CommandRegistry r = m.Core.Commands;
            r.Register(CommandDef.Create("identity asset", "<id>", "Set the plant asset id shown by info and in NBIRTH", 1, 1, AccessLevel.Engineer, false, h, Asset));
            r.Register(CommandDef.Create("selftest", "", "Check buses, NV partitions, inputs, outputs, watchdog: PASS/FAIL table", 0, 0, AccessLevel.Technician, true, h, SelfTest));
            r.Register(CommandDef.Create("backup", "", "Every setting as replayable lines (calibration, network, identity); secrets only for engineers", 0, 0, AccessLevel.Technician, false, h, Backup));
        }

        public bool Execute(CommandContext ctx)
        {
            switch (ctx.Command.Tag)
            {
                case Asset: return DoAsset(ctx);
                case SelfTest: return DoSelfTest(ctx);
                case Backup: return DoBackup(ctx);
                default: return ctx.Fail(ErrorCode.InternalError, null);
            }
        }

        private bool DoAsset(CommandContext ctx)
        {
            string id = ctx.Arg(0);
            if (!CommissioningModule.IsValidAssetId(id)) return ctx.Fail(ErrorCode.BadArgument, "asset id: 1-32 characters of A-Z a-z 0-9 . _ -");
            ErrorCode error;
            if (!ctx.Core.Settings.TrySetText(_m.AssetSetting, id, out error)) return ctx.Fail(error, null);
            if (ctx.Core.Identity != null) ctx.Core.Identity.AssetId = id;
            ctx.Core.Events.Add((int)EventCode.AssetIdChanged, id.Length);
            ctx.WriteLine("asset id " + id + " in RAM; settings save keeps it");
            return true;
        }

        // ---- selftest ----

        private bool DoSelfTest(CommandContext ctx)
        {
            BoardDefinition b = _m.Board;
            CommissioningScan scan = _m.ScanTask;
            int failed = 0;
            int checks = 0;

            IoSnapshot snap = scan.NewSnapshot();
            scan.CopySnapshot(snap);
            bool fresh = snap.Taken && ctx.Core.Clock.NowMicros - snap.TakenUs <= IoCommands.StaleUs;
            Row(ctx, ref checks, ref failed, fresh ? 1 : 0, "scan", "commissioning", fresh ? "snapshot #" + snap.Sequence : "no fresh I/O snapshot (task not running)");

            IWatchdog wd = _m.Io.Watchdog;
            bool wdOk = b.Watchdog != null && wd != null && wd.TimeoutMs > 0;
            Row(ctx, ref checks, ref failed, wdOk ? 1 : 0, "watchdog", "supervisor",
                wdOk ? "timeout " + wd.TimeoutMs + " ms" : "not configured (board definition has no watchdog or the supervisor reports no timeout)");

            int n = b.DigitalInputs == null ? 0 : b.DigitalInputs.Length;
            for (int i = 0; i < n; i++)
            {
                bool ok = fresh && snap.DinValid[i];
                Row(ctx, ref checks, ref failed, ok ? 1 : 0, "din", b.DigitalInputs[i].Name, ok ? (snap.DinActive[i] ? "1" : "0") : "read failed");
            }
            n = b.AnalogInputs == null ? 0 : b.AnalogInputs.Length;
            for (int i = 0; i < n; i++)
            {
                bool ok = fresh && snap.AinValid[i];
                Row(ctx, ref checks, ref failed, ok ? 1 : 0, "ain", b.AnalogInputs[i].Name,
                    ok ? TextFormat.Fixed(snap.AinValue[i], 3) + " " + b.AnalogInputs[i].Unit : "reading invalid (open, short or converter fault)");
            }
            for (int i = 0; i < scan.OutputCount; i++)
            {
                bool ok = scan.OutputPresent(i);
                Row(ctx, ref checks, ref failed, ok ? 1 : 0, scan.IsAnalog(i) ? "aout" : "dout", scan.OutputName(i), ok ? "driver present" : "no driver");
            }
            n = b.SpiDevices == null ? 0 : b.SpiDevices.Length;
            for (int i = 0; i < n; i++)
            {
                string name = b.SpiDevices[i].Name;
                ISpiTransfer dev = _m.Io.SpiDevice(name);
                if (dev == null)
                {
                    Row(ctx, ref checks, ref failed, 0, "spi", name, "no driver");
                    continue;
                }
                ISpiProbe probe = _m.FindSpiProbe(name);
                if (probe == null)
                {
                    Row(ctx, ref checks, ref failed, 2, "spi", name, "not probed (no ID probe declared)");
                    continue;
                }
                string detail;
                bool ok;
                try { ok = probe.Probe(dev, out detail); }
                catch (System.Exception) { ok = false; detail = "probe threw"; }
                Row(ctx, ref checks, ref failed, ok ? 1 : 0, "spi", name, detail);
            }
            n = b.NvPartitions == null ? 0 : b.NvPartitions.Length;
            for (int i = 0; i < n; i++)
            {
                string detail;
                int verdict = TestNv(ctx, b.NvPartitions[i], out detail);
                Row(ctx, ref checks, ref failed, verdict, "nv", b.NvPartitions[i].Name, detail);
            }
            ctx.Core.Events.Add((int)EventCode.SelfTestRun, failed);
            if (failed > 0) return ctx.Fail(ErrorCode.BadState, "selftest: " + failed + " of " + checks + " checks failed");
            ctx.WriteLine("selftest: all " + checks + " checks passed");
            return true;
        }

        // verdict: 0 FAIL, 1 PASS, 2 SKIP (not counted as a failure).
        private static void Row(CommandContext ctx, ref int checks, ref int failed, int verdict, string kind, string name, string detail)
        {
            checks++;
            if (verdict == 0) failed++;
            string v = verdict == 1 ? "PASS" : verdict == 0 ? "FAIL" : "SKIP";
            ctx.WriteLine(v + "  " + TextFormat.Pad(kind, 9) + TextFormat.Pad(name, 20) + detail);
        }

        // With the owner's lock declared: reads the partition's last bytes, writes their complement, reads it back,
        // then restores the original and checks that too, all under that lock. A power cut inside this window can
        // leave the complement in those 16 bytes (documented). Without a declared lock only the read is done
        // (verdict 2 = SKIP for the write): writing behind an owner's back could undo its newest data.
        private int TestNv(CommandContext ctx, NvPartitionDef def, out string detail)
        {
            INvStore nv = _m.Io.NvStore(def.Name);
            if (nv == null) { detail = "no driver"; return 0; }
            if (nv.Size != def.SizeBytes) { detail = "size " + nv.Size + " bytes, board definition says " + def.SizeBytes; return 0; }
            if (nv.Size < NvScratchBytes) { detail = "smaller than the scratch area"; return 0; }
            int address = nv.Size - NvScratchBytes;
            byte[] original = new byte[NvScratchBytes];
            object owner = _m.FindNvLock(def.Name);
            if (owner == null)
            {
                if (!nv.Read(address, original, 0, NvScratchBytes)) { detail = "read failed"; return 0; }
                detail = nv.Size + " bytes, read ok; write not tested (no owner lock declared)";
                return 2;
            }
            byte[] pattern = new byte[NvScratchBytes];
            byte[] back = new byte[NvScratchBytes];
            lock (owner)
            {
                if (!nv.Read(address, original, 0, NvScratchBytes)) { detail = "read failed"; return 0; }
                for (int i = 0; i < NvScratchBytes; i++) pattern[i] = (byte)~original[i];
                if (!nv.Write(address, pattern, 0, NvScratchBytes))
                {
                    nv.Write(address, original, 0, NvScratchBytes);
                    detail = "write failed";
                    return 0;
                }
                bool readOk = nv.Read(address, back, 0, NvScratchBytes);
                bool same = readOk && Equal(back, pattern);
                bool restored = nv.Write(address, original, 0, NvScratchBytes) && nv.Read(address, back, 0, NvScratchBytes) && Equal(back, original);
                if (!restored) { detail = "could not restore the scratch bytes at " + address; return 0; }
                if (!same) { detail = readOk ? "read back differs from what was written" : "read-back failed"; return 0; }
            }
            detail = nv.Size + " bytes, read/write/restore at " + address;
            return 1;
        }

        private static bool Equal(byte[] a, byte[] b)
        {
            for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) return false;
            return true;
        }

        // ---- backup / restore ----

        private bool DoBackup(CommandContext ctx)
        {
            SettingsRegistry s = ctx.Core.Settings;
            bool engineer = ctx.Level >= AccessLevel.Engineer;
            BoardIdentity id = ctx.Core.Identity;
            int lines = 0;
            ctx.WriteLine("# backup of board " + _m.Board.Name + (id != null ? " asset " + Text(id.AssetId) + " firmware " + Text(id.FirmwareVersion) : "")
                + "; replay these lines as engineer to restore, then settings save");
            lines++;
            for (int i = 0; i < s.Count; i++)
            {
                lines++;
                if (i == _m.Network.Ca && (!s.GetDef(i).Secret || engineer))
                {
                    lines += WriteCa(ctx, s.GetText(i));
                    continue;
                }
                BuiltinCommands.WriteSettingLine(ctx, i);
            }
            ctx.WriteLine("# end of backup: " + s.Count + " settings");
            lines++;
            ctx.Core.Events.Add((int)EventCode.SettingsBackup, lines);
            return true;
        }

        private static int WriteCa(CommandContext ctx, string body)
        {
            if (body.Length == 0)
            {
                ctx.WriteLine("net ca clear");
                return 0;
            }
            ctx.WriteLine("net ca begin");
            ctx.WriteLine(NetworkSettings.PemBegin);
            int n = NetworkSettings.CaPemLineCount(body);
            for (int i = 0; i < n; i++) ctx.WriteLine(NetworkSettings.CaPemLine(body, i));
            ctx.WriteLine(NetworkSettings.PemEnd);
            ctx.WriteLine("net ca end");
            return n + 3;
        }

        private static string Text(string s)
        {
            return s == null ? "" : s;
        }
    }
}
