using Lattice.Common;

namespace Lattice.Raft;

internal sealed partial class RaftCore
{
    private bool _transferCampaignPending;

    private void StepFollower(ref RaftMessage message)
    {
        switch (message.Type)
        {
            case MessageType.Append:
                _electionElapsedTicks = 0;
                Leader = message.From;
                HandleAppend(ref message);
                return;
            case MessageType.Heartbeat:
                _electionElapsedTicks = 0;
                Leader = message.From;
                HandleHeartbeat(ref message);
                return;
            case MessageType.SnapshotChunk:
                _electionElapsedTicks = 0;
                Leader = message.From;
                HandleSnapshotChunk(ref message);
                return;
            case MessageType.TimeoutNow:
                // Leadership transfer: campaign at once, skipping the pre-vote, with votes forced past leases.
                // The change that triggered the transfer may still be unapplied here: then campaign once it is.
                _transferCampaignPending = HasUnappliedConfChange();
                Hup(transfer: true);
                return;
            case MessageType.TransferLeader:
            case MessageType.ReadIndex:
                ForwardToLeader(ref message);
                return;
            case MessageType.ReadIndexResponse:
                _readStates.Add(new ReadState(message.Index, message.Context));
                return;
        }
    }

    /// <summary>Called after entries are applied: finish a transfer campaign that had to wait for them.</summary>
    public void MaybeCampaignAfterApply()
    {
        if (_transferCampaignPending && Role == RaftRole.Follower && !HasUnappliedConfChange())
        {
            _transferCampaignPending = false;
            Hup(transfer: true);
        }
    }

    private void ForwardToLeader(ref RaftMessage message)
    {
        if (Leader == 0 || Leader == Id)
        {
            return;
        }

        RaftMessage forwarded = message;
        forwarded.To = Leader;
        forwarded.Term = 0;
        // The leader answers a forwarded read to the node that asked; From is that node.
        Send(forwarded);
    }

    /// <summary>AppendEntries receiver rules (§5.3): accept if the previous entry matches, else reject with a hint.</summary>
    private void HandleAppend(ref RaftMessage message)
    {
        if (message.Index < Log.Committed)
        {
            Send(new RaftMessage { To = message.From, Type = MessageType.AppendResponse, Index = Log.Committed });
            return;
        }

        ulong lastNewIndex = Log.MaybeAppend(message.Index, message.LogTerm, message.Commit, message.Entries.Span);
        if (lastNewIndex != 0)
        {
            Send(new RaftMessage { To = message.From, Type = MessageType.AppendResponse, Index = lastNewIndex });
            return;
        }

        // Hint: the largest index at or below the leader's probe whose term is at most the leader's term there.
        ulong hintIndex = Math.Min(message.Index, Log.LastIndex());
        (hintIndex, ulong hintTerm) = Log.FindConflictByTerm(hintIndex, message.LogTerm);
        Invariant.Check(hintIndex <= message.Index, "reject hint beyond the probed index");
        Send(new RaftMessage
        {
            To = message.From, Type = MessageType.AppendResponse, Index = message.Index, Reject = true,
            RejectHint = hintIndex, LogTerm = hintTerm,
        });
    }

    private void HandleHeartbeat(ref RaftMessage message)
    {
        // The leader sends min(match, commit), so this never commits an entry we do not hold from it.
        Log.CommitTo(Math.Min(message.Commit, Log.LastIndex()));
        Send(new RaftMessage
        {
            To = message.From, Type = MessageType.HeartbeatResponse, Context = message.Context, SentTick = message.SentTick,
        });
    }
}
