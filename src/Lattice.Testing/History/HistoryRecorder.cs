using Lattice.Common;

namespace Lattice.Testing.History;

/// <summary>
/// Records the operations of concurrent clients. Each call takes the time inside one lock, so the
/// recorded events are in time order. With a journal writer, every event is also written as one
/// JSON line and flushed at once, so a run killed at any point leaves a readable history.
/// </summary>
public sealed class HistoryRecorder
{
    /// <summary>Default bound on recorded operations, so a runaway client cannot exhaust memory.</summary>
    public const int DefaultMaxOperations = 10_000_000;

    private readonly Lock _lock = new();
    private readonly Func<long> _monotonicTicks;
    private readonly TextWriter? _journal;
    private readonly int _maxOperations;
    private readonly List<HistoryOperation> _operations = [];
    private readonly Dictionary<long, int> _pendingIndexById = [];
    private long _lastTime = long.MinValue;

    /// <param name="monotonicTicks">A clock that never goes back, e.g. the simulator's virtual time.</param>
    /// <param name="journal">Optional sink for the JSON-lines events; the recorder does not dispose it.</param>
    public HistoryRecorder(Func<long> monotonicTicks, TextWriter? journal = null, int maxOperations = DefaultMaxOperations)
    {
        ArgumentNullException.ThrowIfNull(monotonicTicks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOperations);
        _monotonicTicks = monotonicTicks;
        _journal = journal;
        _maxOperations = maxOperations;
    }

    /// <summary>Uses <see cref="TimeProvider.GetTimestamp"/>, which is monotonic.</summary>
    public HistoryRecorder(TimeProvider timeProvider, TextWriter? journal = null, int maxOperations = DefaultMaxOperations)
        : this(ValidTimeProvider(timeProvider).GetTimestamp, journal, maxOperations)
    {
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _operations.Count;
            }
        }
    }

    /// <summary>Notes that a client is about to send an operation; returns its id, counting from 1.</summary>
    public long Invoke(int process, OperationKind kind, string key, string? value = null, string? expected = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            if (_operations.Count >= _maxOperations)
            {
                throw new InvalidOperationException($"history recorder is full ({_maxOperations} operations)");
            }

            long time = Now();
            long id = _operations.Count + 1;
            _pendingIndexById.Add(id, _operations.Count);
            _operations.Add(new HistoryOperation(id, process, kind, key, value, expected, time, long.MaxValue, OperationOutcome.Info));
            _journal?.Write(HistoryJson.FormatInvoke(id, process, kind, key, value, expected, time) + "\n");
            _journal?.Flush();
            return id;
        }
    }

    /// <summary>
    /// Notes how an operation ended. <paramref name="value"/> is the value read, for Ok reads only;
    /// other kinds keep the value given at invoke. Info means the client cannot tell whether it happened.
    /// </summary>
    public void Complete(long id, OperationOutcome outcome, string? value = null)
    {
        lock (_lock)
        {
            if (!_pendingIndexById.Remove(id, out int index))
            {
                throw new InvalidOperationException($"operation {id} is not pending");
            }

            long time = Now();
            HistoryOperation invoked = _operations[index];
            Invariant.Check(invoked.Id == id, "pending index points at its operation");
            bool isRead = invoked.Kind == OperationKind.Read;
            _operations[index] = invoked with
            {
                Value = isRead ? (outcome == OperationOutcome.Ok ? value : null) : invoked.Value,
                CompleteTime = outcome == OperationOutcome.Info ? long.MaxValue : time,
                Outcome = outcome,
            };
            _journal?.Write(HistoryJson.FormatCompletion(id, outcome, isRead ? value : null, time) + "\n");
            _journal?.Flush();
        }
    }

    /// <summary>The history so far, in invoke order; operations still pending appear as Info.</summary>
    public IReadOnlyList<HistoryOperation> Snapshot()
    {
        lock (_lock)
        {
            return _operations.ToArray();
        }
    }

    private long Now()
    {
        long time = _monotonicTicks();
        Invariant.Check(time >= _lastTime, "the history clock must not go back");
        _lastTime = time;
        return time;
    }

    private static TimeProvider ValidTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return timeProvider;
    }
}
