using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// Chooses the members SPOP removes by content alone: the <c>count</c> members with the lowest seeded hash
/// (ties broken by bytes). The seed comes from the entry's deterministic random, so every replica and every
/// replay picks the same members even when its table is laid out differently. This costs O(n log count)
/// per pop instead of Redis's O(count): the price of determinism.
/// </summary>
internal static class SetPopSelection
{
    public static byte[][] LowestByHash(SetValue set, int count, ulong seed)
    {
        Invariant.Check(count >= 0 && count <= set.Count, "pick count within the set");
        if (count == 0)
        {
            return [];
        }

        // A max-heap of the best `count` so far: its root is the worst kept candidate.
        var kept = new PriorityQueue<byte[], Candidate>(count + 1, WorstFirst.Instance);
        foreach (KeyValuePair<byte[], Empty> pair in set.Members)
        {
            var candidate = new Candidate((uint)StableHash.Hash(pair.Key, seed), pair.Key);
            if (kept.Count < count)
            {
                kept.Enqueue(pair.Key, candidate);
            }
            else if (kept.TryPeek(out _, out Candidate worst) && Compare(candidate, worst) < 0)
            {
                kept.DequeueEnqueue(pair.Key, candidate);
            }
        }

        var picked = new byte[kept.Count][];
        for (int i = picked.Length - 1; i >= 0; i--)
        {
            picked[i] = kept.Dequeue();
        }

        return picked;
    }

    private static int Compare(in Candidate a, in Candidate b)
    {
        int byHash = a.Hash.CompareTo(b.Hash);
        return byHash != 0 ? byHash : a.Member.AsSpan().SequenceCompareTo(b.Member);
    }

    private readonly record struct Candidate(uint Hash, byte[] Member);

    private sealed class WorstFirst : IComparer<Candidate>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(Candidate x, Candidate y) => SetPopSelection.Compare(y, x);
    }
}
