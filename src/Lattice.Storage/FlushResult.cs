namespace Lattice.Storage;

/// <summary>
/// What one <see cref="WriteAheadLog.Flush"/> call wrote, and whether it is durable. The log reuses one instance
/// (group commit runs once per client batch and must not allocate): it is valid until the next Flush.
/// </summary>
public sealed class FlushResult
{
    private readonly List<GroupLogEnd> _groups = [];

    internal FlushResult()
    {
    }

    /// <summary>True when fsync ran (or nothing was left unsynced): everything reported is on stable storage.
    /// False: it reached the OS (survives a process kill, not a machine crash).</summary>
    public bool Synced { get; private set; }

    /// <summary>Records written to the segment file by this call.</summary>
    public int RecordCount { get; private set; }

    /// <summary>Bytes written to the segment file by this call.</summary>
    public long Bytes { get; private set; }

    /// <summary>Every record whose append sequence is at most this is written (and durable if <see cref="Synced"/>).</summary>
    public long LastSequence { get; private set; }

    /// <summary>Per group, where its log ends now. A synced flush also reports groups written by earlier unsynced flushes.</summary>
    public IReadOnlyList<GroupLogEnd> Groups => _groups;

    /// <summary>The log end reported for a group, if this flush covered it.</summary>
    public bool TryGetGroup(ulong groupId, out GroupLogEnd end)
    {
        foreach (GroupLogEnd candidate in _groups)
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

    internal FlushResult Reset(bool synced, int recordCount, long bytes, long lastSequence, Dictionary<ulong, GroupLogEnd> groups)
    {
        Synced = synced;
        RecordCount = recordCount;
        Bytes = bytes;
        LastSequence = lastSequence;
        _groups.Clear();
        foreach (GroupLogEnd end in groups.Values)
        {
            _groups.Add(end);
        }

        return this;
    }
}
