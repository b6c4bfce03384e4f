namespace Lattice.Storage;

/// <summary>The read-only result of scanning the log: nothing on disk has been changed when this exists.</summary>
internal sealed class RecoveredLog
{
    public RecoveredLog(List<Segment> segments, GroupLogSet groups, long recordCount, TornTail? tornTail, List<string> staleTemporaryFiles)
    {
        Segments = segments;
        Groups = groups;
        RecordCount = recordCount;
        TornTail = tornTail;
        StaleTemporaryFiles = staleTemporaryFiles;
    }

    public List<Segment> Segments { get; }

    public GroupLogSet Groups { get; }

    public long RecordCount { get; }

    public TornTail? TornTail { get; }

    /// <summary>Leftovers of segment creation interrupted by a crash; never part of the log.</summary>
    public List<string> StaleTemporaryFiles { get; }
}
