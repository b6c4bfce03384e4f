namespace Lattice.Bench;

/// <summary>What became of one operation.</summary>
public enum OperationOutcome
{
    Ok,

    /// <summary>A read or scan found nothing (a record whose insert had not landed yet); counted, not an error.</summary>
    NotFound,

    /// <summary>A read-modify-write lost every compare-and-set retry to concurrent writers.</summary>
    Conflict,

    /// <summary>The store answered with an error.</summary>
    Error,
}
