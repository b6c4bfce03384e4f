using Lattice.Raft.ConfChange;
using Lattice.Raft.Tracker;

namespace Lattice.Raft.Tests.ConfChange;

public sealed class ConfChangerTests
{
    private static ClusterConfig Voters(params ulong[] ids) => ClusterConfig.FromConfState(ConfState.FromVoters(ids));

    [Fact]
    public void A_single_voter_change_applies_directly()
    {
        Assert.True(ConfChanger.TryApply(Voters(1, 2, 3), ConfChangeRequest.Single(ConfChangeType.AddVoter, 4), out ClusterConfig next, out _));
        Assert.False(next.Voters.IsJoint);
        Assert.Equal([1ul, 2, 3, 4], next.Voters.Incoming.Voters.ToArray());
    }

    [Fact]
    public void Replacing_a_voter_goes_through_a_joint_config_and_demotes_via_learners_next()
    {
        var replace = new ConfChangeRequest(ConfChangeTransition.Auto,
            [new ConfChangeSingle(ConfChangeType.AddLearner, 3), new ConfChangeSingle(ConfChangeType.AddVoter, 4)]);
        Assert.True(ConfChanger.TryApply(Voters(1, 2, 3), replace, out ClusterConfig joint, out _));
        Assert.True(joint.Voters.IsJoint);
        Assert.True(joint.AutoLeave);
        Assert.Equal([1ul, 2, 4], joint.Voters.Incoming.Voters.ToArray());
        Assert.Equal([1ul, 2, 3], joint.Voters.Outgoing.Voters.ToArray());
        // Node 3 still votes in the outgoing config, so it is not a learner yet.
        Assert.Equal([3ul], joint.LearnersNext);
        Assert.False(joint.IsLearner(3));

        Assert.True(ConfChanger.TryApply(joint, ConfChangeRequest.LeaveJoint, out ClusterConfig left, out _));
        Assert.False(left.Voters.IsJoint);
        Assert.Equal([3ul], left.Learners);
        Assert.Empty(left.LearnersNext);
    }

    [Fact]
    public void Invalid_changes_are_refused_with_a_reason()
    {
        Assert.False(ConfChanger.TryApply(Voters(1), ConfChangeRequest.Single(ConfChangeType.RemoveNode, 1), out _, out string error));
        Assert.Contains("every voter", error, StringComparison.Ordinal);
        Assert.False(ConfChanger.TryApply(Voters(1, 2), ConfChangeRequest.Single(ConfChangeType.AddVoter, 0), out _, out error));
        Assert.Contains("reserved", error, StringComparison.Ordinal);
        Assert.False(ConfChanger.TryApply(Voters(1, 2), ConfChangeRequest.LeaveJoint, out _, out error));
        Assert.Contains("not in a joint", error, StringComparison.Ordinal);

        var joint = new ConfChangeRequest(ConfChangeTransition.JointExplicit, [new ConfChangeSingle(ConfChangeType.AddVoter, 3)]);
        Assert.True(ConfChanger.TryApply(Voters(1, 2), joint, out ClusterConfig inJoint, out _));
        Assert.False(inJoint.AutoLeave);
        Assert.False(ConfChanger.TryApply(inJoint, joint, out _, out error));
        Assert.Contains("already", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Requests_round_trip_through_their_encoding_and_garbage_is_rejected()
    {
        var request = new ConfChangeRequest(ConfChangeTransition.JointImplicit,
            [new ConfChangeSingle(ConfChangeType.AddLearner, 7), new ConfChangeSingle(ConfChangeType.RemoveNode, 9)]);
        Assert.True(ConfChangeRequest.TryDecode(request.Encode(), out ConfChangeRequest decoded));
        Assert.Equal(request.Transition, decoded.Transition);
        Assert.Equal(request.Changes, decoded.Changes);
        Assert.False(ConfChangeRequest.TryDecode([1, 9, 0, 0], out _));
        Assert.False(ConfChangeRequest.TryDecode([1, 0, 5, 0], out _));
    }
}
