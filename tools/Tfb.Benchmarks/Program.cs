using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Tfb.Benchmarks;

/// <summary>
/// Entry point.
/// `dotnet run -c Release --project tools/Tfb.Benchmarks -- scan-alloc [scans]`: a quick measured run of the
/// scan (bytes allocated per scan, host time per scan).
/// `dotnet run -c Release --project tools/Tfb.Benchmarks -- sputter`: the sputter station's measured run on the virtual
/// line (fault-injection matrix, fast path against the no-irq baseline, ramp conformance, allocation per scan); writes
/// docs/reports/sputter/report.md, its plot, and docs/interlocks.md.
/// `dotnet run -c Release --project tools/Tfb.Benchmarks -- web-bench [seed]`: the web transport controller against
/// its baseline on the virtual web board; writes docs/reports/web (WebBench.cs).
/// `dotnet run -c Release --project tools/Tfb.Benchmarks -- --filter '*'`: BenchmarkDotNet, in-process (no
/// generated projects: central package versions and lock files stay untouched), a short job (1 launch,
/// 3 warmups, 8 iterations) so the whole set runs in a few minutes. Reports land in the build output folder.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "scan-alloc")
        {
            return ScanMeasuredRun.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
        }
        if (args.Length > 0 && args[0] == "anneal") return AnnealBenchmark.Run(args);
        if (args.Length > 0 && args[0] == "sputter") return SputterReport.Run(args);
        if (args.Length > 0 && args[0] == "web-bench") return WebBench.Run(args);
        if (args.Length > 0 && args[0] == "sheet-test") return SheetTestReport.Run(args);
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(8);
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
