using Lattice.Common;

namespace Lattice.Bench.Workloads;

/// <summary>
/// Picks the record number for the next operation. One instance per client (not thread-safe); the client passes
/// its own seeded random so runs replay.
/// </summary>
public interface IKeyGenerator
{
    /// <summary>A record number in [0, <paramref name="recordCount"/>), where recordCount is how many records exist now.</summary>
    long Next(ref DeterministicRandom random, long recordCount);
}
