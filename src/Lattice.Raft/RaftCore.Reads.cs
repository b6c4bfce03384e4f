using Lattice.Common;

namespace Lattice.Raft;

/// <summary>
/// ReadIndex (thesis §6.4): record the commit index, prove leadership with one heartbeat round acknowledged
/// by a quorum, then let the read proceed once that index is applied. Every read registered before a round
/// is broadcast shares it: rounds are numbered and a peer's acknowledgement of round n confirms all reads up to n.
/// </summary>
internal sealed partial class RaftCore
{
    private readonly Queue<PendingRead> _pendingReads = new();
    private readonly Queue<RaftMessage> _readsWaitingForCommit = new();
    private readonly List<ReadState> _readStates = new();
    private ulong _readSequence;
    private bool _readRoundPending;
    private bool _committedInCurrentTerm;
    private bool _leaseRevoked;

    public List<ReadState> ReadStates => _readStates;

    /// <summary>
    /// Leader, the only voter, and an entry of this term has committed: no other node can lead or commit, and the
    /// commit index is the true one, so a read of state applied up to it needs no read round.
    /// </summary>
    public bool LeadsAlone => Role == RaftRole.Leader && _committedInCurrentTerm && Tracker.IsSingleVoter(Id);

    private void ResetReads()
    {
        _pendingReads.Clear();
        _readsWaitingForCommit.Clear();
        _readRoundPending = false;
        _committedInCurrentTerm = false;
        _leaseRevoked = false;
    }

    private void LeaderReadIndex(ulong from, ulong requestId)
    {
        if (!Tracker.Config.Voters.Contains(Id))
        {
            // A leader that is leaving cannot count itself in a read quorum; the client retries elsewhere.
            return;
        }

        if (Bug == PlantedBug.ReadWithoutLeadershipCheck)
        {
            RespondRead(from, requestId, Log.Committed);
            return;
        }

        if (!_committedInCurrentTerm)
        {
            // Until an entry of this term commits, our commit index may lag the true one (§6.4 step 1). This holds
            // for a single voter too: after a restart its stored commit index may be behind what it acknowledged.
            if (_readsWaitingForCommit.Count < _options.MaxPendingReadRequests)
            {
                _readsWaitingForCommit.Enqueue(new RaftMessage { From = from, Context = requestId });
            }

            return;
        }

        if (Tracker.IsSingleVoter(Id))
        {
            RespondRead(from, requestId, Log.Committed);
            return;
        }

        if (IsLeaseValid())
        {
            RespondRead(from, requestId, Log.Committed);
            return;
        }

        if (_pendingReads.Count >= _options.MaxPendingReadRequests)
        {
            return;
        }

        if (!_readRoundPending)
        {
            _readSequence++;
            _readRoundPending = true;
            Tracker.Get(Id).ReadAckSequence = _readSequence;
        }

        _pendingReads.Enqueue(new PendingRead(requestId, from, Log.Committed, _readSequence));
    }

    private void ReleaseReadsWaitingForCommit()
    {
        int count = _readsWaitingForCommit.Count;
        for (int i = 0; i < count; i++)
        {
            RaftMessage waiting = _readsWaitingForCommit.Dequeue();
            LeaderReadIndex(waiting.From, waiting.Context);
        }
    }

    /// <summary>Releases every read whose round a quorum has acknowledged.</summary>
    private void ConfirmReads()
    {
        ulong confirmed = Tracker.QuorumReadAckSequence();
        while (_pendingReads.Count > 0 && _pendingReads.Peek().Sequence <= confirmed)
        {
            PendingRead read = _pendingReads.Dequeue();
            RespondRead(read.From, read.RequestId, read.Index);
        }
    }

    private void RespondRead(ulong from, ulong requestId, ulong index)
    {
        Invariant.Check(index <= Log.Committed, "a read index is a commit index");
        if (from == Id || from == 0)
        {
            _readStates.Add(new ReadState(index, requestId));
            return;
        }

        Send(new RaftMessage { To = from, Type = MessageType.ReadIndexResponse, Index = index, Context = requestId });
    }

    /// <summary>
    /// The lease holds while a quorum acknowledged a heartbeat sent less than (election timeout − drift bound)
    /// ticks ago: those followers will not vote for anyone else before their election timeout runs out.
    /// </summary>
    private bool IsLeaseValid()
    {
        if (_options.ReadOnlyMode != ReadOnlyMode.LeaseBased || _leaseRevoked || LeadTransferee != 0)
        {
            return false;
        }

        if (!Tracker.TryGet(Id, out var self))
        {
            return false;
        }

        self.LeaseContactTick = (ulong)TickCount + 1;
        ulong contact = Tracker.QuorumLeaseContactTick();
        if (contact == 0 || contact == ulong.MaxValue)
        {
            return false;
        }

        long sentTick = (long)contact - 1;
        return TickCount - sentTick < _options.ElectionTimeoutTicks - _options.MaxClockDriftTicks;
    }
}
