namespace Lattice.Testing.Checkers;

/// <summary>What went wrong, so tests and reports can count anomalies by kind.</summary>
public enum CheckerAnomalyKind
{
    /// <summary>An acknowledged add or append is missing from a read that began after it completed.</summary>
    LostElement,

    /// <summary>A read holds an element that no attempted operation could have put there by then.</summary>
    UnexpectedElement,

    /// <summary>A read holds the same element more than once.</summary>
    DuplicateElement,

    /// <summary>A counter read is below the least value the increments allow.</summary>
    ReadBelowBound,

    /// <summary>A counter read is above the greatest value the increments allow.</summary>
    ReadAboveBound,

    /// <summary>Two list reads disagree on order: neither is a prefix of the other.</summary>
    IncompatibleOrder,

    /// <summary>A list puts an element before one whose append was acknowledged before it began, or holds it without that one.</summary>
    RealTimeOrderViolation,

    /// <summary>A key with writes has no successful read, so nothing could be checked.</summary>
    NoFinalRead,
}
