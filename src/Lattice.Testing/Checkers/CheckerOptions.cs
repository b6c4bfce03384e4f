namespace Lattice.Testing.Checkers;

/// <summary>Limits shared by the set, counter and list-append checkers.</summary>
public sealed class CheckerOptions
{
    public static CheckerOptions Default { get; } = new();

    /// <summary>Anomalies described in full; the rest are only counted, so a broken run gives a readable report.</summary>
    public int MaxAnomaliesListed { get; init; } = 20;

    public void Validate() => ArgumentOutOfRangeException.ThrowIfNegative(MaxAnomaliesListed);
}
