using Lattice.Common;
using Lattice.Raft;
using Lattice.Storage;

namespace Lattice.Server.Cluster;

/// <summary>
/// A group's log as the Raft core reads it: the entries since the last compaction, in memory (the durable copy is the
/// node's write-ahead log), and the latest snapshot, whose bytes stay in its file until a follower needs them.
/// </summary>
internal sealed class GroupLogStore : IRaftStorage
{
    private readonly MemoryRaftStorage _entries;
    private readonly EntrySlab _slab = new();
    private SnapshotInfo? _snapshotFile;
    private Snapshot? _loaded;

    public GroupLogStore(ConfState initial) => _entries = new MemoryRaftStorage(initial);

    public Lattice.Raft.HardState HardState => _entries.HardState;

    public ulong SnapshotIndex => _entries.Snapshot().Metadata.Index;

    /// <summary>Payload bytes of the latest snapshot's file (0 before the first).</summary>
    public long SnapshotPayloadBytes => _snapshotFile?.PayloadBytes ?? 0;

    public (Lattice.Raft.HardState HardState, ConfState ConfState) InitialState() => _entries.InitialState();

    public void Entries(ulong low, ulong high, long maxBytes, EntryBuffer destination) => _entries.Entries(low, high, maxBytes, destination);

    public bool TryGetTerm(ulong index, out ulong term) => _entries.TryGetTerm(index, out term);

    public ulong FirstIndex() => _entries.FirstIndex();

    public ulong LastIndex() => _entries.LastIndex();

    /// <summary>
    /// Set when a follower needed a snapshot and the latest one is older than the entries kept (a group that was
    /// alone dropped applied entries past it): the host takes a new snapshot, and the core asks again meanwhile.
    /// </summary>
    public bool NeedsNewerSnapshot { get; set; }

    /// <summary>The latest snapshot with its bytes, read from the file the first time a follower needs it.</summary>
    public Snapshot Snapshot()
    {
        Snapshot metadataOnly = _entries.Snapshot();
        if (metadataOnly.Metadata.Index + 1 < _entries.FirstIndex())
        {
            // Entries between it and the log were dropped: it cannot catch anyone up. Empty = not available yet.
            NeedsNewerSnapshot = true;
            return Lattice.Raft.Snapshot.CreateEmpty(metadataOnly.Metadata.ConfState);
        }

        if (_snapshotFile is null || metadataOnly.IsEmpty)
        {
            return metadataOnly;
        }

        if (_loaded is null || _loaded.Metadata.Index != metadataOnly.Metadata.Index)
        {
            byte[]? data = null;
            SnapshotFile.Read(_snapshotFile, stream =>
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                data = copy.ToArray();
            });
            _loaded = new Snapshot(metadataOnly.Metadata, data!);
        }

        return _loaded;
    }

    /// <summary>Copies a payload for the entry that will be at <paramref name="index"/> into this log's memory.</summary>
    public ReadOnlyMemory<byte> CopyPayload(ReadOnlySpan<byte> data, ulong index) => _slab.Copy(data, index);

    public void SetHardState(Lattice.Raft.HardState hardState) => _entries.SetHardState(hardState);

    public void Append(ReadOnlySpan<Entry> entries) => _entries.Append(entries);

    /// <summary>A local snapshot was written at <paramref name="index"/>: record it and drop entries up to <paramref name="compactTo"/>.</summary>
    public void SnapshotTaken(SnapshotInfo file, ulong index, ConfState conf, ulong compactTo)
    {
        Invariant.Check(compactTo <= index, "compaction stays at or below the snapshot");
        _entries.CreateSnapshot(index, conf, ReadOnlyMemory<byte>.Empty);
        _snapshotFile = file;
        _loaded = null;
        NeedsNewerSnapshot = false;
        if (compactTo >= _entries.FirstIndex())
        {
            _entries.Compact(compactTo);
            _slab.Release(_entries.FirstIndex() - 1);
        }
    }

    /// <summary>
    /// A group with a single member: drops applied entries up to <paramref name="index"/> from memory (the write-ahead
    /// log keeps them durable), so memory does not hold a snapshot interval's worth of entries nobody will read.
    /// </summary>
    public void DropApplied(ulong index)
    {
        _entries.CompactPastSnapshot(index);
        _slab.Release(_entries.FirstIndex() - 1);
    }

    /// <summary>The log restarts at a snapshot (installed from the leader, or loaded at start-up).</summary>
    public void ReplaceWithSnapshot(SnapshotInfo file, SnapshotMetadata metadata)
    {
        _entries.ApplySnapshot(new Snapshot(metadata, ReadOnlyMemory<byte>.Empty));
        _snapshotFile = file;
        _loaded = null;
        _slab.Release(metadata.Index);
    }
}
