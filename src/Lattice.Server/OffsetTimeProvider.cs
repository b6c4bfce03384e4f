namespace Lattice.Server;

/// <summary>
/// A wall clock that is wrong by a settable offset, like a node whose NTP is off (--clock-offset-ms and
/// LATTICE TEST CLOCK-OFFSET, for the chaos harness's clock faults). Only <see cref="GetUtcNow"/> moves: timestamps
/// and timers stay on the inner clock, so Raft ticks, elections and request timeouts run on time, as they would
/// on a machine whose wall clock was set wrong.
/// </summary>
public sealed class OffsetTimeProvider : TimeProvider
{
    /// <summary>The largest skew either way.</summary>
    public static readonly TimeSpan MaxOffset = TimeSpan.FromDays(1);

    private readonly TimeProvider _inner;
    private long _offsetTicks;

    public OffsetTimeProvider(TimeProvider inner, TimeSpan offset)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        Offset = offset;
    }

    /// <summary>Added to the inner clock's wall time from now on (any thread; readers see it at once).</summary>
    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));
        set
        {
            if (value.Duration() > MaxOffset)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "the clock offset must be within one day either way");
            }

            Volatile.Write(ref _offsetTicks, value.Ticks);
        }
    }

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow().AddTicks(Volatile.Read(ref _offsetTicks));

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);
}
