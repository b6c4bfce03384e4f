namespace Lattice.Storage;

/// <summary>What one <see cref="WriteAheadLog.Flush"/> call wrote, and whether it is durable.</summary>
public sealed class FlushResult
{
    public FlushResult(bool synced, int recordCount, long bytes, long lastSequence, IReadOnlyList<GroupLogEnd> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Synced = synced;
        RecordCount = recordCount;
        Bytes = bytes;
        LastSequence = lastSequence;
        Groups = groups;
    }

    /// <summary>True when fsync ran (or nothing was left unsynced): everything reported is on stable storage.
    /// False: it reached the OS (survives a process kill, not a machine crash).</summary>
    public bool Synced { get; }

    /// <summary>Records written to the segment file by this call.</summary>
    public int RecordCount { get; }

    /// <summary>Bytes written to the segment file by this call.</summary>
    public long Bytes { get; }

    /// <summary>Every record whose append sequence is at most this is written (and durable if <see cref="Synced"/>).</summary>
    public long LastSequence { get; }

    /// <summary>Per group, where its log ends now. A synced flush also reports groups written by earlier unsynced flushes.</summary>
    public IReadOnlyList<GroupLogEnd> Groups { get; }

    /// <summary>The log end reported for a group, if this flush covered it.</summary>
    public bool TryGetGroup(ulong groupId, out GroupLogEnd end)
    {
        foreach (GroupLogEnd candidate in Groups)
        {
            if (candidate.GroupId == groupId)
            {
                end = candidate;
                return true;
            }
        }

        end = default;
        return false;
    }
}
