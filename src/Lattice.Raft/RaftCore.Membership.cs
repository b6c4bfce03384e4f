using Lattice.Common;
using Lattice.Raft.ConfChange;
using Lattice.Raft.Tracker;

namespace Lattice.Raft;

/// <summary>
/// Membership changes take effect when their entry is applied (as in etcd), one at a time: the leader refuses a
/// new change while an earlier one is unapplied, and leaves an auto-leave joint config by itself.
/// </summary>
internal sealed partial class RaftCore
{
    public bool ProposeConfChange(ConfChangeRequest request)
    {
        if (Role != RaftRole.Leader || PendingConfIndex > Log.Applied)
        {
            return false;
        }

        bool joint = Tracker.Config.Voters.IsJoint;
        if (joint != request.IsLeaveJoint)
        {
            // Entering a second joint config, or leaving one we are not in, is refused.
            return false;
        }

        return Propose(EntryType.ConfChange, request.Encode());
    }

    /// <summary>Applies a committed change; an invalid one is refused identically on every replica.</summary>
    public ConfState ApplyConfChange(ConfChangeRequest request)
    {
        if (!ConfChanger.TryApply(Tracker.Config, request, out ClusterConfig next, out _))
        {
            return Tracker.Config.ToConfState();
        }

        Tracker.SetConfig(next, Log.LastIndex() + 1);
        IsLearner = next.IsLearner(Id);
        Invariant.Check(!(IsLearner && next.Voters.Contains(Id)), "a node is either a voter or a learner");
        if (Role != RaftRole.Leader)
        {
            return next.ToConfState();
        }

        if (!next.Voters.Contains(Id))
        {
            // Removed or demoted: keep leading just long enough to tell the others the change committed (they may
            // still be in the joint config and need it), and hand leadership to the most caught-up voter.
            TransferToBestVoter();
        }

        if (LeadTransferee != 0 && !next.Voters.Contains(LeadTransferee))
        {
            LeadTransferee = 0;
        }

        if (MaybeCommit())
        {
            BroadcastAppend();
        }
        else
        {
            _broadcastPending = true;
        }

        return next.ToConfState();
    }

    /// <summary>A leader that is no longer a voter hands over to the voter with the highest match index.</summary>
    private void TransferToBestVoter()
    {
        ulong best = 0;
        ulong bestMatch = 0;
        foreach (ulong id in Tracker.Ids)
        {
            var progress = Tracker.Get(id);
            if (id != Id && Tracker.Config.Voters.Contains(id) && (best == 0 || progress.Match > bestMatch))
            {
                best = id;
                bestMatch = progress.Match;
            }
        }

        if (best != 0 && LeadTransferee == 0)
        {
            StartTransfer(best);
        }
    }

    /// <summary>Leaves an auto-leave joint config once the change that entered it has been applied.</summary>
    public void MaybeAutoLeave()
    {
        if (Role == RaftRole.Leader && Tracker.Config.AutoLeave && Log.Applied >= PendingConfIndex)
        {
            ProposeConfChange(ConfChangeRequest.LeaveJoint);
        }
    }

    public void ReduceUncommittedBytes(long appliedBytes)
    {
        _uncommittedBytes = Math.Max(0, _uncommittedBytes - appliedBytes);
    }
}
