using Tfb.Plant.Scenarios;
using Tfb.Plant.Trace;

namespace Tfb.VirtualLine;

/// <summary>Runs one scenario file on a fresh virtual line and writes its report, trace (CSV) and plot (PNG).</summary>
public static class ScenarioRun
{
    /// <summary>Exit codes: 0 passed, 1 failed, 2 the scenario is malformed or invalid (nothing ran).</summary>
    public static int Run(string scenarioPath, string boardsDir, string outDir, double speed, TextWriter output, CancellationToken cancel)
    {
        Scenario scenario;
        try
        {
            scenario = ScenarioParser.ParseFile(scenarioPath);
        }
        catch (ScenarioParseException e)
        {
            foreach (var err in e.Errors) output.WriteLine($"error: {Path.GetDirectoryName(scenarioPath)}{Path.DirectorySeparatorChar}{err}");
            output.WriteLine("scenario not run");
            return 2;
        }
        catch (IOException e)
        {
            output.WriteLine($"error: {scenarioPath}: {e.Message}");
            return 2;
        }

        Directory.CreateDirectory(outDir);
        string sheets = Path.Combine(outDir, Path.GetFileNameWithoutExtension(scenarioPath) + ".sheets.csv");
        var result = Execute(scenario, boardsDir, speed, cancel, sheets);
        if (result.Invalid != null)
        {
            foreach (var err in result.Invalid) output.WriteLine($"error: {err}");
            output.WriteLine("scenario not run");
            return 2;
        }

        Directory.CreateDirectory(outDir);
        string stem = Path.Combine(outDir, Path.GetFileNameWithoutExtension(scenarioPath));
        CsvTraceWriter.WriteFile(result.Trace!, stem + ".csv");
        if (result.Trace!.Signals.Count > 0) TracePlot.SavePng(result.Trace, stem + ".png", title: scenario.Title);
        output.Write(result.Report!.ToText());
        output.WriteLine($"trace: {stem}.csv" + (result.Trace.Signals.Count > 0 ? $"  plot: {stem}.png" : ""));
        if (File.Exists(sheets) && new FileInfo(sheets).Length > 0)
        {
            output.WriteLine($"sheet results: {sheets}");
            foreach (string map in WriteSheetMaps(sheets, stem)) output.WriteLine($"sheet map: {map}");
        }
        output.WriteLine(result.Report.Passed ? "PASS" : "FAIL");
        return result.Report.Passed ? 0 : 1;
    }

    /// <summary>
    /// The maps a line engineer looks at first, drawn by the supervisor tool's code from the results file: per sheet
    /// a heat map (OCV on a formed sheet, |Z| at frequency 2 on a sheet as made) and the bin map.
    /// </summary>
    /// <returns>The PNG files written.</returns>
    public static IReadOnlyList<string> WriteSheetMaps(string resultsCsv, string stem)
    {
        var written = new List<string>();
        var issues = new List<Tfb.SheetSupervisor.InputIssue>();
        var file = Tfb.SheetSupervisor.ResultsCsv.ReadFile(resultsCsv, issues);
        var options = new Tfb.SheetSupervisor.MapOptions();
        foreach (var sheet in file.Sheets)
        {
            bool formed = sheet.Header.Formed;
            string heat = $"{stem}.{sheet.Header.SheetId}.{(formed ? "ocv" : "z2")}.png";
            Tfb.SheetSupervisor.SheetMaps.HeatMap(sheet, formed ? Tfb.SheetSupervisor.Measurement.OcvV : Tfb.SheetSupervisor.Measurement.Z2Ohm, options)
                .SavePng(heat, options.WidthPx, options.HeightPx);
            written.Add(heat);
            string bins = $"{stem}.{sheet.Header.SheetId}.bins.png";
            Tfb.SheetSupervisor.SheetMaps.BinMap(sheet, options).SavePng(bins, options.WidthPx, options.HeightPx);
            written.Add(bins);
        }
        return written;
    }

    /// <summary>What a scenario run produced.</summary>
    public sealed record Result(ScenarioReport? Report, TraceRecorder? Trace, IReadOnlyList<ScenarioError>? Invalid, Line? Line);

    /// <summary>Runs a parsed scenario (unpaced when <paramref name="speed"/> is 0) and returns the report and the trace.</summary>
    /// <param name="sheetResultsPath">Where sheets binned by sheet-test boards are written (results contract CSV); null = nowhere.</param>
    public static Result Execute(Scenario scenario, string boardsDir, double speed, CancellationToken cancel, string? sheetResultsPath = null)
    {
        var line = new Line(new LineOptions { BoardsDir = boardsDir, Seed = scenario.Seed, StateDir = null });
        if (sheetResultsPath != null) SheetResultsCsv.Attach(line, sheetResultsPath);
        LineMqtt? mqtt = null;
        if (NeedsMqtt(scenario))
        {
            // MQTT runs on real sockets: pace the line so the network keeps up with simulated time.
            int port = FreePort();
            var broker = EmbeddedBroker.StartAsync(port).GetAwaiter().GetResult();
            mqtt = LineMqtt.StartAsync(line, "127.0.0.1", port, broker, observe: true).GetAwaiter().GetResult();
            if (speed == 0) speed = 1;
        }
        try
        {
            return Run(scenario, line, mqtt, speed, cancel);
        }
        finally
        {
            mqtt?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static Result Run(Scenario scenario, Line line, LineMqtt? mqtt, double speed, CancellationToken cancel)
    {
        var hooks = new ScenarioHooks { Console = line, Alarms = line, Boards = line, Mqtt = mqtt, Metrics = mqtt };
        ScenarioExecutor executor;
        try
        {
            executor = new ScenarioExecutor(scenario, line.Plant, hooks);
        }
        catch (ScenarioValidationException e)
        {
            return new Result(null, null, e.Errors, line);
        }
        var trace = new TraceRecorder(line.Plant.Bus, scenario.TraceSignals, 1);
        var pacer = new Pacer(line.Options.PeriodUs, speed);
        trace.Sample(line.Plant.TimeS);
        while (!executor.IsComplete && !cancel.IsCancellationRequested)
        {
            pacer.WaitForNextStep(cancel);
            executor.BeforeStep();
            line.Step();
            executor.AfterStep();
            trace.Sample(line.Plant.TimeS);
        }
        return new Result(executor.Finish(), trace, null, line);
    }

    /// <summary>True when a step talks MQTT or looks at published metrics.</summary>
    public static bool NeedsMqtt(Scenario scenario) => scenario.Steps.Any(s =>
        s is MqttCommandStep or BrokerStep || (s is ExpectStep e && e.Condition is MetricCondition));

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
