using Tfb.Codes;
using Tfb.Plant.Scenarios;
using Tfb.Stations.Sputter;

namespace Tfb.VirtualLine.Tests.Sputter;

/// <summary>
/// Resets and interlocks from outside: no reset from the console or MQTT succeeds while a condition is unhealthy,
/// no network command turns an interlock off or starts RF past one; bad recipes and commands in the wrong state
/// are refused with codes; the module's scans allocate nothing.
/// </summary>
[Collection("allocation")]
public class SputterSafetyTests
{
    private static string Type(SputterRig rig, string line)
    {
        int before = rig.Board.ScenarioLink.Output.Length;
        rig.Board.TypeLine(line);
        rig.Step(3);
        return rig.Board.ScenarioLink.Output[before..];
    }

    private static void LoginTechnician(SputterRig rig)
    {
        Type(rig, "login technician");
        Assert.Contains("ok", Type(rig, "tfb-tech"));
    }

    [Fact]
    public void ConsoleResets_AreRefusedWhileTheDoorIsOpen_AndAValidResetReEnergizesNothing()
    {
        var rig = new SputterRig();
        LoginTechnician(rig);
        rig.RunTo(SputterState.Sputtering);
        rig.Line.Plant.Faults.Execute("inject sputter.door open", rig.Line.Plant.TimeS);
        rig.Step(5);
        Assert.False(rig.Module.RfOn(0));
        Assert.Equal(0, rig.Signal("sputter.rf1.rfOnCmd"));
        Assert.Contains("error:17", Type(rig, "alarms reset 3001"));
        Type(rig, "alarms reset all");
        Assert.Contains("error:13", Type(rig, "sputter start licoo2"));
        rig.Step(100);
        Assert.True(rig.Board.Runtime.Alarms.IsActive(3001));
        Assert.Equal(SputterState.Idle, rig.Module.State);
        Assert.Equal(0, rig.Signal("sputter.rf1.rfOnCmd"));

        // The door closes: still latched until the operator resets, and the reset starts nothing.
        rig.Line.Plant.Faults.Execute("clear sputter.door", rig.Line.Plant.TimeS);
        rig.Step(100);
        Assert.True(rig.Board.Runtime.Alarms.IsActive(3001));
        Assert.Contains("ok", Type(rig, "alarms reset all"));
        rig.Step(200);
        Assert.False(rig.Board.Runtime.Alarms.IsActive(3001));
        Assert.Equal(0, rig.Module.LatchedMask);
        Assert.Equal(SputterState.Idle, rig.Module.State);
        Assert.Equal(0, rig.Signal("sputter.rf1.rfOnCmd"));
        Assert.Equal(0, rig.Signal("sputter.gas.ar.valveCmd"));
    }

    [Fact]
    public void AnOperator_CannotResetATrip_AndCommissioningCannotForceRfOn()
    {
        var rig = new SputterRig();
        rig.Line.Plant.Faults.Execute("inject sputter.rf1 coolingloss", rig.Line.Plant.TimeS);
        rig.Step(5);
        rig.Line.Plant.Faults.Execute("clear sputter.rf1", rig.Line.Plant.TimeS);
        rig.Step(50);
        Assert.Contains("error:5", Type(rig, "alarms reset 3011")); // operator level
        Type(rig, "login engineer");
        Type(rig, "tfb-eng");
        Type(rig, "settings set io.force.unowned true");
        Assert.Contains("error:13", Type(rig, "io force rf1_enable on 2"));
        Assert.Contains("error:13", Type(rig, "io force gas_ar_valve on 2"));
        rig.Step(20);
        Assert.Equal(0, rig.Signal("sputter.rf1.rfOnCmd"));
        Assert.True(rig.Board.Runtime.Alarms.IsActive(3011));
    }

