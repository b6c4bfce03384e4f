using Lattice.Common;
using Lattice.Raft.Quorum;

namespace Lattice.Raft.Tests.Quorum;

/// <summary>Quorum math checked against brute-force definitions on many random configurations.</summary>
public sealed class QuorumPropertyTests
{
    private readonly struct MapIndexer(Dictionary<ulong, ulong> acked) : IAckedIndexer
    {
        public bool TryGetAckedIndex(ulong voterId, out ulong index) => acked.TryGetValue(voterId, out index);
    }

    private readonly struct MapVotes(Dictionary<ulong, bool> votes) : IVoteLookup
    {
        public bool TryGetVote(ulong voterId, out bool granted) => votes.TryGetValue(voterId, out granted);
    }

    private static ulong[] RandomVoters(ref DeterministicRandom random, int maxCount)
    {
        int count = random.NextInt(maxCount + 1);
        var ids = new SortedSet<ulong>();
        while (ids.Count < count)
        {
            ids.Add((ulong)random.NextInt(12) + 1);
        }

        return [.. ids];
    }

    /// <summary>The committed index is the largest value that a majority has acknowledged at least.</summary>
    private static ulong BruteForceCommitted(ulong[] voters, Dictionary<ulong, ulong> acked)
    {
        if (voters.Length == 0)
        {
            return ulong.MaxValue;
        }

        ulong best = 0;
        for (ulong candidate = 0; candidate <= 20; candidate++)
        {
            int count = 0;
            foreach (ulong id in voters)
            {
                count += acked.TryGetValue(id, out ulong index) && index >= candidate ? 1 : 0;
            }

            if (count > voters.Length / 2)
            {
                best = candidate;
            }
        }

        return best;
    }

    [Fact]
    public void Majority_committed_index_matches_the_brute_force_definition()
    {
        var random = new DeterministicRandom(1);
        for (int trial = 0; trial < 2000; trial++)
        {
            ulong[] voters = RandomVoters(ref random, 7);
            var acked = new Dictionary<ulong, ulong>();
            foreach (ulong id in voters)
            {
                if (random.NextInt(5) != 0)
                {
                    acked[id] = (ulong)random.NextInt(21);
                }
            }

            var config = new MajorityConfig(voters);
            Assert.Equal(BruteForceCommitted(voters, acked), config.CommittedIndex(new MapIndexer(acked)));
        }
    }

    [Fact]
    public void Joint_committed_index_is_the_smaller_of_both_halves()
    {
        var random = new DeterministicRandom(2);
        for (int trial = 0; trial < 2000; trial++)
        {
            ulong[] incoming = RandomVoters(ref random, 5);
            ulong[] outgoing = RandomVoters(ref random, 5);
            var acked = new Dictionary<ulong, ulong>();
            for (ulong id = 1; id <= 12; id++)
            {
                acked[id] = (ulong)random.NextInt(21);
            }

            var joint = new JointConfig(new MajorityConfig(incoming), new MajorityConfig(outgoing));
            ulong expected = Math.Min(BruteForceCommitted(incoming, acked), BruteForceCommitted(outgoing, acked));
            Assert.Equal(expected, joint.CommittedIndex(new MapIndexer(acked)));
        }
    }

    [Fact]
    public void Vote_result_is_won_lost_or_pending_exactly_as_counting_says()
    {
        var random = new DeterministicRandom(3);
        for (int trial = 0; trial < 2000; trial++)
        {
            ulong[] voters = RandomVoters(ref random, 7);
            var votes = new Dictionary<ulong, bool>();
            int yes = 0;
            int missing = 0;
            foreach (ulong id in voters)
            {
                int choice = random.NextInt(3);
                if (choice == 0)
                {
                    missing++;
                    continue;
                }

                votes[id] = choice == 1;
                yes += choice == 1 ? 1 : 0;
            }

            int quorum = voters.Length / 2 + 1;
            VoteResult expected = voters.Length == 0 || yes >= quorum ? VoteResult.Won
                : yes + missing >= quorum ? VoteResult.Pending : VoteResult.Lost;
            Assert.Equal(expected, new MajorityConfig(voters).Vote(new MapVotes(votes)));
        }
    }

    [Fact]
    public void Joint_vote_needs_both_halves_and_loses_if_either_loses()
    {
        var random = new DeterministicRandom(4);
        for (int trial = 0; trial < 2000; trial++)
        {
            var incoming = new MajorityConfig(RandomVoters(ref random, 5));
            var outgoing = new MajorityConfig(RandomVoters(ref random, 5));
            var votes = new Dictionary<ulong, bool>();
            for (ulong id = 1; id <= 12; id++)
            {
                int choice = random.NextInt(3);
                if (choice > 0)
                {
                    votes[id] = choice == 1;
                }
            }

            VoteResult a = incoming.Vote(new MapVotes(votes));
            VoteResult b = outgoing.Vote(new MapVotes(votes));
            VoteResult joint = new JointConfig(incoming, outgoing).Vote(new MapVotes(votes));
            VoteResult expected = a == VoteResult.Lost || b == VoteResult.Lost ? VoteResult.Lost
                : a == VoteResult.Won && b == VoteResult.Won ? VoteResult.Won : VoteResult.Pending;
            Assert.Equal(expected, joint);
        }
    }

    [Fact]
    public void Committed_index_never_exceeds_what_a_majority_acknowledged_and_grows_with_acks()
    {
        var random = new DeterministicRandom(5);
        for (int trial = 0; trial < 500; trial++)
        {
            ulong[] voters = RandomVoters(ref random, 7);
            if (voters.Length == 0)
            {
                continue;
            }

            var config = new MajorityConfig(voters);
            var acked = new Dictionary<ulong, ulong>();
            ulong previous = 0;
            for (int step = 0; step < 20; step++)
            {
                ulong id = voters[random.NextInt(voters.Length)];
                acked[id] = (acked.TryGetValue(id, out ulong old) ? old : 0) + (ulong)random.NextInt(3);
                ulong committed = config.CommittedIndex(new MapIndexer(acked));
                Assert.True(committed >= previous, "acknowledgements only grow, so the committed index does too");
                previous = committed;
            }
        }
    }
}
