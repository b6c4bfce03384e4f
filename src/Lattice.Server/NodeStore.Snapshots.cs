using Lattice.Common;
using Lattice.Engine;
using Lattice.Storage;

namespace Lattice.Server;

/// <summary>
/// Background snapshots: capture the keyspace under the engine lock (copy-on-write pins it), write it on another
/// thread while writes continue, then let the log drop segments older than the previous snapshot, which stays as a
/// fallback together with the log that leads from it to the newest.
/// </summary>
public sealed partial class NodeStore
{
    private readonly List<long> _snapshotIndexes = [];
    private long _logBytesSinceSnapshot;
    private int _snapshotRunning;
    private Task _snapshotTask = Task.CompletedTask;
    private long _lastSnapshotIndex;

    /// <summary>Unix time of the last successful snapshot (start-up time before the first).</summary>
    public long LastSaveUnixSeconds { get; private set; }

    public bool LastSnapshotSucceeded { get; private set; } = true;

    public bool SnapshotInProgress => Volatile.Read(ref _snapshotRunning) == 1;

    /// <summary>Log entries since the last snapshot (rdb_changes_since_last_save).</summary>
    public long EntriesSinceSnapshot => Volatile.Read(ref _lastIndex) - Volatile.Read(ref _lastSnapshotIndex);

    /// <summary>Starts a snapshot in the background; false when one is already running. Caller holds the engine lock.</summary>
    public bool TryStartSnapshot()
    {
        AssertLocked();
        if (Interlocked.CompareExchange(ref _snapshotRunning, 1, 0) != 0)
        {
            return false;
        }

        DatabaseSnapshot captured = _machine.Database.BeginSnapshot();
        long index = _machine.AppliedIndex;
        _logBytesSinceSnapshot = 0;
        _snapshotTask = Task.Run(() => WriteSnapshot(captured, index));
        return true;
    }

    /// <summary>The running snapshot, to wait for (SAVE). Completes with whether it succeeded.</summary>
    public Task CurrentSnapshot => _snapshotTask;

    private void NoteLogBytes(int bytes)
    {
        _logBytesSinceSnapshot += bytes;
        if (_options.SnapshotLogBytes > 0 && _logBytesSinceSnapshot >= _options.SnapshotLogBytes && !SnapshotInProgress)
        {
            TryStartSnapshot();
        }
    }

    private void WriteSnapshot(DatabaseSnapshot captured, long index)
    {
        bool written = false;
        try
        {
            // The snapshot must never be ahead of the log on disk: a crash would leave a log that ends before it.
            // DurableIndex means only "written to the OS" under everysec/no, so fsync explicitly.
            WaitDurableBlocking(index);
            FlushGated(sync: true);
            SnapshotInfo info = SnapshotFile.Write(_wal.SnapshotDirectory, index, Term, stream => SnapshotCodec.Write(stream, captured, index));
            written = true;
            _log($"snapshot: wrote {info.Path} at index {index} ({info.PayloadBytes} bytes, {captured.Entries.Count} keys)");
            ReleaseLogBefore(index);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log($"snapshot: {(written ? "written, but releasing old log segments" : "failed")} at index {index}: {e.Message}");
        }
        finally
        {
            lock (_engineLock)
            {
                _machine.Database.EndSnapshot();
            }

            LastSnapshotSucceeded = written;
            if (written)
            {
                Volatile.Write(ref _lastSnapshotIndex, index);
                LastSaveUnixSeconds = _time.GetUtcNow().ToUnixTimeSeconds();
            }

            Invariant.Check(Interlocked.Exchange(ref _snapshotRunning, 0) == 1, "a snapshot was running");
        }
    }

    /// <summary>Keeps the log from the older of the two retained snapshots on, so it stays a complete fallback.</summary>
    private void ReleaseLogBefore(long index)
    {
        long releasable;
        lock (_snapshotIndexes)
        {
            if (_snapshotIndexes.Count > 0 && _snapshotIndexes[^1] == index)
            {
                // Same index as the newest (SAVE twice without writes): the file was replaced, nothing to release.
                return;
            }

            _snapshotIndexes.Add(index);
            if (_snapshotIndexes.Count > 2)
            {
                _snapshotIndexes.RemoveAt(0);
            }

            releasable = _snapshotIndexes.Count == 2 ? _snapshotIndexes[0] : 0;
        }

        if (releasable > 0)
        {
            _wal.ReleaseUpTo(GroupId, releasable);
        }
    }

    private void WaitDurableBlocking(long index)
    {
        var waiter = new DurabilityWaiter();
        ValueTask wait = WaitDurableAsync(index, waiter);
        if (!wait.IsCompleted)
        {
            wait.AsTask().GetAwaiter().GetResult();
        }
    }
}
