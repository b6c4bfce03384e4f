using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// What changes when the cluster is a single node (the plain <c>lattice server</c>): appendfsync everysec and no
/// apply (with more members every flush is an fsync, since a vote or an acknowledgement promises durable state),
/// and strong reads are served from the applied state with no read round while the node leads alone.
/// </summary>
public sealed partial class ClusterNode
{
    /// <summary>Applied entries a cluster of one keeps in memory (see <see cref="DropAppliedEntriesIfAlone"/>).</summary>
    private const int AppliedEntriesKeptAlone = 1024;

    private volatile bool _leadsAlone;
    private bool _unsyncedWhileAlone;
    private long _lastEverySecSyncMs;
    private long _logFlushes;
    private long _logFsyncs;

    /// <summary>
    /// True while this node is the only voter, leads, and has applied everything committed when that became so:
    /// nothing can commit anywhere else, so a read of the applied state is linearizable. Check it under the engine
    /// lock: the Raft thread takes that lock after clearing it, before anything it sends could let another lead.
    /// </summary>
    internal bool LeadsAlone => _leadsAlone;

    /// <summary>Both groups have exactly one member (this node, a voter) and no change under way.</summary>
    public bool IsSingleMember => IsAlone(_meta.ConfState) && IsAlone(_data.ConfState);

    public long LogFlushes => Interlocked.Read(ref _logFlushes);

    public long LogFsyncs => Interlocked.Read(ref _logFsyncs);

    /// <summary>Bytes in the write-ahead log's segment files now (all groups).</summary>
    public long LogBytesOnDisk
    {
        get
        {
            long total = 0;
            foreach (Lattice.Storage.RecoveredSegment segment in _wal.Segments())
            {
                total += segment.SizeBytes;
            }

            return total;
        }
    }

    private bool IsAlone(ConfState conf) =>
        conf.Voters.Length == 1 && conf.Voters[0] == NodeId && conf.Learners.Length == 0 && !conf.IsJoint && conf.LearnersNext.Length == 0;

    /// <summary>
    /// The cycle's flush (a round whose Ready must be durable): an fsync, except under appendfsync everysec/no on a
    /// single member, where the skipped fsync is remembered (<see cref="SyncEverySecond"/>,
    /// <see cref="SyncBeforeGainingMembers"/>).
    /// </summary>
    private void FlushLog()
    {
        bool sync = _server.AppendFsync == AppendFsyncPolicy.Always || !IsSingleMember;
        _wal.Flush(sync);
        Interlocked.Increment(ref _logFlushes);
        if (sync)
        {
            Interlocked.Increment(ref _logFsyncs);
        }

        _unsyncedWhileAlone = !sync;
    }

    /// <summary>Makes everything written so far durable, whatever the policy (in a cycle, which owns flushing).</summary>
    private void FsyncNow()
    {
        _wal.Flush(sync: true);
        Interlocked.Increment(ref _logFlushes);
        Interlocked.Increment(ref _logFsyncs);
        _unsyncedWhileAlone = false;
    }

    /// <summary>everysec (or a policy changed to always at runtime): once a second, fsync what was written since.</summary>
    private void SyncEverySecond()
    {
        if (_unsyncedWhileAlone && _server.AppendFsync != AppendFsyncPolicy.No && NowMs() - _lastEverySecSyncMs >= 1000)
        {
            _lastEverySecSyncMs = NowMs();
            FsyncNow();
        }
    }

    /// <summary>
    /// A membership change that gives this node company: what it wrote without fsync must be durable before any of
    /// it is sent, or a crash could leave another member holding entries this node lost.
    /// </summary>
    private void SyncBeforeGainingMembers()
    {
        if (_unsyncedWhileAlone && !IsSingleMember)
        {
            FsyncNow();
        }
    }

    /// <summary>
    /// At start of a cluster of one: wait (up to <paramref name="limit"/>) until it leads its data group, so the
    /// first clients are not told there is no leader. False when it did not.
    /// </summary>
    public async Task<bool> WaitUntilLeadingAsync(TimeSpan limit)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            if (GroupStatusOf(KeyspaceGroupId) is { Role: RaftRole.Leader })
            {
                return true;
            }

            await Task.Delay(5).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>A cluster of one elects itself at once (at start) instead of after an election timeout.</summary>
    private void CampaignIfAlone()
    {
        foreach (ReplicatedGroup group in _groupList)
        {
            if (group.HasRaft && group.Raft.Leader == 0 && IsAlone(group.ConfState))
            {
                group.Raft.Campaign();
            }
        }
    }

    /// <summary>
    /// A cluster of one keeps no more than about twice snapshot-keep-entries, at most twice
    /// <see cref="AppliedEntriesKeptAlone"/>, applied entries in memory: nobody reads them back (no followers), and the
    /// write-ahead log keeps them durable. Dropped in chunks, so each entry is moved in memory at most once. A member
    /// that joins later is caught up by a snapshot taken for it.
    /// </summary>
    private void DropAppliedEntriesIfAlone()
    {
        if (!IsSingleMember)
        {
            return;
        }

        ulong keep = (ulong)Math.Clamp(_server.SnapshotKeepEntries, 1, AppliedEntriesKeptAlone);
        foreach (ReplicatedGroup group in _groupList)
        {
            ulong applied = Math.Min(group.Machine.AppliedIndex, group.Raft.AppliedIndex);
            ulong first = group.Log.FirstIndex();
            if (applied > first && applied - first > 2 * keep)
            {
                // A snapshot being written must still find its index in the log when it is recorded.
                ulong upTo = group.SnapshotPin == 0 ? applied - keep : Math.Min(applied - keep, group.SnapshotPin);
                group.Log.DropApplied(upTo);
            }
        }
    }

    /// <summary>On the Raft thread, after stepping and after each cycle's Readies.</summary>
    private void UpdateLeadsAlone()
    {
        RawNode raft = _data.Raft;
        bool alone = raft.LeadsAlone && !_data.EarlyAck && (_leadsAlone || _data.Machine.AppliedIndex >= raft.CommitIndex);
        if (alone == _leadsAlone)
        {
            return;
        }

        _leadsAlone = alone;
        if (!alone)
        {
            // A session that saw true under the engine lock finishes its read before this returns; one that
            // takes the lock later sees false and asks for a read round.
            _keyspace.Enter();
            _keyspace.Exit();
        }
    }
}
