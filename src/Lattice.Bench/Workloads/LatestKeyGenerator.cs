using Lattice.Common;

namespace Lattice.Bench.Workloads;

/// <summary>
/// YCSB's SkewedLatestGenerator: a zipfian rank counted back from the newest record, so the latest inserts are the
/// hottest (workload D). The zipfian's item count follows the record count as inserts land.
/// </summary>
public sealed class LatestKeyGenerator : IKeyGenerator
{
    private readonly ZipfianGenerator _ranks;

    /// <param name="zetaOfRecordCount">ζ(recordCount, 0.99) computed once and shared, so each client does not redo the O(n) sum.</param>
    public LatestKeyGenerator(long recordCount, double zetaOfRecordCount)
    {
        _ranks = new ZipfianGenerator(recordCount, ZipfianGenerator.YcsbTheta, zetaOfRecordCount);
    }

    public long Next(ref DeterministicRandom random, long recordCount)
    {
        long newest = recordCount - 1;
        long record = newest - _ranks.Next(ref random, Math.Max(recordCount, _ranks.ItemCount));
        return Math.Max(record, 0);
    }
}
