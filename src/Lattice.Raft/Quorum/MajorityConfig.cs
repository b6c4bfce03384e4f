using Lattice.Common;

namespace Lattice.Raft.Quorum;

/// <summary>A set of voters decided by simple majority. Ids are kept sorted, so iteration is deterministic.</summary>
public sealed class MajorityConfig
{
    private const int StackLimit = 32;
    private readonly ulong[] _voters;

    public MajorityConfig(ReadOnlySpan<ulong> voters)
    {
        ulong[] sorted = voters.ToArray();
        Array.Sort(sorted);
        for (int i = 1; i < sorted.Length; i++)
        {
            Invariant.Check(sorted[i] != sorted[i - 1], "duplicate voter id");
        }

        _voters = sorted;
    }

    public static MajorityConfig Empty { get; } = new([]);

    public int Count => _voters.Length;

    public ReadOnlySpan<ulong> Voters => _voters;

    public bool Contains(ulong id) => Array.BinarySearch(_voters, id) >= 0;

    /// <summary>
    /// The largest index acknowledged by a majority. An empty config returns ulong.MaxValue so that it never
    /// holds back the other half of a joint config.
    /// </summary>
    public ulong CommittedIndex<TIndexer>(TIndexer indexer)
        where TIndexer : IAckedIndexer
    {
        int n = _voters.Length;
        if (n == 0)
        {
            return ulong.MaxValue;
        }

        Span<ulong> acked = n <= StackLimit ? stackalloc ulong[StackLimit] : new ulong[n];
        acked = acked[..n];
        for (int i = 0; i < n; i++)
        {
            acked[i] = indexer.TryGetAckedIndex(_voters[i], out ulong index) ? index : 0;
        }

        acked.Sort();
        ulong committed = acked[n - (n / 2 + 1)];
        Invariant.Check(committed <= acked[n - 1], "majority index above the largest acknowledgement");
        return committed;
    }

    public VoteResult Vote<TLookup>(TLookup votes)
        where TLookup : IVoteLookup
    {
        if (_voters.Length == 0)
        {
            return VoteResult.Won;
        }

        int granted = 0;
        int missing = 0;
        foreach (ulong id in _voters)
        {
            if (!votes.TryGetVote(id, out bool yes))
            {
                missing++;
            }
            else if (yes)
            {
                granted++;
            }
        }

        int quorum = _voters.Length / 2 + 1;
        if (granted >= quorum)
        {
            return VoteResult.Won;
        }

        return granted + missing >= quorum ? VoteResult.Pending : VoteResult.Lost;
    }

    public override string ToString() => "(" + string.Join(' ', _voters) + ")";
}
