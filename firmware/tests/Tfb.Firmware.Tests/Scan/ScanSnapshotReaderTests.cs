using Tfb.Scan;

namespace Tfb.Firmware.Tests.Scan;

public class ScanSnapshotReaderTests
{
    [Fact]
    public void NotStarted_IsKeptApartFromRead_AndTheCopyIsSizedForFieldsDeclaredAfterTheReader()
    {
        var rig = new ScanRig();
        ScanSnapshot snap = rig.Exec.Snapshot;
        var sync = new object();
        // A module builds its reader at Attach; a later module still declares fields before the seal.
        var reader = new ScanSnapshotReader(snap, sync);
        int first = snap.AddInt("a.state");
        int later = snap.AddDouble("b.valueN");
        rig.Exec.AddTask("t", new WorkTask(rig.Clock, 0) { OnRun = c => { snap.SetInt(first, 7); snap.SetDouble(later, 2.5); } }, 1, 0, 100, 1);
        rig.Exec.Seal();

        Assert.Equal(SnapshotRead.NotYetPublished, reader.Read());
        Assert.Null(reader.Latest());
        rig.Step();

        Assert.Equal(SnapshotRead.Read, reader.Read());
        Assert.Same(reader.Copy, reader.Latest());
        Assert.Equal(7, reader.Copy.Ints[first]);
        Assert.Equal(2.5, reader.Copy.Doubles[later]);
        Assert.Same(sync, reader.Sync);
    }
}
