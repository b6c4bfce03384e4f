using Lattice.Testing.History;

namespace Lattice.Testing.Linearizability;

/// <summary>
/// A read/write/compare-and-set register whose state is its value; null means absent, which is
/// also the initial state.
/// </summary>
public sealed class RegisterModel : IModel<string?>
{
    // Stands for "this operation observes nothing" while collecting observed values.
    private static readonly string AbsentMarker = new('\0', 1);

    public static RegisterModel Instance { get; } = new();

    public string? InitialState => null;

    public IEqualityComparer<string?> StateComparer => StringComparer.Ordinal;

    public bool Supports(OperationKind kind) =>
        kind is OperationKind.Read or OperationKind.Write or OperationKind.CompareAndSet;

    /// <summary>
    /// Leaves out Info reads (nothing known was returned, and reads change nothing) and Info writes
    /// and CASes whose new value nobody observed. An indeterminate operation may stay unplaced
    /// forever, so each kept one doubles the orders a failing search must rule out; and an
    /// unobserved one never helps: after it takes effect no read can return its value and no CAS can
    /// expect it, so only blind writes can follow until the next write, and those fit just as well
    /// without it.
    /// </summary>
    public IReadOnlyList<HistoryOperation> SelectOperationsToPlace(IReadOnlyList<HistoryOperation> keyOperations)
    {
        ArgumentNullException.ThrowIfNull(keyOperations);
        var observed = new HashSet<string>(StringComparer.Ordinal);
        bool absentObserved = false;
        foreach (HistoryOperation operation in keyOperations)
        {
            string? seen = operation.Kind switch
            {
                OperationKind.Read when operation.Outcome == OperationOutcome.Ok => operation.Value,
                OperationKind.CompareAndSet => operation.Expected,
                _ => AbsentMarker,
            };
            if (seen is null)
            {
                absentObserved = true;
            }
            else if (!ReferenceEquals(seen, AbsentMarker))
            {
                observed.Add(seen);
            }
        }

        return keyOperations.Where(operation => MustPlace(operation, observed, absentObserved)).ToList();
    }

    public bool IsReadOnly(HistoryOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.Kind == OperationKind.Read;
    }

    public (bool Ok, string? NewState) Step(string? state, HistoryOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.Kind switch
        {
            OperationKind.Read => (string.Equals(state, operation.Value, StringComparison.Ordinal), state),
            OperationKind.Write => (true, operation.Value),
            OperationKind.CompareAndSet => string.Equals(state, operation.Expected, StringComparison.Ordinal)
                ? (true, operation.Value)
                : (false, state),
            _ => (false, state),
        };
    }

    private static bool MustPlace(HistoryOperation operation, HashSet<string> observed, bool absentObserved)
    {
        if (operation.Outcome != OperationOutcome.Info)
        {
            return true;
        }

        return operation.Kind != OperationKind.Read
            && (operation.Value is null ? absentObserved : observed.Contains(operation.Value));
    }

    public string DescribeState(string? state) => HistoryOperationText.Quote(state);
}
