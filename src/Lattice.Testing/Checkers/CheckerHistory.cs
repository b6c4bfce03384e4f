using Lattice.Testing.History;

namespace Lattice.Testing.Checkers;

/// <summary>Input handling shared by the checkers: validation and grouping by key.</summary>
internal static class CheckerHistory
{
    /// <summary>
    /// Groups operations by key in first-appearance order. Every operation must be a read or
    /// <paramref name="writeKind"/>; a history mixing in other kinds is a harness bug.
    /// </summary>
    public static List<(string Key, List<HistoryOperation> Operations)> PartitionByKey(
        IReadOnlyList<HistoryOperation> history, OperationKind writeKind, string checkerName)
    {
        ArgumentNullException.ThrowIfNull(history);
        var byKey = new Dictionary<string, List<HistoryOperation>>(StringComparer.Ordinal);
        var keys = new List<(string Key, List<HistoryOperation> Operations)>();
        foreach (HistoryOperation operation in history)
        {
            ArgumentNullException.ThrowIfNull(operation, nameof(history));
            if (operation.Kind != OperationKind.Read && operation.Kind != writeKind)
            {
                throw new ArgumentException(
                    $"{checkerName} takes only reads and {writeKind} operations: {HistoryOperationText.Describe(operation)}", nameof(history));
            }

            if (operation.Outcome != OperationOutcome.Info && operation.CompleteTime < operation.InvokeTime)
            {
                throw new ArgumentException($"operation completes before it is invoked: {HistoryOperationText.Describe(operation)}", nameof(history));
            }

            if (!byKey.TryGetValue(operation.Key, out List<HistoryOperation>? operations))
            {
                operations = [];
                byKey.Add(operation.Key, operations);
                keys.Add((operation.Key, operations));
            }

            operations.Add(operation);
        }

        return keys;
    }

    /// <summary>When an operation may have ended: never, for an Info operation.</summary>
    public static long EffectiveCompleteTime(HistoryOperation operation) =>
        operation.Outcome == OperationOutcome.Info ? long.MaxValue : operation.CompleteTime;

    public static bool IsOkRead(HistoryOperation operation) =>
        operation.Kind == OperationKind.Read && operation.Outcome == OperationOutcome.Ok;
}
