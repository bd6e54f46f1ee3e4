using Google.Protobuf;
using Tfb.Codes;
using Tfb.Sparkplug;
using Ref = Tfb.SparkplugReference;

namespace Tfb.Firmware.Tests.Sparkplug;

/// <summary>
/// The edge node session stepped deterministically (fake transport, fake clock), named after the Sparkplug
/// compatibility-kit assertion areas. Every payload is decoded with the independent Google.Protobuf decoder.
/// </summary>
public class EdgeNodeSessionTests
{
    private static byte[] Cmd(params Ref.Metric[] metrics)
    {
        var p = new Ref.Payload { Timestamp = 1, Seq = 0 };
        p.Metrics.AddRange(metrics);
        return p.ToByteArray();
    }

    [Fact]
    public void Tck_Topics_Connect_WillIsNDeath_Qos1_NotRetained_WithBdSeqOnly()
    {
        var h = new SessionHarness();
        h.StartOnline();
        var c = Assert.Single(h.Mqtt.Connects);
        Assert.Equal(SessionHarness.Node, c.ClientId);
        Assert.Equal(SessionHarness.Topic("NDEATH"), c.WillTopic);
        Assert.Equal(1, c.WillQos);
        Assert.False(c.WillRetain);
        Assert.Equal(15, c.KeepAliveSeconds);
        var will = SessionHarness.Decode(c.WillPayload);
        var metric = Assert.Single(will.Metrics);
        Assert.Equal("bdSeq", metric.Name);
        Assert.Equal((uint)SparkplugDataType.Int64, metric.Datatype);
        Assert.Equal(0UL, metric.LongValue);
        Assert.False(will.HasSeq); // payloads-ndeath-seq: NDEATH carries no seq
    }

    [Fact]
    public void Connect_KeepAliveZero_UsesDefault_SoDeadLinksAreNoticed()
    {
        var h = new SessionHarness(configure: c => c.Connection.KeepAliveSeconds = 0);
        h.StartOnline();
        Assert.Equal(EdgeNodeSession.DefaultKeepAliveSeconds, h.Mqtt.Connects[0].KeepAliveSeconds);
    }

    [Fact]
    public void Tck_Payloads_BdSeq_StoreWriteFailure_IsCounted_SessionStillComesUp()
    {
        var nv = new MemoryNvStore(64) { FailWrites = true };
        var h = new SessionHarness(nv);
        h.StartOnline();
        Assert.Equal(1, h.Session.BdSeqPersistFailures);
    }

    [Fact]
    public void Tck_MessageFlow_SubscribesNcmdAndDcmd_Qos1_BeforeNBirth_ThenDBirths()
    {
        var h = new SessionHarness();
        h.StartOnline();
        var log = h.Mqtt.Log.Select(e => e switch
        {
            Connected => "CONNECT",
            Published p => p.Topic,
            string s => s,
            _ => "?",
        }).ToList();
        Assert.Equal(new[]
        {
            "CONNECT",
            $"SUBSCRIBE {SessionHarness.Topic("NCMD")}@1",
            $"SUBSCRIBE spBv1.0/{SessionHarness.Group}/DCMD/{SessionHarness.Node}/+@1",
            SessionHarness.Topic("NBIRTH"),
            SessionHarness.Topic("DBIRTH", "Furnace"),
            SessionHarness.Topic("DBIRTH", "Web"),
        }, log);
        Assert.All(h.Mqtt.Publishes, p => Assert.False(p.Retain));
        Assert.All(h.Mqtt.Publishes, p => Assert.Equal(0, p.Qos));
    }

