using System.Buffers;
using Lattice.Common;
using Lattice.Engine;
using Lattice.Raft;
using Lattice.Resp;

namespace Lattice.Server.Cluster;

/// <summary>
/// The data group's state machine on one replica: the single-node engine, applied from committed Raft entries under
/// the engine lock that sessions' reads also take. Applying an entry this process proposed writes the reply through
/// the waiting session's own context, in the session's order; a session's writes that were dropped (a later one of
/// the same session applied first) or refused are answered with errors in their place.
/// </summary>
internal sealed class KeyspaceStateMachine : IGroupStateMachine, IKeyspace, IDisposable
{
    /// <summary>Entries in a group that named at most one key before the next groups are not read ahead.</summary>
    private const int PrefetchSkipAfterEntries = 8;

    /// <summary>Groups applied without reading ahead after such a group.</summary>
    private const int PrefetchSkipGroups = 8;

    public const string LostError = "ERR the write was dropped in a leader change and not applied; retry it";

    private readonly Lock _engineLock = new();
    private readonly KeyValueStateMachine _machine = new();
    private readonly ArrayBufferWriter<byte> _discardedReplies = new(4096);
    private readonly KeyPrefetchBatch _prefetch = new();
    private readonly CommandContext _discardContext;
    private readonly PendingWrites _pending;
    private readonly TimeProvider _time;
    private readonly ulong _nodeId;
    private readonly uint _incarnation;
    private readonly Action<string, Exception> _fatal;
    private int _prefetchSkips;
    private long _lastEntryTimeMs;
    private long _appliedIndex;
    private ulong _appliedTerm;

    public KeyspaceStateMachine(PendingWrites pending, TimeProvider time, ulong nodeId, uint incarnation, Action<string, Exception> fatal)
    {
        _pending = pending;
        _time = time;
        _nodeId = nodeId;
        _incarnation = incarnation;
        _fatal = fatal;
        _discardContext = new CommandContext(_machine.Database, new ReplyWriter(_discardedReplies));
    }

    public Database Database => _machine.Database;

    public CommandTable Commands => _machine.Commands;

    /// <summary>Written by the Raft thread under the engine lock; readable anywhere.</summary>
    public ulong AppliedIndex => (ulong)Volatile.Read(ref _appliedIndex);

    public long CommandsApplied => _machine.CommandsApplied;

    public void Enter() => _engineLock.Enter();

    public void Exit() => _engineLock.Exit();

    public void ExecuteRead(CommandContext context, CommandSpec spec, CommandArgs args, long nowMs, ulong randomSeed)
    {
        Invariant.Check(_engineLock.IsHeldByCurrentThread, "reads run under the engine lock");
        context.BeginRead(nowMs, randomSeed);
        _machine.ExecuteRead(context, spec, args);
    }

    public long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The time stamped on this node's next proposal: the clock, never earlier than the previous one.</summary>
    public long NextEntryTimeMs()
    {
        long now = NowMs();
        while (true)
        {
            long last = Volatile.Read(ref _lastEntryTimeMs);
            long next = Math.Max(last, now);
            if (next == last || Interlocked.CompareExchange(ref _lastEntryTimeMs, next, last) == last)
            {
                return next;
            }
        }
    }

    public void BeginApply()
    {
        _engineLock.Enter();
        _pending.Gate.Enter();
    }

    public void EndApply()
    {
        _pending.Gate.Exit();
        _engineLock.Exit();
        _pending.ReleaseFinished();
    }

