using System.Globalization;
using System.Text;

namespace Lattice.Testing.Checkers;

/// <summary>
/// A checker's verdict. <see cref="Anomalies"/> lists at most the configured number;
/// <see cref="AnomalyCount"/> counts them all, and <see cref="CountByKind"/> counts each kind.
/// <see cref="IsUnknown"/> means there was not enough to check (no final read), without a violation.
/// </summary>
public sealed record CheckerResult(
    string CheckerName,
    bool IsValid,
    bool IsUnknown,
    IReadOnlyList<CheckerAnomaly> Anomalies,
    int AnomalyCount,
    IReadOnlyDictionary<CheckerAnomalyKind, int> CountByKind,
    string Summary)
{
    public int AnomaliesNotListed => AnomalyCount - Anomalies.Count;

    public int CountOf(CheckerAnomalyKind kind) => CountByKind.TryGetValue(kind, out int count) ? count : 0;

    /// <summary>The verdict, the summary and the listed anomalies, one per line.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        string verdict = IsValid ? "valid" : (IsUnknown ? "unknown" : "INVALID");
        text.AppendLine(CultureInfo.InvariantCulture, $"{CheckerName}: {verdict}. {Summary}");
        foreach (CheckerAnomaly anomaly in Anomalies)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  - {anomaly}");
        }

        if (AnomaliesNotListed > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  ... and {AnomaliesNotListed} more anomalies.");
        }

        return text.ToString().TrimEnd();
    }
}
