namespace Lattice.Raft;

/// <summary>
/// The durable log as the host keeps it. The core reads it and never writes it: the host writes what
/// <see cref="Ready"/> tells it to and then calls <see cref="RawNode.Advance"/>. Index
/// <c>FirstIndex() - 1</c> is the last compacted entry (the snapshot's index); its term must stay readable.
/// </summary>
public interface IRaftStorage
{
    /// <summary>The persisted hard state and the membership of the latest snapshot.</summary>
    (HardState HardState, ConfState ConfState) InitialState();

    /// <summary>
    /// Appends entries in [low, high) to <paramref name="destination"/>, stopping after <paramref name="maxBytes"/>
    /// but always returning at least one entry. Callers only ask for indexes in [FirstIndex, LastIndex].
    /// </summary>
    void Entries(ulong low, ulong high, long maxBytes, EntryBuffer destination);

    /// <summary>The term at <paramref name="index"/>; false when it was compacted away or does not exist.</summary>
    bool TryGetTerm(ulong index, out ulong term);

    ulong FirstIndex();

    ulong LastIndex();

    /// <summary>The most recent snapshot, used to catch up followers that need compacted entries.</summary>
    Snapshot Snapshot();
}
