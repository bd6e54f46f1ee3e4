using Tfb.Stations.Sputter;

namespace Tfb.VirtualLine.Tests.Sputter;

/// <summary>
/// The fault-injection matrix: every interlock condition x every state, each from the same seed on a fresh
/// line. Armed cells: RF enable drops (hard-wired ones before any scan, by the pin-change path), the right code
/// latches, nothing re-energizes RF until a valid reset, a reset under the fault is refused. Unarmed cells (no
/// output that needs the condition is on): RF never comes on.
/// </summary>
public class SputterFaultMatrixTests
{
    private static readonly string s_boards = SputterFaultMatrix.SputterOnlyBoards(Repo.LineBoards);

    public static TheoryData<int> Kinds()
    {
        var d = new TheoryData<int>();
        for (int k = 0; k < InterlockMatrix.Kinds; k++) d.Add(k);
        return d;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryCell_OfACondition_DropsRfLatchesItsCodeAndHoldsUntilReset(int kind)
    {
        foreach (int state in SputterFaultMatrix.States)
        {
            var c = SputterFaultMatrix.RunCell(s_boards, 42, kind, state);
            string where = $"{InterlockMatrix.KindName(kind)} in {SputterState.Name(state)}";
            Assert.True(c.Pass, where + ": " + c.Problem);
            bool rfState = state is SputterState.Ramping or SputterState.PreSputter or SputterState.Sputtering or SputterState.RampingDown or SputterState.Maintenance;
            Assert.Equal(rfState, c.RfWasOn);
            if (InterlockMatrix.IsHardWired(kind))
            {
                // Hard-wired: latched in every state; with RF on, dropped by the pin-change path before any scan.
                Assert.True(c.Latched, where);
                if (c.RfWasOn)
                {
                    Assert.Equal(0, c.LatencyScans);
                    Assert.True(c.FastPath, where);
                }
            }
            if (rfState)
            {
                // With RF on every condition of the RF enable is armed.
                Assert.True(c.Latched, where);
                Assert.True(c.RfOff, where);
                Assert.True(c.HeldUntilReset && c.ResetBehaved, where);
            }
            else if (!c.Latched)
            {
                Assert.True(c.RfNeverOnAfter, where);
            }
        }
    }
}
