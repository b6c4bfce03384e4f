using System.Globalization;
using Lattice.Common;
using Lattice.Testing.History;

namespace Lattice.Testing.Checkers;

/// <summary>
/// Checks that a list's order respects real time: if append A was acknowledged before append B
/// began, then wherever B appears A must appear earlier. Checked on the longest read only; the
/// other reads are its prefixes, or are reported as order conflicts already.
/// </summary>
internal static class ListRealTimeOrder
{
    public static void Check(string key, ListRead list, ListAppends appends, AnomalyCollector anomalies)
    {
        var positionOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < list.Elements.Count; i++)
        {
            positionOf.TryAdd(list.Elements[i], i);
        }

        HistoryOperation[] acknowledged = appends.AcknowledgedByCompletion;
        long[] completeTimes = acknowledged.Select(append => append.CompleteTime).ToArray();
        // latestPosition[k]: the greatest list position among the first k acknowledged appends, absent counting as beyond the end.
        var latestPosition = new int[acknowledged.Length + 1];
        latestPosition[0] = -1;
        for (int k = 0; k < acknowledged.Length; k++)
        {
            int position = positionOf.TryGetValue(acknowledged[k].Value!, out int found) ? found : int.MaxValue;
            latestPosition[k + 1] = Math.Max(latestPosition[k], position);
        }

        for (int j = 0; j < list.Elements.Count; j++)
        {
            HistoryOperation? append = appends.Attempted(list.Elements[j]);
            if (append is null || positionOf[list.Elements[j]] != j)
            {
                continue; // phantoms and duplicates are reported elsewhere
            }

            int before = SortedTimes.CountBelow(completeTimes, append.InvokeTime);
            if (latestPosition[before] > j)
            {
                Report(key, list, append, acknowledged.AsSpan(0, before), positionOf, j, anomalies);
            }
        }
    }

    private static void Report(
        string key, ListRead list, HistoryOperation later, ReadOnlySpan<HistoryOperation> earlier, Dictionary<string, int> positionOf, int laterPosition, AnomalyCollector anomalies)
    {
        foreach (HistoryOperation append in earlier)
        {
            int position = positionOf.TryGetValue(append.Value!, out int found) ? found : int.MaxValue;
            if (position > laterPosition)
            {
                string where = position == int.MaxValue ? "is missing from it" : string.Create(CultureInfo.InvariantCulture, $"comes after it, at position {position}");
                anomalies.Add(CheckerAnomalyKind.RealTimeOrderViolation, key, string.Create(CultureInfo.InvariantCulture,
                    $"read #{list.Operation.Id} has \"{later.Value}\" at position {laterPosition}, but {HistoryOperationText.Describe(append)}, acknowledged before {HistoryOperationText.Describe(later)} began, {where}"));
                return;
            }
        }

        Invariant.Fail("a real-time violation was detected, so a culprit exists");
    }
}
