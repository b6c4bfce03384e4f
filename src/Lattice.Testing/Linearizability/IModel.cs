using Lattice.Testing.History;

namespace Lattice.Testing.Linearizability;

/// <summary>
/// A sequential specification of one object (one key). The checker searches for an order of the
/// history's operations that this model accepts, so a new data type needs only a new model.
/// States are compared and hashed for memoization, so they must be immutable values.
/// </summary>
public interface IModel<TState>
{
    TState InitialState { get; }

    IEqualityComparer<TState> StateComparer { get; }

    bool Supports(OperationKind kind);

    /// <summary>
    /// Given one key's operations (Fail operations already dropped), returns those the search must
    /// place. A model may leave out operations that provably cannot change the verdict, such as an
    /// Info read; each one left out shrinks an exponential search.
    /// </summary>
    IReadOnlyList<HistoryOperation> SelectOperationsToPlace(IReadOnlyList<HistoryOperation> keyOperations);

    /// <summary>
    /// True if the operation never changes any state (a read). The search then places it as soon as
    /// the model accepts it, without trying alternatives: moving such an operation earlier, to a
    /// point where it is allowed to go and sees the same state, keeps any valid order valid.
    /// </summary>
    bool IsReadOnly(HistoryOperation operation);

    /// <summary>Applies <paramref name="operation"/> at this point of a sequential order: Ok false means it cannot happen here.</summary>
    (bool Ok, TState NewState) Step(TState state, HistoryOperation operation);

    string DescribeState(TState state);
}
