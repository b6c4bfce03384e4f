namespace Lattice.Bench.Workloads;

/// <summary>
/// The YCSB core workloads A to F, with the proportions and distributions of YCSB's workload files, and W (not
/// YCSB's): updates only, for durable write throughput.
/// </summary>
public static class CoreWorkloads
{
    public const int DefaultMaxScanLength = 100;

    public static IReadOnlyList<string> Names { get; } = ["A", "B", "C", "D", "E", "F", "W"];

    /// <summary>The workload named by its letter (case-insensitive), or null for an unknown name.</summary>
    public static WorkloadSpec? Find(string name) => name.ToUpperInvariant() switch
    {
        // Update heavy: session stores recording recent actions.
        "A" => new WorkloadSpec("A", 0.5, 0.5, 0, 0, 0, KeyDistribution.Zipfian, DefaultMaxScanLength),
        // Read mostly: photo tagging.
        "B" => new WorkloadSpec("B", 0.95, 0.05, 0, 0, 0, KeyDistribution.Zipfian, DefaultMaxScanLength),
        // Read only: user profile cache.
        "C" => new WorkloadSpec("C", 1.0, 0, 0, 0, 0, KeyDistribution.Zipfian, DefaultMaxScanLength),
        // Read latest: status updates, the newest are read most.
        "D" => new WorkloadSpec("D", 0.95, 0, 0.05, 0, 0, KeyDistribution.Latest, DefaultMaxScanLength),
        // Short ranges: threaded conversations.
        "E" => new WorkloadSpec("E", 0, 0, 0.05, 0.95, 0, KeyDistribution.Zipfian, DefaultMaxScanLength),
        // Read-modify-write: user database.
        "F" => new WorkloadSpec("F", 0.5, 0, 0, 0, 0.5, KeyDistribution.Zipfian, DefaultMaxScanLength),
        // Write only (not a YCSB core workload): every operation is a durable, replicated update.
        "W" => new WorkloadSpec("W", 0, 1.0, 0, 0, 0, KeyDistribution.Zipfian, DefaultMaxScanLength),
        _ => null,
    };
}
