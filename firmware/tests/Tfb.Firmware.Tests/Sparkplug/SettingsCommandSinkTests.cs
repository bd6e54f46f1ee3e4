using Google.Protobuf;
using Tfb.Codes;
using Tfb.Settings;
using Tfb.Sparkplug;
using Ref = Tfb.SparkplugReference;

namespace Tfb.Firmware.Tests.Sparkplug;

/// <summary>
/// NCMD/DCMD writes through <see cref="SettingsCommandSink"/>: the console's settings registry, its checks and
/// codes, the network access level, all-or-nothing commands, and the rejection answer on the wire.
/// </summary>
public class SettingsCommandSinkTests
{
    private sealed class Rig
    {
        public readonly SessionHarness H;
        public readonly SettingsRegistry Settings = new(8);
        public readonly SettingsCommandSink Sink;
        public readonly int SpeedIndex, LimitIndex, NameIndex, EnableIndex;
        public readonly FakeAction Start = new();

        public Rig(AccessLevel remote = AccessLevel.Technician)
        {
            H = new SessionHarness();
            SpeedIndex = Settings.Add(SettingDef.Number("web.speed_mps", "m/s", SettingType.Real, 0.01, 0.5, 0.1, AccessLevel.Technician, "web speed"));
            LimitIndex = Settings.Add(SettingDef.Number("web.tension_max_n", "N", SettingType.Integer, 10, 400, 200, AccessLevel.Engineer, "tension trip"));
            NameIndex = Settings.Add(SettingDef.Text("line.recipe", 8, "A", AccessLevel.Technician, "recipe"));
            EnableIndex = Settings.Add(SettingDef.Flag("anneal.enable", false, AccessLevel.Technician, "furnace on"));
            Sink = new SettingsCommandSink(Settings, remote, 8);
            var reg = H.Session.NodeMetrics;
            Assert.NotNull(Sink.ExposeSetting(reg, "Settings/Web Speed", "web.speed_mps"));
            Assert.NotNull(Sink.ExposeSetting(reg, "Settings/Tension Max", "web.tension_max_n"));
            Assert.NotNull(Sink.ExposeSetting(reg, "Settings/Recipe", "line.recipe"));
            Assert.NotNull(Sink.ExposeSetting(H.Furnace.Metrics, "Enable", "anneal.enable"));
            Assert.NotNull(Sink.ExposeAction(reg, "Program/Start", Start, AccessLevel.Technician));
            Assert.Null(Sink.ExposeSetting(reg, "Settings/Ghost", "no.such"));
            H.Session.SetCommandSink(Sink);
            H.StartOnline();
        }

        public string Snapshot() => string.Join("|", Enumerable.Range(0, Settings.Count).Select(Settings.FormatValue)) + $"|{Settings.Version}|{Start.Runs}";

        public List<Ref.Payload> Send(string topic, params Ref.Metric[] metrics)
        {
            int before = H.Mqtt.Publishes.Count;
            var p = new Ref.Payload { Timestamp = 1, Seq = 0 };
            p.Metrics.AddRange(metrics);
            H.Mqtt.Deliver(topic, p.ToByteArray());
            H.Session.Poll();
            return H.Since(before).Select(SessionHarness.Decode).ToList();
        }

        public ulong Alias(string name) =>
            SessionHarness.Decode(H.Mqtt.Publishes.First(p => p.Topic == SessionHarness.Topic("NBIRTH"))).Metrics.Single(m => m.Name == name).Alias;

        public Ref.Metric Find(IEnumerable<Ref.Payload> payloads, string name) =>
            payloads.SelectMany(p => p.Metrics).SingleOrDefault(m => m.Alias == Alias(name));
    }

    private sealed class FakeAction : IRemoteAction
    {
        public ErrorCode? Refuse;
        public int Runs;
        public bool Validate(out ErrorCode error)
        {
            error = Refuse ?? ErrorCode.InternalError;
            return Refuse == null;
        }

        public void Execute() => Runs++;
    }

