using Lattice.Raft.Quorum;
using Lattice.Raft.Tracker;

namespace Lattice.Raft.ConfChange;

/// <summary>
/// Pure membership transitions: a simple change (at most one voter added or removed), entering a joint config
/// (any number of changes; old and new voters must both agree until it is left), and leaving it. Invalid
/// requests are refused with a reason, deterministically, so every replica refuses the same entry.
/// </summary>
public static class ConfChanger
{
    public static bool TryApply(ClusterConfig config, ConfChangeRequest request, out ClusterConfig result, out string error)
    {
        result = config;
        if (request.IsLeaveJoint)
        {
            if (!config.Voters.IsJoint)
            {
                error = "not in a joint config";
                return false;
            }

            result = LeaveJoint(config);
            error = "";
            return true;
        }

        if (config.Voters.IsJoint)
        {
            error = "already in a joint config";
            return false;
        }

        foreach (ConfChangeSingle change in request.Changes)
        {
            if (change.NodeId == 0)
            {
                error = "node id 0 is reserved";
                return false;
            }
        }

        bool simple = request.Transition == ConfChangeTransition.Auto && VoterChanges(config, request.Changes) <= 1;
        return simple
            ? TrySimple(config, request.Changes, out result, out error)
            : TryEnterJoint(config, request, out result, out error);
    }

    /// <summary>How many voters a list of changes would add or remove.</summary>
    public static int VoterChanges(ClusterConfig config, ConfChangeSingle[] changes)
    {
        var voters = new HashSet<ulong>(config.Voters.Incoming.Voters.ToArray());
        var after = new HashSet<ulong>(voters);
        foreach (ConfChangeSingle change in changes)
        {
            if (change.Type == ConfChangeType.AddVoter)
            {
                after.Add(change.NodeId);
            }
            else
            {
                after.Remove(change.NodeId);
            }
        }

        after.SymmetricExceptWith(voters);
        return after.Count;
    }

    private static bool TrySimple(ClusterConfig config, ConfChangeSingle[] changes, out ClusterConfig result, out string error)
    {
        var incoming = new HashSet<ulong>(config.Voters.Incoming.Voters.ToArray());
        var learners = new HashSet<ulong>(config.Learners);
        var learnersNext = new HashSet<ulong>();
        ApplyChanges(changes, incoming, new HashSet<ulong>(), learners, learnersNext);
        result = config;
        if (incoming.Count == 0)
        {
            error = "removing every voter";
            return false;
        }

        result = new ClusterConfig(
            new JointConfig(new MajorityConfig(ToArray(incoming)), MajorityConfig.Empty), ToArray(learners), [], false);
        error = "";
        return true;
    }

    private static bool TryEnterJoint(ClusterConfig config, ConfChangeRequest request, out ClusterConfig result, out string error)
    {
        MajorityConfig outgoing = config.Voters.Incoming;
        result = config;
        if (outgoing.Count == 0)
        {
            error = "cannot enter a joint config from an empty one";
            return false;
        }

        var incoming = new HashSet<ulong>(outgoing.Voters.ToArray());
        var learners = new HashSet<ulong>(config.Learners);
        var learnersNext = new HashSet<ulong>();
        ApplyChanges(request.Changes, incoming, new HashSet<ulong>(outgoing.Voters.ToArray()), learners, learnersNext);
        if (incoming.Count == 0)
        {
            error = "removing every voter";
            return false;
        }

        result = new ClusterConfig(
            new JointConfig(new MajorityConfig(ToArray(incoming)), outgoing),
            ToArray(learners), ToArray(learnersNext), request.AutoLeave);
        error = "";
        return true;
    }

    private static ClusterConfig LeaveJoint(ClusterConfig config)
    {
        var learners = new HashSet<ulong>(config.Learners);
        learners.UnionWith(config.LearnersNext);
        return new ClusterConfig(
            new JointConfig(config.Voters.Incoming, MajorityConfig.Empty), ToArray(learners), [], false);
    }

    private static void ApplyChanges(
        ConfChangeSingle[] changes, HashSet<ulong> incoming, HashSet<ulong> outgoing, HashSet<ulong> learners, HashSet<ulong> learnersNext)
    {
        foreach (ConfChangeSingle change in changes)
        {
            ulong id = change.NodeId;
            incoming.Remove(id);
            learners.Remove(id);
            learnersNext.Remove(id);
            if (change.Type == ConfChangeType.AddVoter)
            {
                incoming.Add(id);
            }
            else if (change.Type == ConfChangeType.AddLearner)
            {
                // A voter of the outgoing config keeps voting there until the joint config is left.
                (outgoing.Contains(id) ? learnersNext : learners).Add(id);
            }
        }
    }

    private static ulong[] ToArray(HashSet<ulong> set)
    {
        var array = new ulong[set.Count];
        set.CopyTo(array);
        Array.Sort(array);
        return array;
    }
}
