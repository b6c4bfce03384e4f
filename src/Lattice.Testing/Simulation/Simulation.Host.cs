using Lattice.Common;
using Lattice.Raft;
using Lattice.Raft.ConfChange;

namespace Lattice.Testing.Simulation;

/// <summary>The host side of each node: the persistence contract, carried out against the simulated disk.</summary>
internal sealed partial class Simulation
{
    private void StartNode(int index)
    {
        SimulatedNode node = _nodes[index];
        MemoryRaftStorage durable = node.Disk.Durable;
        Snapshot snapshot = durable.Snapshot();
        node.Kv.Restore(snapshot.Data.Span);
        node.Conf = snapshot.Metadata.ConfState;
        node.AppliedIndex = snapshot.Metadata.Index;
        node.Incarnation++;
        node.SyncInFlight = false;
        node.LeaderTermChecked = 0;
        node.LastCommitIndex = durable.HardState.Commit;
        node.LastReadyLeaderTerm = 0;
        _checker.OnRestart(node.Id, durable);
        node.Raft = new RawNode(_config.RaftOptionsFor(node.Id, node.AppliedIndex, node.Incarnation), durable);
        long firstTick = _random.NextInt64(1, node.TickIntervalUnits + 1);
        Schedule(firstTick, new SimulationEvent(SimulationEventKind.Tick, index, node.Incarnation, default));
    }

    private void Pump(SimulatedNode node)
    {
        for (int round = 0; round < 64 && node.IsUp && !node.SyncInFlight && node.Raft!.HasReady(); round++)
        {
            RawNode raft = node.Raft;
            Ready ready = raft.GetReady();
            if (!ready.Entries.IsEmpty)
            {
                _checker.OnEntriesWritten(node.Id, raft, ready.Entries.Span);
            }

            if (ready.HardState is { } hardState)
            {
                _checker.OnCommit(node.Id, raft, hardState.Commit);
                // Only a commit move made while leading throughout (previous Ready led the same term) is by counting.
                if (ready.Role == RaftRole.Leader && node.LastReadyLeaderTerm == ready.Term)
                {
                    _checker.OnLeaderCommit(node.Id, raft, node.LastCommitIndex, hardState.Commit);
                }

                node.LastCommitIndex = hardState.Commit;
            }

            node.LastReadyLeaderTerm = ready.Role == RaftRole.Leader ? ready.Term : 0;
            node.Disk.Write(ready);
            foreach (ref readonly RaftMessage message in ready.MessagesBeforePersist)
            {
                Send(node, message);
            }

            node.PendingAfterPersist = CopyMessages(ready.MessagesAfterPersist);
            node.PendingCommitted = ready.CommittedEntries.ToArray();
            node.PendingSnapshot = ready.Snapshot;
            node.PendingReadStates = ready.ReadStates.ToArray();
            if (ready.MustSync)
            {
                // The write is in the page cache; the fsync finishes later, and a crash before then loses part of it.
                node.SyncInFlight = true;
                long syncUnits = _random.NextInt64(_config.MinSyncUnits, _config.MaxSyncUnits + 1);
                Schedule(syncUnits, new SimulationEvent(SimulationEventKind.SyncDone, (int)node.Id - 1, node.Incarnation, default));
                return;
            }

            FinishReady(node);
        }
    }

    private static RaftMessage[] CopyMessages(ReadOnlySpan<RaftMessage> messages)
    {
        // Entry slices stay valid until the next GetReady, which comes only after this Ready finishes.
        return messages.ToArray();
    }

    private void OnSyncDone(int index, int incarnation)
    {
        SimulatedNode node = _nodes[index];
        if (!node.IsUp || node.Incarnation != incarnation)
        {
            return;
        }

        node.SyncInFlight = false;
        FinishReady(node);
        AfterStep(node);
    }

