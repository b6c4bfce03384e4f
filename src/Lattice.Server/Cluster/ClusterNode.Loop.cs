using System.Buffers;
using System.Buffers.Binary;
using Lattice.Common;
using Lattice.Raft;
using Lattice.Raft.ConfChange;
using Lattice.Storage;

namespace Lattice.Server.Cluster;

/// <summary>
/// The Raft thread. Each cycle: take the inbox, tick, step messages, propose (or forward to the leader), start a
/// read barrier for every read that arrived, then handle the Ready of every group: send the leader's appends,
/// append all groups' entries and hard states to the one log and flush it once (fsync when any group needs it),
/// then send acknowledgements and votes, apply committed entries, release reads, and advance.
/// </summary>
public sealed partial class ClusterNode
{
    private const int ReadyRoundsPerCycle = 4;
    private const int TicksCaughtUpMax = 5;
    private const int ProposalBufferRetainedBytes = 1024 * 1024;

    /// <summary>Committed entries whose keys are loaded ahead together before they are applied (IGroupStateMachine.Prefetch).</summary>
    private const int ApplyPrefetchEntries = 16;

    /// <summary>
    /// Bytes of forwarded records per frame: well under the leader's inbox bound (<see cref="InboxProposalBytesMax"/>),
    /// so one burst is taken in parts as the leader's Raft thread drains its inbox. A larger record goes alone.
    /// </summary>
    private const int ForwardFrameBytes = 8 * 1024 * 1024;

    /// <summary>Most proposal bytes held back for the next cycle while the leader is full (see HoldBackOrRefuse).</summary>
    private const int HeldBackBytesMax = 32 * 1024 * 1024;

    private readonly List<ReadBatch> _readBatches = [];

    /// <summary>Waiter lists of finished read batches, reused by the next ones (Raft thread only).</summary>
    private readonly Stack<List<ClusterWaiter>> _spareReadLists = new();
    private readonly List<ClusterWaiter> _readsAwaitingApply = [];
    private readonly HashSet<(ulong Node, uint Incarnation, long Session)> _refusedRuns = [];
    private readonly Dictionary<ulong, ArrayBufferWriter<byte>> _forwardByLeader = [];
    private readonly List<ReadyWork> _readyWork = [];
    private readonly Dictionary<ulong, ArrayBufferWriter<byte>> _heartbeatsByPeer = [];
    private ArrayBufferWriter<byte> _heldBackProposals = new(64 * 1024);
    private ArrayBufferWriter<byte> _heldBackSpare = new(64 * 1024);
    private ulong _readContext;
    private long _nextTickMs;

    /// <summary>
    /// Held by whichever thread runs a cycle: the Raft thread, or a thread that queued work and found it free. The
    /// groups' state is owned by one logical thread of execution, whatever thread that is at the moment.
    /// </summary>
    private readonly Lock _cycleLock = new();

    /// <summary>
    /// True on a thread while it runs a cycle. Sessions it wakes resume on it only to send their replies; anything
    /// more (the next requests) is moved to the thread pool, so client work never holds up consensus.
    /// </summary>
    [ThreadStatic]
    private static bool _isRaftThread;

