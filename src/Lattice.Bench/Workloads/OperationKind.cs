namespace Lattice.Bench.Workloads;

/// <summary>The YCSB core operations; the values index per-kind arrays (histograms, counters).</summary>
public enum OperationKind
{
    Read = 0,
    Update = 1,
    Insert = 2,
    Scan = 3,
    ReadModifyWrite = 4,
}
