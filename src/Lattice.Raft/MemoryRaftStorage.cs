using Lattice.Common;

namespace Lattice.Raft;

/// <summary>
/// An in-memory <see cref="IRaftStorage"/>: the reference implementation for tests and the simulator, where it
/// stands for what is durable on disk. Position 0 of the entry list is a dummy holding the snapshot's index
/// and term, so the term just before the first entry is always readable.
/// </summary>
public sealed class MemoryRaftStorage : IRaftStorage
{
    /// <summary>Below this many slots the entry list keeps whatever capacity it grew to.</summary>
    private const int RetainedSlotsMin = 16 * 1024;

    private readonly List<Entry> _entries = new();
    private HardState _hardState;
    private Snapshot _snapshot;

    public MemoryRaftStorage(ConfState initialConfState)
    {
        _snapshot = Raft.Snapshot.CreateEmpty(initialConfState);
        _entries.Add(new Entry(0, 0, EntryType.Normal, ReadOnlyMemory<byte>.Empty));
    }

    public HardState HardState => _hardState;

    public (HardState HardState, ConfState ConfState) InitialState() => (_hardState, _snapshot.Metadata.ConfState);

    public void SetHardState(HardState hardState) => _hardState = hardState;

    public ulong FirstIndex() => _entries[0].Index + 1;

    public ulong LastIndex() => _entries[0].Index + (ulong)_entries.Count - 1;

    public Snapshot Snapshot() => _snapshot;

    public bool TryGetTerm(ulong index, out ulong term)
    {
        ulong offset = _entries[0].Index;
        if (index < offset || index > LastIndex())
        {
            term = 0;
            return false;
        }

        term = _entries[(int)(index - offset)].Term;
        return true;
    }

    public void Entries(ulong low, ulong high, long maxBytes, EntryBuffer destination)
    {
        Invariant.Check(low >= FirstIndex() && high <= LastIndex() + 1 && low < high, "storage range out of bounds");
        ulong offset = _entries[0].Index;
        long totalBytes = 0;
        for (ulong index = low; index < high; index++)
        {
            Entry entry = _entries[(int)(index - offset)];
            totalBytes += entry.SizeBytes;
            if (index > low && totalBytes > maxBytes)
            {
                break;
            }

            destination.Add(entry);
        }
    }

    /// <summary>Appends entries, replacing any conflicting suffix, as Raft followers must.</summary>
    public void Append(ReadOnlySpan<Entry> entries)
    {
        if (entries.IsEmpty)
        {
            return;
        }

        ulong first = entries[0].Index;
        ulong offset = _entries[0].Index;
        Invariant.Check(first > offset, "append below the snapshot");
        Invariant.Check(first <= LastIndex() + 1, "append leaves a gap in the log");
        int keep = (int)(first - offset);
        _entries.RemoveRange(keep, _entries.Count - keep);
        foreach (Entry entry in entries)
        {
            _entries.Add(entry);
        }
    }

    /// <summary>Replaces the whole log with a snapshot received from the leader.</summary>
    public void ApplySnapshot(Snapshot snapshot)
    {
        Invariant.Check(snapshot.Metadata.Index >= _snapshot.Metadata.Index, "snapshot goes backwards");
        _snapshot = snapshot;
        _entries.Clear();
        _entries.Add(new Entry(snapshot.Metadata.Term, snapshot.Metadata.Index, EntryType.Normal, ReadOnlyMemory<byte>.Empty));
    }

    /// <summary>Records a snapshot the local state machine took at an applied index still in the log.</summary>
    public void CreateSnapshot(ulong index, ConfState confState, ReadOnlyMemory<byte> data)
    {
        Invariant.Check(index > _snapshot.Metadata.Index, "snapshot must move forward");
        Invariant.Check(TryGetTerm(index, out ulong term), "snapshot index must be in the log");
        _snapshot = new Snapshot(new SnapshotMetadata(index, term, confState), data);
    }

    /// <summary>Drops entries up to and including <paramref name="compactIndex"/>, keeping its term as the dummy.</summary>
    public void Compact(ulong compactIndex)
    {
        Invariant.Check(compactIndex <= _snapshot.Metadata.Index || compactIndex <= _entries[0].Index, "compact beyond the snapshot");
        CompactPastSnapshot(compactIndex);
    }

    /// <summary>
    /// Like <see cref="Compact"/>, but past the latest snapshot: for a host that keeps the entries durable elsewhere
    /// and takes a newer snapshot before any follower needs them (a group with a single member).
    /// </summary>
    public void CompactPastSnapshot(ulong compactIndex)
    {
        ulong offset = _entries[0].Index;
        if (compactIndex <= offset)
        {
            return;
        }

        Invariant.Check(compactIndex <= LastIndex(), "compact beyond the last index");
        int removeCount = (int)(compactIndex - offset);
        Entry last = _entries[removeCount];
        _entries.RemoveRange(0, removeCount);
        _entries[0] = new Entry(last.Term, last.Index, EntryType.Normal, ReadOnlyMemory<byte>.Empty);
        if (_entries.Capacity > RetainedSlotsMin && _entries.Count < _entries.Capacity / 4)
        {
            // A burst (entries held while a snapshot was written) grew the list far beyond what it holds now: its
            // array would stay that size for the life of the process (40 bytes a slot).
            _entries.Capacity = Math.Max(_entries.Count * 2, RetainedSlotsMin);
        }
    }
}
