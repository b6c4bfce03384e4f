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
    private long _appliedEntriesSinceSnapshot;
    private TaskCompletionSource<bool>? _saveRequested;
    private long _lastSaveUnixSeconds;
    private volatile bool _lastSnapshotSucceeded = true;

    /// <summary>Snapshots written by this node or installed from a leader since start.</summary>
    public long SnapshotsTaken { get; private set; }

    public long SnapshotsInstalled { get; private set; }

    /// <summary>When the last snapshot (SAVE, BGSAVE or automatic) was written; the start time before the first.</summary>
    public long LastSaveUnixSeconds => Interlocked.Read(ref _lastSaveUnixSeconds);

    public bool LastSnapshotSucceeded => _lastSnapshotSucceeded;

    /// <summary>A snapshot is being written, or SAVE/BGSAVE asked for one that the Raft thread has not started yet.</summary>
    public bool SnapshotInProgress => !_snapshotTask.IsCompleted || Volatile.Read(ref _saveRequested) is not null;

    /// <summary>Data-group entries applied since the last snapshot started.</summary>
    public long EntriesSinceSnapshot => Interlocked.Read(ref _appliedEntriesSinceSnapshot);

    /// <summary>
    /// SAVE and BGSAVE: snapshot every group now. The task says whether the files were written; null when a
    /// snapshot is already being written or asked for.
    /// </summary>
    public Task<bool>? StartSave()
    {
        Task<bool> save;
        lock (_inboxLock)
        {
            if (_saveRequested is not null || !_snapshotTask.IsCompleted || _stopping)
            {
                return null;
            }

            _saveRequested = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            save = _saveRequested.Task;
        }

        _wake.Set();
        return save;
    }

    private string SnapshotDirectory(ulong groupId) => Path.Combine(_wal.SnapshotDirectory, $"group-{groupId}");

    private void MaybeStartSnapshot()
    {
        if (!_snapshotTask.IsCompleted || AppliedAheadOfCommit())
        {
            return;
        }

        // Cleared only once the task runs (or the request is answered), so SnapshotInProgress never reads false between.
        TaskCompletionSource<bool>? save;
        lock (_inboxLock)
        {
            save = _saveRequested;
        }

        long threshold = SnapshotThreshold();
        bool needed = _meta.Log.NeedsNewerSnapshot || _data.Log.NeedsNewerSnapshot;
        if (save is null && !needed && (threshold <= 0 || _appliedBytesSinceSnapshot < threshold))
        {
            return;
        }

        _appliedBytesSinceSnapshot = 0;
        Interlocked.Exchange(ref _appliedEntriesSinceSnapshot, 0);
        var jobs = new List<SnapshotJob>();
        foreach (ReplicatedGroup group in _groupList)
        {
            ulong index = group.Machine.AppliedIndex;
            if (index == 0 || index <= group.Log.SnapshotIndex)
            {
                if (index > 0 && index == group.Log.SnapshotIndex)
                {
                    // Nothing applied since its snapshot (the metadata group, mostly): it has no newer snapshot to
                    // keep the older one as a fallback for, and its log must not pin every segment after it.
                    _wal.ReleaseUpTo(group.GroupId, (long)index);
                }

                continue;
            }

            bool known = group.Log.TryGetTerm(index, out ulong term);
            Invariant.Check(known, "the applied index is in the log");
            jobs.Add(new SnapshotJob(group, index, term, group.ConfState, group.Machine.CaptureSnapshot()));
            group.SnapshotPin = index;
        }

        if (jobs.Count > 0)
        {
            _snapshotTask = StartWriting(jobs, save);
        }
        else
        {
            // Every group's newest snapshot already covers all it applied.
            Interlocked.Exchange(ref _lastSaveUnixSeconds, _time.GetUtcNow().ToUnixTimeSeconds());
            save?.SetResult(true);
        }

        if (save is not null)
        {
            lock (_inboxLock)
            {
                _saveRequested = null;
            }
        }
    }

    /// <summary>
    /// Applied bytes after which the next snapshot starts: snapshot-log-bytes, and on a node alone also
    /// snapshot-log-percent of the last snapshot's size, so a large dataset is not rewritten whole every
    /// snapshot-log-bytes (snapshots then write at most about as many bytes as the log, as Redis bounds its AOF
    /// rewrites). A member with peers keeps its log since the last snapshot in memory, so it stays at the fixed size.
    /// </summary>
    private long SnapshotThreshold()
    {
        long fixedBytes = _server.SnapshotLogBytes;
        if (fixedBytes <= 0 || !IsSingleMember)
        {
            return fixedBytes;
        }

        return Math.Max(fixedBytes, _data.Log.SnapshotPayloadBytes / 100 * _server.SnapshotLogPercent);
    }

    /// <summary>A method of its own: a lambda in MaybeStartSnapshot would allocate its closure on every cycle.</summary>
    private Task StartWriting(List<SnapshotJob> jobs, TaskCompletionSource<bool>? save) => Task.Run(() => WriteSnapshots(jobs, save));

    private void WriteSnapshots(List<SnapshotJob> jobs, TaskCompletionSource<bool>? save)
    {
        // Failed jobs come back too (without a file), to unpin their groups' logs.
        var written = new List<SnapshotJob>();
        int succeeded = 0;
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
                succeeded++;
                _log($"snapshot: group {job.Group.GroupId} at index {job.Index} ({info.PayloadBytes} bytes)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                written.Add(job);
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

        bool allWritten = succeeded == jobs.Count;
        _lastSnapshotSucceeded = allWritten;
        if (allWritten)
        {
            Interlocked.Exchange(ref _lastSaveUnixSeconds, _time.GetUtcNow().ToUnixTimeSeconds());
        }

        save?.SetResult(allWritten);
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
            group.SnapshotPin = 0;
            if (job.File is null || job.Index <= group.Log.SnapshotIndex)
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
