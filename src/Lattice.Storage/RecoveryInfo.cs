namespace Lattice.Storage;

/// <summary>What recovery found when the log was opened.</summary>
public sealed class RecoveryInfo
{
    internal RecoveryInfo(
        IReadOnlyList<RecoveredSegment> segments,
        long recordCount,
        TornTail? tornTail,
        IReadOnlyDictionary<ulong, RecoveredGroup> groups)
    {
        Segments = segments;
        RecordCount = recordCount;
        TornTail = tornTail;
        Groups = groups;
    }

    public IReadOnlyList<RecoveredSegment> Segments { get; }

    /// <summary>Valid records read, all types, overwritten ones included.</summary>
    public long RecordCount { get; }

    /// <summary>Set when an incomplete final record was cut off the last segment.</summary>
    public TornTail? TornTail { get; }

    public IReadOnlyDictionary<ulong, RecoveredGroup> Groups { get; }
}
