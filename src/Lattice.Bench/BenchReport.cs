using System.Globalization;
using Lattice.Bench.Workloads;

namespace Lattice.Bench;

/// <summary>The plain-text summary of one run; its last line is <c>throughput: X ops/s, p50: … ms, p99: … ms, p99.9: … ms</c>.</summary>
public static class BenchReport
{
    public static void Write(TextWriter output, BenchResult result)
    {
        output.WriteLine(Invariant($"target: {result.Target}, workload: {result.Workload} ({Distribution(result.Distribution)}), clients: {result.Clients}, pipeline: {result.PipelineDepth}, records: {result.RecordCount}, value: {result.ValueSizeBytes} B, {(result.TargetOpsPerSecond > 0 ? Invariant($"open loop at {result.TargetOpsPerSecond:F0} ops/s") : "closed loop")}"));
        output.WriteLine(Invariant($"operations: {result.Operations} in {result.ElapsedSeconds:F2} s, not found: {result.NotFound}, conflicts: {result.Conflicts}, errors: {result.Errors}"));
        for (int k = 0; k < result.LatencyByKind.Count; k++)
        {
            LatencySummary? kind = result.LatencyByKind[k];
            if (kind is not null)
            {
                output.WriteLine(Invariant($"  {OperationKinds.Name((OperationKind)k),-18} {kind.Count,10} ops  p50 {Ms(kind.P50Ns)} ms  p90 {Ms(kind.P90Ns)} ms  p99 {Ms(kind.P99Ns)} ms  p99.9 {Ms(kind.P999Ns)} ms  max {Ms(kind.MaxNs)} ms"));
            }
        }

        LatencySummary all = result.Latency;
        output.WriteLine(Invariant($"latency: mean {Ms((long)all.MeanNs)} ms, p90: {Ms(all.P90Ns)} ms, max: {Ms(all.MaxNs)} ms"));
        output.WriteLine(FinalLine(result));
    }

    public static string FinalLine(BenchResult result) =>
        Invariant($"throughput: {result.OpsPerSecond:F0} ops/s, p50: {Ms(result.Latency.P50Ns)} ms, p99: {Ms(result.Latency.P99Ns)} ms, p99.9: {Ms(result.Latency.P999Ns)} ms");

    public static string Ms(long nanoseconds) => (nanoseconds / 1e6).ToString("F3", CultureInfo.InvariantCulture);

    public static string Distribution(KeyDistribution distribution) => distribution switch
    {
        KeyDistribution.Zipfian => "zipfian",
        KeyDistribution.Uniform => "uniform",
        _ => "latest",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
