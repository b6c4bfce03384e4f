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
        // Every timer fires 0.4 ms late: the client sends late, but the schedule is absolute, so the run still carries
        // the target count, and the lateness is the client's, not the store's, so it is not charged.
        var time = new SteppedTimeProvider(TimeSpan.FromMilliseconds(0.4));
        BenchResult result = await RunOpenLoopAsync(time, new StallingTarget(time, stallAtOperation: -1, TimeSpan.Zero));
        Assert.InRange(result.Operations, 6000, 6004);
        Assert.Equal(0, result.Latency.MaxNs);
    }

    [Fact]
    public async Task Open_loop_charges_a_stall_to_every_operation_it_delayed()
    {
        // One 50 ms stall at 2,000 ops/s holds back the next ~100 intended sends: each is charged from its intended
        // time (no coordinated omission), and the client catches up, so the count is still the target's.
        var time = new SteppedTimeProvider(TimeSpan.Zero);
        BenchResult result = await RunOpenLoopAsync(time, new StallingTarget(time, stallAtOperation: 1000, TimeSpan.FromMilliseconds(50)));
        Assert.InRange(result.Operations, 6000, 6004);
        Assert.InRange(result.Latency.MaxNs, 49_000_000, 51_000_000);

        // Delayed sends are charged 50, 49.5, 49, … 0.5 ms: about 2.5 s in all.
        double chargedSeconds = result.Latency.MeanNs * result.Latency.Count / 1e9;
        Assert.InRange(chargedSeconds, 2.4, 2.7);
        Assert.True(result.Latency.P99Ns > 10_000_000, $"p99 {result.Latency.P99Ns} ns");
        Assert.Equal(0, result.Latency.P50Ns);
    }

    private static Task<BenchResult> RunOpenLoopAsync(SteppedTimeProvider time, IBenchTarget target)
    {
        // One client: it alone reads the stepped clock, so the run is the same on every machine.
        var settings = new BenchSettings { Workload = CoreWorkloads.Find("A")!, Clients = 1, TargetOpsPerSecond = 2000, Duration = TimeSpan.FromSeconds(3) };
        return new BenchRunner(time).RunAsync(target, settings, CancellationToken.None);
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
