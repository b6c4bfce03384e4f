using Lattice.Testing.Checkers;

namespace Lattice.Testing.Chaos;

/// <summary>One workload's checked result: valid, invalid (with the anomalies), or unknown (not enough to decide).</summary>
public sealed record ChaosVerdict(string Workload, bool IsValid, bool IsUnknown, int AnomalyCount, string Text)
{
    public static ChaosVerdict From(string workload, CheckerResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ChaosVerdict(workload, result.IsValid, result.IsUnknown, result.AnomalyCount, result.Describe());
    }
}
