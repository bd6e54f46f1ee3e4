using System.CommandLine;
using Tfb.VirtualLine;

// The virtual line: the firmware's host build on virtual boards wired to the plant models.
//   dotnet run --project sim/Tfb.VirtualLine                      the line in real time, web board console here
//   dotnet run --project sim/Tfb.VirtualLine -- --scenario FILE   run a scenario, print pass/fail, write trace+plot
var repo = RepoPaths.FindRoot();

var boards = new Option<string>("--boards") { Description = "Folder of virtual board definitions", DefaultValueFactory = _ => Path.Combine(repo, "boards", "virtual", "line") };
var seed = new Option<ulong>("--seed") { Description = "Plant seed (same seed, same run)", DefaultValueFactory = _ => 1UL };
var speed = new Option<double>("--speed") { Description = "Simulated seconds per wall second (1 = real time, 0 = as fast as possible)", DefaultValueFactory = _ => 1.0 };
var duration = new Option<double?>("--duration") { Description = "Stop after this many simulated seconds" };
var scenario = new Option<string?>("--scenario") { Description = "Run this scenario file and exit (unpaced unless --speed is given)" };
var outDir = new Option<string>("--out") { Description = "Where scenario traces and plots go", DefaultValueFactory = _ => Path.Combine(repo, "artifacts", "virtual-line") };
var consolePort = new Option<int>("--console-port") { Description = "TCP port of the first board's console; the others follow (0 = no TCP consoles)", DefaultValueFactory = _ => 7001 };
var attach = new Option<string?>("--attach") { Description = "Board whose console is on this terminal (default: the first); 'none' for none" };
var broker = new Option<string?>("--broker") { Description = "External MQTT broker host:port instead of the embedded one" };
var brokerPort = new Option<int>("--broker-port") { Description = "Port of the embedded MQTT broker on 127.0.0.1", DefaultValueFactory = _ => 1883 };
var state = new Option<string>("--state") { Description = "Folder for the boards' non-volatile storage (settings survive restarts)", DefaultValueFactory = _ => Path.Combine(repo, "artifacts", "virtual-line", "state") };
var sheetResults = new Option<string?>("--sheet-results") { Description = "Append sheets binned by the sheet-test board to this results file (CSV of the results contract)" };
var statusEvery = new Option<double>("--status-interval") { Description = "Wall seconds between status lines (0 = none)", DefaultValueFactory = _ => 10.0 };

var root = new RootCommand("TfbFirmware virtual line: the firmware on virtual boards against simulated plant physics")
{
    boards, seed, speed, duration, scenario, outDir, consolePort, attach, broker, brokerPort, state, statusEvery, sheetResults,
};
root.SetAction(parse =>
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
    var scenarioFile = parse.GetValue(scenario);
    if (scenarioFile != null)
    {
        double s = parse.GetResult(speed) is { Implicit: false } ? parse.GetValue(speed) : 0;
        return ScenarioRun.Run(scenarioFile, parse.GetValue(boards)!, parse.GetValue(outDir)!, s, Console.Out, cancel.Token);
    }
    var options = new InteractiveOptions
    {
        BoardsDir = parse.GetValue(boards)!,
        Seed = parse.GetValue(seed),
        Speed = parse.GetValue(speed),
        DurationS = parse.GetValue(duration),
        ConsolePortBase = parse.GetValue(consolePort),
        Attach = parse.GetValue(attach),
        Broker = parse.GetValue(broker),
        BrokerPort = parse.GetValue(brokerPort),
        StateDir = parse.GetValue(state)!,
        StatusIntervalS = parse.GetValue(statusEvery),
        SheetResultsPath = parse.GetValue(sheetResults),
    };
    return InteractiveRun.Run(options, cancel.Token);
});
return root.Parse(args).Invoke();