    [Fact]
    public void Tck_Payloads_NBirth_Seq_IsZero_WithBdSeq_Rebirth_Properties_AndEveryMetric()
    {
        var h = new SessionHarness();
        h.StartOnline();
        var nbirth = SessionHarness.Decode(h.Mqtt.Publishes[0]);
        Assert.True(nbirth.HasSeq);
        Assert.Equal(0UL, nbirth.Seq);
        Assert.Equal((ulong)h.Clock.UtcUnixMillis, nbirth.Timestamp);
        var byName = nbirth.Metrics.ToDictionary(m => m.Name);
        Assert.Equal(0UL, byName["bdSeq"].LongValue);
        Assert.Equal((uint)SparkplugDataType.Int64, byName["bdSeq"].Datatype);
        Assert.False(byName["Node Control/Rebirth"].BooleanValue);
        Assert.Equal((uint)SparkplugDataType.Boolean, byName["Node Control/Rebirth"].Datatype);
        Assert.Equal("0.1.0", byName["Properties/Firmware Version"].StringValue);
        Assert.Equal("anneal-esp32", byName["Properties/Board"].StringValue);
        Assert.Equal("A-0042", byName["Properties/Asset Id"].StringValue);
        Assert.Equal(1UL, byName["Uptime/S"].LongValue); // UInt32 travels in long_value
        Assert.All(nbirth.Metrics, m =>
        {
            Assert.True(m.HasDatatype);
            Assert.True(m.HasTimestamp);
            Assert.True(m.HasAlias);
            Assert.True(m.IsNull || m.ValueCase != Ref.Metric.ValueOneofCase.None);
        });
        var allAliases = h.Mqtt.Publishes.Take(3).SelectMany(p => SessionHarness.Decode(p).Metrics).Select(m => m.Alias).ToList();
        Assert.Equal(allAliases.Count, allAliases.Distinct().Count()); // aliases unique per edge node

        var dbirth = SessionHarness.Decode(h.Mqtt.Publishes[1]);
        Assert.Equal(1UL, dbirth.Seq);
        Assert.Equal(new[] { "Zone1/TempC", "Zone1/SetpointC", "Mode", "DoorClosed" }, dbirth.Metrics.Select(m => m.Name));
        Assert.Equal(25f, dbirth.Metrics[0].FloatValue);
        Assert.Equal(2UL, SessionHarness.Decode(h.Mqtt.Publishes[2]).Seq);
    }

    [Fact]
    public void Tck_Payloads_NBirth_WaitsForSyncedWallClock()
    {
        var clock = new FakeClock { WallClockValid = false };
        var h = new SessionHarness(clock: clock);
        Assert.True(h.Session.Start());
        h.Run(2000);
        Assert.Empty(h.Mqtt.Connects);
        h.Clock.WallClockValid = true;
        h.Clock.UtcBaseMillis += 3_600_000; // SNTP moved the wall clock
        h.Session.Poll();
        Assert.Equal(EdgeNodeState.Online, h.Session.State);

        // Values set before the sync carry the birth's timestamp, never the unsynced wall clock.
        var nbirth = SessionHarness.Decode(h.Mqtt.Publishes[0]);
        Assert.All(nbirth.Metrics, m => Assert.Equal(nbirth.Timestamp, m.Timestamp));
    }

    [Fact]
    public void Tck_Payloads_Seq_IncrementsAcrossNodeAndDeviceMessages_AndWraps255To0()
    {
        var h = new SessionHarness();
        h.StartOnline();
        int start = h.Mqtt.Publishes.Count;
        for (int i = 0; i < 300; i++)
        {
            if (i % 2 == 0) h.Uptime.SetInteger(i + 10);
            else h.Speed.SetReal(1 + i);
            h.Clock.AdvanceMs(10);
            h.Session.Poll();
        }

        var seqs = h.Since(start).Select(p => (int)SessionHarness.Decode(p).Seq).ToList();
        Assert.Equal(300, seqs.Count);
        int expected = 2; // NBIRTH 0, DBIRTH 1, DBIRTH 2
        foreach (int seq in seqs)
        {
            expected = (expected + 1) & 0xFF;
            Assert.Equal(expected, seq);
        }

        Assert.Contains(0, seqs);
        Assert.Equal(255, seqs[seqs.IndexOf(0) - 1]);
    }

