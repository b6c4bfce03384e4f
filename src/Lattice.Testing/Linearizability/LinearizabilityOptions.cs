namespace Lattice.Testing.Linearizability;

/// <summary>Limits for the linearizability search, so a pathological history ends as Unknown instead of hanging.</summary>
public sealed class LinearizabilityOptions
{
    public static LinearizabilityOptions Default { get; } = new();

    /// <summary>Search steps (events visited) allowed per key before giving up as Unknown.</summary>
    public long MaxStatesExploredPerKey { get; init; } = 5_000_000;

    /// <summary>Memoized (linearized set, state) pairs kept per key; reaching it makes the key Unknown.</summary>
    public int MaxCacheEntriesPerKey { get; init; } = 1_000_000;

    /// <summary>Operations one key may have after Fail operations are dropped; more makes the key Unknown.</summary>
    public int MaxOperationsPerKey { get; init; } = 100_000;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxStatesExploredPerKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxCacheEntriesPerKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxOperationsPerKey);
    }
}
