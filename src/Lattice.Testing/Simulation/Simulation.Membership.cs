using Lattice.Raft;
using Lattice.Raft.ConfChange;

namespace Lattice.Testing.Simulation;

/// <summary>Membership changes and leadership transfers, issued at random while faults are going on.</summary>
internal sealed partial class Simulation
{
    private void MaybeChangeMembership()
    {
        if (_random.NextDouble() >= _config.MembershipRate * ControlIntervalUnits || FindLeader() is not { } leader)
        {
            return;
        }

        ConfChangeRequest? request = PickConfChange(leader);
        if (request is not null && leader.Raft!.ProposeConfChange(request))
        {
            _trace.Note(Now, TraceKind.ConfChange, leader.Id, leader.Raft.Term, leader.Raft.LastIndex, "propose " + request);
            Pump(leader);
        }
    }

    private ConfChangeRequest? PickConfChange(SimulatedNode leader)
    {
        ConfState conf = leader.Conf;
        if (conf.IsJoint)
        {
            return conf.AutoLeave ? null : ConfChangeRequest.LeaveJoint;
        }

        var others = new List<ulong>();
        foreach (SimulatedNode node in _nodes)
        {
            if (!conf.IsMember(node.Id))
            {
                others.Add(node.Id);
            }
        }

        int minVoters = _nodes.Length >= 5 ? 3 : 2;
        switch (_random.NextInt(5))
        {
            case 0 when others.Count > 0:
                return ConfChangeRequest.Single(ConfChangeType.AddLearner, others[_random.NextInt(others.Count)]);
            case 1 when conf.Learners.Length > 0:
                return PromoteCaughtUpLearner(leader, conf);
            case 2 when conf.Voters.Length > minVoters:
                return ConfChangeRequest.Single(ConfChangeType.AddLearner, conf.Voters[_random.NextInt(conf.Voters.Length)]);
            case 3 when conf.Learners.Length > 0:
                return ConfChangeRequest.Single(ConfChangeType.RemoveNode, conf.Learners[_random.NextInt(conf.Learners.Length)]);
            case 4 when conf.Learners.Length > 0:
                // Replace a voter by a learner in one joint change.
                ulong outgoing = conf.Voters[_random.NextInt(conf.Voters.Length)];
                ulong incoming = conf.Learners[_random.NextInt(conf.Learners.Length)];
                var transition = (ConfChangeTransition)_random.NextInt(3);
                return new ConfChangeRequest(transition,
                    [new ConfChangeSingle(ConfChangeType.AddLearner, outgoing), new ConfChangeSingle(ConfChangeType.AddVoter, incoming)]);
            default:
                return null;
        }
    }

    /// <summary>Promote a learner only once it holds what the leader has committed.</summary>
    private ConfChangeRequest? PromoteCaughtUpLearner(SimulatedNode leader, ConfState conf)
    {
        ulong learner = conf.Learners[_random.NextInt(conf.Learners.Length)];
        if (leader.Raft!.TryGetProgress(learner, out ProgressStatus status) && status.Match >= leader.Raft.CommitIndex)
        {
            return ConfChangeRequest.Single(ConfChangeType.AddVoter, learner);
        }

        return null;
    }

    private void MaybeTransferLeadership()
    {
        if (_random.NextDouble() >= _config.TransferRate * ControlIntervalUnits || FindLeader() is not { } leader)
        {
            return;
        }

        ulong[] voters = leader.Conf.Voters;
        ulong target = voters[_random.NextInt(voters.Length)];
        if (target == leader.Id)
        {
            return;
        }

        _trace.Note(Now, TraceKind.Transfer, leader.Id, leader.Raft!.Term, target, $"transfer to {target}");
        leader.Raft.TransferLeader(target);
        Pump(leader);
    }
}
