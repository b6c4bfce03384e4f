using Lattice.Common;
using Lattice.Raft;
using Lattice.Storage;

namespace Lattice.Server.Cluster;

/// <summary>
/// Snapshots bound each group's log. After <c>snapshot-log-bytes</c> of applied data, every group captures its
/// state at its applied index (copy-on-write for the keyspace, so writes go on) and a background task writes the
/// files (<c>snapshots/group-N/</c>, payload = membership + state image). Back on the Raft thread, the in-memory log
/// is compacted up to <c>snapshot-keep-entries</c> below the snapshot, and the write-ahead log releases segments
/// up to the previous snapshot, which stays as a fallback. A follower that needs compacted entries gets the
/// snapshot streamed by Raft in chunks and installs it: file, log marker, then the state.
/// </summary>
public sealed partial class ClusterNode
{
    private readonly Dictionary<ulong, ulong> _previousSnapshotIndex = [];
    private List<SnapshotJob> _snapshotsDone = [];
    private Task _snapshotTask = Task.CompletedTask;
    private long _appliedBytesSinceSnapshot;

    /// <summary>Snapshots written by this node or installed from a leader since start.</summary>
    public long SnapshotsTaken { get; private set; }

    public long SnapshotsInstalled { get; private set; }

    private string SnapshotDirectory(ulong groupId) => Path.Combine(_wal.SnapshotDirectory, $"group-{groupId}");

    private void MaybeStartSnapshot()
    {
        long threshold = _server.SnapshotLogBytes;
        if (threshold <= 0 || _appliedBytesSinceSnapshot < threshold || !_snapshotTask.IsCompleted || AppliedAheadOfCommit())
        {
            return;
        }

        _appliedBytesSinceSnapshot = 0;
        var jobs = new List<SnapshotJob>();
        foreach (ReplicatedGroup group in _groupList)
        {
            ulong index = group.Machine.AppliedIndex;
            if (index == 0 || index <= group.Log.SnapshotIndex)
            {
                continue;
            }

            bool known = group.Log.TryGetTerm(index, out ulong term);
            Invariant.Check(known, "the applied index is in the log");
            jobs.Add(new SnapshotJob(group, index, term, group.ConfState, group.Machine.CaptureSnapshot()));
        }

        if (jobs.Count > 0)
        {
            _snapshotTask = Task.Run(() => WriteSnapshots(jobs));
        }
    }

