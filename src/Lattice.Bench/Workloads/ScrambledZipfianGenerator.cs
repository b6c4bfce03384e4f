using Lattice.Common;

namespace Lattice.Bench.Workloads;

/// <summary>
/// YCSB's ScrambledZipfianGenerator: draws a zipfian rank over 10^10 items (with YCSB's precomputed ζ for θ = 0.99)
/// and hashes it (FNV-64) onto the record space, so the popular records are spread over the key space instead of
/// clustered at the start, and the popularity does not depend on the record count.
/// </summary>
public sealed class ScrambledZipfianGenerator : IKeyGenerator
{
    /// <summary>YCSB's ITEM_COUNT and its ζ(ITEM_COUNT, 0.99), so the long sum is never computed.</summary>
    public const long ItemCount = 10_000_000_000L;

    public const double ZetaOfItemCount = 26.46902820178302;

    // Redraws while the hashed rank lands on a record not inserted yet; bounded, then folded in by modulo.
    private const int RedrawLimit = 16;

    private readonly ZipfianGenerator _ranks = new(ItemCount, ZipfianGenerator.YcsbTheta, ZetaOfItemCount);
    private readonly long _keySpace;

    /// <param name="keySpace">Records the key space spans, including those inserts will add during the run.</param>
    public ScrambledZipfianGenerator(long keySpace)
    {
        Invariant.Check(keySpace >= 1, "key space must hold at least one record");
        _keySpace = keySpace;
    }

    public long Next(ref DeterministicRandom random, long recordCount)
    {
        long record = 0;
        for (int attempt = 0; attempt < RedrawLimit; attempt++)
        {
            record = Fnv64.Hash(_ranks.Next(ref random)) % _keySpace;
            if (record < recordCount)
            {
                return record;
            }
        }

        return record % recordCount;
    }
}