    [Fact]
    public async Task NetworkCommands_CannotResetBypassOrStartPastAnInterlock()
    {
        var rig = new SputterRig();
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var broker = await EmbeddedBroker.StartAsync(port);
        await using var mqtt = await LineMqtt.StartAsync(rig.Line, "127.0.0.1", port, broker, observe: true);
        bool StepUntil(Func<bool> done, double maxSeconds)
        {
            for (int i = 0; i < maxSeconds * 100; i++)
            {
                if (done()) return true;
                rig.Line.Step();
                Thread.Sleep(10);
            }
            return done();
        }
        Assert.True(StepUntil(() => mqtt.Observer!.TryGet("virtual-sputter", "Alarms/Active Count", out _), 10), "no NBIRTH");

        // The module's device is born with its metrics.
        Assert.True(StepUntil(() => mqtt.Observer!.TryGet("virtual-sputter", "sputter/State", out _), 10), "no DBIRTH of the sputter device");
        rig.Line.Plant.Faults.Execute("inject sputter.door open", rig.Line.Plant.TimeS);
        Assert.True(StepUntil(() => rig.Board.Runtime.Alarms.IsActive(3001), 2));
        // The door also opens both generators' loops (the hard chain): their codes latch as consequences.
        Assert.True(StepUntil(() => mqtt.Observer!.TryGet("virtual-sputter", "sputter/Interlocks/Latched Mask", out var m) && (m.IntValue & 1) == 1, 10), "trip not published");
        Assert.True(mqtt.Observer!.TryGet("virtual-sputter", "sputter/Interlocks/Trip Count", out var count) && count.IntValue >= 1);
        int Rejections()
        {
            var ev = rig.Board.Runtime.Events;
            int n = 0;
            for (int seq = ev.OldestSeq; seq < ev.NextSeq; seq++) if (ev.TryGet(seq, out var e) && e.Code == (int)EventCode.RemoteCommandRejected) n++;
            return n;
        }
        int rejected = Rejections();

        // A start over MQTT goes through the console's checks: refused while the trip is latched.
        mqtt.SendCommand("sputter", "sputter", "Commands/Start LiCoO2", ScenarioValue.Of(true));
        // There is no reset binding and no interlock setting on the network: unknown metrics.
        mqtt.SendCommand("sputter", "sputter", "Interlocks/Reset", ScenarioValue.Of(true));
        mqtt.SendCommand("sputter", null, "Alarms/Reset", ScenarioValue.Of(true));
        mqtt.SendCommand("sputter", "sputter", "Interlocks/Latched Mask", ScenarioValue.Of(0.0));
        mqtt.SendCommand("sputter", null, "sputter.reflTripPct", ScenarioValue.Of(25.0));
        Assert.True(StepUntil(() => Rejections() >= rejected + 5, 10), $"rejections {Rejections() - rejected} of 5");

        // The door closes: the trip stays latched (nothing from the network reset it), RF never came on.
        rig.Line.Plant.Faults.Execute("clear sputter.door", rig.Line.Plant.TimeS);
        StepUntil(() => false, 0.5);
        Assert.True(rig.Board.Runtime.Alarms.IsActive(3001));
        Assert.Equal(SputterState.Idle, rig.Module.State);
        Assert.Equal(0, rig.Signal("sputter.rf1.rfOnCmd"));
        Assert.Equal(11, rig.Board.Runtime.Settings.GetNumber(rig.Board.Runtime.Settings.IndexOf("sputter.reflTripPct")));
    }

    [Fact]
    public void BadRecipesAndCommandsInTheWrongState_AreRefusedWithCodes_AndChangeNothing()
    {
        var rig = new SputterRig(compressed: false);
        LoginTechnician(rig);
        var s = rig.Board.Runtime.Settings;
        double Setting(string n) => s.GetNumber(s.IndexOf(n));
        Assert.Contains("error:30", Type(rig, "sputter recipe licoo2 power 500"));   // 3 W/cm2 x 45.6 cm2 = 137 W
        Assert.Contains("error:30", Type(rig, "sputter recipe licoo2 ramp 1"));      // max 0.5 W/cm2/min
        Assert.Contains("error:3", Type(rig, "sputter recipe licoo2 xe 10"));        // unknown gas
        Assert.Contains("error:3", Type(rig, "sputter recipe licoo2 power abc"));
        Assert.Contains("error:3", Type(rig, "sputter start tin"));
        Assert.Contains("error:3", Type(rig, "sputter gas xe 5"));
        Assert.Contains("error:14", Type(rig, "sputter gas ar 5"));                  // not in maintenance
        Assert.Contains("error:14", Type(rig, "sputter shutter open"));              // normal mode
        Assert.Contains("error:14", Type(rig, "sputter power 50 rf1"));
        Assert.Contains("error:8", Type(rig, "settings set sputter.recipe.licoo2.powerW 700"));
        Assert.Contains("error:5", Type(rig, "settings set sputter.reflTripPct 50"));     // interlock limits: engineer only
        Assert.Equal(100, Setting("sputter.recipe.licoo2.powerW"));
        Assert.Equal(0.3, Setting("sputter.recipe.licoo2.rampWPerCm2Min"));

        // A value the setting's range allows but the target does not: the start refuses the recipe.
        Assert.Contains("ok", Type(rig, "settings set sputter.recipe.licoo2.powerW 300"));
        Assert.Contains("error:30", Type(rig, "sputter start licoo2"));
        Assert.Contains("ok", Type(rig, "settings set sputter.recipe.licoo2.powerW 100"));

        // Wrong state: maintenance only from idle; a second start while running.
        Assert.Contains("ok", Type(rig, "sputter start licoo2"));
        rig.Step(100);
        Assert.Equal(SputterState.Pumping, rig.Module.State);
        Assert.Contains("error:14", Type(rig, "sputter mode maintenance"));
        Assert.Contains("error:14", Type(rig, "sputter start lipon"));
        Assert.Contains("error:6", Type(rig, "sputter recipe licoo2 power 90"));    // not while it runs
        rig.Step(10);
        Assert.Equal(SputterState.Pumping, rig.Module.State);
        Assert.Equal(100, Setting("sputter.recipe.licoo2.powerW"));
    }

