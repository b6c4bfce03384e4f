using Lattice.Common;

namespace Lattice.Raft;

/// <summary>
/// The log as the core sees it: the host's durable <see cref="IRaftStorage"/> followed by unstable entries the
/// host has not persisted yet, plus the commit and applied indexes. applied ≤ committed ≤ last index.
/// </summary>
internal sealed class RaftLog
{
    private readonly IRaftStorage _storage;
    private readonly UnstableLog _unstable;

    public RaftLog(IRaftStorage storage, ulong applied)
    {
        _storage = storage;
        ulong firstIndex = storage.FirstIndex();
        ulong lastIndex = storage.LastIndex();
        _unstable = new UnstableLog(lastIndex + 1);
        Committed = firstIndex - 1;
        Applied = Math.Max(applied, firstIndex - 1);
    }

    public ulong Committed { get; private set; }

    public ulong Applied { get; private set; }

    public UnstableLog Unstable => _unstable;

    public IRaftStorage Storage => _storage;

    public ulong FirstIndex() =>
        _unstable.Snapshot is { } snapshot ? snapshot.Metadata.Index + 1 : _storage.FirstIndex();

    public ulong LastIndex() => _unstable.TryGetLastIndex(out ulong index) ? index : _storage.LastIndex();

    public ulong LastTerm()
    {
        Invariant.Check(TryGetTerm(LastIndex(), out ulong term), "the last entry's term must be readable");
        return term;
    }

    /// <summary>The last index whose entry is persisted and belongs to the current log.</summary>
    public ulong PersistedLastIndex()
    {
        if (_unstable.Snapshot is not null)
        {
            return 0;
        }

        return Math.Min(_unstable.Offset - 1, _storage.LastIndex());
    }

    public bool TryGetTerm(ulong index, out ulong term)
    {
        if (_unstable.TryGetTerm(index, out term))
        {
            return true;
        }

        // Storage may still hold entries the unstable part has replaced; only trust it below the unstable offset.
        if (index >= _unstable.Offset || index + 1 < FirstIndex())
        {
            term = 0;
            return false;
        }

        return _storage.TryGetTerm(index, out term);
    }

    public ulong TermOrZero(ulong index) => TryGetTerm(index, out ulong term) ? term : 0;

    public bool MatchTerm(ulong index, ulong term) => TryGetTerm(index, out ulong found) && found == term;

    public bool IsUpToDate(ulong lastIndex, ulong lastTerm)
    {
        ulong myTerm = LastTerm();
        return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= LastIndex());
    }

    /// <summary>Appends entries from a leader if the entry before them matches; returns the last new index or 0.</summary>
    public ulong MaybeAppend(ulong index, ulong logTerm, ulong committed, ReadOnlySpan<Entry> entries)
    {
        if (!MatchTerm(index, logTerm))
        {
            return 0;
        }

        ulong lastNewIndex = index + (ulong)entries.Length;
        ulong conflictIndex = FindConflict(entries);
        if (conflictIndex != 0)
        {
            Invariant.Check(conflictIndex > Committed, "a leader tried to overwrite a committed entry");
            Append(entries[(int)(conflictIndex - index - 1)..]);
        }

        CommitTo(Math.Min(committed, lastNewIndex));
        return lastNewIndex;
    }

    public void Append(ReadOnlySpan<Entry> entries)
    {
        if (entries.IsEmpty)
        {
            return;
        }

        Invariant.Check(entries[0].Index > Committed, "append would truncate committed entries");
        Invariant.Check(entries[0].Index <= LastIndex() + 1, "append leaves a gap");
        _unstable.TruncateAndAppend(entries);
    }

    /// <summary>The first entry whose term differs from ours, or the first new entry; 0 when all match.</summary>
    private ulong FindConflict(ReadOnlySpan<Entry> entries)
    {
        foreach (ref readonly Entry entry in entries)
        {
            if (!MatchTerm(entry.Index, entry.Term))
            {
                return entry.Index;
            }
        }

        return 0;
    }

    /// <summary>
    /// The largest index ≤ <paramref name="index"/> whose term is ≤ <paramref name="term"/>: no entry between it and
    /// <paramref name="index"/> can match a log whose entry at <paramref name="index"/> has <paramref name="term"/>.
    /// </summary>
    public (ulong Index, ulong Term) FindConflictByTerm(ulong index, ulong term)
    {
        for (int steps = 0; steps < int.MaxValue; steps++)
        {
            if (!TryGetTerm(index, out ulong found))
            {
                return (index, 0);
            }

            if (found <= term || index == 0)
            {
                return (index, found);
            }

            index--;
        }

        return (index, 0);
    }

    public void CommitTo(ulong index)
    {
        if (index <= Committed)
        {
            return;
        }

        Invariant.Check(index <= LastIndex(), "commit index beyond the last index");
        Committed = index;
    }

    public bool MaybeCommit(ulong index, ulong term, bool requireTermMatch)
    {
        if (index <= Committed)
        {
            return false;
        }

        if (requireTermMatch && TermOrZero(index) != term)
        {
            return false;
        }

        CommitTo(index);
        return true;
    }

    public void AppliedTo(ulong index)
    {
        Invariant.Check(index <= Committed, "applied beyond commit");
        Invariant.Check(index >= Applied, "applied index moved backwards");
        Applied = index;
    }

    /// <summary>Entries in [low, high) into <paramref name="destination"/>; false when some were compacted away.</summary>
    public bool TrySlice(ulong low, ulong high, long maxBytes, EntryBuffer destination)
    {
        Invariant.Check(low <= high && high <= LastIndex() + 1, "slice out of range");
        if (low == high)
        {
            return true;
        }

        if (low < FirstIndex())
        {
            return false;
        }

        int startCount = destination.Count;
        if (low < _unstable.Offset)
        {
            ulong storageHigh = Math.Min(high, _unstable.Offset);
            _storage.Entries(low, storageHigh, maxBytes, destination);
            int fromStorage = destination.Count - startCount;
            Invariant.Check(fromStorage > 0, "storage returned no entries");
            if ((ulong)fromStorage < storageHigh - low)
            {
                return true;
            }

            low = storageHigh;
        }

        AppendUnstableSlice(low, high, maxBytes, startCount, destination);
        return true;
    }

    private void AppendUnstableSlice(ulong low, ulong high, long maxBytes, int startCount, EntryBuffer destination)
    {
        long totalBytes = 0;
        for (int position = startCount; position < destination.Count; position++)
        {
            totalBytes += destination[position].SizeBytes;
        }

        for (ulong index = low; index < high; index++)
        {
            Entry entry = _unstable.Entries[(int)(index - _unstable.Offset)];
            totalBytes += entry.SizeBytes;
            if (destination.Count > startCount && totalBytes > maxBytes)
            {
                return;
            }

            destination.Add(entry);
        }
    }

    public bool HasEntriesToApply(ulong appliedLimit) => Math.Min(Committed, appliedLimit) > Applied;

    public void StableTo(ulong index, ulong term) => _unstable.StableTo(index, term);

    public void StableSnapshotTo(ulong index) => _unstable.StableSnapshotTo(index);

    public void Restore(Snapshot snapshot)
    {
        Invariant.Check(snapshot.Metadata.Index > Committed, "restore must move the commit index forward");
        _unstable.Restore(snapshot);
        Committed = snapshot.Metadata.Index;
    }

    /// <summary>After a restored snapshot is applied, the state machine sits at its index.</summary>
    public void SnapshotApplied(ulong index)
    {
        Invariant.Check(index <= Committed, "snapshot applied beyond commit");
        Applied = Math.Max(Applied, index);
    }
}
