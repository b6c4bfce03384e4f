namespace Lattice.Testing.History;

/// <summary>
/// One line of a history file: an invoke, a completion, or a whole operation. Fields a line type
/// does not use are left at their defaults.
/// </summary>
internal sealed record HistoryEvent(
    HistoryEventType Type,
    long Id,
    int Process,
    OperationKind Kind,
    string Key,
    string? Value,
    string? Expected,
    long Time,
    long CompleteTime,
    OperationOutcome Outcome);
