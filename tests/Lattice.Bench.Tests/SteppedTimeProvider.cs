namespace Lattice.Bench.Tests;

/// <summary>
/// A clock that moves only when asked: a timer jumps the clock to its due time (plus a fixed lateness, standing in
/// for a real timer's slop) and then fires. With one client reading it, a run is the same every time, whatever the
/// machine's load.
/// </summary>
internal sealed class SteppedTimeProvider(TimeSpan timerLateness) : TimeProvider
{
    private long _nowTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _nowTicks);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(GetTimestamp());

    /// <summary>Moves the clock forward, as a slow operation would.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref _nowTicks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan)
        {
            throw new NotSupportedException("only one-shot timers (Task.Delay) are stepped");
        }

        Advance(dueTime + timerLateness);

        // Fired from the pool, not inline: Task.Delay must finish setting up before its timer completes it.
        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
