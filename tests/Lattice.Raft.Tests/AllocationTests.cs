namespace Lattice.Raft.Tests;

/// <summary>The steady-state replication path allocates nothing once buffers have grown to the working set.</summary>
public sealed class AllocationTests
{
    private sealed class Member
    {
        public Member(ulong id)
        {
            Storage = new MemoryRaftStorage(ConfState.FromVoters(1, 2, 3));
            Node = new RawNode(new RaftOptions { NodeId = id, GroupId = 1, MaxInflightMessages = 256 }, Storage);
        }

        public MemoryRaftStorage Storage { get; }

        public RawNode Node { get; }
    }

    private static readonly RaftMessage[] Outbox = new RaftMessage[64];

    /// <summary>Runs one Ready cycle: persist, deliver messages straight into the peers, apply, advance.</summary>
    private static void Cycle(Member[] members, Member member)
    {
        if (!member.Node.HasReady())
        {
            return;
        }

        Ready ready = member.Node.GetReady();
        int count = 0;
        foreach (ref readonly RaftMessage message in ready.MessagesBeforePersist)
        {
            Outbox[count++] = message;
        }

        member.Storage.Append(ready.Entries.Span);
        if (ready.HardState is { } hardState)
        {
            member.Storage.SetHardState(hardState);
        }

        foreach (ref readonly RaftMessage message in ready.MessagesAfterPersist)
        {
            Outbox[count++] = message;
        }

        member.Node.Advance();
        for (int i = 0; i < count; i++)
        {
            members[Outbox[i].To - 1].Node.Step(Outbox[i]);
        }

    }

    /// <summary>Compacts each log so the storage lists have spare capacity for the measured loop.</summary>
    private static void CompactAll(Member[] members)
    {
        foreach (Member member in members)
        {
            ulong applied = member.Node.AppliedIndex;
            member.Storage.CreateSnapshot(applied, ConfState.FromVoters(1, 2, 3), ReadOnlyMemory<byte>.Empty);
            member.Storage.Compact(applied);
        }
    }

    private static void Run(Member[] members, ReadOnlyMemory<byte> payload, int proposals)
    {
        for (int i = 0; i < proposals; i++)
        {
            members[0].Node.Propose(payload);
            for (int round = 0; round < 4; round++)
            {
                foreach (Member member in members)
                {
                    Cycle(members, member);
                }
            }
        }
    }

    [Fact]
    public void Propose_replicate_commit_apply_allocates_nothing_in_steady_state()
    {
        Member[] members = [new Member(1), new Member(2), new Member(3)];
        members[0].Node.Campaign();
        for (int round = 0; round < 10; round++)
        {
            foreach (Member member in members)
            {
                Cycle(members, member);
            }
        }

        Assert.Equal(RaftRole.Leader, members[0].Node.Role);
        ReadOnlyMemory<byte> payload = new byte[128];
        Run(members, payload, 5000);
        CompactAll(members);
        Run(members, payload, 100);
        ulong commitBefore = members[0].Node.CommitIndex;

        long before = GC.GetAllocatedBytesForCurrentThread();
        Run(members, payload, 2000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(commitBefore + 2000, members[0].Node.CommitIndex);
        Assert.Equal(0, allocated);
    }
}
