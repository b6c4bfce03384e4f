namespace Lattice.Engine;

/// <summary>What the keyspace holds per key.</summary>
public struct KeyEntry
{
    /// <summary>A <c>byte[]</c> for strings (never mutated once stored), or a <see cref="CollectionValue"/>.</summary>
    public object Value;

    /// <summary>Unix time in ms at which the key expires; 0 means no expiry.</summary>
    public long ExpireAtMs;

    /// <summary>Log index of the last write that touched the key; WATCH compares it at EXEC.</summary>
    public long Version;
}
