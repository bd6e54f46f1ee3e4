using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Tfb.Benchmarks;

/// <summary>
/// Entry point: `dotnet run -c Release --project tools/Tfb.Benchmarks -- --filter '*'`.
/// In-process (no generated projects: central package versions and lock files stay untouched), a short job
/// (1 launch, 3 warmups, 8 iterations) so the whole set runs in well under three minutes. Reports land in
/// the build output folder (bin/.../BenchmarkDotNet.Artifacts), never in the source tree.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
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
    }
}
