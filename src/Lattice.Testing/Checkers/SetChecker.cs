using System.Globalization;
using Lattice.Common;
using Lattice.Testing.History;

namespace Lattice.Testing.Checkers;

/// <summary>
/// Checks a grow-only set per key against its final read (the Ok read that completed last):
/// an acknowledged add completed before that read began must be in it (else lost); an element in
/// it must come from an add that was attempted (Ok or Info) and invoked before the read ended
/// (else unexpected); no element may appear twice. Info adds may be present or absent, and adds
/// concurrent with the final read may be missing.
/// </summary>
public static class SetChecker
{
    public const string Name = "set";

    /// <summary>History of <see cref="OperationKind.Add"/> operations and reads whose value is <see cref="HistoryValues.EncodeElements"/>.</summary>
    public static CheckerResult Check(IReadOnlyList<HistoryOperation> history, CheckerOptions? options = null)
    {
        options ??= CheckerOptions.Default;
        options.Validate();
        var anomalies = new AnomalyCollector(Name, options);
        var tally = new SetTally();
        List<(string Key, List<HistoryOperation> Operations)> keys = CheckerHistory.PartitionByKey(history, OperationKind.Add, Name);
        foreach ((string key, List<HistoryOperation> operations) in keys)
        {
            CheckKey(key, operations, anomalies, tally);
        }

        string summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{keys.Count} keys; {tally.OkAdds} acknowledged adds, {tally.InfoAdds} indeterminate ({tally.InfoPresent} of them present); " +
            $"{tally.ConcurrentAbsent} acknowledged adds concurrent with the final read and absent from it; {anomalies.Count} anomalies");
        return anomalies.ToResult(summary);
    }

    private static void CheckKey(string key, List<HistoryOperation> operations, AnomalyCollector anomalies, SetTally tally)
    {
        Dictionary<string, SetElementAttempts> attempts = CollectAttempts(operations, tally);
        HistoryOperation? finalRead = operations.Where(CheckerHistory.IsOkRead).MaxBy(operation => operation.CompleteTime);
        if (finalRead is null)
        {
            if (attempts.Count > 0)
            {
                anomalies.Add(CheckerAnomalyKind.NoFinalRead, key, "adds were attempted but no read succeeded");
            }

            return;
        }

        HashSet<string> present = CheckReadElements(key, finalRead, attempts, anomalies);
        foreach ((string element, SetElementAttempts attempt) in attempts)
        {
            if (present.Contains(element))
            {
                tally.InfoPresent += attempt.FirstOkCompleteTime == long.MaxValue && attempt.Attempted ? 1 : 0;
                continue;
            }

            if (attempt.FirstOkCompleteTime < finalRead.InvokeTime)
            {
                anomalies.Add(CheckerAnomalyKind.LostElement, key, string.Create(
                    CultureInfo.InvariantCulture,
                    $"\"{element}\" was acknowledged at {attempt.FirstOkCompleteTime} but is missing from the final read {HistoryOperationText.Describe(finalRead)}"));
            }
            else if (attempt.FirstOkCompleteTime != long.MaxValue)
            {
                tally.ConcurrentAbsent++;
            }
        }
    }

    private static HashSet<string> CheckReadElements(
        string key, HistoryOperation finalRead, Dictionary<string, SetElementAttempts> attempts, AnomalyCollector anomalies)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (string element in HistoryValues.DecodeElements(finalRead.Value))
        {
            if (!present.Add(element))
            {
                anomalies.Add(CheckerAnomalyKind.DuplicateElement, key, $"\"{element}\" appears more than once in the final read #{finalRead.Id}");
                continue;
            }

            if (!attempts.TryGetValue(element, out SetElementAttempts? attempt) || !attempt.Attempted)
            {
                string why = attempt is null ? "was never added" : "was added only by operations that failed";
                anomalies.Add(CheckerAnomalyKind.UnexpectedElement, key, $"\"{element}\" is in the final read #{finalRead.Id} but {why}");
            }
            else if (attempt.FirstInvokeTime > finalRead.CompleteTime)
            {
                anomalies.Add(CheckerAnomalyKind.UnexpectedElement, key, string.Create(
                    CultureInfo.InvariantCulture,
                    $"\"{element}\" is in the final read #{finalRead.Id}, which ended at {finalRead.CompleteTime}, but was first added at {attempt.FirstInvokeTime}"));
            }
        }

        return present;
    }

    private static Dictionary<string, SetElementAttempts> CollectAttempts(List<HistoryOperation> operations, SetTally tally)
    {
        var attempts = new Dictionary<string, SetElementAttempts>(StringComparer.Ordinal);
        foreach (HistoryOperation add in operations.Where(operation => operation.Kind == OperationKind.Add))
        {
            if (add.Value is null)
            {
                throw new ArgumentException($"an add needs an element: {HistoryOperationText.Describe(add)}", nameof(operations));
            }

            if (!attempts.TryGetValue(add.Value, out SetElementAttempts? attempt))
            {
                attempt = new SetElementAttempts();
                attempts.Add(add.Value, attempt);
            }

            attempt.Note(add);
            tally.OkAdds += add.Outcome == OperationOutcome.Ok ? 1 : 0;
            tally.InfoAdds += add.Outcome == OperationOutcome.Info ? 1 : 0;
        }

        Invariant.Check(attempts.Count <= operations.Count, "one attempt record per element");
        return attempts;
    }
}
