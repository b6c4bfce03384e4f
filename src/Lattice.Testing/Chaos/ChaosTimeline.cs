using System.Diagnostics;
using Lattice.Testing.History;

namespace Lattice.Testing.Chaos;

/// <summary>Per-second figures of a run for the plot: completed operations and their latency quantiles.</summary>
public sealed class ChaosTimeline
{
    private ChaosTimeline(double[] okPerSecond, double[] failPerSecond, double[] p50Ms, double[] p99Ms)
    {
        OkPerSecond = okPerSecond;
        FailPerSecond = failPerSecond;
        MedianLatencyMs = p50Ms;
        P99LatencyMs = p99Ms;
    }

    public IReadOnlyList<double> OkPerSecond { get; }

    public IReadOnlyList<double> FailPerSecond { get; }

    /// <summary>NaN for a second in which nothing completed.</summary>
    public IReadOnlyList<double> MedianLatencyMs { get; }

    public IReadOnlyList<double> P99LatencyMs { get; }

    public int Seconds => OkPerSecond.Count;

    /// <param name="startTimestamp">The run's start on the histories' clock (Stopwatch timestamps).</param>
    public static ChaosTimeline From(IEnumerable<IReadOnlyList<HistoryOperation>> histories, long startTimestamp, double durationMs)
    {
        ArgumentNullException.ThrowIfNull(histories);
        int seconds = Math.Max(1, (int)Math.Ceiling(durationMs / 1000));
        double[] ok = new double[seconds];
        double[] failed = new double[seconds];
        var latencies = new List<double>[seconds];
        for (int i = 0; i < seconds; i++)
        {
            latencies[i] = [];
        }

        foreach (IReadOnlyList<HistoryOperation> history in histories)
        {
            foreach (HistoryOperation operation in history)
            {
                if (operation.Outcome == OperationOutcome.Info)
                {
                    continue;
                }

                int second = (int)(ToMs(operation.CompleteTime - startTimestamp) / 1000);
                if (second < 0 || second >= seconds)
                {
                    continue;
                }

                if (operation.Outcome == OperationOutcome.Ok)
                {
                    ok[second]++;
                    latencies[second].Add(ToMs(operation.CompleteTime - operation.InvokeTime));
                }
                else
                {
                    failed[second]++;
                }
            }
        }

        double[] p50 = new double[seconds];
        double[] p99 = new double[seconds];
        for (int i = 0; i < seconds; i++)
        {
            List<double> sample = latencies[i];
            sample.Sort();
            p50[i] = Quantile(sample, 0.5);
            p99[i] = Quantile(sample, 0.99);
        }

        return new ChaosTimeline(ok, failed, p50, p99);
    }

    public static double ToMs(long timestampTicks) => timestampTicks * 1000.0 / Stopwatch.Frequency;

    private static double Quantile(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
