namespace Lattice.Engine;

/// <summary>
/// What the keyspace holds per key: 16 bytes. The expiry time lives in the database's table of expiring keys,
/// which only keys with a TTL pay for (as in Redis); a flag here says whether to look there.
/// </summary>
public struct KeyEntry
{
    private const long HasExpiryBit = long.MinValue;

    /// <summary>A <c>byte[]</c> for strings (never mutated once stored), or a <see cref="CollectionValue"/>.</summary>
    public object Value;

    /// <summary>The version (a log index, never negative) and, in the sign bit, whether the key has a TTL.</summary>
    private long _versionAndFlag;

    /// <summary>Log index of the last write that touched the key; WATCH compares it at EXEC.</summary>
    public long Version
    {
        readonly get => _versionAndFlag & ~HasExpiryBit;
        set
        {
            Lattice.Common.Invariant.Check(value >= 0, "versions are log indexes, never negative");
            _versionAndFlag = (_versionAndFlag & HasExpiryBit) | value;
        }
    }

    /// <summary>The key has an expiry time in the database's table of expiring keys.</summary>
    public bool HasExpiry
    {
        readonly get => _versionAndFlag < 0;
        set => _versionAndFlag = value ? _versionAndFlag | HasExpiryBit : _versionAndFlag & ~HasExpiryBit;
    }
}