    [Fact]
    public void MaintenanceEnforcesEveryInterlock_IsLogged_AndTimesOut()
    {
        var rig = new SputterRig();
        rig.RunTo(SputterState.Maintenance);
        Assert.True(rig.Module.RfOn(0));
        var events = rig.Board.Runtime.Events;
        bool Logged(EventCode code)
        {
            for (int seq = events.OldestSeq; seq < events.NextSeq; seq++)
            {
                if (events.TryGet(seq, out var e) && e.Code == (int)code) return true;
            }
            return false;
        }
        Assert.True(Logged(EventCode.SputterMaintenanceAction));
        Assert.True(Logged(EventCode.SputterModeChanged));
        // Hard interlock in maintenance: the web permit drops RF before any scan.
        rig.Line.Plant.Bus.Write("wire.web_ok", 0);
        rig.Step(1);
        Assert.Equal(0, rig.Signal("sputter.rf1.rfOnCmd"));
        Assert.True(rig.Board.Runtime.Alarms.IsActive(3002));
        // A new RF request is refused while latched.
        rig.Line.Plant.Bus.Write("wire.web_ok", 1);
        Assert.True(rig.Post(SputterModule.CmdPower, 0, 40));
        rig.Step(100);
        Assert.Equal(0, rig.Signal("sputter.rf1.rfOnCmd"));
        // No action for the timeout (20 s in the rig): back to idle and normal mode.
        Assert.True(rig.StepUntil(() => rig.Module.State == SputterState.Idle, 3000));
        Assert.Equal(SputterMode.Normal, rig.Module.Mode);
        Assert.True(Logged(EventCode.SputterMaintenanceTimeout));
    }

    [Fact]
    public void TheModulesScans_AllocateNothing_InEveryState()
    {
        var rig = new SputterRig();
        long Measure(int scans)
        {
            long total = 0;
            for (int i = 0; i < scans; i++)
            {
                rig.Line.Clock.Advance(rig.Line.Options.PeriodUs);
                rig.Line.Plant.Step(rig.Line.Options.PeriodUs / 1e6);
                rig.Board.Io.FirePinChanges();
                long before = GC.GetAllocatedBytesForCurrentThread();
                rig.Board.RunDueScans();
                total += GC.GetAllocatedBytesForCurrentThread() - before;
            }
            return total;
        }
        Measure(200); // warm-up: first-call JIT and lazy statics
        Assert.Equal(0, Measure(500)); // idle
        Assert.True(rig.Post(SputterModule.CmdStart, SputterRecipe.LiCoO2));
        long running = 0;
        for (int i = 0; i < 20 && rig.Module.State != SputterState.Sputtering; i++) running += Measure(100);
        Assert.Equal(SputterState.Sputtering, rig.Module.State);
        running += Measure(1000);
        // Arcs and a trip (alarm raise, post-mortem record, fast path) inside the measured scans.
        rig.Line.Plant.Faults.Execute("inject sputter.rf1 arcstorm 5", rig.Line.Plant.TimeS);
        running += Measure(300);
        rig.Line.Plant.Faults.Execute("inject sputter.door open", rig.Line.Plant.TimeS);
        running += Measure(300);
        Assert.True(rig.Board.Runtime.Alarms.IsActive(3001));
        Assert.Equal(0, running);
    }
}
