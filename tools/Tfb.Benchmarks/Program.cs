using BenchmarkDotNet.Running;
using Tfb.Benchmarks;

// "scan-alloc": a quick measured run of the scan (bytes allocated per scan, host time per scan).
// Anything else goes to BenchmarkDotNet, e.g. --filter *ScanBenchmarks*.
if (args.Length > 0 && args[0] == "scan-alloc")
{
    return ScanMeasuredRun.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
}
BenchmarkSwitcher.FromAssembly(typeof(ScanMeasuredRun).Assembly).Run(args);
return 0;
