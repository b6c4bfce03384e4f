using Lattice.Common;

namespace Lattice.Bench.Workloads;

/// <summary>Every existing record equally likely.</summary>
public sealed class UniformKeyGenerator : IKeyGenerator
{
    public long Next(ref DeterministicRandom random, long recordCount) => random.NextInt64(0, recordCount);
}
