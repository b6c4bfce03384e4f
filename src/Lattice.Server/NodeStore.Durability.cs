using Lattice.Common;
using Lattice.Storage;

namespace Lattice.Server;

/// <summary>
/// Group commit. With appendfsync always, a dedicated flusher thread writes and fsyncs the log's batch in a loop
/// while sessions keep appending, so each fsync covers every write that arrived while the previous one ran, and
/// no session (nor the socket thread it may run on) ever blocks on the disk. With everysec and no, the write to
/// the OS is cheap: a session that needs its entries written becomes the flusher itself (one at a time), which
/// avoids a thread handoff per request. Either way, a flush releases every waiter it covered.
/// </summary>
public sealed partial class NodeStore
{
    [ThreadStatic]
    private static bool t_releasingWaiters;

    // A semaphore rather than a lock: a session resumed inline by a flush must fail to enter, not re-enter.
    private readonly SemaphoreSlim _flushGate = new(1, 1);

    // Waiters being released by the gate holder; guarded by the gate.
    private readonly List<DurabilityWaiter> _releasing = [];
    private readonly Lock _waitersLock = new();
    private readonly List<DurabilityWaiter> _waiters = [];
    private long _durableIndex;
    private bool _unsyncedWrites;
    private readonly ManualResetEventSlim _flushNeeded = new(false, spinCount: 0);
    private Thread? _flusher;
    private bool _flusherStopping;
    private long _flushes;
    private long _fsyncs;

    /// <summary>Log flushes (writes to the OS) since start; with <see cref="Fsyncs"/>, shows how well group commit batches.</summary>
    public long Flushes => Volatile.Read(ref _flushes);

    /// <summary>Flushes that fsynced.</summary>
    public long Fsyncs => Volatile.Read(ref _fsyncs);

    /// <summary>Highest index whose record has reached the disk (always) or the OS (everysec, no).</summary>
    public long DurableIndex => Volatile.Read(ref _durableIndex);

    /// <summary>Completes when the log is durable up to <paramref name="index"/> under the current policy.</summary>
    internal ValueTask WaitDurableAsync(long index, DurabilityWaiter waiter)
    {
        if (DurableIndex >= index)
        {
            return ValueTask.CompletedTask;
        }

        bool fsyncEach = _options.AppendFsync == AppendFsyncPolicy.Always;
        if (!fsyncEach)
        {
            LeadFlushes();
        }

        ValueTask wait;
        lock (_waitersLock)
        {
            if (DurableIndex >= index)
            {
                return ValueTask.CompletedTask;
            }

            wait = waiter.Arm(index);
            _waiters.Add(waiter);
        }

        if (fsyncEach)
        {
            _flushNeeded.Set();
        }

        return wait;
    }

    /// <summary>Writes and fsyncs everything appended so far (CONFIG SET appendfsync always, snapshots).</summary>
    internal void SyncNow() => FlushGated(sync: true);

    /// <summary>Gets appended entries written without waiting for them (expiry deletes).</summary>
    internal void RequestFlush()
    {
        if (_options.AppendFsync == AppendFsyncPolicy.Always)
        {
            _flushNeeded.Set();
        }
        else
        {
            LeadFlushes();
        }
    }

    /// <summary>
    /// True while this thread releases waiters after a flush. A session resumed inline by that release must not run
    /// further commands here (they could block on a flush this very thread holds): it yields to the thread pool.
    /// </summary>
    internal static bool IsReleasingWaiters => t_releasingWaiters;

    /// <summary>Flushes until nothing is pending, unless another thread is already the flusher.</summary>
    internal void LeadFlushes()
    {
        while (_wal.HasPendingWrites)
        {
            if (!_flushGate.Wait(0))
            {
                // The flusher re-checks for pending writes after it lets go, so ours are not stranded.
                return;
            }

            try
            {
                FlushOnceGated(sync: _options.AppendFsync == AppendFsyncPolicy.Always);
            }
            finally
            {
                _flushGate.Release();
            }
        }
    }

    /// <summary>The flusher thread's loop (appendfsync always): flush and fsync whatever is pending, else sleep.</summary>
    private void RunFlusher()
    {
        while (!Volatile.Read(ref _flusherStopping))
        {
            _flushNeeded.Reset();
            if (!_wal.HasPendingWrites)
            {
                // Appenders set the event after appending, so a write that lands after this check wakes us.
                _flushNeeded.Wait();
                continue;
            }

            FlushGated(sync: _options.AppendFsync == AppendFsyncPolicy.Always);
        }
    }

    /// <summary>everysec: fsyncs what earlier flushes wrote without syncing.</summary>
    private void SyncWrittenRecords()
    {
        if (_unsyncedWrites || _wal.HasPendingWrites)
        {
            FlushGated(sync: true);
        }
    }

    /// <summary>
    /// Waits for the flush gate, then flushes once. A session that found the gate taken meanwhile registered and
    /// left, counting on the holder to re-check: so if writes are pending afterwards, they get flushed too.
    /// </summary>
    private void FlushGated(bool sync)
    {
        _flushGate.Wait();
        try
        {
            FlushOnceGated(sync);
        }
        finally
        {
            _flushGate.Release();
        }

        if (_wal.HasPendingWrites && Thread.CurrentThread != _flusher)
        {
            RequestFlush();
        }
    }

    /// <summary>One flush; the caller holds the gate (a semaphore, not a lock: a resumed session on this thread must not re-enter).</summary>
    private void FlushOnceGated(bool sync)
    {
        Invariant.Check(_flushGate.CurrentCount == 0, "one flusher at a time");
        FlushResult result;
        try
        {
            result = _wal.Flush(sync);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // After a failed write or fsync the page cache cannot be trusted; acknowledging anything more would lie.
            Fatal("writing the log failed", e);
            throw;
        }

        _unsyncedWrites = !sync && (result.RecordCount > 0 || _unsyncedWrites);
        Volatile.Write(ref _flushes, _flushes + 1);
        if (sync)
        {
            Volatile.Write(ref _fsyncs, _fsyncs + 1);
        }

        if (result.TryGetGroup(GroupId, out GroupLogEnd end))
        {
            Publish(end.LastIndex);
        }
    }

    /// <summary>
    /// Advances the durable index and releases the waiters it covers. They resume on this thread and send their
    /// replies before the next flush starts: like Redis's event loop (fsync, then write replies), this also lets the
    /// next batch gather meanwhile; a separate releaser thread measured slower (smaller batches per fsync). The
    /// release runs outside the waiters lock so a resumed session can register again.
    /// </summary>
    private void Publish(long index)
    {
        Invariant.Check(_releasing.Count == 0, "the previous release finished");
        lock (_waitersLock)
        {
            if (index <= _durableIndex)
            {
                return;
            }

            Volatile.Write(ref _durableIndex, index);
            int kept = 0;
            for (int i = 0; i < _waiters.Count; i++)
            {
                DurabilityWaiter waiter = _waiters[i];
                if (waiter.Index <= index)
                {
                    _releasing.Add(waiter);
                }
                else
                {
                    _waiters[kept++] = waiter;
                }
            }

            _waiters.RemoveRange(kept, _waiters.Count - kept);
        }

        t_releasingWaiters = true;
        try
        {
            foreach (DurabilityWaiter waiter in _releasing)
            {
                waiter.Complete();
            }
        }
        finally
        {
            t_releasingWaiters = false;
            _releasing.Clear();
        }
    }
}
