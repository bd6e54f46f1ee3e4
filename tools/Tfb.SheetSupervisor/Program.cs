using System.CommandLine;
using Tfb.SheetSupervisor;

// Sheet-test supervisor (docs/supervisor.md): watch the broker or read a results file; maps, bins, summary, CSV, STDF.
var commands = new SupervisorCommands(Console.Out, Console.Error) { ShowProgress = !Console.IsErrorRedirected };

Argument<string> InputArg() => new("input") { Description = "Results file (the sheet-test results CSV of docs/supervisor.md)" };
Option<string?> SheetOpt() => new("--sheet") { Description = "Only this sheet id (default: every sheet; maps draw the first)" };

var broker = new Option<string>("--broker") { Description = "MQTT broker host:port", DefaultValueFactory = _ => "127.0.0.1:1883" };
var group = new Option<string?>("--group") { Description = "Sparkplug group id (default: every group)" };
var device = new Option<string>("--device") { Description = "Sparkplug device id of the results", DefaultValueFactory = _ => "SheetTest" };
var watchOut = new Option<string>("--out") { Description = "Results file to write", DefaultValueFactory = _ => "results.csv" };
var sheets = new Option<int>("--sheets") { Description = "Stop after this many completed sheets (0 = until Ctrl-C)", DefaultValueFactory = _ => 0 };
var noRebirth = new Option<bool>("--no-rebirth") { Description = "Never publish a rebirth request (NCMD) to a board whose births were missed" };
var watch = new Command("watch", "Subscribe to the sheet-test board's Sparkplug results and write the results file") { broker, group, device, watchOut, sheets, noRebirth };
watch.SetAction(parse =>
{
    string b = parse.GetValue(broker)!;
    int colon = b.LastIndexOf(':');
    string host = colon > 0 ? b[..colon] : b;
    int port = 1883;
    if (colon > 0 && (!int.TryParse(b[(colon + 1)..], out port) || port < 1 || port > 65535))
    {
        Console.Error.WriteLine($"error {(int)ExitCode.Usage} (Usage): --broker {b} is not host:port");
        return (int)ExitCode.Usage;
    }
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
    var options = new WatchOptions
    {
        Host = host, Port = port, Group = parse.GetValue(group), Device = parse.GetValue(device)!,
        OutPath = parse.GetValue(watchOut)!, StopAfterSheets = Math.Max(0, parse.GetValue(sheets)), RequestRebirth = !parse.GetValue(noRebirth),
    };
    return (int)commands.Watch(options, cancel.Token);
});

var mapIn = InputArg();
var mapSheet = SheetOpt();
var measure = new Option<string>("--measure") { Description = "ocv | contact | leakage | z1 | z2 | z3 | phase1 | phase2 | phase3", Required = true };
var mapOut = new Option<string>("--out") { Description = "PNG to write ({sheet} in the name: one per sheet)", DefaultValueFactory = _ => "map.png" };
var fullRange = new Option<bool>("--full-range") { Description = "Colour range min..max instead of the robust Q1-3IQR..Q3+3IQR" };
var rangeLo = new Option<double?>("--min") { Description = "Fixed colour range low end (with --max)" };
var rangeHi = new Option<double?>("--max") { Description = "Fixed colour range high end (with --min)" };
var width = new Option<int>("--width") { Description = "Image width, px", DefaultValueFactory = _ => 900 };
var height = new Option<int>("--height") { Description = "Image height, px", DefaultValueFactory = _ => 1000 };
var map = new Command("map", "Heat map of one measurement, cells at their physical positions") { mapIn, measure, mapOut, mapSheet, fullRange, rangeLo, rangeHi, width, height };
map.SetAction(parse => (int)commands.Map(parse.GetValue(mapIn)!, parse.GetValue(measure)!, parse.GetValue(mapOut)!, parse.GetValue(mapSheet),
    new MapOptions
    {
        WidthPx = Math.Clamp(parse.GetValue(width), 300, 8000), HeightPx = Math.Clamp(parse.GetValue(height), 300, 8000),
        Range = parse.GetValue(fullRange) ? ColorRangeMode.Full : ColorRangeMode.Robust, RangeLo = parse.GetValue(rangeLo), RangeHi = parse.GetValue(rangeHi),
    }));

