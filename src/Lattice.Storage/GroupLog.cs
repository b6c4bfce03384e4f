using Lattice.Common;

namespace Lattice.Storage;

/// <summary>
/// One group's log as written to disk: its index range after last-writer-wins, its latest hard state, and the
/// cuts that replay needs to skip superseded entries. Changed only by recovery and the flusher.
/// </summary>
internal sealed class GroupLog
{
    /// <summary>Overwrites happen on leader changes; more than this many live cuts means something is looping.</summary>
    private const int CutCountMax = 1 << 20;

    private readonly List<LogCut> _cuts = [];

    public GroupLog(ulong groupId) => GroupId = groupId;

    public ulong GroupId { get; }

    /// <summary>True once an entry or snapshot marker was seen, so the next index is known.</summary>
    public bool HasLog { get; private set; }

    public long FirstIndex { get; private set; }

    public long LastIndex { get; private set; }

    public long LastTerm { get; private set; }

    public HardState? HardState { get; set; }

    public EntryPlacement PlaceEntry(long index, long term, LogPosition position)
    {
        Invariant.Check(index > 0, "entry indexes are positive");
        if (!HasLog)
        {
            HasLog = true;
            FirstIndex = index;
            SetEnd(index, term);
            return EntryPlacement.First;
        }

        if (index == LastIndex + 1)
        {
            SetEnd(index, term);
            return EntryPlacement.Next;
        }

        if (index > LastIndex + 1)
        {
            return EntryPlacement.Gap;
        }

        AddCut(new LogCut(position, index));
        FirstIndex = Math.Min(FirstIndex, index);
        SetEnd(index, term);
        return EntryPlacement.Overwrite;
    }

    /// <summary>A snapshot at <paramref name="index"/> replaced the log: nothing before it survives; entries resume at index + 1.</summary>
    public void PlaceSnapshotMarker(long index, long term, LogPosition position)
    {
        Invariant.Check(index >= 0, "snapshot marker indexes are non-negative");
        AddCut(new LogCut(position, long.MinValue));
        HasLog = true;
        FirstIndex = index + 1;
        SetEnd(index, term);
    }

    public LogCut[] CopyCuts()
    {
        lock (_cuts)
        {
            return [.. _cuts];
        }
    }

    /// <summary>Cuts before the first remaining segment only affected entries that are gone with it.</summary>
    public void PruneCutsBefore(LogPosition position)
    {
        lock (_cuts)
        {
            int removable = 0;
            while (removable < _cuts.Count && _cuts[removable].Position < position)
            {
                removable++;
            }

            _cuts.RemoveRange(0, removable);
        }
    }

    private void AddCut(LogCut cut)
    {
        lock (_cuts)
        {
            Invariant.Check(_cuts.Count == 0 || _cuts[^1].Position < cut.Position, "cuts are added in log order");
            Invariant.Check(_cuts.Count < CutCountMax, "too many log overwrites for one group");
            _cuts.Add(cut);
        }
    }

    private void SetEnd(long index, long term)
    {
        LastIndex = index;
        LastTerm = term;
    }
}
