namespace Lattice.Raft.Tests.Scenarios;

/// <summary>Commit knowledge carried by vote rejections.</summary>
public sealed class VoteCommitLearningTests
{
    private static RawNode CandidateWithTwoEntries()
    {
        var storage = new MemoryRaftStorage(ConfState.FromVoters(1, 2, 3));
        storage.Append([new Entry(1, 1, EntryType.Normal, ReadOnlyMemory<byte>.Empty), new Entry(1, 2, EntryType.Normal, "x"u8.ToArray())]);
        storage.SetHardState(new HardState(1, 0, 0));
        var node = new RawNode(new RaftOptions { NodeId = 1, GroupId = 1, PreVote = false }, storage);
        node.Campaign();
        Assert.Equal(RaftRole.Candidate, node.Role);
        return node;
    }

    /// <summary>
    /// A voter that refuses us but knows (2, term 1) is committed lets us commit it: we hold the same entry, so by
    /// log matching it is the same committed prefix. This unblocks a joint config waiting on a removed node.
    /// </summary>
    [Fact]
    public void A_rejecting_voter_teaches_the_candidate_its_commit_index_when_the_entry_matches()
    {
        RawNode node = CandidateWithTwoEntries();
        node.Step(new RaftMessage { GroupId = 1, Type = MessageType.VoteResponse, From = 2, To = 1, Term = 2, Reject = true, Commit = 2, LogTerm = 1 });
        Assert.Equal(2ul, node.CommitIndex);
    }

    [Fact]
    public void A_commit_index_for_a_different_entry_is_ignored()
    {
        RawNode node = CandidateWithTwoEntries();
        node.Step(new RaftMessage { GroupId = 1, Type = MessageType.VoteResponse, From = 2, To = 1, Term = 2, Reject = true, Commit = 2, LogTerm = 3 });
        Assert.Equal(0ul, node.CommitIndex);
    }
}
