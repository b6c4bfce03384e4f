using Lattice.Raft.Tracker;

namespace Lattice.Raft.Tests.Scenarios;

public sealed class ReplicationScenarioTests
{
    /// <summary>Raft §5.3: "the leader handles inconsistencies by forcing the followers' logs to duplicate its own."</summary>
    [Fact]
    public void A_follower_with_a_conflicting_tail_is_overwritten_by_the_leader()
    {
        var cluster = new TestCluster(voters: 3, configure: o => o with { PreVote = false, CheckQuorum = false });
        cluster.Elect(1);
        cluster.Propose(1, "a");
        // Node 1 appends entries that never leave it.
        cluster.Isolate(1);
        Assert.True(cluster[1].Raft.Propose("lost-1"u8.ToArray()));
        Assert.True(cluster[1].Raft.Propose("lost-2"u8.ToArray()));
        cluster.Stabilize();

        cluster.Heal();
        cluster.Cut(1, 2);
        cluster.Cut(1, 3);
        cluster.Elect(2);
        cluster.Propose(2, "b");
        cluster.Heal();
        cluster.TickAll(2);

        Assert.Equal(["a", "b"], cluster[1].AppliedTexts());
        Assert.Equal(cluster[2].Raft.LastIndex, cluster[1].Raft.LastIndex);
    }

    /// <summary>
    /// Raft §5.3 optimization: "the follower can include the term of the conflicting entry and the first index it
    /// stores for that term" so the leader skips a whole term per round trip instead of one entry.
    /// </summary>
    [Fact]
    public void Rejection_hints_skip_conflicting_terms_in_one_round_trip()
    {
        var cluster = new TestCluster(voters: 3, configure: o => o with { PreVote = false, CheckQuorum = false });
        cluster.Elect(1);
        cluster.Isolate(1);
        for (int i = 0; i < 30; i++)
        {
            cluster[1].Raft.Propose("stale"u8.ToArray());
        }

        cluster.Stabilize();
        cluster.Elect(2);
        for (int i = 0; i < 8; i++)
        {
            cluster.Propose(2, "fresh" + i);
        }

        // Node 3 leads term 3 with a log whose tail (term 2) node 1 has never seen.
        cluster.Elect(3);
        int before = cluster.Delivered.Count;
        cluster.Heal();
        cluster.TickAll(3);

        int rejections = 0;
        for (int i = before; i < cluster.Delivered.Count; i++)
        {
            RaftMessage message = cluster.Delivered[i];
            rejections += message.Type == MessageType.AppendResponse && message.Reject && message.From == 1 ? 1 : 0;
        }

        // Entry-by-entry backtracking would need about ten round trips here.
        Assert.True(rejections is >= 1 and <= 2, cluster.Transcript(before));
        Assert.Equal(8, cluster[1].AppliedTexts().Count);
    }

    /// <summary>Flow control: in the replicate state at most MaxInflightMessages appends are outstanding.</summary>
    [Fact]
    public void The_inflight_window_bounds_unacknowledged_appends()
    {
        var cluster = new TestCluster(voters: 2, configure: o => o with { MaxInflightMessages = 2, MaxBytesPerMessage = 1 });
        cluster.Elect(1);
        cluster.Cut(2, 1);
        int before = cluster.Delivered.Count;
        for (int i = 0; i < 10; i++)
        {
            cluster[1].Raft.Propose("p"u8.ToArray());
            cluster.Stabilize();
        }

        Assert.True(cluster[1].Raft.TryGetProgress(2, out ProgressStatus status));
        Assert.Equal(ProgressState.Replicate, status.State);
        int appends = 0;
        for (int i = before; i < cluster.Delivered.Count; i++)
        {
            appends += cluster.Delivered[i].Type == MessageType.Append && cluster.Delivered[i].Entries.Length > 0 ? 1 : 0;
        }

        Assert.True(appends == 2, cluster.Transcript());
    }

    /// <summary>MaxBytesPerMessage splits a backlog into several appends, each at least one entry.</summary>
    [Fact]
    public void Appends_respect_the_byte_limit()
    {
        var cluster = new TestCluster(voters: 2, configure: o => o with { MaxBytesPerMessage = 100 });
        cluster.Elect(1);
        cluster.Cut(1, 2);
        for (int i = 0; i < 10; i++)
        {
            cluster[1].Raft.Propose(new byte[60]);
        }

        cluster.Stabilize();
        cluster.Heal();
        cluster.TickAll(3);
        foreach (RaftMessage message in cluster.Delivered)
        {
            if (message.Type == MessageType.Append && message.Entries.Length > 1)
            {
                long bytes = 0;
                foreach (Entry entry in message.Entries.Span)
                {
                    bytes += entry.SizeBytes;
                }

                Assert.True(bytes <= 100, $"append of {bytes} bytes");
            }
        }

        Assert.Equal(10, cluster[2].AppliedTexts().Count);
    }

    /// <summary>
    /// Raft §5.4.2: "Raft never commits log entries from previous terms by counting replicas. Only log entries
    /// from the leader's current term are committed by counting replicas."
    /// </summary>
    [Fact]
    public void A_new_leader_commits_old_entries_only_through_an_entry_of_its_own_term()
    {
        var cluster = new TestCluster(voters: 3, configure: o => o with { PreVote = false, CheckQuorum = false });
        cluster.Elect(1);
        cluster.Cut(1, 3);
        cluster.Cut(2, 1);
        cluster[1].Raft.Propose("old"u8.ToArray());
        cluster.Stabilize();
        // Node 2 holds "old" but its acknowledgement was lost: it is not committed.
        Assert.Empty(cluster[1].AppliedTexts());
        cluster.Heal();

        cluster.Cut(1, 2);
        cluster.Cut(1, 3);
        cluster.Elect(2);
        // Node 2 commits "old" together with its own term's empty entry.
        Assert.Equal(["old"], cluster[2].AppliedTexts());
        ulong commit = cluster[2].Raft.CommitIndex;
        Assert.True(cluster[2].Raft.TryGetTerm(commit, out ulong term));
        Assert.Equal(cluster[2].Raft.Term, term);
    }
}
