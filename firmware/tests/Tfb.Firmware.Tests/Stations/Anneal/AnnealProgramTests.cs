using Tfb.Codes;
using Tfb.Stations.Anneal;

namespace Tfb.Firmware.Tests.Stations.Anneal;

public class AnnealProgramTests
{
    private static readonly ProgramLimits Limits = new() { MaxTempC = 900, MaxRateCPerMin = 100 };

    [Fact]
    public void TheDefaultLiCoO2Program_ParsesIntoItsSegments()
    {
        var p = new AnnealProgram();
        Assert.True(p.TryParse(AnnealModule.DefaultProgram, Limits, out _));
        Assert.Equal(4, p.Count);
        Assert.Equal(SegmentKind.RampRate, p.Kind[0]);
        Assert.Equal(5, p.RateCPerMin[0]);
        Assert.Equal(700, p.TargetC[0]);
        Assert.Equal(HoldbackMode.Band, p.Holdback[0]);
        Assert.Equal(10, p.BandC[0]);
        Assert.True(p.O2[0]);
        Assert.Equal(SegmentKind.Dwell, p.Kind[1]);
        Assert.Equal(120, p.TimeMin[1]);
        Assert.Equal(SegmentKind.End, p.Kind[3]);
        Assert.Equal(EndAction.Off, p.End[3]);
        Assert.Equal(700, p.MaxTempC);
        Assert.True(new AnnealProgram().TryParse(AnnealModule.RapidProgram, Limits, out _));
    }

    [Fact]
    public void EverySegmentKind_Parses()
    {
        var p = new AnnealProgram();
        Assert.True(p.TryParse("wait,o2 time,30,300,lo5 step,350 wait,pv,340 dwell,2.5,hi3 jump,3,2 wait,event end,sp,100", Limits, out _));
        Assert.Equal(new[] { SegmentKind.WaitO2, SegmentKind.RampTime, SegmentKind.Step, SegmentKind.WaitPv, SegmentKind.Dwell, SegmentKind.Jump, SegmentKind.WaitEvent, SegmentKind.End },
            p.Kind[..8]);
        Assert.Equal(HoldbackMode.Low, p.Holdback[1]);
        Assert.Equal(2.5, p.TimeMin[4]);
        Assert.Equal(HoldbackMode.High, p.Holdback[4]);
        Assert.Equal(2, p.JumpTo[5]);
        Assert.Equal(2, p.LoopCount[5]);
        Assert.Equal(EndAction.Setpoint, p.End[7]);
        Assert.Equal(100, p.TargetC[7]);
    }

    [Theory]
    [InlineData("", ErrorCode.InvalidRecipe)]                          // empty
    [InlineData("   ", ErrorCode.InvalidRecipe)]                       // empty
    [InlineData("ramp,5,700 dwell,10", ErrorCode.InvalidRecipe)]       // no end
    [InlineData("end,off ramp,5,700 end,off", ErrorCode.InvalidRecipe)] // end before the last segment
    [InlineData("ramp,500,700 end,off", ErrorCode.OutOfRange)]         // rate beyond the limit
    [InlineData("ramp,0,700 end,off", ErrorCode.OutOfRange)]           // no rate
    [InlineData("ramp,5,1500 end,off", ErrorCode.OutOfRange)]          // temperature beyond the limit
    [InlineData("step,-20 end,off", ErrorCode.OutOfRange)]             // below the minimum
    [InlineData("ramp,5,700,band500 end,off", ErrorCode.OutOfRange)]   // band beyond the limit
    [InlineData("dwell,10 jump,1,0 end,off", ErrorCode.InvalidRecipe)] // loop count 0 (a loop without end)
    [InlineData("dwell,10 jump,1,1000 end,off", ErrorCode.InvalidRecipe)] // loop count too big
    [InlineData("dwell,10 jump,3,2 end,off", ErrorCode.InvalidRecipe)] // forward jump
    [InlineData("dwell,10 jump,2,2 end,off", ErrorCode.InvalidRecipe)] // jump to itself: no progress
    [InlineData("dwell,1 dwell,1 jump,2,2 jump,1,2 dwell,1 jump,3,2 end,off", ErrorCode.InvalidRecipe)] // crossing loops
    [InlineData("ramp,5,abc end,off", ErrorCode.InvalidRecipe)]        // not a number
    [InlineData("ramp,5 end,off", ErrorCode.InvalidRecipe)]            // missing argument
    [InlineData("soak,5 end,off", ErrorCode.InvalidRecipe)]            // unknown kind
    [InlineData("ramp,5,700,band10,band10 end,off", ErrorCode.InvalidRecipe)] // two holdbacks
    [InlineData("end,off,o2", ErrorCode.InvalidRecipe)]                // O2 with heaters off
    [InlineData("dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 dwell,1 end,off", ErrorCode.InvalidRecipe)] // 17 segments
    public void BadPrograms_AreRefusedWithACode_AndLeaveTheProgramUnchanged(string text, ErrorCode expected)
    {
        var p = new AnnealProgram();
        Assert.True(p.TryParse(AnnealModule.DefaultProgram, Limits, out _));
        Assert.False(p.TryParse(text, Limits, out var err));
        Assert.Equal(expected, err);
        Assert.True(p.ErrorPosition >= 0);
        Assert.Equal(4, p.Count);
        Assert.Equal(700, p.TargetC[0]);
    }

    [Fact]
    public void NestedLoops_AreAccepted()
    {
        var p = new AnnealProgram();
        Assert.True(p.TryParse("dwell,1 dwell,1 jump,2,3 jump,1,2 end,hold", Limits, out _));
    }

    [Fact]
    public void Parsing_AllocatesNothing_AfterTheFirstCall()
    {
        var p = new AnnealProgram();
        p.TryParse(AnnealModule.DefaultProgram, Limits, out _);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) p.TryParse(AnnealModule.DefaultProgram, Limits, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TheTcErrorWindow_IgnoresOneBadRead_ButTripsOnTheErrorRate()
    {
        var w = new TcErrorWindow(400) { Length = 400 };
        for (int i = 0; i < 400; i++) Assert.False(w.Add(i % 10 == 0, 0.3)); // 10 % bad reads: no fault
        int reads = 0;
        while (!w.Add(true, 0.3)) reads++;
        // 40 bad already in the window; 81 more make 121 > 120 (30 % of 400), minus those that fell out.
        Assert.InRange(reads, 70, 100);
    }
}
