namespace Lattice.Testing.History;

/// <summary>
/// One client operation with its real-time interval. Times are from one monotonic source;
/// <see cref="CompleteTime"/> is <see cref="long.MaxValue"/> for <see cref="OperationOutcome.Info"/>
/// operations because they may take effect at any later time.
/// </summary>
/// <param name="Value">
/// Write: the value written. CompareAndSet: the new value. Read (Ok): the value read, null when absent;
/// for set and list reads, the whole result encoded by <see cref="HistoryValues"/>.
/// Increment: the delta as a decimal integer. Add/Append: the element.
/// </param>
/// <param name="Expected">CompareAndSet: the expected old value, null meaning absent.</param>
public sealed record HistoryOperation(
    long Id,
    int Process,
    OperationKind Kind,
    string Key,
    string? Value,
    string? Expected,
    long InvokeTime,
    long CompleteTime,
    OperationOutcome Outcome);
