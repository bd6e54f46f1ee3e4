using System.Buffers.Binary;
using System.Security.Cryptography;
using Tfb.Plant.Core;
using Tfb.Plant.Models;
using Tfb.Plant.Scenarios;
using Tfb.Plant.Trace;

namespace Tfb.Plant.Tests;

public class TraceTests
{
    private const string Scenario = """
        seed 42
        duration 2s
        trace web.span1.tensionN web.span1.loadcell web.unwind.speedMps
        at 1s fault web.span1.loadcell noisy 2
        at 1.5s fault web.span1.loadcell dropout 0.5
        """;

    private static TraceRecorder RunTraced(string scenarioText, int sampleEvery = 1)
    {
        Scenario s = ScenarioParser.Parse(scenarioText, "trace.scn");
        var plant = new VirtualPlant(s.Seed);
        WebStation.Add(plant, WebTransportConfig.Default() with { InitialSpeedMps = 1.0 / 60 });
        plant.Bus.Write("web.drum.speedCmdMps", 1.0 / 60);
        plant.Bus.Write("web.unwind.torqueCmdNm", -45);
        plant.Bus.Write("web.rewind.torqueCmdNm", 12);
        var trace = new TraceRecorder(plant.Bus, s.TraceSignals, sampleEvery);
        new ScenarioExecutor(s, plant).RunPlantOnly(0.001, p => trace.Sample(p.TimeS));
        return trace;
    }

    [Fact]
    public void SameSeedGivesByteIdenticalCsv_OtherSeedDoesNot()
    {
        byte[] Csv(string text)
        {
            string path = Path.Combine(Path.GetTempPath(), $"tfb-trace-{Guid.NewGuid():N}.csv");
            try
            {
                CsvTraceWriter.WriteFile(RunTraced(text), path);
                return File.ReadAllBytes(path);
            }
            finally
            {
                File.Delete(path);
            }
        }

        byte[] a = Csv(Scenario);
        byte[] b = Csv(Scenario);
        byte[] c = Csv(Scenario.Replace("seed 42", "seed 43", StringComparison.Ordinal));
        Assert.Equal(SHA256.HashData(a), SHA256.HashData(b));
        Assert.NotEqual(SHA256.HashData(a), SHA256.HashData(c));
        Assert.NotEqual(0xEF, a[0]); // no BOM
    }

    [Fact]
    public void CsvHasHeaderFixedTimeFormatRoundTripValuesAndEmptyInvalidFields()
    {
        TraceRecorder trace = RunTraced(Scenario);
        string[] lines = CsvTraceWriter.ToCsv(trace).Split('\n');
        Assert.Equal("time_s,web.span1.tensionN,web.span1.loadcell,web.unwind.speedMps", lines[0]);
        Assert.Equal(2002, lines.Length); // header + 2000 rows + the empty piece after the last LF
        Assert.StartsWith("0.001000000,", lines[1]);
        Assert.StartsWith("2.000000000,", lines[2000]);
        Assert.DoesNotContain('\r', string.Join("", lines));

        string[] first = lines[1].Split(',');
        Assert.Equal(trace.Values(0)[0], double.Parse(first[1], System.Globalization.CultureInfo.InvariantCulture));

        int emptyAfterDropout = lines.Skip(1501).Take(499).Count(l => l.Split(',')[2].Length == 0);
        Assert.InRange(emptyAfterDropout, 180, 320); // dropout 0.5 over 499 rows
        Assert.Equal(0, lines.Skip(1).Take(1499).Count(l => l.Split(',')[2].Length == 0));
    }

    [Fact]
    public void CsvIsIndependentOfTheCurrentCulture()
    {
        var saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            string invariant = CsvTraceWriter.ToCsv(RunTraced(Scenario));
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            string german = CsvTraceWriter.ToCsv(RunTraced(Scenario));
            Assert.Equal(invariant, german);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }

    [Fact]
    public void DecimationKeepsEveryNthStep()
    {
        TraceRecorder trace = RunTraced(Scenario, sampleEvery: 10);
        Assert.Equal(200, trace.Count);
        Assert.Equal(0.011, trace.Times[1], 9);
    }

    [Fact]
    public void UnknownSignalIsRefused()
    {
        Assert.Throws<KeyNotFoundException>(() => new TraceRecorder(new SignalBus(), new[] { "no.such" }));
    }

    [Fact]
    public void PlotRendersAPngHeadless()
    {
        TraceRecorder trace = RunTraced(Scenario, sampleEvery: 5);
        string path = Path.Combine(Path.GetTempPath(), $"tfb-trace-{Guid.NewGuid():N}.png");
        try
        {
            TracePlot.SavePng(trace, path, width: 800, panelHeight: 150, title: "web break");
            byte[] png = File.ReadAllBytes(path);
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png.Take(8));
            Assert.Equal(800, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
            Assert.Equal(450, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
            Assert.True(png.Length > 5000, "a plot with three traces, not an empty image");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
