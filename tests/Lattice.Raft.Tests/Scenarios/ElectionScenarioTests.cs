namespace Lattice.Raft.Tests.Scenarios;

public sealed class ElectionScenarioTests
{
    /// <summary>
    /// Raft §5.2: "A candidate wins an election if it receives votes from a majority of the servers in the full
    /// cluster for the same term."
    /// </summary>
    [Fact]
    public void A_follower_that_times_out_becomes_leader_with_a_majority()
    {
        var cluster = new TestCluster(voters: 3);
        cluster.Tick(1, 25);
        cluster.Stabilize();

        Assert.Equal(RaftRole.Leader, cluster[1].Raft.Role);
        Assert.Equal(1ul, cluster[2].Raft.Leader);
        Assert.Equal(1ul, cluster[3].Raft.Leader);
        Assert.Equal(1ul, cluster[1].Raft.Term);
    }

    /// <summary>
    /// Raft §5.4.1: "the voter denies its vote if its own log is more up-to-date than that of the candidate."
    /// </summary>
    [Fact]
    public void A_candidate_with_a_stale_log_cannot_win()
    {
        var cluster = new TestCluster(voters: 3, configure: o => o with { PreVote = false, CheckQuorum = false });
        cluster.Elect(1);
        cluster.Isolate(3);
        cluster.Propose(1, "x");
        cluster.Heal();

        cluster[3].Raft.Campaign();
        cluster.Stabilize();

        Assert.NotEqual(RaftRole.Leader, cluster[3].Raft.Role);
        Assert.Contains("x", cluster[1].AppliedTexts());
    }

    /// <summary>
    /// Thesis §9.6 (PreVote): "a candidate would first ask other servers whether its log was up-to-date enough to
    /// get their vote" — so a partitioned node rejoining does not bump everyone's term.
    /// </summary>
    [Fact]
    public void PreVote_keeps_a_rejoining_node_from_disrupting_the_leader()
    {
        var cluster = new TestCluster(voters: 3);
        cluster.Elect(1);
        cluster.Isolate(3);
        cluster.Tick(3, 100);
        cluster.Stabilize();
        Assert.Equal(1ul, cluster[3].Raft.Term);
        cluster.Heal();
        cluster.TickAll(3);

        Assert.Equal(RaftRole.Leader, cluster[1].Raft.Role);
        Assert.Equal(1ul, cluster[1].Raft.Term);
    }

    /// <summary>
    /// CheckQuorum (thesis §6.2): "a leader steps down if an election timeout elapses without a successful round
    /// of heartbeats to a majority of its cluster."
    /// </summary>
    [Fact]
    public void An_isolated_leader_steps_down_after_an_election_timeout()
    {
        var cluster = new TestCluster(voters: 3);
        cluster.Elect(1);
        cluster.Isolate(1);
        cluster.Tick(1, 25);
        cluster.Stabilize();

        Assert.Equal(RaftRole.Follower, cluster[1].Raft.Role);
    }

    /// <summary>
    /// Raft §5.2: "Each server will vote for at most one candidate in a given term", and Figure 2 makes votedFor
    /// persistent, so a restart does not free the vote.
    /// </summary>
    [Fact]
    public void A_vote_is_remembered_across_a_restart()
    {
        var cluster = new TestCluster(voters: 3, configure: o => o with { PreVote = false, CheckQuorum = false });
        cluster.Cut(2, 3);
        cluster.Cut(3, 2);
        cluster[2].Raft.Campaign();
        cluster.Stabilize();
        Assert.Equal(RaftRole.Leader, cluster[2].Raft.Role);
        Assert.Equal(2ul, cluster[1].Storage.HardState.Vote);

        cluster[1].Restart();
        cluster[3].Raft.Campaign();
        cluster.Stabilize();

        Assert.Equal(1ul, cluster[3].Raft.Term);
        Assert.Contains(cluster.Delivered, m => m.Type == MessageType.VoteResponse && m.From == 1 && m.To == 3 && m.Reject);
        Assert.NotEqual(RaftRole.Leader, cluster[3].Raft.Role);
    }

    /// <summary>Raft §5.2: randomized election timeouts, from a seeded generator, differ between nodes.</summary>
    [Fact]
    public void Election_timeouts_are_randomized_per_node_but_reproducible()
    {
        static int TicksToCampaign(ulong id, ulong seed)
        {
            var storage = new MemoryRaftStorage(ConfState.FromVoters(1, 2, 3));
            var node = new RawNode(new RaftOptions { NodeId = id, GroupId = 1, RandomSeed = seed }, storage);
            for (int tick = 1; tick <= 100; tick++)
            {
                node.Tick();
                if (node.Role != RaftRole.Follower)
                {
                    return tick;
                }
            }

            return -1;
        }

        Assert.Equal(TicksToCampaign(1, 9), TicksToCampaign(1, 9));
        var distinct = new HashSet<int>();
        for (ulong id = 1; id <= 3; id++)
        {
            int ticks = TicksToCampaign(id, 9);
            Assert.InRange(ticks, 10, 20);
            distinct.Add(ticks);
        }

        Assert.True(distinct.Count > 1, "nodes should not all time out together");
    }

    /// <summary>
    /// Raft Figure 2, RequestVote receiver: "Reply false if term &lt; currentTerm" — with our term, so a candidate
    /// that membership changes have cut off from the newer term's nodes still learns it.
    /// </summary>
    [Fact]
    public void A_stale_vote_request_is_refused_with_the_newer_term()
    {
        var storage = new MemoryRaftStorage(ConfState.FromVoters(1, 2, 3));
        storage.SetHardState(new HardState(5, 0, 0));
        var node = new RawNode(new RaftOptions { NodeId = 1, GroupId = 1 }, storage);
        node.Step(new RaftMessage { GroupId = 1, Type = MessageType.Vote, From = 2, To = 1, Term = 3 });

        RaftMessage answer = Assert.Single(node.GetReady().MessagesAfterPersist.ToArray());
        Assert.Equal(MessageType.VoteResponse, answer.Type);
        Assert.True(answer.Reject);
        Assert.Equal(5ul, answer.Term);
    }
}
