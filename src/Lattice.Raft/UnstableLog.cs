using Lattice.Common;

namespace Lattice.Raft;

/// <summary>
/// Entries and a snapshot the core has accepted but the host has not yet persisted. Entry i is at position
/// i - <see cref="Offset"/>; a pending snapshot covers everything up to <see cref="Offset"/> - 1.
/// </summary>
internal sealed class UnstableLog
{
    public UnstableLog(ulong offset)
    {
        Offset = offset;
    }

    // Lowest index truncated since the entries were last handed to the host; entries below it are unchanged.
    private ulong _truncatedSinceHandOut = ulong.MaxValue;

    public EntryBuffer Entries { get; } = new();

    public ulong Offset { get; private set; }

    public Snapshot? Snapshot { get; private set; }

    public bool TryGetLastIndex(out ulong index)
    {
        if (Entries.Count > 0)
        {
            index = Offset + (ulong)Entries.Count - 1;
            return true;
        }

        index = Snapshot?.Metadata.Index ?? 0;
        return Snapshot is not null;
    }

    public bool TryGetTerm(ulong index, out ulong term)
    {
        term = 0;
        if (index < Offset)
        {
            if (Snapshot is not null && Snapshot.Metadata.Index == index)
            {
                term = Snapshot.Metadata.Term;
                return true;
            }

            return false;
        }

        ulong position = index - Offset;
        if (position >= (ulong)Entries.Count)
        {
            return false;
        }

        term = Entries[(int)position].Term;
        return true;
    }

    /// <summary>The host is about to persist every entry held now.</summary>
    public void MarkHandedOut() => _truncatedSinceHandOut = ulong.MaxValue;

    /// <summary>
    /// The host persisted entries up to (index, term). If a leader replaced part of them meanwhile, the prefix
    /// below the replacement is still what was persisted: drop that, so it is never written twice.
    /// </summary>
    public void StableTo(ulong index, ulong term)
    {
        if (!TryGetTerm(index, out ulong found) || found != term)
        {
            if (_truncatedSinceHandOut == ulong.MaxValue || _truncatedSinceHandOut == 0)
            {
                return;
            }

            index = Math.Min(index, _truncatedSinceHandOut - 1);
        }

        if (index < Offset)
        {
            return;
        }

        int count = (int)(index + 1 - Offset);
        Invariant.Check(count <= Entries.Count, "stable prefix beyond unstable entries");
        Entries.RemovePrefix(count);
        Offset = index + 1;
    }

    public void StableSnapshotTo(ulong index)
    {
        if (Snapshot is not null && Snapshot.Metadata.Index == index)
        {
            Snapshot = null;
        }
    }

    public void Restore(Snapshot snapshot)
    {
        Invariant.Check(!snapshot.IsEmpty, "restore needs a real snapshot");
        Offset = snapshot.Metadata.Index + 1;
        _truncatedSinceHandOut = 0;
        Entries.Clear(detach: true);
        Snapshot = snapshot;
    }

    public void TruncateAndAppend(ReadOnlySpan<Entry> entries)
    {
        Invariant.Check(!entries.IsEmpty, "append of nothing");
        ulong after = entries[0].Index;
        ulong end = Offset + (ulong)Entries.Count;
        if (after == end)
        {
            Entries.AddRange(entries);
        }
        else if (after <= Offset)
        {
            _truncatedSinceHandOut = 0;
            // Everything unstable is replaced; entries before Offset are superseded in storage by the new write.
            Offset = after;
            Entries.Clear(detach: true);
            Entries.AddRange(entries);
        }
        else
        {
            Invariant.Check(after < end, "unstable append leaves a gap");
            _truncatedSinceHandOut = Math.Min(_truncatedSinceHandOut, after);
            Entries.Truncate((int)(after - Offset));
            Entries.AddRange(entries);
        }
    }
}
