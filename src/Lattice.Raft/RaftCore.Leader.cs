using Lattice.Common;
using Lattice.Raft.Tracker;

namespace Lattice.Raft;

internal sealed partial class RaftCore
{
    private void StepLeader(ref RaftMessage message)
    {
        switch (message.Type)
        {
            case MessageType.Beat:
                BroadcastHeartbeat();
                return;
            case MessageType.CheckQuorum:
                CheckQuorumRound();
                return;
            case MessageType.ReadIndex:
                LeaderReadIndex(message.From, message.Context);
                return;
            case MessageType.TransferLeader:
                StartTransfer(message.Context);
                return;
        }

        if (!Tracker.TryGet(message.From, out Progress? progress))
        {
            return;
        }

        progress.RecentActive = true;
        switch (message.Type)
        {
            case MessageType.AppendResponse:
                HandleAppendResponse(ref message, progress);
                break;
            case MessageType.HeartbeatResponse:
                HandleHeartbeatResponse(ref message, progress);
                break;
            case MessageType.SnapshotChunkResponse:
                HandleSnapshotChunkResponse(ref message, progress);
                break;
        }
    }

    /// <summary>CheckQuorum: a leader that has not heard from a quorum in an election timeout steps down.</summary>
    private void CheckQuorumRound()
    {
        if (!Tracker.QuorumActive(Id))
        {
            BecomeFollower(Term, 0);
            return;
        }

        foreach (ulong id in Tracker.Ids)
        {
            if (id != Id)
            {
                Progress progress = Tracker.Get(id);
                progress.ActiveInPreviousRound = progress.RecentActive;
                progress.RecentActive = false;
            }
        }
    }

    /// <summary>Appends a proposal to the leader's log; false when dropped (transfer, limits).</summary>
    public bool Propose(EntryType type, ReadOnlyMemory<byte> data)
    {
        if (Role != RaftRole.Leader || LeadTransferee != 0)
        {
            return false;
        }

        // A leader on its way out (not in the incoming voters) takes no new data: its log must not grow past
        // the change that removes it, or the remaining voters could need its vote and never get it.
        bool allowed = type == EntryType.ConfChange ? Tracker.Config.Voters.Contains(Id) : Tracker.Config.Voters.Incoming.Contains(Id);
        if (!allowed)
        {
            return false;
        }

        if (_options.MaxUncommittedEntriesBytes > 0 && _uncommittedBytes > 0 &&
            _uncommittedBytes + data.Length > _options.MaxUncommittedEntriesBytes)
        {
            return false;
        }

        if (Log.Unstable.Entries.Count >= _options.MaxProposalsPerReady)
        {
            return false;
        }

        AppendEntry(type, data);
        // Batching: one append per follower carries every proposal made before the next Ready.
        _broadcastPending = true;
        return true;
    }

    private void AppendEntry(EntryType type, ReadOnlyMemory<byte> data)
    {
        ulong index = Log.LastIndex() + 1;
        Span<Entry> one = [new Entry(Term, index, type, data)];
        Log.Append(one);
        _uncommittedBytes += data.Length;
        if (type == EntryType.ConfChange)
        {
            PendingConfIndex = index;
        }

        if (Bug == PlantedBug.ApplyBeforePersist)
        {
            // The planted bug: the leader counts an entry it has only in memory.
            if (Tracker.TryGet(Id, out Progress? self))
            {
                self.MaybeUpdate(index);
                MaybeCommit();
            }
        }
    }

    /// <summary>Commit what a quorum has; only by counting replicas of a current-term entry (§5.4.2).</summary>
    private bool MaybeCommit()
    {
        ulong quorumIndex = Tracker.Committed();
        if (quorumIndex == ulong.MaxValue)
        {
            return false;
        }

        bool requireCurrentTerm = Bug != PlantedBug.CommitPreviousTermEntry;
        ulong before = Log.Committed;
        bool committed = Log.MaybeCommit(Math.Min(quorumIndex, Log.LastIndex()), Term, requireCurrentTerm);
        if (committed && !_committedInCurrentTerm && Log.TermOrZero(Log.Committed) == Term)
        {
            _committedInCurrentTerm = true;
            ReleaseReadsWaitingForCommit();
        }

        Invariant.Check(Log.Committed >= before, "commit index moved backwards");
        return committed;
    }

    /// <summary>The host persisted the leader's log up to <paramref name="index"/>: count ourselves now.</summary>
    public void SelfPersisted(ulong index)
    {
        if (Role != RaftRole.Leader || !Tracker.TryGet(Id, out Progress? self))
        {
            return;
        }

        if (self.MaybeUpdate(index) && MaybeCommit())
        {
            BroadcastAppend();
        }
    }

