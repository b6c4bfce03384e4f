namespace Lattice.Engine;

/// <summary>
/// A point-in-time copy of the keyspace's entries. Strings are immutable and collections are copy-on-write
/// while it is pinned, so a background thread can serialise it while writes continue.
/// </summary>
public sealed class DatabaseSnapshot
{
    internal DatabaseSnapshot(SnapshotEntry[] entries)
    {
        Entries = entries;
    }

    public IReadOnlyList<SnapshotEntry> Entries { get; }
}
