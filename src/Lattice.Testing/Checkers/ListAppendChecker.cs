using System.Globalization;
using Lattice.Testing.History;

namespace Lattice.Testing.Checkers;

/// <summary>
/// Checks append-only lists per key, in the spirit of Elle's list-append workload: appends of
/// unique elements and reads of the whole list. Because each element is unique and lists only
/// grow, reads reveal the order of appends directly. Every pair of reads must agree (one is a
/// prefix of the other); no read may lose an append acknowledged before it began, repeat an
/// element, or hold one nobody could have appended by then; and the list order must respect real
/// time: an append acknowledged before another began must come before it.
/// </summary>
public static class ListAppendChecker
{
    public const string Name = "list-append";

    /// <summary>History of <see cref="OperationKind.Append"/> (Value = unique element) and reads (Value = <see cref="HistoryValues.EncodeElements"/>).</summary>
    public static CheckerResult Check(IReadOnlyList<HistoryOperation> history, CheckerOptions? options = null)
    {
        options ??= CheckerOptions.Default;
        options.Validate();
        var anomalies = new AnomalyCollector(Name, options);
        List<(string Key, List<HistoryOperation> Operations)> keys = CheckerHistory.PartitionByKey(history, OperationKind.Append, Name);
        int readsChecked = 0;
        int longest = 0;
        foreach ((string key, List<HistoryOperation> operations) in keys)
        {
            var appends = new ListAppends(key, operations);
            var reads = operations.Where(CheckerHistory.IsOkRead).Select(read => new ListRead(read, HistoryValues.DecodeElements(read.Value))).ToList();
            if (reads.Count == 0)
            {
                if (appends.AttemptedCount > 0)
                {
                    anomalies.Add(CheckerAnomalyKind.NoFinalRead, key, "appends were attempted but no read succeeded");
                }

                continue;
            }

            readsChecked += reads.Count;
            foreach (ListRead read in reads)
            {
                CheckElements(key, read, appends, anomalies);
                CheckNothingLost(key, read, appends, anomalies);
            }

            ListRead reference = reads.MaxBy(read => read.Elements.Count)!;
            longest = Math.Max(longest, reference.Elements.Count);
            CheckOrderAgreement(key, reads, reference, anomalies);
            ListRealTimeOrder.Check(key, reference, appends, anomalies);
        }

        string summary = string.Create(CultureInfo.InvariantCulture, $"{keys.Count} keys, {readsChecked} reads checked, longest list {longest}; {anomalies.Count} anomalies");
        return anomalies.ToResult(summary);
    }

    private static void CheckElements(string key, ListRead read, ListAppends appends, AnomalyCollector anomalies)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string element in read.Elements)
        {
            if (!seen.Add(element))
            {
                anomalies.Add(CheckerAnomalyKind.DuplicateElement, key, $"\"{element}\" appears more than once in read #{read.Operation.Id}");
                continue;
            }

            HistoryOperation? append = appends.Attempted(element);
            if (append is null)
            {
                string why = appends.OnlyFailed(element) ? "was appended only by operations that failed" : "was never appended";
                anomalies.Add(CheckerAnomalyKind.UnexpectedElement, key, $"\"{element}\" is in read #{read.Operation.Id} but {why}");
            }
            else if (append.InvokeTime > read.Operation.CompleteTime)
            {
                anomalies.Add(CheckerAnomalyKind.UnexpectedElement, key,
                    $"\"{element}\" is in {HistoryOperationText.Describe(read.Operation)} but its append began later: {HistoryOperationText.Describe(append)}");
            }
        }
    }

    private static void CheckNothingLost(string key, ListRead read, ListAppends appends, AnomalyCollector anomalies)
    {
        HashSet<string>? present = null;
        foreach (HistoryOperation append in appends.AcknowledgedBefore(read.Operation.InvokeTime))
        {
            present ??= new HashSet<string>(read.Elements, StringComparer.Ordinal);
            if (!present.Contains(append.Value!))
            {
                anomalies.Add(CheckerAnomalyKind.LostElement, key,
                    $"{HistoryOperationText.Describe(read.Operation)} misses an append acknowledged before it began: {HistoryOperationText.Describe(append)}");
            }
        }
    }

    /// <summary>All reads agree exactly when each is a prefix of the longest one.</summary>
    private static void CheckOrderAgreement(string key, List<ListRead> reads, ListRead reference, AnomalyCollector anomalies)
    {
        foreach (ListRead read in reads)
        {
            for (int i = 0; i < read.Elements.Count; i++)
            {
                if (!string.Equals(read.Elements[i], reference.Elements[i], StringComparison.Ordinal))
                {
                    anomalies.Add(CheckerAnomalyKind.IncompatibleOrder, key, string.Create(CultureInfo.InvariantCulture,
                        $"reads #{read.Operation.Id} and #{reference.Operation.Id} disagree at position {i}: \"{read.Elements[i]}\" versus \"{reference.Elements[i]}\", so neither is a prefix of the other"));
                    break;
                }
            }
        }
    }
}
