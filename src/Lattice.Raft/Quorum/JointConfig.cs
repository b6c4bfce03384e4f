namespace Lattice.Raft.Quorum;

/// <summary>
/// Two majority configs that must both agree: the incoming one and, during a joint-consensus change, the
/// outgoing one. Outside a change the outgoing config is empty and agrees with everything.
/// </summary>
public sealed class JointConfig
{
    public JointConfig(MajorityConfig incoming, MajorityConfig outgoing)
    {
        Incoming = incoming;
        Outgoing = outgoing;
    }

    public MajorityConfig Incoming { get; }

    public MajorityConfig Outgoing { get; }

    public bool IsJoint => Outgoing.Count > 0;

    public bool Contains(ulong id) => Incoming.Contains(id) || Outgoing.Contains(id);

    public ulong CommittedIndex<TIndexer>(TIndexer indexer)
        where TIndexer : IAckedIndexer
    {
        ulong incoming = Incoming.CommittedIndex(indexer);
        ulong outgoing = Outgoing.CommittedIndex(indexer);
        return Math.Min(incoming, outgoing);
    }

    public VoteResult Vote<TLookup>(TLookup votes)
        where TLookup : IVoteLookup
    {
        VoteResult incoming = Incoming.Vote(votes);
        VoteResult outgoing = Outgoing.Vote(votes);
        if (incoming == outgoing)
        {
            return incoming;
        }

        return incoming == VoteResult.Lost || outgoing == VoteResult.Lost ? VoteResult.Lost : VoteResult.Pending;
    }

    public override string ToString() => IsJoint ? $"{Incoming}&&{Outgoing}" : Incoming.ToString();
}
