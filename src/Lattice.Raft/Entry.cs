namespace Lattice.Raft;

/// <summary>
/// One log entry. <see cref="Data"/> is an opaque slice owned by whoever proposed it; the core never copies
/// or mutates payload bytes, so entries move between the log, messages and Ready batches without allocation.
/// </summary>
public readonly record struct Entry(ulong Term, ulong Index, EntryType Type, ReadOnlyMemory<byte> Data)
{
    /// <summary>Fixed per-entry overhead counted against byte limits, so empty entries still cost something.</summary>
    public const int OverheadBytes = 24;

    public int SizeBytes => Data.Length + OverheadBytes;
}
