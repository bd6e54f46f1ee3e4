using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Tfb.Firmware.Tests.Scan;

namespace Tfb.Benchmarks;

/// <summary>
/// One lockstep scan of the representative station (inputs, filter, PI, outputs, snapshot, a command per scan,
/// alarms, a periodic overrun). MemoryDiagnoser's "Allocated" column is the figure that matters: it must be 0.
/// Host time is reported for comparison between changes only; device cost is 6-20 us per managed call.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRun))]
public class ScanBenchmarks
{
    private RepresentativeStation _station;

    [GlobalSetup]
    public void Setup()
    {
        _station = new RepresentativeStation();
        for (int i = 0; i < 2_000; i++) _station.Scan();
    }

    [Benchmark(Description = "one scan, representative station")]
    public void OneScan() => _station.Scan();

    private sealed class InProcessShortRun : ManualConfig
    {
        public InProcessShortRun()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        }
    }
}

/// <summary>`scan-alloc`: runs N scans on this thread after a warm-up and prints what they allocated.</summary>
public static class ScanMeasuredRun
{
    public static int Run(int scans)
    {
        var station = new RepresentativeStation();
        for (int i = 0; i < 2_000; i++) station.Scan();
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < scans; i++) station.Scan();
        long ticks = Stopwatch.GetTimestamp() - start;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        var status = station.Exec.CreateStatus();
        station.Exec.TryReadStatus(status);
        double hostNsPerScan = ticks * 1e9 / Stopwatch.Frequency / scans;
        Console.WriteLine($"scans measured:        {scans} (after 2000 warm-up)");
        Console.WriteLine($"bytes allocated:       {bytes}");
        Console.WriteLine($"bytes per scan:        {(double)bytes / scans:0.###}");
        Console.WriteLine($"host time per scan:    {hostNsPerScan:0} ns (host CPU, not the device)");
        Console.WriteLine($"commands executed:     {station.Exec.Commands.ExecutedCount}");
        Console.WriteLine($"overruns (designed):   {status.OverrunCount}");
        return bytes == 0 ? 0 : 1;
    }
}
