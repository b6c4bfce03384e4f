namespace Lattice.Raft.Tests.Scenarios;

public sealed class TransferAndReadScenarioTests
{
    /// <summary>
    /// Thesis §3.10: "the prior leader sends its log entries to the target server ... then sends a TimeoutNow
    /// request to the target server. This request has the same effect as the target server's election timer
    /// firing."
    /// </summary>
    [Fact]
    public void Leadership_moves_to_the_transferee_after_it_catches_up()
    {
        var cluster = new TestCluster(voters: 3);
        cluster.Elect(1);
        cluster.Isolate(3);
        cluster.Propose(1, "a");
        cluster.Heal();

        cluster[1].Raft.TransferLeader(3);
        // While the transfer runs, proposals are refused so the transferee can catch up.
        Assert.False(cluster[1].Raft.Propose("refused"u8.ToArray()));
        cluster.Stabilize();

        Assert.Equal(RaftRole.Leader, cluster[3].Raft.Role);
        Assert.Equal(RaftRole.Follower, cluster[1].Raft.Role);
        Assert.Contains(cluster.Delivered, m => m.Type == MessageType.TimeoutNow && m.To == 3);
    }

    /// <summary>
    /// Thesis §6.4: ReadIndex — record the commit index, confirm leadership with a round of heartbeats, then serve.
    /// Reads issued together share one heartbeat round.
    /// </summary>
    [Fact]
    public void Reads_are_confirmed_by_one_shared_heartbeat_round()
    {
        var cluster = new TestCluster(voters: 3);
        cluster.Elect(1);
        cluster.Propose(1, "a");
        int before = cluster.Delivered.Count;
        cluster[1].Raft.ReadIndex(101);
        cluster[1].Raft.ReadIndex(102);
        cluster[1].Raft.ReadIndex(103);
        cluster.Stabilize();

        int heartbeats = 0;
        for (int i = before; i < cluster.Delivered.Count; i++)
        {
            heartbeats += cluster.Delivered[i].Type == MessageType.Heartbeat ? 1 : 0;
        }

        Assert.Equal(2, heartbeats);
        Assert.Equal([101ul, 102, 103], cluster[1].ReadStates.ConvertAll(r => r.RequestId));
        Assert.All(cluster[1].ReadStates, r => Assert.Equal(cluster[1].Raft.CommitIndex, r.Index));
    }

    [Fact]
    public void A_follower_read_is_forwarded_and_answered_with_the_leaders_commit_index()
    {
        var cluster = new TestCluster(voters: 3);
        cluster.Elect(1);
        cluster.Propose(1, "a");
        cluster[2].Raft.ReadIndex(7);
        cluster.Stabilize();

        ReadState read = Assert.Single(cluster[2].ReadStates);
        Assert.Equal(7ul, read.RequestId);
        Assert.Equal(cluster[1].Raft.CommitIndex, read.Index);
    }

    /// <summary>
    /// A single voter restarting may have committed (and acknowledged) entries beyond the commit index its hard state
    /// kept. Until an entry of its new term commits, its commit index may be behind, so a read must wait for that
    /// even though no other member has to confirm leadership.
    /// </summary>
    [Fact]
    public void A_single_voter_answers_reads_only_after_committing_an_entry_of_its_term()
    {
        var cluster = new TestCluster(voters: 1);
        cluster.Elect(1);
        cluster.Propose(1, "a");
        cluster.Propose(1, "b");
        ulong acknowledged = cluster[1].Raft.CommitIndex;
        HardState kept = cluster[1].Storage.HardState;
        // The hard state's commit is not fsynced with every entry: after a crash it may lag the entries.
        cluster[1].Storage.SetHardState(kept with { Commit = 1 });
        cluster[1].Restart();

        cluster[1].Raft.Campaign();
        cluster[1].Raft.ReadIndex(9);
        Assert.True(cluster[1].Raft.CommitIndex < acknowledged);
        Assert.False(cluster[1].Raft.LeadsAlone);
        cluster.Stabilize();
        Assert.True(cluster[1].Raft.LeadsAlone);

        ReadState read = Assert.Single(cluster[1].ReadStates);
        Assert.Equal(9ul, read.RequestId);
        Assert.True(read.Index > acknowledged, $"read index {read.Index} must cover acknowledged index {acknowledged}");
    }

    /// <summary>A leader cut off from the majority cannot confirm a read, so it never answers a stale one.</summary>
    [Fact]
    public void An_isolated_leader_cannot_serve_a_read_index()
    {
        var cluster = new TestCluster(voters: 3);
        cluster.Elect(1);
        cluster.Isolate(1);
        cluster[1].Raft.ReadIndex(5);
        cluster.Stabilize();
        Assert.Empty(cluster[1].ReadStates);
    }

    /// <summary>Lease reads skip the heartbeat round while a quorum was heard from within the lease.</summary>
    [Fact]
    public void Lease_reads_are_served_locally_within_the_lease_and_not_after_it()
    {
        var cluster = new TestCluster(voters: 3, configure: o => o with { ReadOnlyMode = ReadOnlyMode.LeaseBased, MaxClockDriftTicks = 3 });
        cluster.TickAll(12);
        cluster.Elect(1);
        cluster.Propose(1, "a");
        cluster.TickAll(1);
        int before = cluster.Delivered.Count;
        cluster[1].Raft.ReadIndex(1);
        cluster.Stabilize();
        Assert.Single(cluster[1].ReadStates);
        Assert.Equal(before, cluster.Delivered.Count);

        cluster.Isolate(1);
        cluster.Tick(1, 8);
        cluster.Stabilize();
        cluster[1].Raft.ReadIndex(2);
        cluster.Stabilize();
        Assert.Single(cluster[1].ReadStates);
    }
}
