using Lattice.Common;

namespace Lattice.Bench.Workloads;

/// <summary>
/// YCSB's ZipfianGenerator (Gray et al., "Quickly Generating Billion-Record Synthetic Databases"): rank 0 is the
/// most popular, P(rank i) ∝ 1/(i+1)^θ. Ranks 0 and 1 are drawn exactly; larger ranks by Gray's closed-form
/// approximation. When the item count grows (inserts), ζ(n) is extended incrementally rather than recomputed.
/// </summary>
public sealed class ZipfianGenerator
{
    public const double YcsbTheta = 0.99;

    private readonly double _theta;
    private readonly double _alpha;
    private readonly double _zeta2Theta;
    private readonly double _halfPowTheta;
    private long _countForZeta;
    private double _zetaN;
    private double _eta;

    public ZipfianGenerator(long itemCount, double theta = YcsbTheta, double? zetaN = null)
    {
        Invariant.Check(itemCount >= 1, "zipfian needs at least one item");
        Invariant.Check(theta is > 0 and < 1, "zipfian theta must be in (0, 1)");
        _theta = theta;
        _alpha = 1.0 / (1.0 - theta);
        _zeta2Theta = Zeta(2, theta);
        _halfPowTheta = Math.Pow(0.5, theta);
        _countForZeta = itemCount;
        _zetaN = zetaN ?? Zeta(itemCount, theta);
        _eta = Eta(itemCount);
    }

    public long ItemCount => _countForZeta;

    /// <summary>ζ(n, θ) = Σ_{i=1..n} 1/i^θ, the normalising constant.</summary>
    public static double Zeta(long n, double theta) => ExtendZeta(0, n, theta, 0);

    /// <summary>A rank in [0, itemCount) using the generator's current item count.</summary>
    public long Next(ref DeterministicRandom random) => Next(ref random, _countForZeta);

    /// <summary>A rank in [0, itemCount); a larger count than before extends ζ first (YCSB does the same for inserts).</summary>
    public long Next(ref DeterministicRandom random, long itemCount)
    {
        if (itemCount > _countForZeta)
        {
            _zetaN = ExtendZeta(_countForZeta, itemCount, _theta, _zetaN);
            _countForZeta = itemCount;
            _eta = Eta(itemCount);
        }

        double u = random.NextDouble();
        double uz = u * _zetaN;
        if (uz < 1.0)
        {
            return 0;
        }

        if (uz < 1.0 + _halfPowTheta)
        {
            return 1;
        }

        long rank = (long)(itemCount * Math.Pow((_eta * u) - _eta + 1, _alpha));
        return Math.Min(rank, itemCount - 1);
    }

    private double Eta(long itemCount) =>
        (1 - Math.Pow(2.0 / itemCount, 1 - _theta)) / (1 - (_zeta2Theta / _zetaN));

    private static double ExtendZeta(long from, long to, double theta, double sum)
    {
        for (long i = from; i < to; i++)
        {
            sum += 1 / Math.Pow(i + 1, theta);
        }

        return sum;
    }
}
