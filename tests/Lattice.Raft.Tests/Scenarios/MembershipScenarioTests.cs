using Lattice.Raft.ConfChange;

namespace Lattice.Raft.Tests.Scenarios;

public sealed class MembershipScenarioTests
{
    /// <summary>
    /// Thesis §4.2.1: new servers join as non-voting members until caught up. Learners receive the log but never
    /// vote and never count toward a quorum.
    /// </summary>
    [Fact]
    public void A_learner_catches_up_and_does_not_count_toward_commit()
    {
        var cluster = new TestCluster(voters: 1, learners: 1);
        cluster.Elect(1);
        cluster.Propose(1, "a");
        Assert.Equal(["a"], cluster[2].AppliedTexts());
        Assert.True(cluster[2].Raft.IsLearner);

        // With the learner cut off, the single voter still commits alone.
        cluster.Isolate(2);
        cluster.Propose(1, "b");
        Assert.Equal(["a", "b"], cluster[1].AppliedTexts());

        // A learner never campaigns, however long it waits.
        cluster.Tick(2, 100);
        cluster.Stabilize();
        Assert.Equal(RaftRole.Follower, cluster[2].Raft.Role);
    }

    [Fact]
    public void A_caught_up_learner_is_promoted_and_then_counts()
    {
        var cluster = new TestCluster(voters: 1, learners: 1);
        cluster.Elect(1);
        cluster.Propose(1, "a");
        Assert.True(cluster[1].Raft.TryGetProgress(2, out ProgressStatus status));
        Assert.Equal(cluster[1].Raft.LastIndex, status.Match);

        Assert.True(cluster[1].Raft.ProposeConfChange(ConfChangeRequest.Single(ConfChangeType.AddVoter, 2)));
        cluster.Stabilize();
        Assert.Equal([1ul, 2], cluster[1].Conf.Voters);
        Assert.False(cluster[2].Raft.IsLearner);

        // Now the old voter alone is no longer a quorum.
        cluster.Isolate(2);
        Assert.True(cluster[1].Raft.Propose("b"u8.ToArray()));
        cluster.Stabilize();
        Assert.DoesNotContain("b", cluster[1].AppliedTexts());
    }

    /// <summary>
    /// Raft §6: joint consensus — "agreement (for elections and entry commitment) requires separate majorities
    /// from both the old and new configurations." The leader leaves the joint config by itself (auto-leave).
    /// </summary>
    [Fact]
    public void Replacing_a_voter_enters_and_leaves_a_joint_config()
    {
        var cluster = new TestCluster(voters: 3, learners: 1);
        cluster.Elect(1);
        var replace = new ConfChangeRequest(ConfChangeTransition.Auto,
            [new ConfChangeSingle(ConfChangeType.RemoveNode, 3), new ConfChangeSingle(ConfChangeType.AddVoter, 4)]);
        Assert.True(cluster[1].Raft.ProposeConfChange(replace));
        cluster.Stabilize();

        ConfState final = cluster[1].Conf;
        Assert.False(final.IsJoint);
        Assert.Equal([1ul, 2, 4], final.Voters);
        int confEntries = cluster[1].Applied.FindAll(e => e.Type == EntryType.ConfChange).Count;
        Assert.Equal(2, confEntries);
    }

    /// <summary>Only one change may be pending: a second proposal before the first applies is refused.</summary>
    [Fact]
    public void A_second_change_waits_for_the_first_to_apply()
    {
        var cluster = new TestCluster(voters: 3, learners: 1);
        cluster.Elect(1);
        cluster.Cut(1, 2);
        cluster.Cut(1, 3);
        Assert.True(cluster[1].Raft.ProposeConfChange(ConfChangeRequest.Single(ConfChangeType.AddVoter, 4)));
        Assert.False(cluster[1].Raft.ProposeConfChange(ConfChangeRequest.Single(ConfChangeType.RemoveNode, 2)));
    }

    /// <summary>Thesis §4.2.2: a leader that is removed hands over leadership rather than leaving the group stuck.</summary>
    [Fact]
    public void A_demoted_leader_transfers_leadership_to_a_voter()
    {
        var cluster = new TestCluster(voters: 3);
        cluster.Elect(1);
        cluster.Propose(1, "a");
        Assert.True(cluster[1].Raft.ProposeConfChange(ConfChangeRequest.Single(ConfChangeType.AddLearner, 1)));
        cluster.Stabilize();
        cluster.TickAll(3);

        Assert.True(cluster[1].Raft.IsLearner);
        Assert.True(cluster[2].Raft.Role == RaftRole.Leader || cluster[3].Raft.Role == RaftRole.Leader, cluster.Transcript());
        ulong leader = cluster[2].Raft.Role == RaftRole.Leader ? 2ul : 3ul;
        cluster.Propose(leader, "b");
        Assert.Equal(["a", "b"], cluster[1].AppliedTexts());
    }
}