    public void Prefetch(ReadOnlySpan<Entry> entries)
    {
        Invariant.Check(_engineLock.IsHeldByCurrentThread, "prefetching reads the tables under the engine lock");
        if (_prefetchSkips > 0)
        {
            _prefetchSkips--;
            return;
        }

        foreach (ref readonly Entry entry in entries)
        {
            if (entry.Type != EntryType.ConfChange && !entry.Data.IsEmpty && !_prefetch.IsFull &&
                ProposalEnvelope.TryRead(entry.Data.Span, out _, out ReadOnlySpan<byte> payload))
            {
                _machine.CollectKeys(payload, _prefetch);
            }
        }

        // One lookup gains nothing from loading ahead. A full group that names one key (a pipeline onto one list or
        // counter) found it hot in the cache anyway: skip the next groups' reading too, then look again.
        int found = _prefetch.KeyCount + _prefetch.FieldCount;
        if (found >= 2)
        {
            _machine.Database.Prefetch(_prefetch);
        }
        else if (entries.Length >= PrefetchSkipAfterEntries)
        {
            _prefetchSkips = PrefetchSkipGroups;
        }

        _prefetch.Clear();
    }

    public void Apply(in Entry entry)
    {
        Invariant.Check(_pending.Gate.IsHeldByCurrentThread, "apply runs between BeginApply and EndApply");
        long index = (long)entry.Index;
        Invariant.Check(index == _machine.AppliedIndex + 1, "entries apply in order without gaps");
        if (entry.Term > _appliedTerm)
        {
            _appliedTerm = entry.Term;
            FailRunsProposedBefore(entry.Term);
        }

        if (entry.Type == EntryType.ConfChange || entry.Data.IsEmpty)
        {
            // A leader's empty entry of its new term, or a membership change (applied to Raft by the host).
            _machine.ResetAppliedIndex(index);
            Volatile.Write(ref _appliedIndex, index);
            return;
        }

        bool valid = ProposalEnvelope.TryRead(entry.Data.Span, out ProposalOrigin origin, out ReadOnlySpan<byte> payload);
        Invariant.Check(valid, "a data-group entry starts with a proposal envelope");
        if (origin.Node == _nodeId && origin.Incarnation == _incarnation && _pending.TryGet(origin.Session, out ClusterWaiter waiter) &&
            waiter.Kind == ClusterWaitKind.Writes && !waiter.IsCompleted && origin.Sequence >= waiter.NextSequence &&
            origin.Sequence <= waiter.LastSequence)
        {
            // Entries of one session apply in the order proposed, so a later one applied first means the earlier
            // ones were dropped (never retried: they cannot commit after it).
            while (waiter.NextSequence < origin.Sequence)
            {
                waiter.Context.Reply.Error(LostError);
                waiter.NextSequence++;
            }

            ApplyPayload(waiter.Context, index, payload);
            waiter.NextSequence++;
            FinishIfDone(waiter);
        }
        else
        {
            ApplyPayload(_discardContext, index, payload);
            _discardedReplies.ResetWrittenCount();
        }

        Volatile.Write(ref _appliedIndex, index);
    }

    /// <summary>The Raft thread proposed or forwarded a session's run (its write <paramref name="sequence"/> first) in <paramref name="term"/>.</summary>
    public void SetRunTerm(long sessionId, long sequence, ulong term)
    {
        lock (_pending.Gate)
        {
            // The sequence keeps a late write of a session's earlier run (one that timed out) from stamping its next run.
            if (_pending.TryGet(sessionId, out ClusterWaiter waiter) && waiter.Kind == ClusterWaitKind.Writes && !waiter.IsCompleted && waiter.RunTerm == 0 &&
                sequence >= waiter.NextSequence && sequence <= waiter.LastSequence)
            {
                waiter.RunTerm = term;
            }
        }
    }

    /// <summary>A session's proposal was refused before it was logged: it and the rest of its run fail.</summary>
    public void Reject(long sessionId, long sequence, string error)
    {
        lock (_pending.Gate)
        {
            if (!_pending.TryGet(sessionId, out ClusterWaiter waiter) || waiter.IsCompleted || waiter.Kind != ClusterWaitKind.Writes ||
                sequence < waiter.NextSequence || sequence > waiter.LastSequence)
            {
                return;
            }

            if (waiter.RejectFrom == 0 || sequence < waiter.RejectFrom)
            {
                waiter.RejectFrom = sequence;
                waiter.RejectError = error;
            }

            FinishIfDone(waiter);
        }

        _pending.ReleaseFinished();
    }

