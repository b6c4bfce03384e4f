using Lattice.Bench.Drivers;
using Lattice.Bench.Workloads;

namespace Lattice.Bench.Tests;

public sealed class NoopRunnerTests
{
    [Fact]
    public async Task An_operation_count_run_measures_exactly_that_many_operations()
    {
        var runner = new BenchRunner(TimeProvider.System);
        var settings = new BenchSettings { Workload = CoreWorkloads.Find("D")!, Clients = 3, OperationCount = 10_001, RecordCount = 100 };
        BenchResult result = await runner.RunAsync(new NoopTarget(TimeProvider.System), settings, CancellationToken.None);
        Assert.Equal(10_001, result.Operations);
        Assert.Equal(result.Operations, result.Latency.Count);
        long inserts = result.LatencyByKind[(int)OperationKind.Insert]!.Count;
        Assert.InRange(inserts, 350, 650);
        Assert.Equal(100 + inserts, result.RecordCount);
        Assert.Null(result.LatencyByKind[(int)OperationKind.Scan]);
    }

    [Fact]
    public async Task Open_loop_holds_the_target_rate_without_charging_timer_slop()
    {
        var runner = new BenchRunner(TimeProvider.System);
        var settings = new BenchSettings { Workload = CoreWorkloads.Find("A")!, Clients = 2, TargetOpsPerSecond = 2000, Duration = TimeSpan.FromSeconds(3) };
        BenchResult result = await runner.RunAsync(new NoopTarget(TimeProvider.System), settings, CancellationToken.None);
        // The schedule is absolute: a client held up (here, by other tests on the thread pool) catches up, so the
        // whole run carries the target count of operations.
        Assert.True(result.Operations is > 5400 and <= 6010, $"{result.Operations} ops in {result.ElapsedSeconds} s");

        // The no-op store answers at once, so the median must stay far below the ~1 ms timer resolution.
        Assert.True(result.Latency.P50Ns < 200_000, $"p50 {result.Latency.P50Ns} ns");
    }

    [Fact]
    public void The_final_line_has_the_documented_shape()
    {
        var summary = new LatencySummary(10, 1e6, 1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000);
        var result = new BenchResult
        {
            Target = "noop", Workload = "A", Distribution = KeyDistribution.Zipfian, Clients = 1, PipelineDepth = 1, TargetOpsPerSecond = 0,
            RecordCount = 1, ValueSizeBytes = 1, Operations = 10, ElapsedSeconds = 2, Latency = summary,
            LatencyByKind = new LatencySummary?[OperationKinds.Count], NotFound = 0, Conflicts = 0, Errors = 0,
        };
        Assert.Equal("throughput: 5 ops/s, p50: 1.000 ms, p99: 3.000 ms, p99.9: 4.000 ms", BenchReport.FinalLine(result));
    }
}
