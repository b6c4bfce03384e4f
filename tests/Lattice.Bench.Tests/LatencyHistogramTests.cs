using Lattice.Common;

namespace Lattice.Bench.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_are_within_the_error_bound_of_the_exact_ones()
    {
        var random = new DeterministicRandom(11);
        var histogram = new LatencyHistogram();
        var values = new long[200_000];
        for (int i = 0; i < values.Length; i++)
        {
            // Log-uniform from 1 µs to 10 s, like real latencies spanning many magnitudes.
            values[i] = (long)Math.Pow(10, 3 + (7 * random.NextDouble()));
            histogram.Record(values[i]);
        }

        Array.Sort(values);
        foreach (double percentile in new[] { 0.1, 50, 90, 99, 99.9, 99.99, 100 })
        {
            long exact = values[Math.Max(0, (int)Math.Ceiling(percentile / 100 * values.Length) - 1)];
            long reported = histogram.ValueAtPercentile(percentile);
            Assert.True(reported >= exact, $"p{percentile}: {reported} below exact {exact}");
            Assert.True(reported <= exact * (1 + LatencyHistogram.RelativeErrorBound), $"p{percentile}: {reported} too far above exact {exact}");
        }

        Assert.Equal(values[^1], histogram.Max);
        Assert.Equal(values.Length, histogram.Count);
    }

    [Fact]
    public void Small_values_are_exact()
    {
        var histogram = new LatencyHistogram();
        for (long v = 1; v <= 100; v++)
        {
            histogram.Record(v);
        }

        Assert.Equal(50, histogram.ValueAtPercentile(50));
        Assert.Equal(99, histogram.ValueAtPercentile(99));
        Assert.Equal(100, histogram.ValueAtPercentile(100));
    }

    [Fact]
    public void Bucket_bounds_contain_their_values()
    {
        var random = new DeterministicRandom(2);
        for (int i = 0; i < 100_000; i++)
        {
            long value = (long)(random.NextUInt64() >> (24 + random.NextInt(39)));
            int index = LatencyHistogram.IndexOf(value);
            Assert.True(LatencyHistogram.HighestValueOf(index) >= value);
            Assert.True(index == 0 || LatencyHistogram.HighestValueOf(index - 1) < value);
        }
    }

    [Fact]
    public void Recording_does_not_allocate()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long i = 0; i < 1_000_000; i++)
        {
            histogram.Record(i * 997);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Merged_histograms_equal_one_that_saw_everything()
    {
        var all = new LatencyHistogram();
        var left = new LatencyHistogram();
        var right = new LatencyHistogram();
        for (long v = 1; v < 50_000; v += 7)
        {
            all.Record(v * 31);
            (v % 2 == 0 ? left : right).Record(v * 31);
        }

        left.Add(right);
        Assert.Equal(all.Count, left.Count);
        Assert.Equal(all.ValueAtPercentile(99), left.ValueAtPercentile(99));
        Assert.Equal(all.Max, left.Max);
        Assert.Equal(all.Min, left.Min);
    }
}
