using Tfb.Boards.Io;
using Tfb.Sparkplug;

namespace Tfb.Firmware.Tests.Sparkplug;

/// <summary>EdgeNodeConfig.SevenBitWill: an NDEATH the M2Mqtt string Will can carry, bdSeq 1..127.</summary>
public class SevenBitWillTests
{
    [Fact]
    public void SevenBitWill_EveryWillIsRepresentable_BdSeqRuns1To127_AndMatchesTheBirth()
    {
        var h = new SessionHarness(configure: c => { c.SevenBitWill = true; c.ReconnectMaxMs = 1000; });
        h.StartOnline();
        var seen = new List<long>();
        for (int i = 0; i < 260; i++)
        {
            var connect = h.Mqtt.Connects[^1];
            Assert.Equal(-1, SevenBitWill.FirstUnrepresentable(connect.WillPayload, connect.WillPayload.Length));
            Assert.NotNull(SevenBitWill.ToWillString(connect.WillPayload));
            long will = SessionHarness.BdSeqOf(SessionHarness.Decode(connect.WillPayload));
            long birth = SessionHarness.BdSeqOf(SessionHarness.Decode(h.Mqtt.Publishes.Last(p => p.Topic == SessionHarness.Topic("NBIRTH"))));
            Assert.Equal(will, birth);
            seen.Add(will);
            h.Mqtt.DropLink();
            h.Run(2000);
            Assert.Equal(EdgeNodeState.Online, h.Session.State);
        }

        Assert.Equal(1, seen.Min());
        Assert.Equal(127, seen.Max());
        Assert.Equal(1, seen[seen.IndexOf(127) + 1]); // wraps 127 -> 1, never 0 or 128
    }

    [Fact]
    public void DefaultWill_BdSeqRuns0To255_AndIsNotAlwaysSevenBitClean()
    {
        var h = new SessionHarness(configure: c => c.ReconnectMaxMs = 1000);
        h.StartOnline();
        var seen = new List<long>();
        bool anyUnrepresentable = false;
        for (int i = 0; i < 257; i++)
        {
            var connect = h.Mqtt.Connects[^1];
            seen.Add(SessionHarness.BdSeqOf(SessionHarness.Decode(connect.WillPayload)));
            anyUnrepresentable |= SevenBitWill.FirstUnrepresentable(connect.WillPayload, connect.WillPayload.Length) >= 0;
            h.Mqtt.DropLink();
            h.Run(2000);
        }

        Assert.Equal(0, seen.Min());
        Assert.Equal(255, seen.Max());
        Assert.True(anyUnrepresentable);
    }
}
