using Lattice.Common;
using Lattice.Testing.History;

namespace Lattice.Testing.Checkers;

/// <summary>One key's appends indexed by element, and the acknowledged ones in completion order.</summary>
internal sealed class ListAppends
{
    private readonly Dictionary<string, HistoryOperation> _attemptedByElement = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failedElements = new(StringComparer.Ordinal);

    public ListAppends(string key, List<HistoryOperation> operations)
    {
        foreach (HistoryOperation append in operations.Where(operation => operation.Kind == OperationKind.Append))
        {
            if (append.Value is null)
            {
                throw new ArgumentException($"an append needs an element: {HistoryOperationText.Describe(append)}", nameof(operations));
            }

            if (append.Outcome == OperationOutcome.Fail)
            {
                _failedElements.Add(append.Value);
            }
            else if (!_attemptedByElement.TryAdd(append.Value, append))
            {
                // Order is only recoverable from reads when every element is unique.
                throw new ArgumentException($"list-append needs unique elements on \"{key}\"; \"{append.Value}\" is appended twice", nameof(operations));
            }
        }

        AcknowledgedByCompletion = _attemptedByElement.Values
            .Where(append => append.Outcome == OperationOutcome.Ok)
            .OrderBy(append => append.CompleteTime)
            .ToArray();
        Invariant.Check(AcknowledgedByCompletion.Length <= _attemptedByElement.Count, "acknowledged appends are attempted appends");
    }

    public int AttemptedCount => _attemptedByElement.Count;

    /// <summary>Ok appends sorted by completion time.</summary>
    public HistoryOperation[] AcknowledgedByCompletion { get; }

    /// <summary>The Ok or Info append of this element, or null.</summary>
    public HistoryOperation? Attempted(string element) => _attemptedByElement.GetValueOrDefault(element);

    public bool OnlyFailed(string element) => _failedElements.Contains(element) && !_attemptedByElement.ContainsKey(element);

    /// <summary>Ok appends that completed strictly before <paramref name="time"/>.</summary>
    public IEnumerable<HistoryOperation> AcknowledgedBefore(long time) =>
        AcknowledgedByCompletion.TakeWhile(append => append.CompleteTime < time);
}
