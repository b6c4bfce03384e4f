namespace Lattice.Server;

/// <summary>
/// Work the node runs on its own: the log flusher thread (started when the store opens, since every write needs
/// it), and, once serving, timers for active expiry at hz and the once-a-second fsync of everysec.
/// </summary>
public sealed partial class NodeStore
{
    private readonly Lock _timersLock = new();
    private ITimer? _expiryTimer;
    private ITimer? _syncTimer;
    private bool _stopped;

    public void StartBackgroundWork()
    {
        lock (_timersLock)
        {
            TimeSpan expiryPeriod = TimeSpan.FromMilliseconds(1000.0 / _options.Hz);
            _expiryTimer = _time.CreateTimer(_ => RunGuarded(() => ExpireSampledKeys()), null, expiryPeriod, expiryPeriod);
            _syncTimer = _time.CreateTimer(_ => RunGuarded(SyncIfEverySec), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    private void StartFlusher()
    {
        _flusher = new Thread(RunFlusher) { IsBackground = true, Name = "lattice-log-flusher" };
        _flusher.Start();
    }

    private void SyncIfEverySec()
    {
        if (_options.AppendFsync == AppendFsyncPolicy.EverySec)
        {
            SyncWrittenRecords();
        }
    }

    private void RunGuarded(Action work)
    {
        // Held during the work so that stopping waits for a running cycle before the log closes.
        lock (_timersLock)
        {
            if (!_stopped)
            {
                work();
            }
        }
    }

    private void StopBackgroundWork()
    {
        lock (_timersLock)
        {
            _stopped = true;
            _expiryTimer?.Dispose();
            _syncTimer?.Dispose();
        }


        try
        {
            _snapshotTask.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException e)
        {
            _log($"snapshot: {e.InnerException?.Message}");
        }

        // After the snapshot: it may still need the flusher to make its index durable.
        Volatile.Write(ref _flusherStopping, true);
        _flushNeeded.Set();
        _flusher?.Join();
    }
}
