using Lattice.Common;
using Lattice.Raft.Quorum;

namespace Lattice.Raft.Tracker;

/// <summary>
/// An immutable membership: voters (possibly joint), learners, and learners-to-be (voters demoted when the
/// joint config is left). A node is never both a voter and a learner.
/// </summary>
public sealed class ClusterConfig
{
    public ClusterConfig(JointConfig voters, ulong[] learners, ulong[] learnersNext, bool autoLeave)
    {
        Voters = voters;
        Learners = Sorted(learners);
        LearnersNext = Sorted(learnersNext);
        AutoLeave = autoLeave;
        foreach (ulong id in Learners)
        {
            Invariant.Check(!voters.Contains(id), "a learner cannot also be a voter");
        }

        Invariant.Check(!autoLeave || voters.IsJoint, "auto-leave only applies to joint configs");
    }

    public static ClusterConfig Empty { get; } =
        new(new JointConfig(MajorityConfig.Empty, MajorityConfig.Empty), [], [], false);

    public JointConfig Voters { get; }

    public ulong[] Learners { get; }

    public ulong[] LearnersNext { get; }

    public bool AutoLeave { get; }

    /// <summary>Learners only; a node in LearnersNext still votes in the outgoing config until the joint config ends.</summary>
    public bool IsLearner(ulong id) => Array.IndexOf(Learners, id) >= 0;


    public bool IsMember(ulong id) => Voters.Contains(id) || IsLearner(id) || Array.IndexOf(LearnersNext, id) >= 0;

    public static ClusterConfig FromConfState(ConfState state) =>
        new(new JointConfig(new MajorityConfig(state.Voters), new MajorityConfig(state.VotersOutgoing)),
            state.Learners, state.LearnersNext, state.AutoLeave);

    public ConfState ToConfState() =>
        new(Voters.Incoming.Voters.ToArray(), Voters.Outgoing.Voters.ToArray(), Learners, LearnersNext, AutoLeave);

    /// <summary>Every member id in ascending order.</summary>
    public ulong[] AllIds()
    {
        var ids = new SortedSet<ulong>();
        foreach (ulong id in Voters.Incoming.Voters)
        {
            ids.Add(id);
        }

        foreach (ulong id in Voters.Outgoing.Voters)
        {
            ids.Add(id);
        }

        ids.UnionWith(Learners);
        ids.UnionWith(LearnersNext);
        var result = new ulong[ids.Count];
        ids.CopyTo(result);
        return result;
    }

    private static ulong[] Sorted(ulong[] ids)
    {
        ulong[] copy = (ulong[])ids.Clone();
        Array.Sort(copy);
        return copy;
    }

    public override string ToString() => ToConfState().ToString();
}
