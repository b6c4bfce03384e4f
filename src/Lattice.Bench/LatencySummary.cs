namespace Lattice.Bench;

/// <summary>Percentiles of one latency histogram, in nanoseconds.</summary>
public sealed record LatencySummary(long Count, double MeanNs, long P50Ns, long P90Ns, long P99Ns, long P999Ns, long MaxNs)
{
    public static LatencySummary Of(LatencyHistogram histogram) => new(
        histogram.Count,
        histogram.Mean,
        histogram.ValueAtPercentile(50),
        histogram.ValueAtPercentile(90),
        histogram.ValueAtPercentile(99),
        histogram.ValueAtPercentile(99.9),
        histogram.Max);
}
