namespace Lattice.Testing.Linearizability;

/// <summary>
/// The verdict of a linearizability check. <see cref="IsUnknown"/> means the search budget ran out
/// before a verdict; then <see cref="IsLinearizable"/> is false but nothing was proven wrong.
/// </summary>
public sealed record LinearizabilityResult(bool IsLinearizable, bool IsUnknown, string? FailingKey, string Explanation)
{
    public int KeysChecked { get; init; }

    /// <summary>Search steps over all keys, to see how close a history came to the budget.</summary>
    public long StepsTaken { get; init; }
}