    [Fact]
    public void Tck_Payloads_BdSeq_SameInWillAndNBirth_PlusOnePerReconnect()
    {
        var h = new SessionHarness(configure: c => { c.ReconnectMinMs = 100; c.ReconnectMaxMs = 400; });
        h.StartOnline();
        for (int round = 1; round <= 3; round++)
        {
            h.Mqtt.DropLink();
            h.Session.Poll();
            Assert.Equal(EdgeNodeState.Offline, h.Session.State);
            h.Run(1000);
            Assert.Equal(EdgeNodeState.Online, h.Session.State);
        }

        Assert.Equal(4, h.Mqtt.Connects.Count);
        var nbirths = h.Mqtt.Publishes.Where(p => p.Topic == SessionHarness.Topic("NBIRTH")).Select(SessionHarness.Decode).ToList();
        Assert.Equal(4, nbirths.Count);
        for (int i = 0; i < 4; i++)
        {
            long willBdSeq = SessionHarness.BdSeqOf(SessionHarness.Decode(h.Mqtt.Connects[i].WillPayload));
            Assert.Equal(i, willBdSeq);
            Assert.Equal(willBdSeq, SessionHarness.BdSeqOf(nbirths[i]));
            Assert.Equal(0UL, nbirths[i].Seq);
        }
    }

    [Fact]
    public void Tck_Payloads_BdSeq_PersistsAcrossReboot_AndWraps255To0()
    {
        var nv = new MemoryNvStore(64);
        var first = new SessionHarness(nv);
        first.StartOnline();
        Assert.Equal(0, first.Session.BdSeq);

        // Fast reboot: no NDEATH, the broker still holds the Will with bdSeq 0.
        var second = new SessionHarness(nv);
        second.StartOnline();
        Assert.Equal(1, second.Session.BdSeq);
        Assert.Equal(1, SessionHarness.BdSeqOf(SessionHarness.Decode(second.Mqtt.Connects[0].WillPayload)));

        int last = 1;
        for (int i = 0; i < 260; i++)
        {
            var h = new SessionHarness(nv);
            h.StartOnline();
            Assert.Equal((last + 1) & 0xFF, h.Session.BdSeq);
            last = h.Session.BdSeq;
        }
    }