    /// <summary>The write is durable: now acknowledge, apply, and advance.</summary>
    private void FinishReady(SimulatedNode node)
    {
        node.Disk.Sync();
        foreach (RaftMessage message in node.PendingAfterPersist)
        {
            Send(node, message);
        }

        if (node.PendingSnapshot is { } snapshot)
        {
            node.Kv.Restore(snapshot.Data.Span);
            node.Conf = snapshot.Metadata.ConfState;
            node.AppliedIndex = snapshot.Metadata.Index;
            _trace.Note(Now, TraceKind.Snapshot, node.Id, snapshot.Metadata.Term, snapshot.Metadata.Index, "installed snapshot");
        }

        foreach (Entry entry in node.PendingCommitted)
        {
            ApplyEntry(node, entry);
        }

        foreach (ReadState readState in node.PendingReadStates)
        {
            OnReadState(node, readState);
        }

        node.PendingAfterPersist = [];
        node.PendingCommitted = [];
        node.PendingSnapshot = null;
        node.PendingReadStates = [];
        node.Raft!.Advance();
        ServeWaitingReads(node);
        MaybeTakeSnapshot(node);
    }

    private void ApplyEntry(SimulatedNode node, in Entry entry)
    {
        Invariant.Check(entry.Index == node.AppliedIndex + 1, "entries are applied in order without gaps");
        _checker.OnApply(node.Id, entry);
        node.AppliedIndex = entry.Index;
        if (entry.Type == EntryType.ConfChange)
        {
            Invariant.Check(ConfChangeRequest.TryDecode(entry.Data.Span, out ConfChangeRequest request), "malformed conf change");
            node.Conf = node.Raft!.ApplyConfChange(request);
            _trace.Note(Now, TraceKind.ConfChange, node.Id, entry.Term, entry.Index, $"applied {request} -> {node.Conf}");
            return;
        }

        if (entry.Data.IsEmpty)
        {
            return;
        }

        KvCommand command = KvCommand.Decode(entry.Data.Span);
        (bool applied, string? observed) = node.Kv.Apply(command);
        OnCommandApplied(node, command, applied, observed);
    }

    private void MaybeTakeSnapshot(SimulatedNode node)
    {
        MemoryRaftStorage durable = node.Disk.Durable;
        ulong snapshotIndex = durable.Snapshot().Metadata.Index;
        if (node.AppliedIndex < snapshotIndex + (ulong)_config.SnapshotEveryEntries)
        {
            return;
        }

        durable.CreateSnapshot(node.AppliedIndex, node.Conf, node.Kv.Serialize());
        // Sometimes keep a few entries behind the snapshot, sometimes none, so both catch-up paths run.
        ulong keep = (ulong)_random.NextInt(4) * 3;
        ulong compactTo = node.AppliedIndex > keep ? node.AppliedIndex - keep : 0;
        durable.Compact(Math.Min(compactTo, durable.LastIndex()));
    }

    private void Send(SimulatedNode from, RaftMessage message)
    {
        _checker.OnSend(from.Id, from.Raft!, message);
        int source = (int)from.Id - 1;
        int target = (int)message.To - 1;
        if (!_connected[source, target] || (_networkFaults && _random.NextDouble() < _config.DropRate))
        {
            _trace.Message(Now, TraceKind.Drop, message);
            return;
        }

        if (!message.Entries.IsEmpty)
        {
            // Entry slices point into the node's reusable buffers; the network holds a copy.
            message.Entries = message.Entries.ToArray();
        }

        Schedule(MessageDelay(), new SimulationEvent(SimulationEventKind.Deliver, target, 0, message));
        if (_networkFaults && _random.NextDouble() < _config.DuplicateRate)
        {
            Schedule(MessageDelay(), new SimulationEvent(SimulationEventKind.Deliver, target, 0, message));
        }
    }

    private long MessageDelay()
    {
        long delay = _random.NextInt64(_config.MinDelayUnits, _config.MaxDelayUnits + 1);
        if (_networkFaults && _random.NextDouble() < _config.LongDelayRate)
        {
            delay += _random.NextInt64(20, 300);
        }

        return delay;
    }

    private void Crash(SimulatedNode node)
    {
        _trace.Note(Now, TraceKind.Crash, node.Id, node.Raft!.Term, node.Raft.LastIndex, "crash");
        node.Disk.Crash(ref _random);
        node.Raft = null;
        node.SyncInFlight = false;
        node.PendingAfterPersist = [];
        node.PendingCommitted = [];
        node.PendingSnapshot = null;
        node.PendingReadStates = [];
        AbandonClientOperations(node);
    }

    private void Restart(SimulatedNode node)
    {
        StartNode((int)node.Id - 1);
        _trace.Note(Now, TraceKind.Restart, node.Id, node.Raft!.Term, node.Raft.LastIndex, "restart");
    }
}
