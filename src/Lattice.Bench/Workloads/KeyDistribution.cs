namespace Lattice.Bench.Workloads;

/// <summary>How a workload picks the record an operation touches (YCSB's requestdistribution).</summary>
public enum KeyDistribution
{
    /// <summary>Zipfian with theta 0.99, hashed over the key space (YCSB's scrambled zipfian): a few hot keys, spread out.</summary>
    Zipfian,

    /// <summary>Every existing record equally likely.</summary>
    Uniform,

    /// <summary>Zipfian over recency: the most recently inserted records are the hottest.</summary>
    Latest,
}
