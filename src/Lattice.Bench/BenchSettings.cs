using Lattice.Bench.Workloads;

namespace Lattice.Bench;

/// <summary>
/// One benchmark run: the workload, how many records exist (and are loaded first unless <see cref="SkipLoad"/>),
/// how long or how many operations, client count, value size, and the target rate. A target rate above 0 makes
/// the run open-loop: each client's operations have intended send times spaced by clients / rate, and an
/// operation's latency is its measured service time plus the time it would have waited, from its intended send
/// time, for the store to answer the client's previous operation. A stall is thus charged to every operation it
/// delayed (no coordinated omission), while the client timer's ~1 ms resolution is not charged to the store.
/// At 0 the run is closed-loop (as fast as replies come back) and latency is measured from the actual send.
/// </summary>
public sealed record BenchSettings
{
    public required WorkloadSpec Workload { get; init; }

    public long RecordCount { get; init; } = 10_000;

    /// <summary>Operations to run in total (split over the clients); 0 runs for <see cref="Duration"/> instead.</summary>
    public long OperationCount { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Operations run but not measured at the start (JIT, connection set-up, caches).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;

    public int Clients { get; init; } = 16;

    public double TargetOpsPerSecond { get; init; }

    public int ValueSizeBytes { get; init; } = 1000;

    public ulong Seed { get; init; } = 1;

    public bool SkipLoad { get; init; }

    public int LoadClients { get; init; } = 32;

    /// <summary>Fraction of the record count that inserts may add, so zipfian keys can reach new records (YCSB's expected new keys).</summary>
    public double ExpectedInsertGrowth { get; init; } = 1.0;

    public bool OpenLoop => TargetOpsPerSecond > 0;
}
