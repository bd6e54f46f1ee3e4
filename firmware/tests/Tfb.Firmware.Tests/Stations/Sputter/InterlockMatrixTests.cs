using Tfb.Codes;
using Tfb.Stations.Sputter;

namespace Tfb.Firmware.Tests.Stations.Sputter;

/// <summary>The matrix data: stable, unique codes that exist in AlarmCode; every RF condition guards the shutter too.</summary>
public class InterlockMatrixTests
{
    [Fact]
    public void EveryConditionCode_IsUnique_AndAnAlarmCode()
    {
        var codes = new HashSet<int>();
        for (int k = 0; k < InterlockMatrix.MaxCathodes; k++)
        {
            for (int kind = 0; kind < InterlockMatrix.Kinds; kind++)
            {
                if (k > 0 && !InterlockMatrix.IsCathodeKind(kind)) continue;
                int code = InterlockMatrix.CodeOf(kind, k);
                Assert.True(codes.Add(code), $"duplicate {code}");
                Assert.True(Enum.IsDefined(typeof(AlarmCode), code), $"{code} not in AlarmCode");
                int index = InterlockMatrix.IndexOf(kind, k);
                Assert.Equal(kind, InterlockMatrix.KindOfIndex(index));
                Assert.Equal(InterlockMatrix.IsCathodeKind(kind) ? k : -1, InterlockMatrix.CathodeOfIndex(index));
            }
        }
        Assert.Equal(3001, (int)AlarmCode.DoorOpen);
        Assert.Equal(3011, (int)AlarmCode.Rf1WaterFlowLost);
        Assert.Equal(3025, (int)AlarmCode.Rf2ReflectedPowerTrip);
    }

    [Fact]
    public void RfEnable_RequiresEveryCondition_TheShutterAsMuch_AndGasOnlyTheChamberOnes()
    {
        for (int kind = 0; kind < InterlockMatrix.Kinds; kind++)
        {
            Assert.True(InterlockMatrix.Requires(InterlockMatrix.OutRfEnable, kind), InterlockMatrix.KindName(kind));
            Assert.True(InterlockMatrix.Requires(InterlockMatrix.OutShutter, kind), InterlockMatrix.KindName(kind));
        }
        Assert.True(InterlockMatrix.Requires(InterlockMatrix.OutGasValve, InterlockMatrix.Door));
        Assert.False(InterlockMatrix.Requires(InterlockMatrix.OutGasValve, InterlockMatrix.PressureLow));
        // Cathode 1's RF does not depend on cathode 0's water.
        int rf1 = InterlockMatrix.RequiredMask(InterlockMatrix.OutRfEnable, 1);
        Assert.Equal(0, rf1 & (1 << InterlockMatrix.IndexOf(InterlockMatrix.WaterFlow, 0)));
        Assert.NotEqual(0, rf1 & (1 << InterlockMatrix.IndexOf(InterlockMatrix.WaterFlow, 1)));
        Assert.False(InterlockMatrix.AllowedIn(InterlockMatrix.OutRfEnable, SputterState.Idle));
        Assert.False(InterlockMatrix.AllowedIn(InterlockMatrix.OutRfEnable, SputterState.Pumping));
        Assert.False(InterlockMatrix.AllowedIn(InterlockMatrix.OutShutter, SputterState.PreSputter));
        Assert.True(InterlockMatrix.AllowedIn(InterlockMatrix.OutShutter, SputterState.Sputtering));
    }

    [Fact]
    public void TripRing_KeepsTheNewestRecords_InOrder()
    {
        var ring = new TripRing(4);
        var r = new TripRecord();
        Assert.False(ring.TryGet(0, r));
        for (int i = 1; i <= 6; i++) ring.Add(3000 + i, i * 0.5, i * 1000, 0, i % 7, i % 2 == 0);
        Assert.Equal(6, ring.Total);
        Assert.True(ring.TryGet(0, r));
        Assert.Equal(3006, r.Code);
        Assert.Equal(6, r.Seq);
        Assert.True(r.FastPath);
        Assert.True(ring.TryGet(3, r));
        Assert.Equal(3003, r.Code);
        Assert.Equal(1.5, r.Value);
        Assert.False(ring.TryGet(4, r)); // overwritten
    }
}
