namespace Lattice.Raft.Tests.Scenarios;

/// <summary>What must be durable before which message leaves, checked on the Ready batches themselves.</summary>
public sealed class PersistenceContractTests
{
    private static (RawNode Node, MemoryRaftStorage Storage) Leader(int voters)
    {
        var ids = new ulong[voters];
        for (int i = 0; i < voters; i++)
        {
            ids[i] = (ulong)i + 1;
        }

        var storage = new MemoryRaftStorage(ConfState.FromVoters(ids));
        var node = new RawNode(new RaftOptions { NodeId = 1, GroupId = 1, PreVote = false }, storage);
        node.Campaign();
        return (node, storage);
    }

    /// <summary>Votes promise durable state: a vote request goes out only after the new term is persisted.</summary>
    [Fact]
    public void Vote_requests_wait_for_the_term_to_be_persisted()
    {
        (RawNode node, _) = Leader(3);
        Ready ready = node.GetReady();
        Assert.True(ready.MustSync);
        Assert.Equal(1ul, ready.HardState!.Value.Term);
        Assert.True(ready.MessagesBeforePersist.IsEmpty);
        Assert.Equal(2, ready.MessagesAfterPersist.Length);
    }

    /// <summary>
    /// Thesis §10.2.1: the leader may write its log in parallel with replicating it, so appends may leave before
    /// the leader's own disk write — but the leader counts itself toward commit only once its entries are durable.
    /// </summary>
    [Fact]
    public void A_single_node_leader_commits_only_after_its_own_write_is_persisted()
    {
        (RawNode node, MemoryRaftStorage storage) = Leader(1);
        Ready ready = node.GetReady();
        Assert.Equal(RaftRole.Leader, ready.Role);
        Assert.Equal(1, ready.Entries.Length);
        Assert.Equal(0ul, node.CommitIndex);

        storage.Append(ready.Entries.Span);
        storage.SetHardState(ready.HardState!.Value);
        node.Advance();

        Assert.Equal(1ul, node.CommitIndex);
        Assert.True(node.HasReady());
        Assert.Equal(1, node.GetReady().CommittedEntries.Length);
    }

    [Fact]
    public void Leader_appends_may_be_sent_before_its_own_write_once_its_term_is_durable()
    {
        var storage = new MemoryRaftStorage(ConfState.FromVoters(1, 2));
        var node = new RawNode(new RaftOptions { NodeId = 1, GroupId = 1, PreVote = false }, storage);
        node.Campaign();
        Ready first = node.GetReady();
        storage.SetHardState(first.HardState!.Value);
        node.Advance();
        node.Step(new RaftMessage { GroupId = 1, Type = MessageType.VoteResponse, From = 2, To = 1, Term = 1 });
        Assert.Equal(RaftRole.Leader, node.Role);

        Ready ready = node.GetReady();
        Assert.Equal(1, ready.Entries.Length);
        Assert.Equal(MessageType.Append, Assert.Single(ready.MessagesBeforePersist.ToArray()).Type);
        // The empty entry is not committed: the follower has not acknowledged and the leader has not persisted.
        Assert.Equal(0ul, node.CommitIndex);
    }

    [Fact]
    public void Messages_for_another_group_or_node_are_ignored()
    {
        (RawNode node, _) = Leader(3);
        ulong term = node.Term;
        node.Step(new RaftMessage { GroupId = 99, Type = MessageType.Append, From = 2, To = 1, Term = 50 });
        node.Step(new RaftMessage { GroupId = 1, Type = MessageType.Append, From = 2, To = 3, Term = 50 });
        Assert.Equal(term, node.Term);
    }
}