    [Fact]
    public void Ncmd_TechnicianSetting_IsApplied_ToTheConsoleRegistry_AndEchoedInNData()
    {
        var r = new Rig();
        var answers = r.Send(r.H.NcmdTopic, new Ref.Metric { Name = "Settings/Web Speed", Datatype = 10, DoubleValue = 0.25 });
        Assert.Equal(0.25, r.Settings.GetNumber(r.SpeedIndex));
        Assert.Equal(0.25, r.Find(answers, "Settings/Web Speed").DoubleValue);
        Assert.Equal(0, r.H.Session.CommandsRejected);
    }

    [Fact]
    public void Dcmd_BooleanSetting_IsApplied()
    {
        var r = new Rig();
        r.Send(SessionHarness.Topic("DCMD", "Furnace"), new Ref.Metric { Name = "Enable", BooleanValue = true });
        Assert.True(r.Settings.GetBool(r.EnableIndex));
    }

    public static IEnumerable<object[]> Refused()
    {
        yield return new object[] { "engineer setting at technician level", ErrorCode.AccessDenied, new Ref.Metric { Name = "Settings/Tension Max", IntValue = 300 } };
        yield return new object[] { "above max", ErrorCode.OutOfRange, new Ref.Metric { Name = "Settings/Web Speed", DoubleValue = 0.9 } };
        yield return new object[] { "below min", ErrorCode.OutOfRange, new Ref.Metric { Name = "Settings/Web Speed", DoubleValue = -1 } };
        yield return new object[] { "NaN", ErrorCode.OutOfRange, new Ref.Metric { Name = "Settings/Web Speed", DoubleValue = double.NaN } };
        yield return new object[] { "wrong datatype", ErrorCode.WrongDatatype, new Ref.Metric { Name = "Settings/Web Speed", StringValue = "fast" } };
        yield return new object[] { "declared datatype differs", ErrorCode.WrongDatatype, new Ref.Metric { Name = "Settings/Web Speed", Datatype = 3, IntValue = 1 } };
        yield return new object[] { "text too long", ErrorCode.OutOfRange, new Ref.Metric { Name = "Settings/Recipe", StringValue = "ABCDEFGHIJ" } };
        yield return new object[] { "text not printable", ErrorCode.BadArgument, new Ref.Metric { Name = "Settings/Recipe", StringValue = "A\u0007" } };
        yield return new object[] { "unknown metric", ErrorCode.UnknownMetric, new Ref.Metric { Name = "Settings/Nope", DoubleValue = 1 } };
        yield return new object[] { "read-only metric", ErrorCode.ReadOnly, new Ref.Metric { Name = "bdSeq", LongValue = 3 } };
        yield return new object[] { "action written false", ErrorCode.BadArgument, new Ref.Metric { Name = "Program/Start", BooleanValue = false } };
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Ncmd_BadWrite_IsRefusedWithCode_ChangesNothing_AndIsAnswered(string why, ErrorCode expected, Ref.Metric metric)
    {
        var r = new Rig();
        string before = r.Snapshot();
        var answers = r.Send(r.H.NcmdTopic, metric);
        Assert.True(before == r.Snapshot(), why);
        Assert.Equal(expected, r.H.Session.LastCommandError);
        Assert.Equal((uint)expected, r.Find(answers, EdgeNodeSession.RejectedCodeMetricName).IntValue);
        Assert.Contains(((int)expected).ToString(), r.Find(answers, EdgeNodeSession.RejectedReasonMetricName).StringValue);
        Assert.Equal(EdgeNodeState.Online, r.H.Session.State);
    }

    [Fact]
    public void Ncmd_EngineerLevelSink_MayWriteEngineerSettings()
    {
        var r = new Rig(AccessLevel.Engineer);
        r.Send(r.H.NcmdTopic, new Ref.Metric { Name = "Settings/Tension Max", IntValue = 300 });
        Assert.Equal(300, r.Settings.GetInt(r.LimitIndex));
    }

    [Fact]
    public void Ncmd_OneRefusedMetric_NothingOfTheCommandIsApplied()
    {
        var r = new Rig();
        string before = r.Snapshot();
        r.Send(r.H.NcmdTopic,
            new Ref.Metric { Name = "Settings/Web Speed", DoubleValue = 0.2 },
            new Ref.Metric { Name = "Program/Start", BooleanValue = true },
            new Ref.Metric { Name = "Settings/Tension Max", IntValue = 300 });
        Assert.Equal(before, r.Snapshot());
        Assert.Equal(ErrorCode.AccessDenied, r.H.Session.LastCommandError);
    }

    [Fact]
    public void Ncmd_Action_RunsOnlyWhenItsOwnChecksPass()
    {
        var r = new Rig();
        r.Start.Refuse = ErrorCode.NotIdle;
        r.Send(r.H.NcmdTopic, new Ref.Metric { Name = "Program/Start", BooleanValue = true });
        Assert.Equal(0, r.Start.Runs);
        Assert.Equal(ErrorCode.NotIdle, r.H.Session.LastCommandError);
        r.Start.Refuse = null;
        r.Send(r.H.NcmdTopic, new Ref.Metric { Name = "Program/Start", BooleanValue = true });
        Assert.Equal(1, r.Start.Runs);
    }

    [Fact]
    public void Refresh_ConsoleChange_ReachesScadaByException()
    {
        var r = new Rig();
        Assert.True(r.Settings.TrySetNumber(r.SpeedIndex, 0.3, out _));
        r.Sink.Refresh();
        int before = r.H.Mqtt.Publishes.Count;
        r.H.Session.Poll();
        var answers = r.H.Since(before).Select(SessionHarness.Decode).ToList();
        Assert.Equal(0.3, r.Find(answers, "Settings/Web Speed").DoubleValue);
    }

    [Fact]
    public void Fuzz_MutatedCommands_NeverCrash_AndNeverLeaveARangeOrAccessRule()
    {
        var r = new Rig();
        var rng = new Random(20261127);
        var seeds = new[]
        {
            new Ref.Payload { Timestamp = 1, Metrics = { new Ref.Metric { Name = "Settings/Web Speed", Datatype = 10, DoubleValue = 0.2 } } }.ToByteArray(),
            new Ref.Payload { Timestamp = 1, Metrics = { new Ref.Metric { Name = "Settings/Tension Max", Datatype = 3, IntValue = 300 } } }.ToByteArray(),
            new Ref.Payload { Timestamp = 1, Metrics = { new Ref.Metric { Name = "Settings/Recipe", Datatype = 12, StringValue = "B" } } }.ToByteArray(),
            new Ref.Payload { Timestamp = 1, Metrics = { new Ref.Metric { Alias = r.Alias("Program/Start"), BooleanValue = true } } }.ToByteArray(),
        };
        r.Start.Refuse = ErrorCode.NotIdle;
        for (int i = 0; i < 3000; i++)
        {
            byte[] b = (byte[])seeds[rng.Next(seeds.Length)].Clone();
            int edits = 1 + rng.Next(4);
            for (int e = 0; e < edits; e++)
            {
                b[rng.Next(b.Length)] = (byte)rng.Next(256);
            }

            if (rng.Next(4) == 0)
            {
                b = b.AsSpan(0, rng.Next(b.Length)).ToArray();
            }

            r.H.Mqtt.Deliver(r.H.NcmdTopic, b);
            r.H.Session.Poll();
            Assert.Equal(EdgeNodeState.Online, r.H.Session.State);
            double speed = r.Settings.GetNumber(r.SpeedIndex);
            Assert.InRange(speed, 0.01, 0.5);
            Assert.Equal(200, r.Settings.GetInt(r.LimitIndex)); // engineer-only: never written at technician level
            Assert.InRange(r.Settings.GetText(r.NameIndex).Length, 0, 8);
            Assert.Equal(0, r.Start.Runs);
        }

        Assert.True(r.H.Session.CommandsRejected > 0);
        Assert.Equal(0, r.Sink.ApplyFailures);
    }
}
