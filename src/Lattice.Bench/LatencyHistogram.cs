using System.Numerics;
using Lattice.Common;

namespace Lattice.Bench;

/// <summary>
/// Log-linear latency histogram in the HDR style: values below 2^<see cref="PrecisionBits"/> ns get a bucket each;
/// above that every power of two is split into 2^(PrecisionBits-1) equal buckets, so a reported value is never more
/// than <see cref="RelativeErrorBound"/> above the true one. Counts live in one array allocated up front:
/// <see cref="Record"/> is a shift, an add and a compare, with no allocation.
/// </summary>
public sealed class LatencyHistogram
{
    public const int PrecisionBits = 10;

    /// <summary>Largest value with its own bucket (2^40 ns, about 18 minutes); larger ones share the top bucket.</summary>
    public const long HighestTrackableNanoseconds = 1L << 40;

    private const int SubBucketCount = 1 << PrecisionBits;
    private const int HalfSubBucketCount = SubBucketCount / 2;
    private const int HighestExponent = 40 - (PrecisionBits - 1);

    private readonly long[] _counts = new long[SubBucketCount + (HighestExponent * HalfSubBucketCount)];
    private long _min = long.MaxValue;
    private long _max;
    private double _sum;

    /// <summary>How far above the true value a percentile may be, as a fraction of it: 2 / 2^PrecisionBits.</summary>
    public static double RelativeErrorBound => 2.0 / SubBucketCount;

    public long Count { get; private set; }

    public long Max => _max;

    public long Min => Count == 0 ? 0 : _min;

    public double Mean => Count == 0 ? 0 : _sum / Count;

    public void Record(long nanoseconds)
    {
        long value = Math.Clamp(nanoseconds, 0, HighestTrackableNanoseconds - 1);
        _counts[IndexOf(value)]++;
        Count++;
        _sum += value;
        if (value > _max)
        {
            _max = value;
        }

        if (value < _min)
        {
            _min = value;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _sum += other._sum;
        _max = Math.Max(_max, other._max);
        _min = Math.Min(_min, other._min);
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
        _sum = 0;
        _max = 0;
        _min = long.MaxValue;
    }

    /// <summary>
    /// The value at percentile <paramref name="percentile"/> (0..100): the sample of rank ceil(p/100 · count) in
    /// sorted order, reported as the top of its bucket (capped at the recorded maximum), so it is never below the
    /// exact value and at most <see cref="RelativeErrorBound"/> above it.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        Invariant.Check(percentile is >= 0 and <= 100, "percentile must be in [0, 100]");
        if (Count == 0)
        {
            return 0;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(HighestValueOf(i), _max);
            }
        }

        return _max;
    }

    internal static int IndexOf(long value)
    {
        if (value < SubBucketCount)
        {
            return (int)value;
        }

        int highestBit = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int exponent = highestBit - (PrecisionBits - 1);
        long mantissa = value >> exponent;
        return SubBucketCount + ((exponent - 1) * HalfSubBucketCount) + (int)(mantissa - HalfSubBucketCount);
    }

    internal static long HighestValueOf(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        int offset = index - SubBucketCount;
        int exponent = (offset / HalfSubBucketCount) + 1;
        long mantissa = HalfSubBucketCount + (offset % HalfSubBucketCount);
        return ((mantissa + 1) << exponent) - 1;
    }
}