    private void HandleAppendResponse(ref RaftMessage message, Progress progress)
    {
        if (message.Reject)
        {
            // Fast backtracking: skip every index the follower's hint proves cannot match.
            (ulong nextProbeIndex, _) = Log.FindConflictByTerm(Math.Min(message.RejectHint, Log.LastIndex()), message.LogTerm);
            if (progress.MaybeDecreaseTo(message.Index, nextProbeIndex))
            {
                if (progress.State == ProgressState.Replicate)
                {
                    progress.BecomeProbe();
                }

                SendAppend(message.From, sendIfEmpty: true);
            }

            return;
        }

        bool wasPaused = progress.IsPaused;
        if (!progress.MaybeUpdate(message.Index))
        {
            return;
        }

        UpdateStateAfterAck(progress);
        if (MaybeCommit())
        {
            BroadcastAppend();
        }
        else if (wasPaused)
        {
            SendAppend(message.From, sendIfEmpty: false);
        }

        // Keep the pipeline full: send until the window is full or nothing is left.
        for (int i = 0; i < _options.MaxInflightMessages && SendAppend(message.From, sendIfEmpty: false); i++)
        {
        }

        if (message.From == LeadTransferee && progress.Match == Log.LastIndex())
        {
            SendTimeoutNow(message.From);
        }
    }

    private static void UpdateStateAfterAck(Progress progress)
    {
        switch (progress.State)
        {
            case ProgressState.Probe:
                progress.BecomeReplicate();
                break;
            case ProgressState.Snapshot when progress.Match >= progress.PendingSnapshotIndex:
                progress.BecomeProbe();
                progress.BecomeReplicate();
                break;
            case ProgressState.Replicate:
                progress.Inflights.FreeLessOrEqual(progress.Match);
                break;
        }
    }

    private void HandleHeartbeatResponse(ref RaftMessage message, Progress progress)
    {
        progress.ProbeSent = false;
        if (progress.State == ProgressState.Replicate && progress.Inflights.IsFull)
        {
            progress.Inflights.FreeFirstOne();
        }

        if (progress.State == ProgressState.Snapshot)
        {
            // The chunk in flight may have been lost: send it again.
            SendSnapshotChunk(message.From, progress);
        }
        else if (progress.Match < Log.LastIndex())
        {
            SendAppend(message.From, sendIfEmpty: true);
        }

        progress.LeaseContactTick = Math.Max(progress.LeaseContactTick, (ulong)message.SentTick + 1);
        if (message.Context > progress.ReadAckSequence)
        {
            progress.ReadAckSequence = message.Context;
            ConfirmReads();
        }
    }

    /// <summary>Sends the next append to a peer; false when paused or there is nothing to send.</summary>
    private bool SendAppend(ulong to, bool sendIfEmpty)
    {
        Progress progress = Tracker.Get(to);
        if (progress.IsPaused)
        {
            return false;
        }

        ulong previousIndex = progress.Next - 1;
        ulong lastIndex = Log.LastIndex();
        if (!Log.TryGetTerm(previousIndex, out ulong previousTerm) ||
            !TryCollect(progress.Next, lastIndex + 1, _options.MaxBytesPerMessage, out ReadOnlyMemory<Entry> entries))
        {
            return StartSnapshot(to, progress);
        }

        if (entries.IsEmpty && !sendIfEmpty)
        {
            return false;
        }

        Send(new RaftMessage
        {
            To = to, Type = MessageType.Append, Index = previousIndex, LogTerm = previousTerm,
            Entries = entries, Commit = Log.Committed,
        });
        RecordSent(progress, entries.Span);
        return true;
    }

    private static void RecordSent(Progress progress, ReadOnlySpan<Entry> entries)
    {
        if (progress.State == ProgressState.Replicate && entries.Length > 0)
        {
            long bytes = 0;
            foreach (ref readonly Entry entry in entries)
            {
                bytes += entry.SizeBytes;
            }

            ulong last = entries[^1].Index;
            progress.OptimisticUpdate(last);
            progress.Inflights.Add(last, bytes);
        }
        else if (progress.State == ProgressState.Probe)
        {
            progress.ProbeSent = true;
        }
    }

    private void BroadcastHeartbeat()
    {
        foreach (ulong id in Tracker.Ids)
        {
            if (id == Id)
            {
                continue;
            }

            // Never tell a follower to commit past what it is known to hold.
            ulong commit = Math.Min(Tracker.Get(id).Match, Log.Committed);
            Send(new RaftMessage
            {
                To = id, Type = MessageType.Heartbeat, Commit = commit, Context = _readSequence, SentTick = TickCount,
            });
        }
    }

    private void StartTransfer(ulong transferee)
    {
        if (transferee == Id || !Tracker.TryGet(transferee, out Progress? progress) || progress.IsLearner)
        {
            return;
        }

        if (LeadTransferee == transferee)
        {
            return;
        }

        LeadTransferee = transferee;
        _electionElapsedTicks = 0;
        if (progress.Match == Log.LastIndex())
        {
            SendTimeoutNow(transferee);
        }
        else
        {
            SendAppend(transferee, sendIfEmpty: true);
        }
    }

    private void SendTimeoutNow(ulong to)
    {
        // After this the transferee may win without waiting out our lease, so stop serving lease reads.
        _leaseRevoked = true;
        Send(new RaftMessage { To = to, Type = MessageType.TimeoutNow });
    }
}