    /// <summary>Answers every wait past its deadline: the writes may still be applied later (the reply says so).</summary>
    public void ExpireWaits(long nowMs, string error)
    {
        lock (_pending.Gate)
        {
            foreach (ClusterWaiter waiter in _pending.Expired(nowMs))
            {
                AnswerRest(waiter, error, keepRefusals: false);
            }
        }

        _pending.ReleaseFinished();
    }

    public void Dispose() => _machine.Dispose();

    public object? CaptureSnapshot()
    {
        lock (_engineLock)
        {
            return _machine.Database.BeginSnapshot();
        }
    }

    public void WriteSnapshot(object? captured, long index, Stream output) =>
        SnapshotCodec.Write(output, (DatabaseSnapshot)captured!, index);

    public void EndSnapshot(object? captured)
    {
        lock (_engineLock)
        {
            _machine.Database.EndSnapshot();
        }
    }

    public void RestoreSnapshot(Stream input, ulong index)
    {
        lock (_engineLock)
        {
            _machine.Database.Clear();
            long loaded = SnapshotCodec.Read(input, _machine.Database);
            Invariant.Check(loaded == (long)index, "a group snapshot's image is taken at the snapshot's index");
            _machine.ResetAppliedIndex(loaded);
            Volatile.Write(ref _appliedIndex, loaded);
        }
    }

    /// <summary>
    /// An entry of <paramref name="term"/> is being applied: a run proposed in an earlier term can no longer commit
    /// (terms never decrease along the log, and an earlier entry of the run would have been applied by now), so its
    /// unapplied writes are answered as lost — definitely not applied.
    /// </summary>
    private void FailRunsProposedBefore(ulong term)
    {
        foreach (ClusterWaiter waiter in _pending.ProposedBefore(term))
        {
            AnswerRest(waiter, LostError, keepRefusals: true);
        }
    }

    private void FinishIfDone(ClusterWaiter waiter)
    {
        if (waiter.NextSequence <= waiter.LastSequence && waiter.RejectFrom != 0 && waiter.NextSequence >= waiter.RejectFrom)
        {
            AnswerRest(waiter, waiter.RejectError!, keepRefusals: true);
            return;
        }

        if (waiter.NextSequence > waiter.LastSequence)
        {
            _pending.Finish(waiter);
        }
    }

    /// <summary>
    /// Answers every write of the run not answered yet with <paramref name="error"/> (writes refused before logging
    /// keep their refusal when <paramref name="keepRefusals"/>), and finishes the wait. Caller holds the gate.
    /// </summary>
    private void AnswerRest(ClusterWaiter waiter, string error, bool keepRefusals)
    {
        for (long sequence = waiter.NextSequence; sequence <= waiter.LastSequence; sequence++)
        {
            bool refused = keepRefusals && waiter.RejectFrom != 0 && sequence >= waiter.RejectFrom;
            waiter.Context.Reply.Error(refused ? waiter.RejectError! : error);
        }

        waiter.NextSequence = waiter.LastSequence + 1;
        _pending.Finish(waiter);
    }

    private void ApplyPayload(CommandContext context, long index, ReadOnlySpan<byte> payload)
    {
        LogEntryCodec.ReadKind(payload, out long timeMs);
        long last = Volatile.Read(ref _lastEntryTimeMs);
        if (timeMs > last)
        {
            // Entries from other nodes move this node's entry clock forward too, so its own never go back in the log.
            Interlocked.CompareExchange(ref _lastEntryTimeMs, timeMs, last);
        }

        try
        {
            _machine.Apply(context, index, payload);
        }
        catch (Exception e) when (e is not InvariantViolationException)
        {
            // Handlers are deterministic and validated before logging; one that throws is a bug, and continuing
            // would let this replica diverge from the others.
            _fatal($"applying log entry {index} failed", e);
            throw;
        }
    }
}
