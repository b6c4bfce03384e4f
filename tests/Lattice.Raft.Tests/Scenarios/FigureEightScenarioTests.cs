namespace Lattice.Raft.Tests.Scenarios;

/// <summary>
/// Raft §5.4.2, Figure 8: "a log entry that has been stored on a majority of servers can still be overwritten
/// by a future leader" — which is why a leader commits earlier-term entries only through an entry of its own
/// term. With the rule planted away, the committed entry is lost; with the rule, it is never committed early.
/// </summary>
public sealed class FigureEightScenarioTests
{
    private static bool HasTerm(RaftMessage message, ulong term)
    {
        foreach (Entry entry in message.Entries.Span)
        {
            if (entry.Term == term)
            {
                return true;
            }
        }

        return false;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_old_term_entry_on_a_majority_is_only_safe_once_the_leaders_own_entry_commits(bool plantBug)
    {
        PlantedBug bug = plantBug ? PlantedBug.CommitPreviousTermEntry : PlantedBug.None;
        var cluster = new TestCluster(voters: 5, configure: o => o with
        {
            PreVote = false, CheckQuorum = false, MaxBytesPerMessage = 1, PlantedBugForTestingOnly = bug,
        });
        cluster.Elect(1);

        // (a) S1 leads term 1 and replicates "a" to S2 only.
        cluster.Cut(1, 3);
        cluster.Cut(1, 4);
        cluster.Cut(1, 5);
        Assert.True(cluster[1].Raft.Propose("a"u8.ToArray()));
        cluster.Stabilize();
        cluster.Heal();

        // (b) S5 wins term 2 with votes from S3 and S4 and appends an entry at index 2 that no one else receives.
        cluster.Drop = m => m.From == 5 && m.Type == MessageType.Append;
        cluster[5].Raft.Campaign();
        cluster.Stabilize();
        Assert.Equal(RaftRole.Leader, cluster[5].Raft.Role);
        cluster.Isolate(5);

        // (c) S1 wins term 3 and replicates the term-1 entry "a" to S3, but not yet its own term-3 entry.
        // The first probes to S3 and S4 are rejected anyway (they lack index 2); after that, S1's term-3 entry is lost.
        var probed = new HashSet<ulong>();
        cluster.Drop = m => m.From == 1 && m.To is 3 or 4 && m.Type == MessageType.Append && HasTerm(m, 3) && !probed.Add(m.To);
        cluster[1].Raft.Campaign();
        cluster.Stabilize();
        Assert.Equal(RaftRole.Leader, cluster[1].Raft.Role);
        bool committedEarly = cluster[1].AppliedTexts().Contains("a");
        Assert.True(plantBug == committedEarly, cluster.Transcript());

        // (d) S1 and S2 crash; S5, whose last term (2) beats everyone's (1), wins term 4 and overwrites index 2.
        cluster.Drop = null;
        cluster.Heal();
        cluster.Isolate(1);
        cluster.Isolate(2);
        // S5 still thinks it leads term 2; its next heartbeat teaches it the newer term.
        cluster.Tick(5);
        cluster.Stabilize();
        Assert.Equal(RaftRole.Follower, cluster[5].Raft.Role);
        cluster[5].Raft.Campaign();
        cluster.Stabilize();
        Assert.Equal(RaftRole.Leader, cluster[5].Raft.Role);
        cluster.Propose(5, "b");

        // With the bug, "a" was applied at index 2 by some node while others apply S5's entry there: state machine
        // safety is broken. Without it, "a" was never committed and S5's overwrite is legitimate.
        bool appliedA = false;
        foreach (TestNode node in cluster.Nodes.Values)
        {
            appliedA |= node.Applied.Exists(e => e.Index == 2 && e.Term == 1);
        }

        Assert.Equal(plantBug, appliedA);
        Assert.True(cluster[3].Applied.Exists(e => e.Index == 2 && e.Term == 2), cluster.Transcript());
    }
}
