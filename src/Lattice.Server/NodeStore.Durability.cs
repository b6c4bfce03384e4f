using Lattice.Common;
using Lattice.Storage;

namespace Lattice.Server;

/// <summary>
/// Group commit. A session that needs its entries durable tries to become the flusher: one thread at a time swaps
/// the log's batch, writes it and (for appendfsync always) fsyncs, then releases every waiter the flush covered.
/// Sessions that find a flush running just wait; the flusher loops until nothing is pending, so one fsync covers
/// every write that arrived while the previous one ran.
/// </summary>
public sealed partial class NodeStore
{
    private readonly Lock _flushLock = new();
    private readonly Lock _waitersLock = new();
    private readonly List<DurabilityWaiter> _waiters = [];
    private long _durableIndex;
    private bool _unsyncedWrites;

    /// <summary>Highest index whose record has reached the disk (always) or the OS (everysec, no).</summary>
    public long DurableIndex => Volatile.Read(ref _durableIndex);

    /// <summary>Completes when the log is durable up to <paramref name="index"/> under the current policy.</summary>
    internal ValueTask WaitDurableAsync(long index, DurabilityWaiter waiter)
    {
        if (DurableIndex >= index)
        {
            return ValueTask.CompletedTask;
        }

        LeadFlushes();
        lock (_waitersLock)
        {
            if (DurableIndex >= index)
            {
                return ValueTask.CompletedTask;
            }

            ValueTask wait = waiter.Arm(index);
            _waiters.Add(waiter);
            return wait;
        }
    }

    /// <summary>Flushes until nothing is pending, unless another thread is already the flusher.</summary>
    internal void LeadFlushes()
    {
        while (_wal.HasPendingWrites)
        {
            if (!_flushLock.TryEnter())
            {
                // The flusher re-checks for pending writes after it lets go, so ours are not stranded.
                return;
            }

            try
            {
                FlushOnceLocked(sync: _options.AppendFsync == AppendFsyncPolicy.Always);
            }
            finally
            {
                _flushLock.Exit();
            }
        }
    }

    /// <summary>everysec: fsyncs what earlier flushes wrote without syncing.</summary>
    private void SyncWrittenRecords()
    {
        lock (_flushLock)
        {
            if (_unsyncedWrites || _wal.HasPendingWrites)
            {
                FlushOnceLocked(sync: true);
            }
        }
    }

    private void FlushOnceLocked(bool sync)
    {
        Invariant.Check(_flushLock.IsHeldByCurrentThread, "one flusher at a time");
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
        if (result.TryGetGroup(GroupId, out GroupLogEnd end))
        {
            Publish(end.LastIndex);
        }
    }

    private void Publish(long index)
    {
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
                    waiter.Complete();
                }
                else
                {
                    _waiters[kept++] = waiter;
                }
            }

            _waiters.RemoveRange(kept, _waiters.Count - kept);
        }
    }
}
