using Lattice.Bench.Workloads;

namespace Lattice.Bench;

/// <summary>What one run measured: throughput over the measured window, latency overall and per operation kind, and outcome counts.</summary>
public sealed record BenchResult
{
    public required string Target { get; init; }

    public required string Workload { get; init; }

    public required KeyDistribution Distribution { get; init; }

    public required int Clients { get; init; }

    public required int PipelineDepth { get; init; }

    public required double TargetOpsPerSecond { get; init; }

    public required long RecordCount { get; init; }

    public required int ValueSizeBytes { get; init; }

    public required long Operations { get; init; }

    public required double ElapsedSeconds { get; init; }

    public required LatencySummary Latency { get; init; }

    /// <summary>Per operation kind that ran (index = <see cref="OperationKind"/>); null for kinds the workload does not use.</summary>
    public required IReadOnlyList<LatencySummary?> LatencyByKind { get; init; }

    public required long NotFound { get; init; }

    public required long Conflicts { get; init; }

    public required long Errors { get; init; }

    /// <summary>The command line that reproduces the run, when known.</summary>
    public string Command { get; init; } = "";

    public double OpsPerSecond => ElapsedSeconds > 0 ? Operations / ElapsedSeconds : 0;
}