    private void WriteSnapshots(List<SnapshotJob> jobs)
    {
        var written = new List<SnapshotJob>();
        foreach (SnapshotJob job in jobs)
        {
            try
            {
                SnapshotInfo info = SnapshotFile.Write(SnapshotDirectory(job.Group.GroupId), (long)job.Index, (long)job.Term, stream =>
                {
                    GroupSnapshotPayload.WriteConfState(stream, job.ConfState);
                    job.Group.Machine.WriteSnapshot(job.Captured, (long)job.Index, stream);
                });
                written.Add(job with { File = info });
                _log($"snapshot: group {job.Group.GroupId} at index {job.Index} ({info.PayloadBytes} bytes)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log($"snapshot: group {job.Group.GroupId} at index {job.Index} failed: {e.Message}");
            }
            finally
            {
                job.Group.Machine.EndSnapshot(job.Captured);
            }
        }

        lock (_inboxLock)
        {
            _snapshotsDone.AddRange(written);
        }

        _wake.Set();
    }

    /// <summary>On the Raft thread: compact each group's log behind the snapshots that were written.</summary>
    private void CompactAfterSnapshots()
    {
        List<SnapshotJob> done;
        lock (_inboxLock)
        {
            if (_snapshotsDone.Count == 0)
            {
                return;
            }

            done = _snapshotsDone;
            _snapshotsDone = [];
        }

        foreach (SnapshotJob job in done)
        {
            ReplicatedGroup group = job.Group;
            if (job.Index <= group.Log.SnapshotIndex)
            {
                // A newer snapshot was installed from the leader meanwhile.
                continue;
            }

            ulong keep = (ulong)_server.SnapshotKeepEntries;
            group.Log.SnapshotTaken(job.File!, job.Index, job.ConfState, job.Index > keep ? job.Index - keep : 0);
            SnapshotsTaken++;
            ReleaseLogBefore(group.GroupId, job.Index);
        }
    }

    /// <summary>Keeps the write-ahead log from the previous snapshot on, so that one stays a complete fallback.</summary>
    private void ReleaseLogBefore(ulong groupId, ulong snapshotIndex)
    {
        if (_previousSnapshotIndex.TryGetValue(groupId, out ulong previous) && previous > 0 && previous < snapshotIndex)
        {
            _wal.ReleaseUpTo(groupId, (long)previous);
        }

        _previousSnapshotIndex[groupId] = snapshotIndex;
    }

    /// <summary>Persist step for a snapshot received from the leader: the file, then the log's restart marker.</summary>
    private void PersistReceivedSnapshot(ReplicatedGroup group, Snapshot snapshot)
    {
        // A local capture pins the keyspace; the install replaces it, so let the write finish first.
        _snapshotTask.GetAwaiter().GetResult();
        CompactAfterSnapshots();
        SnapshotMetadata metadata = snapshot.Metadata;
        SnapshotInfo info = SnapshotFile.Write(SnapshotDirectory(group.GroupId), (long)metadata.Index, (long)metadata.Term,
            stream => stream.Write(snapshot.Data.Span));
        _wal.AppendSnapshotMarker(group.GroupId, (long)metadata.Index, (long)metadata.Term);
        group.Log.ReplaceWithSnapshot(info, metadata);
        _log($"snapshot: group {group.GroupId}: installing the leader's snapshot at index {metadata.Index} ({snapshot.Data.Length} bytes)");
    }

    /// <summary>Apply step for a received snapshot: the membership and the state machine's image replace the old state.</summary>
    private void ApplyReceivedSnapshot(ReplicatedGroup group, Snapshot snapshot)
    {
        using var stream = new MemoryStream(snapshot.Data.ToArray(), writable: false);
        ConfState conf = GroupSnapshotPayload.ReadConfState(stream);
        group.Machine.RestoreSnapshot(stream, snapshot.Metadata.Index);
        group.ConfState = conf;
        SnapshotsInstalled++;
        ReleaseLogBefore(group.GroupId, snapshot.Metadata.Index);
    }

    /// <summary>Start-up: the newest intact snapshot of the group, if any; returns its index (0 for none).</summary>
    private ulong LoadSnapshot(ReplicatedGroup group)
    {
        string directory = SnapshotDirectory(group.GroupId);
        var damaged = new List<string>();
        SnapshotInfo? newest = SnapshotFile.FindNewest(directory, message =>
        {
            damaged.Add(message);
            _log(message);
        });
        if (damaged.Count > 0)
        {
            throw new StartupFailedException(
                $"refusing to start: {damaged[0]}. Nothing was changed; move the damaged file out of {directory} " +
                "to start from the previous snapshot, or empty the node's data directory to copy everything from the leader.");
        }

        if (newest is null)
        {
            return 0;
        }

        var index = (ulong)newest.Index;
        ConfState? conf = null;
        SnapshotFile.Read(newest, stream =>
        {
            conf = GroupSnapshotPayload.ReadConfState(stream);
            group.Machine.RestoreSnapshot(stream, index);
        });
        group.ConfState = conf!;
        group.Log.ReplaceWithSnapshot(newest, new SnapshotMetadata(index, (ulong)newest.Term, conf!));
        _previousSnapshotIndex[group.GroupId] = index;
        if ((ulong)_wal.AppendedIndex(group.GroupId) < index)
        {
            // The log lost its tail below the snapshot: restart it at the snapshot so the next entry leaves no gap.
            _wal.AppendSnapshotMarker(group.GroupId, (long)index, newest.Term);
            _wal.Flush(sync: true);
        }

        _log($"cluster: group {group.GroupId}: loaded snapshot {newest.Path} at index {index}");
        return index;
    }

    private sealed record SnapshotJob(ReplicatedGroup Group, ulong Index, ulong Term, ConfState ConfState, object? Captured)
    {
        public SnapshotInfo? File { get; init; }
    }
}