    internal static bool IsRaftThread => _isRaftThread;

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                long wait = Math.Max(0, Volatile.Read(ref _nextTickMs) - NowMs());
                _wake.Wait(TimeSpan.FromMilliseconds(wait));
                _wake.Reset();
                lock (_cycleLock)
                {
                    if (_stopping)
                    {
                        break;
                    }

                    RunCycleOnThisThread(tick: true);
                }
            }
        }
        catch (Exception e) when (e is not InvariantViolationException)
        {
            Fatal("the Raft thread failed", e);
        }
    }

    /// <summary>
    /// Runs a cycle on the calling thread (a socket thread that just queued work) when no other thread runs one, so
    /// the work is done without waking the Raft thread and waiting for it to be scheduled; false when another thread
    /// holds the cycle (the caller then wakes the Raft thread). Never nested in a cycle. Only while this node leads
    /// alone without an fsync per flush (appendfsync everysec or no): an fsync on a socket thread stalls that
    /// thread's other connections, and measured slower than leaving the cycle to the Raft thread (docs/performance.md).
    /// Such a cycle does not tick: timers stay with the Raft thread (the everysec fsync among them).
    /// </summary>
    private bool TryRunCycleHere()
    {
        if (_isRaftThread || !_leadsAlone || _server.AppendFsync == AppendFsyncPolicy.Always || !_cycleLock.TryEnter())
        {
            return false;
        }

        try
        {
            if (_stopping)
            {
                return false;
            }

            RunCycleOnThisThread(tick: false);
            return true;
        }
        catch (Exception e) when (e is not InvariantViolationException)
        {
            Fatal("a Raft cycle failed", e);
            throw;
        }
        finally
        {
            _cycleLock.Exit();
        }
    }

    /// <summary>
    /// Leaves the cycle to the end of the calling event loop's batch, or runs it here, or wakes the Raft thread.
    /// </summary>
    private void RunCycleHereOrWake()
    {
        if (!CycleDeferral.TryDefer() && !TryRunCycleHere())
        {
            _wake.Set();
        }
    }

    /// <summary>
    /// At the end of a client event loop's batch whose sessions queued writes (see <see cref="CycleDeferral"/>): while
    /// this node leads alone the loop runs the cycle itself, under every appendfsync setting, as Redis's loop writes
    /// and syncs its append-only file before it sleeps: the batch's writes share one log write and one fsync, and
    /// their sessions send their replies from this thread. The loop waits for the cycle if another thread runs one.
    /// Otherwise (replicas, a leader with followers) the Raft thread is woken once for the whole batch.
    /// </summary>
    internal void RunDeferredCycle()
    {
        if (_isRaftThread || !_leadsAlone)
        {
            _wake.Set();
            return;
        }

        lock (_cycleLock)
        {
            if (_stopping)
            {
                return;
            }

            try
            {
                RunCycleOnThisThread(tick: false);
            }
            catch (Exception e) when (e is not InvariantViolationException)
            {
                Fatal("a Raft cycle failed", e);
                throw;
            }
        }
    }

    private void RunCycleOnThisThread(bool tick)
    {
        _isRaftThread = true;
        try
        {
            RunCycle(tick);
        }
        finally
        {
            _isRaftThread = false;
        }
    }

    private void RunCycle(bool tick)
    {
        ulong commitAtStart = _data.Raft.CommitIndex;
        SwapInbox();
        CompactAfterSnapshots();
        bool ticked = tick && TickIfDue();
        foreach (RaftMessage message in _workMessages)
        {
            if (_groups.TryGetValue(message.GroupId, out ReplicatedGroup? group))
            {
                group.Raft.Step(message);
            }
        }

        _workMessages.Clear();
        CampaignIfAlone();
        ProposeInbox();
        HandleGroupOps();
        // Before this cycle's Readies send anything (a vote could let another node lead).
        UpdateLeadsAlone();
        MaybeExpireKeys();
        StartReadBarriers();
        for (int round = 0; round < ReadyRoundsPerCycle && HandleReadies(); round++)
        {
        }

        UpdateLeadsAlone();
        ReleaseAppliedReads();
        DropAppliedEntriesIfAlone();
        MaybeStartSnapshot();
        if (ticked)
        {
            ExpireWaits();
            SyncEverySecond();
        }

        PublishStatusIfChanged(ticked);
        FlushToPeers();
        if (_heldBackProposals.WrittenCount > 0 && _data.Raft.CommitIndex != commitAtStart)
        {
            // Commits made room (a single node commits in its own cycle, with nothing else to wake it).
            _wake.Set();
        }
    }

    private bool TickIfDue()
    {
        long now = NowMs();
        long interval = (long)_options.TickInterval.TotalMilliseconds;
        int ticks = 0;
        while (now >= _nextTickMs && ticks < TicksCaughtUpMax)
        {
            foreach (ReplicatedGroup group in _groupList)
            {
                group.Raft.Tick();
            }

            _nextTickMs += interval;
            ticks++;
        }

        if (now >= _nextTickMs)
        {
            // Paused for long (GC, SIGSTOP): do not replay every missed tick at once.
            Volatile.Write(ref _nextTickMs, now + interval);
        }

        return ticks > 0;
    }

    /// <summary>
    /// Proposes (or forwards) what sessions and peers queued, oldest first: first what a full leader held back in
    /// the previous cycle, then the inbox. When the leader takes no more for now (too many proposals for one Ready,
    /// or too many uncommitted bytes), the rest waits for the next cycle instead of being refused: a long pipeline
    /// slows down rather than failing (up to <see cref="HeldBackBytesMax"/>, see <see cref="HoldBackOrRefuse"/>).
    /// </summary>
    private void ProposeInbox()
    {
        RawNode raft = _data.Raft;
        bool leading = raft.Role == RaftRole.Leader;
        ulong leader = raft.Leader;
        _refusedRuns.Clear();
        (ulong Node, uint Incarnation, long Session) previousRun = default;
        ArrayBufferWriter<byte> heldBack = _heldBackProposals;
        (_heldBackProposals, _heldBackSpare) = (_heldBackSpare, _heldBackProposals);
        Invariant.Check(_heldBackProposals.WrittenCount == 0, "the spare held-back buffer is empty");
        if (!Propose(heldBack.WrittenSpan))
        {
            // Still full: the new ones wait behind (a session's writes stay in order).
            HoldBackOrRefuse(_workProposals.WrittenSpan, raft.Term);
        }
        else
        {
            Propose(_workProposals.WrittenSpan);
        }

        heldBack.ResetWrittenCount();
        _workProposals.ResetWrittenCount();
        // A burst (a mass insert) grows these to several MB; do not keep that much for the life of the node.
        if (heldBack.Capacity > ProposalBufferRetainedBytes)
        {
            _heldBackSpare = new ArrayBufferWriter<byte>(64 * 1024);
        }

        if (_workProposals.Capacity > ProposalBufferRetainedBytes)
        {
            _workProposals = new ArrayBufferWriter<byte>(64 * 1024);
        }

        foreach ((ulong to, ArrayBufferWriter<byte> forward) in _forwardByLeader)
        {
            if (forward.WrittenCount > 0)
            {
                SendForwarded(to, forward.WrittenSpan);
                forward.ResetWrittenCount();
                if (forward.Capacity > ProposalBufferRetainedBytes)
                {
                    // As above: a burst's buffer is not kept (removal while enumerating is allowed; the next forward makes a new one).
                    _forwardByLeader.Remove(to);
                }
            }
        }

        // False when the leader was full: the records from there on are held back for the next cycle.
        bool Propose(ReadOnlySpan<byte> records)
        {
            while (!records.IsEmpty)
            {
                ReadOnlySpan<byte> rest = records;
                ReadOnlySpan<byte> entry = NextRecord(ref rest, out ulong term, out ProposalOrigin origin);
                var run = (origin.Node, origin.Incarnation, origin.Session);
                bool firstOfRun = run != previousRun;
                previousRun = run;
                bool local = origin.Node == NodeId;
                if (_refusedRuns.Contains(run))
                {
                    // A run is refused from its first refused write on: a later one must not be logged after an earlier
                    // one was answered as failed, or the session would report a write as failed that was applied.
                    Refuse(origin, RefusedBusy);
                }
                else if (leading && (term == 0 || term == raft.Term))
                {
                    if (raft.Propose(_data.Log.CopyPayload(entry, raft.LastIndex + 1)))
                    {
                        if (firstOfRun && local)
                        {
                            _keyspace.SetRunTerm(origin.Session, origin.Sequence, raft.Term);
                        }
                    }
                    else if (raft.AcceptsProposals)
                    {
                        HoldBackOrRefuse(records, raft.Term);
                        return false;
                    }
                    else
                    {
                        _refusedRuns.Add(run);
                        Refuse(origin, raft.Role == RaftRole.Leader && raft.LeadTransferee == 0 ? RefusedBusy : RefusedNoLeader);
                    }
                }
                else if (!leading && leader != 0 && leader != NodeId && local && term == 0)
                {
                    ArrayBufferWriter<byte> frame = ForwardBuffer(leader);
                    Span<byte> header = frame.GetSpan(RecordHeaderBytes);
                    BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)entry.Length);
                    BinaryPrimitives.WriteUInt64LittleEndian(header[4..], raft.Term);
                    frame.Advance(RecordHeaderBytes);
                    frame.Write(entry);
                    if (firstOfRun)
                    {
                        _keyspace.SetRunTerm(origin.Session, origin.Sequence, raft.Term);
                    }
                }
                else
                {
                    // No leader known; or a forwarded proposal reached a node that is no longer the leader of the term it
                    // was sent in: refuse it (never forward twice, so a proposal is never logged twice). The same for
                    // this node's own proposal held back in a term it no longer leads: the run's earlier writes were
                    // proposed in that term, and the session answers a run by the term it was proposed in.
                    _refusedRuns.Add(run);
                    Refuse(origin, RefusedNoLeader);
                }

                records = rest;
            }

            return true;
        }
    }

    /// <summary>
    /// Keeps proposals for the next cycle while the leader is full, up to <see cref="HeldBackBytesMax"/>; past that
    /// (a leader that stays full while sessions time out and send more) they are refused as busy, so what waits
    /// stays bounded.
    /// </summary>
    private void HoldBackOrRefuse(ReadOnlySpan<byte> records, ulong term)
    {
        if (_heldBackProposals.WrittenCount + records.Length <= HeldBackBytesMax)
        {
            Span<byte> copy = _heldBackProposals.GetSpan(records.Length)[..records.Length];
            records.CopyTo(copy);
            StampOwnRecords(copy, term);
            _heldBackProposals.Advance(records.Length);
            return;
        }

        while (!records.IsEmpty)
        {
            _ = NextRecord(ref records, out _, out ProposalOrigin origin);
            _refusedRuns.Add((origin.Node, origin.Incarnation, origin.Session));
            Refuse(origin, RefusedBusy);
        }
    }

    /// <summary>
    /// Held back, this node's own records (term 0) take the term they were held back in: they are proposed in that
    /// term or refused, never proposed or forwarded in a later one (see ProposeInbox).
    /// </summary>
    private static void StampOwnRecords(Span<byte> records, ulong term)
    {
        while (!records.IsEmpty)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(records);
            Span<byte> recordTerm = records.Slice(4, 8);
            if (BinaryPrimitives.ReadUInt64LittleEndian(recordTerm) == 0)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(recordTerm, term);
            }

            records = records[(RecordHeaderBytes + length)..];
        }
    }

    /// <summary>
    /// Sends records forwarded to <paramref name="leader"/> in frames of up to <see cref="ForwardFrameBytes"/>. Once a
    /// frame is not queued (the link's queue is full), it and every later record are refused now rather than left
    /// to time out as "may have been applied", and none is sent after a refused one: a session's later write must not
    /// be logged after an earlier one was answered as failed.
    /// </summary>
    private void SendForwarded(ulong leader, ReadOnlySpan<byte> records)
    {
        while (!records.IsEmpty)
        {
            int frame = ForwardFrameSplit.NextFrameBytes(records, ForwardFrameBytes);
            if (!_transport!.SendFrame(leader, PeerFrameKinds.Forward, records[..frame]))
            {
                while (!records.IsEmpty)
                {
                    _ = NextRecord(ref records, out _, out ProposalOrigin origin);
                    Refuse(origin, RefusedBusy);
                }

                return;
            }

            records = records[frame..];
        }
    }

    /// <summary>Reads one queued proposal record (see <see cref="RecordHeaderBytes"/>) and moves past it.</summary>
    internal static ReadOnlySpan<byte> NextRecord(ref ReadOnlySpan<byte> records, out ulong term, out ProposalOrigin origin)
    {
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(records);
        term = BinaryPrimitives.ReadUInt64LittleEndian(records[4..]);
        ReadOnlySpan<byte> entry = records.Slice(RecordHeaderBytes, length);
        bool valid = ProposalEnvelope.TryRead(entry, out origin, out _);
        Invariant.Check(valid, "queued proposals were checked when they arrived");
        records = records[(RecordHeaderBytes + length)..];
        return entry;
    }

    private ArrayBufferWriter<byte> ForwardBuffer(ulong leader)
    {
        if (!_forwardByLeader.TryGetValue(leader, out ArrayBufferWriter<byte>? frame))
        {
            frame = new ArrayBufferWriter<byte>(64 * 1024);
            _forwardByLeader.Add(leader, frame);
        }

        return frame;
    }

    private void Refuse(in ProposalOrigin origin, byte reason)
    {
        if (origin.Node == NodeId)
        {
            if (origin.Incarnation == Incarnation)
            {
                _keyspace.Reject(origin.Session, origin.Sequence, RefusalText(reason));
            }

            return;
        }

        Span<byte> body = stackalloc byte[21];
        BinaryPrimitives.WriteUInt32LittleEndian(body, origin.Incarnation);
        BinaryPrimitives.WriteInt64LittleEndian(body[4..], origin.Session);
        BinaryPrimitives.WriteInt64LittleEndian(body[12..], origin.Sequence);
        body[20] = reason;
        _transport!.SendFrame(origin.Node, PeerFrameKinds.ForwardRefused, body);
    }

    private void StartReadBarriers()
    {
        if (_workReads.Count == 0)
        {
            return;
        }

        RawNode raft = _data.Raft;
        if (raft.Leader == 0)
        {
            FailReads(_workReads, "CLUSTERDOWN no leader is known right now; retry the read");
            _workReads.Clear();
            return;
        }

        // One ReadIndex round serves every read that arrived since the last cycle: the batch takes the list itself.
        ulong context = ++_readContext;
        _readBatches.Add(new ReadBatch(context, raft.Term, _workReads));
        _workReads = _spareReadLists.Count > 0 ? _spareReadLists.Pop() : [];
        raft.ReadIndex(context);
    }

    private static void FailReads(List<ClusterWaiter> waiters, string error)
    {
        foreach (ClusterWaiter waiter in waiters)
        {
            waiter.Error = error;
            waiter.Complete();
        }
    }

    /// <summary>One round of Ready handling for every group; false when no group had anything.</summary>
    private bool HandleReadies()
    {
        _readyWork.Clear();

        // A round whose only change is a commit index writes nothing of its own (one write call less per cycle): a
        // commit index need not be durable (Raft learns it again), so its record waits in the log's batch for the
        // next flush. Entries, snapshots, terms and votes always make the round flush (Ready.MustSync).
        bool mustSync = false;
        foreach (ReplicatedGroup group in _groupList)
        {
            if (!group.Raft.HasReady())
            {
                continue;
            }

            Ready ready = group.Raft.GetReady();
            _readyWork.Add(new ReadyWork(group, ready));
            foreach (ref readonly RaftMessage message in ready.MessagesBeforePersist)
            {
                SendToPeer(message);
            }

            if (ready.Snapshot is { } snapshot)
            {
                PersistReceivedSnapshot(group, snapshot);
            }

            ReadOnlySpan<Entry> entries = ready.Entries.Span;
            if (!entries.IsEmpty)
            {
                if (group.EarlyAck)
                {
                    NoteReplacedEarlyApplies(group, entries[0].Index);
                }

                group.Log.Append(entries);
                foreach (ref readonly Entry entry in entries)
                {
                    _wal.Append(group.GroupId, (long)entry.Index, (long)entry.Term, RaftEntryRecord.ToPayload(entry));
                }
            }

            if (ready.HardState is { } hard)
            {
                group.Log.SetHardState(hard);
                _wal.AppendHardState(group.GroupId, (long)hard.Term, hard.Vote, (long)hard.Commit);
            }

            mustSync |= ready.MustSync;
        }

        if (_readyWork.Count == 0)
        {
            return false;
        }

        // The leader's appends leave before the fsync, so followers write in parallel with it.
        FlushToPeers();
        if (mustSync)
        {
            try
            {
                FlushLog();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // Votes and acknowledgements promise durable state; without a working log none may be sent.
                Fatal("the write-ahead log failed", e);
                throw;
            }
        }

        foreach (ReadyWork work in _readyWork)
        {
            FinishReady(work.Group, work.Ready);
        }

        return true;
    }

    /// <summary>At the start of each group of <see cref="ApplyPrefetchEntries"/> entries, loads the group's keys ahead.</summary>
    private static void PrefetchAt(ReplicatedGroup group, ReadOnlySpan<Entry> entries, int index)
    {
        if (index % ApplyPrefetchEntries == 0)
        {
            group.Machine.Prefetch(entries.Slice(index, Math.Min(ApplyPrefetchEntries, entries.Length - index)));
        }
    }

    private void FinishReady(ReplicatedGroup group, Ready ready)
    {
        foreach (ref readonly RaftMessage message in ready.MessagesAfterPersist)
        {
            SendToPeer(message);
        }

        if (ready.Snapshot is { } snapshot)
        {
            ApplyReceivedSnapshot(group, snapshot);
        }

        ReadOnlySpan<Entry> committed = ready.CommittedEntries.Span;
        if (!committed.IsEmpty)
        {
            group.Machine.BeginApply();
            try
            {
                for (int i = 0; i < committed.Length; i++)
                {
                    PrefetchAt(group, committed, i);
                    ref readonly Entry entry = ref committed[i];
                    if (entry.Type == EntryType.ConfChange)
                    {
                        bool decoded = ConfChangeRequest.TryDecode(entry.Data.Span, out ConfChangeRequest request);
                        Invariant.Check(decoded, "a logged membership change decodes");
                        group.ConfState = group.Raft.ApplyConfChange(request);
                        SyncBeforeGainingMembers();
                    }

                    if (!group.EarlyAck || entry.Index > group.Machine.AppliedIndex)
                    {
                        group.Machine.Apply(entry);
                    }

                    if (group == _data)
                    {
                        _appliedBytesSinceSnapshot += entry.Data.Length;
                        Interlocked.Increment(ref _appliedEntriesSinceSnapshot);
                    }
                }
            }
            finally
            {
                group.Machine.EndApply();
            }
        }

        if (group.EarlyAck && group.Raft.Role == RaftRole.Leader)
        {
            ApplyBeforeCommit(group);
        }

        if (group == _data)
        {
            foreach (ReadState state in ready.ReadStates)
            {
                ConfirmReadBatch(state);
            }
        }

        group.Raft.Advance();
    }

    /// <summary>Heartbeats wait for the cycle's flush, where those of all groups to a peer leave as one frame.</summary>
    private void SendToPeer(in RaftMessage message)
    {
        if (!HeartbeatBatch.IsCoalesced(message))
        {
            _transport!.Send(message);
            return;
        }

        if (!_heartbeatsByPeer.TryGetValue(message.To, out ArrayBufferWriter<byte>? batch))
        {
            batch = new ArrayBufferWriter<byte>(HeartbeatBatch.RecordBytes * 16);
            _heartbeatsByPeer.Add(message.To, batch);
        }

        HeartbeatBatch.Append(batch, message);
    }

    private void FlushToPeers()
    {
        foreach ((ulong peer, ArrayBufferWriter<byte> batch) in _heartbeatsByPeer)
        {
            if (batch.WrittenCount > 0)
            {
                _transport!.SendFrame(peer, PeerFrameKinds.Heartbeats, batch.WrittenSpan);
                batch.ResetWrittenCount();
            }
        }

        _transport!.Flush();
    }

    private void ConfirmReadBatch(ReadState state)
    {
        for (int i = 0; i < _readBatches.Count; i++)
        {
            ReadBatch batch = _readBatches[i];
            if (batch.Context != state.RequestId)
            {
                continue;
            }

            foreach (ClusterWaiter waiter in batch.Waiters)
            {
                waiter.ReadIndex = state.Index;
                _readsAwaitingApply.Add(waiter);
            }

            _readBatches.RemoveAt(i);
            ReturnReadList(batch.Waiters);
            return;
        }
    }

    private void ReturnReadList(List<ClusterWaiter> waiters)
    {
        waiters.Clear();
        _spareReadLists.Push(waiters);
    }

    private void ReleaseAppliedReads()
    {
        ulong applied = _keyspace.AppliedIndex;
        for (int i = _readsAwaitingApply.Count - 1; i >= 0; i--)
        {
            ClusterWaiter waiter = _readsAwaitingApply[i];
            if (waiter.ReadIndex <= applied)
            {
                _readsAwaitingApply.RemoveAt(i);
                waiter.Complete();
            }
        }
    }

    private void ExpireWaits()
    {
        long now = NowMs();
        _keyspace.ExpireWaits(now, "TIMEOUT the write was not confirmed in time; it may or may not have been applied");
        ulong term = _data.Raft.Term;
        for (int i = _readBatches.Count - 1; i >= 0; i--)
        {
            ReadBatch batch = _readBatches[i];
            if (batch.Term != term || batch.Waiters[0].DeadlineMs <= now)
            {
                // A leader change drops the core's pending reads; a read has no effect, so failing it is safe.
                _readBatches.RemoveAt(i);
                FailReads(batch.Waiters, batch.Term != term
                    ? "TRYAGAIN the leader changed while confirming the read; retry it"
                    : "TIMEOUT the read could not be confirmed by a majority in time; retry it");
                ReturnReadList(batch.Waiters);
            }
        }

        for (int i = _readsAwaitingApply.Count - 1; i >= 0; i--)
        {
            ClusterWaiter waiter = _readsAwaitingApply[i];
            if (waiter.DeadlineMs <= now)
            {
                _readsAwaitingApply.RemoveAt(i);
                waiter.Error = "TIMEOUT this replica did not catch up to the read's index in time; retry it";
                waiter.Complete();
            }
        }
    }

    /// <summary>At shutdown, after the Raft thread stopped: nobody is left to finish the waits.</summary>
    private void FailAllWaits()
    {
        _keyspace.ExpireWaits(long.MaxValue, "TIMEOUT the node is shutting down; the write may or may not have been applied");
        const string ReadError = "TRYAGAIN the node is shutting down; retry the read elsewhere";
        foreach (ReadBatch batch in _readBatches)
        {
            FailReads(batch.Waiters, ReadError);
        }

        _readBatches.Clear();
        FailReads(_readsAwaitingApply, ReadError);
        _readsAwaitingApply.Clear();
        lock (_inboxLock)
        {
            FailReads(_inReads, ReadError);
            _inReads.Clear();
        }
    }

    private void PublishStatusIfChanged(bool ticked)
    {
        bool changed = ticked;
        foreach (ReplicatedGroup group in _groupList)
        {
            var now = (group.Raft.Role, group.Raft.Term, group.Raft.Leader);
            if (now != group.Published)
            {
                if (group.Published.Leader != now.Leader && group == _data)
                {
                    _log($"cluster: group {group.GroupId} term {now.Term}: leader is {(now.Leader == 0 ? "unknown" : $"node {now.Leader}")}" +
                        (now.Role == RaftRole.Leader ? " (this node)" : ""));
                }

                group.Published = now;
                changed = true;
            }
        }

        if (changed)
        {
            Status = BuildStatus();
        }
    }

    private ClusterStatus BuildStatus()
    {
        var groups = new List<GroupStatus>(_groupList?.Length ?? 0);
        if (_groupList is null)
        {
            return new ClusterStatus(NodeId, groups);
        }

        foreach (ReplicatedGroup group in _groupList)
        {
            if (!group.HasRaft)
            {
                continue;
            }

            RawNode raft = group.Raft;
            var progress = new List<MemberProgress>();
            if (raft.Role == RaftRole.Leader)
            {
                foreach (ClusterMember member in Members)
                {
                    if (raft.TryGetProgress(member.Id, out ProgressStatus status))
                    {
                        progress.Add(new MemberProgress(member.Id, status.Match, status.IsLearner, status.HeardRecently));
                    }
                }
            }

            groups.Add(new GroupStatus(group.GroupId, raft.Role, raft.Term, raft.Leader, raft.CommitIndex,
                group.Machine.AppliedIndex, raft.LastIndex, group.Log.SnapshotIndex, group.ConfState, progress));
        }

        return new ClusterStatus(NodeId, groups);
    }

    private readonly record struct ReadyWork(ReplicatedGroup Group, Ready Ready);

    private readonly record struct ReadBatch(ulong Context, ulong Term, List<ClusterWaiter> Waiters);
}
