namespace Lattice.Engine;

/// <summary>
/// Base of the mutable value types (list, hash, set, sorted set). A collection is mutated in place, so a
/// snapshot in progress must not see it change: <see cref="Database.ReadForWrite"/> clones a collection
/// that a running snapshot still references (copy-on-write at value granularity).
/// </summary>
public abstract class CollectionValue
{
    /// <summary>The database snapshot epoch in which this object was created or cloned.</summary>
    public long Epoch { get; set; }

    public abstract ValueKind Kind { get; }

    /// <summary>Elements held; a collection that reaches zero is deleted, as in Redis.</summary>
    public abstract int Count { get; }

    /// <summary>A deep copy (elements may share immutable byte arrays).</summary>
    public abstract CollectionValue Clone();

    /// <summary>Writes the elements for a snapshot; <see cref="SnapshotCodec"/> writes the kind first.</summary>
    public abstract void WriteSnapshot(BinaryWriter writer);

    /// <summary>Approximate heap bytes, for INFO memory.</summary>
    public abstract long EstimateBytes();
}
