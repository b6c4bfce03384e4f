namespace Lattice.Server.Tests;

/// <summary>What was read back after the restart: string values (null = missing), lists, and every key present.</summary>
public sealed class StoreObservation
{
    public Dictionary<string, string?> Strings { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IReadOnlyList<string>> Lists { get; } = new(StringComparer.Ordinal);

    public HashSet<string> AllKeys { get; } = new(StringComparer.Ordinal);
}