    [Fact]
    public void BdSeqStore_PowerCutDuringWrite_KeepsPreviousValue_AndCorruptionFallsBack()
    {
        var nv = new MemoryNvStore(64);
        new BdSeqStore(nv).TakeNext(out bool ok0);
        new BdSeqStore(nv).TakeNext(out bool ok1);
        Assert.True(ok0 && ok1);
        Assert.Equal(1, new BdSeqStore(nv).Last);

        nv.CutNextWriteAfter = 7; // record half written: its CRC fails
        int taken = new BdSeqStore(nv).TakeNext(out bool persisted);
        Assert.False(persisted);
        Assert.Equal(2, taken);
        Assert.Equal(1, new BdSeqStore(nv).Last); // the power cut hit before CONNECT, so 2 was never in a Will

        nv.Bytes.AsSpan().Fill(0xFF);
        Assert.Equal(-1, new BdSeqStore(nv).Last);
        Assert.Equal(0, new BdSeqStore(nv).TakeNext(out _));
        Assert.Equal(-1, new BdSeqStore(new MemoryNvStore(8)).Last);
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8.ToArray(), 0, 9));
    }

    [Fact]
    public void Tck_Operational_Rebirth_OnNcmd_ResendsBirthsWithSameBdSeq_SeqFromZero()
    {
        var h = new SessionHarness();
        h.StartOnline();
        h.Run(6000);
        int start = h.Mqtt.Publishes.Count;
        h.Mqtt.Deliver(h.NcmdTopic, Cmd(new Ref.Metric { Name = "Node Control/Rebirth", Datatype = 11, BooleanValue = true }));
        h.Session.Poll();
        var after = h.Since(start);
        Assert.Equal(new[] { SessionHarness.Topic("NBIRTH"), SessionHarness.Topic("DBIRTH", "Furnace"), SessionHarness.Topic("DBIRTH", "Web") }, after.Select(p => p.Topic));
        var nbirth = SessionHarness.Decode(after[0]);
        Assert.Equal(0UL, nbirth.Seq);
        Assert.Equal(0, SessionHarness.BdSeqOf(nbirth));
        Assert.Single(h.Mqtt.Connects); // no reconnect
        Assert.Equal(0, h.Session.CommandsRejected);
    }

    [Fact]
    public void Tck_Operational_Rebirth_IsDebounced()
    {
        var h = new SessionHarness();
        h.StartOnline();
        byte[] rebirth = Cmd(new Ref.Metric { Alias = 2, BooleanValue = true });
        int NBirths() => h.Mqtt.Publishes.Count(p => p.Topic == SessionHarness.Topic("NBIRTH"));

        h.Run(1000);
        h.Mqtt.Deliver(h.NcmdTopic, rebirth); // 1 s after the birth: ignored
        h.Session.Poll();
        Assert.Equal(1, NBirths());
        h.Run(4100);
        h.Mqtt.Deliver(h.NcmdTopic, rebirth); // > 5 s: honoured
        h.Session.Poll();
        Assert.Equal(2, NBirths());
        h.Mqtt.Deliver(h.NcmdTopic, rebirth); // burst right after: collapsed into one request, ignored
        h.Mqtt.Deliver(h.NcmdTopic, rebirth);
        h.Session.Poll();
        Assert.Equal(2, NBirths());
        Assert.Equal(2, h.Session.RebirthsIgnored);
    }

    [Fact]
    public void Tck_Principles_ReportByException_Deadband_NoChangeNoMessage()
    {
        var h = new SessionHarness();
        h.StartOnline();
        int start = h.Mqtt.Publishes.Count;
        h.Run(1000);
        Assert.Empty(h.Since(start)); // nothing changed

        h.Zone1.SetReal(25.4); // within 0.5 deadband of 25.0
        h.Run(200);
        Assert.Empty(h.Since(start));

        h.Zone1.SetReal(25.6); // 0.6 from the last published value
        h.Session.Poll();
        var ddata = Assert.Single(h.Since(start));
        Assert.Equal(SessionHarness.Topic("DDATA", "Furnace"), ddata.Topic);
        var metric = Assert.Single(SessionHarness.Decode(ddata).Metrics);
        Assert.Equal(h.Zone1.Alias, metric.Alias);
        Assert.False(metric.HasName);
        Assert.Equal(25.6f, metric.FloatValue);

        h.Zone1.SetReal(26.0); // 0.4 from 25.6: held back (creep is measured from the last published value)
        h.Door.SetBoolean(false);
        h.Session.Poll();
        var second = SessionHarness.Decode(h.Since(start).Last());
        Assert.Equal(new[] { h.Door.Alias }, second.Metrics.Select(m => m.Alias));

        h.Zone1.SetNull(); // sensor fault: published as null even within the deadband
        h.Session.Poll();
        Assert.True(Assert.Single(SessionHarness.Decode(h.Since(start).Last()).Metrics).IsNull);
    }

    [Fact]
    public void Tck_Principles_ReportByException_MaxInterval_RepublishesUnchangedValue()
    {
        var h = new SessionHarness();
        h.StartOnline();
        int start = h.Mqtt.Publishes.Count;
        h.Run(9900);
        Assert.Empty(h.Since(start));
        h.Run(200);
        var p = Assert.Single(h.Since(start));
        Assert.Equal(SessionHarness.Topic("DDATA", "Furnace"), p.Topic);
        Assert.Equal(new[] { h.Zone1.Alias }, SessionHarness.Decode(p).Metrics.Select(m => m.Alias));
        h.Run(9800);
        Assert.Single(h.Since(start));
        h.Run(300);
        Assert.Equal(2, h.Since(start).Count);
    }

    [Fact]
    public void Tck_Operational_NDeath_PublishedBeforeIntentionalDisconnect()
    {
        var h = new SessionHarness();
        h.StartOnline();
        h.Session.Stop();
        Assert.Equal(EdgeNodeState.Stopped, h.Session.State);
        int i = h.Mqtt.Log.IndexOf("DISCONNECT");
        var ndeath = Assert.IsType<Published>(h.Mqtt.Log[i - 1]);
        Assert.Equal(SessionHarness.Topic("NDEATH"), ndeath.Topic);
        Assert.Equal(h.Mqtt.Connects[0].WillPayload, ndeath.Payload);
        h.Run(5000);
        Assert.Single(h.Mqtt.Connects); // no reconnect after a stop
        Assert.True(h.Session.Start());
        h.Session.Poll();
        Assert.Equal(EdgeNodeState.Online, h.Session.State);
        Assert.Equal(1, h.Session.BdSeq);
    }

    [Fact]
    public void Tck_Operational_DDeath_WhenDeviceGoesAway_DBirthWhenItReturns()
    {
        var h = new SessionHarness();
        h.StartOnline();
        int start = h.Mqtt.Publishes.Count;
        h.Furnace.SetOnline(false);
        h.Zone1.SetReal(100);
        h.Session.Poll();
        var ddeath = Assert.Single(h.Since(start));
        Assert.Equal(SessionHarness.Topic("DDEATH", "Furnace"), ddeath.Topic);
        var payload = SessionHarness.Decode(ddeath);
        Assert.Equal(3UL, payload.Seq);
        Assert.Empty(payload.Metrics);

        h.Furnace.SetOnline(true);
        h.Session.Poll();
        var dbirth = h.Since(start)[1];
        Assert.Equal(SessionHarness.Topic("DBIRTH", "Furnace"), dbirth.Topic);
        Assert.Equal(4UL, SessionHarness.Decode(dbirth).Seq);
        Assert.Equal(100f, SessionHarness.Decode(dbirth).Metrics.Single(m => m.Name == "Zone1/TempC").FloatValue);
    }

    [Fact]
    public void Tck_Operational_DeviceOfflineAtConnect_GetsNoDBirth()
    {
        var h = new SessionHarness();
        h.Web.SetOnline(false);
        h.StartOnline();
        Assert.DoesNotContain(h.Mqtt.Publishes, p => p.Topic == SessionHarness.Topic("DBIRTH", "Web"));
        Assert.DoesNotContain(h.Mqtt.Publishes, p => p.Topic == SessionHarness.Topic("DDEATH", "Web"));
    }

    [Fact]
    public void Reconnect_CappedExponentialBackoffWithJitter_AlarmAfterFailures_ClearedOnConnect()
    {
        var h = new SessionHarness(configure: c => { c.ReconnectMinMs = 1000; c.ReconnectMaxMs = 8000; c.BrokerAlarmAfterFailures = 3; });
        h.Mqtt.ConnectResult = 5; // not authorised
        Assert.True(h.Session.Start());
        var attemptTimes = new List<long>();
        for (int i = 0; i < 60000 / 50; i++)
        {
            int before = h.Mqtt.Connects.Count;
            h.Session.Poll();
            if (h.Mqtt.Connects.Count > before) attemptTimes.Add(h.Clock.NowMicros / 1000);
            h.Clock.AdvanceMs(50);
        }

        var gaps = attemptTimes.Zip(attemptTimes.Skip(1), (a, b) => b - a).ToList();
        long[] bases = { 1000, 2000, 4000, 8000, 8000, 8000 };
        for (int i = 0; i < bases.Length; i++)
        {
            Assert.InRange(gaps[i], bases[i] / 2, bases[i] + 50);
        }

        Assert.Contains((AlarmCode.BrokerUnreachable, true), h.Events.Alarms);
        Assert.Single(h.Events.Alarms);
        h.Mqtt.ConnectResult = 0;
        h.Run(10000);
        Assert.Equal(EdgeNodeState.Online, h.Session.State);
        Assert.Equal((AlarmCode.BrokerUnreachable, false), h.Events.Alarms.Last());
        Assert.Contains((EventCode.MqttOnline, h.Session.BdSeq), h.Events.Events);
        // Every attempt took a fresh bdSeq: a refused CONNECT may still have registered its Will.
        Assert.Equal(h.Mqtt.Connects.Count - 1, h.Session.BdSeq);
    }

    [Fact]
    public void ReconnectBackoff_IsDeterministicPerSeed_AndDiffersAcrossSeeds()
    {
        long[] Run(uint seed)
        {
            var b = new ReconnectBackoff(100, 1000, seed);
            return Enumerable.Range(0, 10).Select(_ => b.NextDelayMicros()).ToArray();
        }

        Assert.Equal(Run(7), Run(7));
        Assert.NotEqual(Run(7), Run(8));
        var reset = new ReconnectBackoff(100, 1000, 7);
        reset.NextDelayMicros();
        reset.NextDelayMicros();
        reset.Reset();
        Assert.InRange(reset.NextDelayMicros(), 50_000, 100_000);
    }

    [Fact]
    public void SubscribeRefused_Disconnects_AndRetriesLater()
    {
        var h = new SessionHarness();
        h.Mqtt.FailSubscribe = true;
        Assert.True(h.Session.Start());
        h.Session.Poll();
        Assert.Equal(EdgeNodeState.Offline, h.Session.State);
        Assert.Empty(h.Mqtt.Publishes);
        Assert.Equal(1, h.Mqtt.Disconnects);
    }

    [Fact]
    public void Tck_Operational_Dcmd_ReachesSink_Converted()
    {
        var h = new SessionHarness();
        var sink = new RecordingSink();
        h.Session.SetCommandSink(sink);
        h.StartOnline();
        h.Mqtt.Deliver(SessionHarness.Topic("DCMD", "Furnace"), Cmd(
            new Ref.Metric { Name = "Zone1/SetpointC", Datatype = 9, FloatValue = 455.5f },
            new Ref.Metric { Alias = h.Mode.Alias, IntValue = unchecked((uint)-3) }));
        h.Session.Poll();
        Assert.Equal(new[] { ("Furnace", "Zone1/SetpointC", 0L, 455.5, (string)null), ("Furnace", "Mode", -3L, 0.0, (string)null) }, sink.Applied);
        Assert.Equal(0, h.Session.CommandsRejected);
    }

    public static IEnumerable<object[]> RejectedCommands()
    {
        yield return new object[] { "unknown metric", ErrorCode.UnknownMetric, new[] { new Ref.Metric { Name = "Nope", FloatValue = 1 } } };
        yield return new object[] { "read-only", ErrorCode.ReadOnly, new[] { new Ref.Metric { Name = "Zone1/TempC", FloatValue = 1 } } };
        yield return new object[] { "declared datatype differs", ErrorCode.WrongDatatype, new[] { new Ref.Metric { Name = "Zone1/SetpointC", Datatype = 10, DoubleValue = 1 } } };
        yield return new object[] { "wrong value field", ErrorCode.WrongDatatype, new[] { new Ref.Metric { Name = "Zone1/SetpointC", StringValue = "hot" } } };
        yield return new object[] { "Int8 out of range", ErrorCode.OutOfRange, new[] { new Ref.Metric { Name = "Mode", IntValue = 300 } } };
        yield return new object[] { "NaN", ErrorCode.OutOfRange, new[] { new Ref.Metric { Name = "Zone1/SetpointC", FloatValue = float.NaN } } };
        yield return new object[] { "null write", ErrorCode.BadArgument, new[] { new Ref.Metric { Name = "Mode", IsNull = true } } };
        yield return new object[] { "name and alias disagree", ErrorCode.UnknownMetric, new[] { new Ref.Metric { Name = "Mode", Alias = 1, IntValue = 1 } } };
        yield return new object[] { "one bad metric spoils the command", ErrorCode.UnknownMetric, new[] { new Ref.Metric { Name = "Mode", IntValue = 2 }, new Ref.Metric { Name = "Nope", IntValue = 2 } } };
        yield return new object[] { "sink refuses", ErrorCode.OutOfRange, new[] { new Ref.Metric { Name = "Zone1/SetpointC", FloatValue = 2000 } } };
    }

    [Theory]
    [MemberData(nameof(RejectedCommands))]
    public void Tck_Operational_Dcmd_Invalid_IsRejectedWithCode_AndChangesNothing(string why, ErrorCode expected, Ref.Metric[] metrics)
    {
        var h = new SessionHarness();
        var sink = new RecordingSink { Rule = (m, v) => m.Name == "Zone1/SetpointC" && v.Real > 1000 ? ErrorCode.OutOfRange : null };
        h.Session.SetCommandSink(sink);
        h.StartOnline();
        int published = h.Mqtt.Publishes.Count;
        h.Mqtt.Deliver(SessionHarness.Topic("DCMD", "Furnace"), Cmd(metrics));
        h.Session.Poll();
        Assert.True(sink.Applied.Count == 0, why);
        Assert.Equal(expected, h.Session.LastCommandError);
        Assert.Contains((EventCode.RemoteCommandRejected, (int)expected), h.Events.Events);

        // The only answer is one NDATA carrying the rejection metrics; no device data changed.
        var answers = h.Since(published);
        var answer = Assert.Single(answers);
        Assert.Equal(SessionHarness.Topic("NDATA"), answer.Topic);
        var payload = SessionHarness.Decode(answer);
        var birth = SessionHarness.Decode(h.Mqtt.Publishes.First(p => p.Topic == SessionHarness.Topic("NBIRTH")));
        ulong AliasOf(string name) => birth.Metrics.Single(m => m.Name == name).Alias;
        Assert.Equal((uint)expected, payload.Metrics.Single(m => m.Alias == AliasOf(EdgeNodeSession.RejectedCodeMetricName)).IntValue);
        Assert.StartsWith(((int)expected).ToString(), payload.Metrics.Single(m => m.Alias == AliasOf(EdgeNodeSession.RejectedReasonMetricName)).StringValue);
        Assert.Equal(1ul, payload.Metrics.Single(m => m.Alias == AliasOf(EdgeNodeSession.RejectedCountMetricName)).LongValue);
    }

    [Fact]
    public void Tck_Operational_Ncmd_Malformed_Rejected_SessionStaysUp()
    {
        var h = new SessionHarness();
        h.StartOnline();
        h.Mqtt.Deliver(h.NcmdTopic, new byte[] { 0x12, 0x7F, 0x01 });
        h.Mqtt.Deliver(SessionHarness.Topic("DCMD", "Ghost"), Cmd(new Ref.Metric { Name = "Mode", IntValue = 1 }));
        h.Mqtt.Deliver(h.NcmdTopic, Cmd(new Ref.Metric { Name = "Uptime/S", LongValue = 1 }));
        h.Session.Poll();
        Assert.Equal(3, h.Session.CommandsRejected);
        Assert.Equal(new[] { ErrorCode.MalformedPayload, ErrorCode.UnknownMetric, ErrorCode.ReadOnly },
            h.Events.Events.Where(e => e.Code == EventCode.RemoteCommandRejected).Select(e => (ErrorCode)e.Detail));
        Assert.Equal(EdgeNodeState.Online, h.Session.State);
    }

    [Fact]
    public void CommandQueueOverflow_RejectsExtrasAsBusy()
    {
        var h = new SessionHarness(configure: c => c.CommandQueueLength = 2);
        h.Session.SetCommandSink(new RecordingSink());
        h.StartOnline();
        for (int i = 0; i < 5; i++) h.Mqtt.Deliver(SessionHarness.Topic("DCMD", "Furnace"), Cmd(new Ref.Metric { Name = "Mode", IntValue = 2 }));
        h.Session.Poll();
        Assert.Equal(3, h.Events.Events.Count(e => e.Code == EventCode.RemoteCommandRejected && e.Detail == (int)ErrorCode.Busy));
    }

    [Fact]
    public void LargeUpdate_IsSplitOverSeveralNData_EachWithItsOwnSeq()
    {
        var h = new SessionHarness(configure: c => { c.PayloadBufferBytes = 1024; });
        var notes = Enumerable.Range(0, 10).Select(i => h.Session.NodeMetrics.Add("Note" + i, SparkplugDataType.String, 0, 0)).ToList();
        foreach (var m in notes) m.SetString("-");
        h.StartOnline();
        int start = h.Mqtt.Publishes.Count;
        string longText = new string('n', 200);
        foreach (var m in notes) m.SetString(longText);
        h.Session.Poll();
        var ndata = h.Since(start).Where(p => p.Topic == SessionHarness.Topic("NDATA")).Select(SessionHarness.Decode).ToList();
        Assert.True(ndata.Count >= 2);
        Assert.Equal(10, ndata.Sum(p => p.Metrics.Count));
        Assert.All(ndata.SelectMany(p => p.Metrics), m => Assert.Equal(longText, m.StringValue));
        Assert.Equal(Enumerable.Range(3, ndata.Count).Select(i => (ulong)i), ndata.Select(p => p.Seq));
    }

    [Fact]
    public void BirthTooLargeForBuffer_GoesOffline_NotAPartialBirth()
    {
        var h = new SessionHarness(configure: c => { c.PayloadBufferBytes = 128; });
        Assert.True(h.Session.Start());
        h.Session.Poll();
        Assert.Equal(EdgeNodeState.Offline, h.Session.State);
        Assert.Empty(h.Mqtt.Publishes);
        Assert.Contains((EventCode.MqttOffline, EdgeNodeSession.OfflineBirthTooLarge), h.Events.Events);
    }

    private sealed class FakeReplay : IReplaySource
    {
        public SparkplugMetric Metric;
        public SparkplugDevice Device;
        public Queue<int> Pending = new();
        public List<(int Id, bool Delivered)> Completed = new();
        public bool HasPending => Pending.Count > 0;

        public int WriteNext(SparkplugPayloadEncoder encoder, out SparkplugDevice device)
        {
            device = Device;
            int id = Pending.Peek();
            encoder.WriteHistoricalMetric(Metric, 1_700_000_000_000 + id, false, 0, 400 + id, null);
            return id;
        }

        public void OnReplayCompleted(int entryId, bool delivered)
        {
            Completed.Add((entryId, delivered));
            if (delivered && Pending.Count > 0 && Pending.Peek() == entryId) Pending.Dequeue();
        }
    }

    [Fact]
    public void ReplaySource_PublishedAfterBirths_Qos1_Historical_OneInFlight_DeletedOnlyOnAck()
    {
        var h = new SessionHarness();
        var replay = new FakeReplay { Metric = h.Zone1, Device = h.Furnace };
        replay.Pending.Enqueue(1);
        replay.Pending.Enqueue(2);
        h.Session.SetReplaySource(replay);
        h.StartOnline();

        var first = h.Mqtt.Publishes.Last();
        Assert.Equal(SessionHarness.Topic("DDATA", "Furnace"), first.Topic);
        Assert.Equal(1, first.Qos);
        var payload = SessionHarness.Decode(first);
        Assert.Equal(3UL, payload.Seq);
        var metric = Assert.Single(payload.Metrics);
        Assert.True(metric.IsHistorical);
        Assert.Equal(1_700_000_000_001UL, metric.Timestamp);
        Assert.Equal(401f, metric.FloatValue);

        h.Session.Poll();
        Assert.Equal(first, h.Mqtt.Publishes.Last()); // one in flight at a time

        h.Mqtt.DropLink(); // lost before PUBACK: entry kept
        h.Session.Poll();
        Assert.Equal((1, false), replay.Completed.Single());
        h.Run(3000);
        Assert.Equal(EdgeNodeState.Online, h.Session.State);
        var again = h.Mqtt.Publishes.Last();
        Assert.Equal(401f, SessionHarness.Decode(again).Metrics[0].FloatValue);
        h.Mqtt.Complete(again.Token, true);
        h.Session.Poll();
        Assert.Equal((1, true), replay.Completed.Last());
        Assert.Equal(402f, SessionHarness.Decode(h.Mqtt.Publishes.Last()).Metrics[0].FloatValue);
    }

    [Fact]
    public void SteadyState_NDataAndDData_AllocateNothing()
    {
        var h = new SessionHarness();
        h.StartOnline();
        h.Mqtt.Record = false;
        void Cycle(int i)
        {
            h.Zone1.SetReal(20 + (i % 50));
            h.Speed.SetReal(i * 0.01);
            h.Uptime.SetInteger(i);
            h.Door.SetBoolean((i & 1) == 0);
            h.Clock.AdvanceMs(100);
            h.Session.Poll();
        }

        for (int i = 0; i < 100; i++) Cycle(i); // warm up (JIT, first-use statics)
        int before = h.Mqtt.PublishCount;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 100; i < 1100; i++) Cycle(i);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.True(h.Mqtt.PublishCount - before >= 2000); // NDATA + DDATA per cycle really happened
        Assert.Equal(0, allocated);
    }
}
