using Tfb.Anneal.Rig;
using Tfb.Codes;
using Tfb.Sparkplug;
using Tfb.Stations.Anneal;

namespace Tfb.VirtualLine.Tests.Anneal;

/// <summary>
/// The anneal device of the board's edge node: its metrics follow the module, and DCMD writes to programs and
/// actions go through the settings sink with the console's validation (no broker needed: the sink is called as
/// the session calls it for a decoded DCMD).
/// </summary>
public class AnnealMqttTests
{
    private static (AnnealRig Rig, SparkplugDevice Device, SettingsCommandSink Sink) Make()
    {
        var rig = new AnnealRig(Path.Combine(Repo.LineBoards, "anneal.board"));
        rig.Set("anneal.program.3", "ramp,60,150 end,hold");
        rig.Set("anneal.limit.tempC", "300");
        rig.Run(1);
        rig.Board.AttachMqtt("tfb", "127.0.0.1", 1); // nothing listens: the session never connects in this test
        var session = rig.Board.Edge!.Session;
        SparkplugDevice? device = null;
        for (int i = 0; i < session.DeviceCount; i++) if (session.Device(i).Id == "anneal") device = session.Device(i);
        Assert.NotNull(device);
        return (rig, device!, rig.Board.Edge.Commands);
    }

    private static SparkplugValue Text(string s) => new() { DataType = SparkplugDataType.String, Text = s };
    private static SparkplugValue True() => new() { DataType = SparkplugDataType.Boolean, Integer = 1 };

    [Fact]
    public void ProgramWrites_AreValidated_AndRefusedWhileRunning_AndActionsStartTheProgram()
    {
        var (rig, device, sink) = Make();
        var program4 = device.Metrics.Find("Programs/4")!;
        Assert.False(sink.Validate(device, program4, Text("ramp,500,700 end,off"), out var err));
        Assert.Equal(ErrorCode.OutOfRange, err);
        Assert.False(sink.Validate(device, program4, Text("dwell,5"), out err));
        Assert.Equal(ErrorCode.InvalidRecipe, err);
        Assert.True(sink.Validate(device, program4, Text("ramp,10,120 dwell,5 end,off"), out _));
        sink.Apply(device, program4, Text("ramp,10,120 dwell,5 end,off"));
        Assert.Equal("ramp,10,120 dwell,5 end,off", rig.Board.Runtime.Settings.GetText(rig.Board.Runtime.Settings.IndexOf("anneal.program.4")));

        // Program/Start runs the selected program (3); the select metric is a setting too.
        var select = device.Metrics.Find("Programs/Select")!;
        var selectValue = new SparkplugValue { DataType = SparkplugDataType.Int32, Integer = 3 };
        Assert.True(sink.Validate(device, select, selectValue, out _));
        sink.Apply(device, select, selectValue);
        var start = device.Metrics.Find("Program/Start")!;
        Assert.True(sink.Validate(device, start, True(), out _));
        sink.Apply(device, start, True());
        rig.Run(1);
        Assert.Equal(ProgramState.Running, rig.Ctl.State);
        Assert.Equal(3, rig.Ctl.ProgramNumber);

        // While it runs: edits and a second start are refused; the running program is untouched.
        Assert.False(sink.Validate(device, device.Metrics.Find("Programs/3")!, Text("ramp,5,100 end,off"), out err));
        Assert.Equal(ErrorCode.NotIdle, err);
        Assert.False(sink.Validate(device, start, True(), out err));
        Assert.Equal(ErrorCode.NotIdle, err);
        Assert.Equal(150, rig.Ctl.Program.TargetC[0]);

        // The state metrics follow the module.
        rig.Module.RefreshMetrics();
        Assert.Equal(2, device.Metrics.Find("Program/State")!.IntegerValue);
        Assert.False(device.Metrics.Find("Zone1/PV C")!.IsNull);

        // Abort over MQTT is an operator action.
        var abort = device.Metrics.Find("Program/Abort")!;
        Assert.True(sink.Validate(device, abort, True(), out _));
        sink.Apply(device, abort, True());
        rig.Run(1);
        Assert.Equal(ProgramState.Idle, rig.Ctl.State);
    }
}
