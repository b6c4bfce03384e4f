using Lattice.Common;
using Lattice.Raft.Quorum;

namespace Lattice.Raft;

internal sealed partial class RaftCore
{
    private void Hup(bool transfer)
    {
        if (Role == RaftRole.Leader || !IsPromotable)
        {
            return;
        }

        // A node must not lead with a config it has not applied yet: committed but unapplied config changes
        // would leave it counting the wrong quorum.
        if (HasUnappliedConfChange())
        {
            return;
        }

        if (_options.PreVote && !transfer)
        {
            Campaign(preVote: true, transfer: false);
        }
        else
        {
            Campaign(preVote: false, transfer);
        }
    }

    private bool HasUnappliedConfChange()
    {
        if (Log.Applied >= Log.Committed)
        {
            return false;
        }

        ulong low = Log.Applied + 1;
        ulong high = Log.Committed + 1;
        while (low < high)
        {
            ReadOnlySpan<Entry> entries = ScratchSlice(low, high, long.MaxValue);
            foreach (ref readonly Entry entry in entries)
            {
                if (entry.Type == EntryType.ConfChange)
                {
                    return true;
                }
            }

            low += (ulong)entries.Length;
        }

        return false;
    }

    private void Campaign(bool preVote, bool transfer)
    {
        ulong term;
        MessageType type;
        if (preVote)
        {
            BecomePreCandidate();
            type = MessageType.PreVote;
            term = Term + 1;
        }
        else
        {
            BecomeCandidate();
            type = MessageType.Vote;
            term = Term;
        }

        if (Poll(Id, true) == VoteResult.Won)
        {
            // Single-voter group: no one else to ask.
            AdvanceCampaign(preVote);
            return;
        }

        ulong lastIndex = Log.LastIndex();
        ulong lastTerm = Log.LastTerm();
        foreach (ulong id in RequestVoteTargets())
        {
            if (id == Id)
            {
                continue;
            }

            Send(new RaftMessage
            {
                To = id, Type = type, Term = term, Index = lastIndex, LogTerm = lastTerm,
                Context = transfer ? RaftMessage.CampaignTransferContext : 0,
            });
        }
    }

    /// <summary>Voters, plus learners when a planted bug lets learners vote.</summary>
    private ReadOnlySpan<ulong> RequestVoteTargets()
    {
        if (Bug == PlantedBug.LearnerVotes)
        {
            return Tracker.Ids;
        }

        var voters = new List<ulong>();
        foreach (ulong id in Tracker.Ids)
        {
            if (Tracker.Config.Voters.Contains(id))
            {
                voters.Add(id);
            }
        }

        return voters.ToArray();
    }

    private void AdvanceCampaign(bool preVote)
    {
        if (preVote)
        {
            Campaign(preVote: false, transfer: false);
        }
        else
        {
            BecomeLeader();
        }
    }

    private VoteResult Poll(ulong id, bool granted)
    {
        Tracker.RecordVote(id, granted);
        if (Bug == PlantedBug.LearnerVotes && Tracker.GrantedVoteCount() >= Tracker.Config.Voters.Incoming.Count / 2 + 1)
        {
            // The planted bug: every grant counts, learners' included.
            return VoteResult.Won;
        }

        return Tracker.TallyVotes();
    }

    private void BecomePreCandidate()
    {
        Invariant.Check(Role != RaftRole.Leader, "a leader does not pre-campaign");
        // Pre-candidates keep their term and vote: a pre-vote disturbs no one (thesis §9.6).
        Tracker.ResetVotes();
        Leader = 0;
        Role = RaftRole.PreCandidate;
    }

    private void BecomeCandidate()
    {
        Invariant.Check(Role != RaftRole.Leader, "a leader does not campaign");
        Reset(Term + 1);
        Vote = Id;
        Role = RaftRole.Candidate;
    }

    private void BecomeLeader()
    {
        Invariant.Check(Role == RaftRole.Candidate, "only a candidate becomes leader");
        Reset(Term);
        Leader = Id;
        Role = RaftRole.Leader;
        if (Tracker.TryGet(Id, out var self))
        {
            self.BecomeReplicate();
            self.MaybeUpdate(Log.PersistedLastIndex());
        }

        // Conservatively treat the tail of the log as holding a config change until it is committed.
        PendingConfIndex = Log.LastIndex();
        // An empty entry of the new term: committing it commits everything before it (§5.4.2).
        AppendEntry(EntryType.Normal, ReadOnlyMemory<byte>.Empty);
        BroadcastAppend();
    }

    private void StepCandidate(ref RaftMessage message)
    {
        MessageType myResponse = Role == RaftRole.PreCandidate ? MessageType.PreVoteResponse : MessageType.VoteResponse;
        switch (message.Type)
        {
            case MessageType.Append:
            case MessageType.Heartbeat:
            case MessageType.SnapshotChunk:
                // Someone won this term (§5.2): follow them.
                BecomeFollower(message.Term, message.From);
                StepFollower(ref message);
                return;
            case MessageType.VoteResponse:
            case MessageType.PreVoteResponse:
                if (message.Type != myResponse)
                {
                    return;
                }

                if (!IsPromotable)
                {
                    // Our own config changed under the campaign: we may no longer lead.
                    BecomeFollower(Term, 0);
                    return;
                }

                VoteResult result = Poll(message.From, !message.Reject);
                if (result == VoteResult.Won)
                {
                    AdvanceCampaign(Role == RaftRole.PreCandidate);
                }
                else if (result == VoteResult.Lost)
                {
                    BecomeFollower(Term, 0);
                }

                return;
        }
    }
}