var binsIn = InputArg();
var binsSheet = SheetOpt();
var binsOut = new Option<string>("--out") { Description = "PNG to write ({sheet} in the name: one per sheet)", DefaultValueFactory = _ => "bins.png" };
var bins = new Command("bins", "Bin map with a legend of the hard bins") { binsIn, binsOut, binsSheet, width, height };
bins.SetAction(parse => (int)commands.Bins(parse.GetValue(binsIn)!, parse.GetValue(binsOut)!, parse.GetValue(binsSheet),
    new MapOptions { WidthPx = Math.Clamp(parse.GetValue(width), 300, 8000), HeightPx = Math.Clamp(parse.GetValue(height), 300, 8000) }));

var sumIn = InputArg();
var sumSheet = SheetOpt();
var summary = new Command("summary", "Per sheet: sites, yield, bin counts and percentages, median/IQR/min/max per measurement") { sumIn, sumSheet };
summary.SetAction(parse => (int)commands.Summary(parse.GetValue(sumIn)!, parse.GetValue(sumSheet)));

var csvIn = InputArg();
var csvSheet = SheetOpt();
var csvOut = new Option<string?>("--out") { Description = "CSV to write (default: stdout)" };
var csv = new Command("csv", "Normalised results file: canonical numbers, sites in site order, end records") { csvIn, csvOut, csvSheet };
csv.SetAction(parse => (int)commands.Csv(parse.GetValue(csvIn)!, parse.GetValue(csvOut), parse.GetValue(csvSheet)));

var stdfIn = InputArg();
var stdfSheet = SheetOpt();
var stdfOut = new Option<string>("--out") { Description = "STDF file to write", DefaultValueFactory = _ => "sheet.stdf" };
var bigEndian = new Option<bool>("--big-endian") { Description = "Write big-endian (FAR CPU_TYPE 1) instead of little-endian (2)" };
var stdf = new Command("stdf", "STDF V4 file: roll = lot, sheet = wafer, cell = part with X/Y") { stdfIn, stdfOut, stdfSheet, bigEndian };
stdf.SetAction(parse => (int)commands.Stdf(parse.GetValue(stdfIn)!, parse.GetValue(stdfOut)!, parse.GetValue(stdfSheet), parse.GetValue(bigEndian)));

var synCols = new Option<int>("--cols") { Description = "Columns", DefaultValueFactory = _ => 20 };
var synRows = new Option<int>("--rows") { Description = "Rows", DefaultValueFactory = _ => 25 };
var synCount = new Option<int>("--count") { Description = "Sheets", DefaultValueFactory = _ => 1 };
var synSeed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1 };
var synOut = new Option<string>("--out") { Description = "Results file to write", DefaultValueFactory = _ => "synthetic.csv" };
var synth = new Command("synth", "Write a SYNTHETIC demonstration results file (not measured data: roll SYNTH, program synthetic)") { synCols, synRows, synCount, synSeed, synOut };
synth.SetAction(parse => (int)commands.Synth(new SynthOptions
{
    Columns = parse.GetValue(synCols), Rows = parse.GetValue(synRows), Sheets = parse.GetValue(synCount), Seed = parse.GetValue(synSeed),
}, parse.GetValue(synOut)!));

var root = new RootCommand("TfbFirmware sheet-test supervisor: sheet maps, bins, summaries, CSV and STDF from the sheet-test results")
{
    watch, map, bins, summary, csv, stdf, synth,
};
try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    // Last line of defence: a bug must still not print a stack trace to an operator.
    Console.Error.WriteLine($"error {(int)ExitCode.Internal} (Internal): {e.GetType().Name}: {e.Message}");
    return (int)ExitCode.Internal;
}
