using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// An order-statistic skip list of (score, member) ordered by score, then member bytes. Each link records
/// how many elements it skips, so rank lookups and index ranges are O(log n). Levels are drawn from a seeded
/// generator: they change only speed, never which elements a query returns. Members are unique; the
/// caller (the sorted set) keeps the member → score table that makes that so. Not thread-safe.
/// </summary>
public sealed class SkipList
{
    public const int LevelMax = 32;

    private readonly SkipListNode _head;

    // Scratch for the search path of one insert or delete; the owner serialises writes.
    private readonly SkipListNode[] _update = new SkipListNode[LevelMax];
    private readonly int[] _rank = new int[LevelMax];
    private DeterministicRandom _random;
    private int _level = 1;

    public SkipList(ulong levelSeed)
    {
        _head = new SkipListNode([], 0, LevelMax);
        _random = new DeterministicRandom(levelSeed);
    }

    public int Count { get; private set; }

    public SkipListNode? First => _head.Links[0].Forward;

    public SkipListNode? Last { get; private set; }

    /// <summary>Adds a member that is not present yet.</summary>
    public SkipListNode Insert(double score, byte[] member)
    {
        Invariant.Check(!double.IsNaN(score), "scores are never NaN");
        SkipListNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            _rank[i] = i == _level - 1 ? 0 : _rank[i + 1];
            while (x.Links[i].Forward is { } next && Precedes(next, score, member))
            {
                _rank[i] += x.Links[i].Span;
                x = next;
            }

            _update[i] = x;
        }

        int level = RandomLevel();
        if (level > _level)
        {
            for (int i = _level; i < level; i++)
            {
                _rank[i] = 0;
                _update[i] = _head;
                _head.Links[i].Span = Count;
            }

            _level = level;
        }

        var node = new SkipListNode(member, score, level);
        for (int i = 0; i < level; i++)
        {
            ref SkipListNode.Link before = ref _update[i].Links[i];
            node.Links[i].Forward = before.Forward;
            node.Links[i].Span = before.Span - (_rank[0] - _rank[i]);
            before.Forward = node;
            before.Span = _rank[0] - _rank[i] + 1;
        }

        for (int i = level; i < _level; i++)
        {
            _update[i].Links[i].Span++;
        }

        node.Previous = ReferenceEquals(_update[0], _head) ? null : _update[0];
        if (node.Next is { } after)
        {
            after.Previous = node;
        }
        else
        {
            Last = node;
        }

        Count++;
        return node;
    }

    /// <summary>Removes (score, member); false when absent.</summary>
    public bool Remove(double score, ReadOnlySpan<byte> member)
    {
        SkipListNode? node = FindPath(score, member);
        if (node is null)
        {
            return false;
        }

        Unlink(node);
        return true;
    }

    /// <summary>Moves a present member from <paramref name="oldScore"/> to <paramref name="newScore"/>.</summary>
    public void UpdateScore(double oldScore, byte[] member, double newScore)
    {
        Invariant.Check(!double.IsNaN(newScore), "scores are never NaN");
        SkipListNode? node = FindPath(oldScore, member);
        Invariant.Check(node is not null, "the member to re-score is in the list");
        // Stays in place when the new score keeps it between its neighbours (the common small increment).
        if ((node.Previous is null || Precedes(node.Previous, newScore, member)) &&
            (node.Next is null || Follows(node.Next, newScore, member)))
        {
            node.Score = newScore;
            return;
        }

        Unlink(node);
        Insert(newScore, member);
    }

    /// <summary>The 1-based rank of (score, member), or 0 when absent.</summary>
    public int Rank(double score, ReadOnlySpan<byte> member)
    {
        int rank = 0;
        SkipListNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Links[i].Forward is { } next && !Follows(next, score, member))
            {
                rank += x.Links[i].Span;
                x = next;
            }

            if (!ReferenceEquals(x, _head) && x.Score == score && member.SequenceEqual(x.Member))
            {
                return rank;
            }
        }

        return 0;
    }

    /// <summary>The node at 1-based <paramref name="rank"/>, or null when out of range.</summary>
    public SkipListNode? NodeAtRank(int rank)
    {
        if (rank < 1 || rank > Count)
        {
            return null;
        }

        int traversed = 0;
        SkipListNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Links[i].Forward is { } next && traversed + x.Links[i].Span <= rank)
            {
                traversed += x.Links[i].Span;
                x = next;
            }

            if (traversed == rank)
            {
                return x;
            }
        }

        Invariant.Fail("a rank within the count is reachable");
        return null;
    }

    /// <summary>The 1-based rank of a node in this list.</summary>
    public int RankOf(SkipListNode node)
    {
        int rank = Rank(node.Score, node.Member);
        Invariant.Check(rank > 0, "the node is in this list");
        return rank;
    }

    /// <summary>The first node whose score is in <paramref name="range"/>, or null.</summary>
    public SkipListNode? FirstInRange(in SortedSetScoreRange range)
    {
        if (range.IsEmpty || Last is null || !range.AboveMin(Last.Score) || !range.BelowMax(First!.Score))
        {
            return null;
        }

        SkipListNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Links[i].Forward is { } next && !range.AboveMin(next.Score))
            {
                x = next;
            }
        }

        SkipListNode? first = x.Next;
        return first is not null && range.BelowMax(first.Score) ? first : null;
    }

    /// <summary>The last node whose score is in <paramref name="range"/>, or null.</summary>
    public SkipListNode? LastInRange(in SortedSetScoreRange range)
    {
        if (range.IsEmpty || Last is null || !range.AboveMin(Last.Score) || !range.BelowMax(First!.Score))
        {
            return null;
        }

        SkipListNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Links[i].Forward is { } next && range.BelowMax(next.Score))
            {
                x = next;
            }
        }

        return !ReferenceEquals(x, _head) && range.AboveMin(x.Score) ? x : null;
    }

    /// <summary>The first node whose member is in <paramref name="range"/>; valid when all scores are equal.</summary>
    public SkipListNode? FirstInLexRange(scoped in SortedSetLexRange range)
    {
        if (range.IsEmpty || Last is null)
        {
            return null;
        }

        SkipListNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Links[i].Forward is { } next && !range.AboveMin(next.Member))
            {
                x = next;
            }
        }

        SkipListNode? first = x.Next;
        return first is not null && range.BelowMax(first.Member) ? first : null;
    }

    /// <summary>The last node whose member is in <paramref name="range"/>; valid when all scores are equal.</summary>
    public SkipListNode? LastInLexRange(scoped in SortedSetLexRange range)
    {
        if (range.IsEmpty || Last is null)
        {
            return null;
        }

        SkipListNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Links[i].Forward is { } next && range.BelowMax(next.Member))
            {
                x = next;
            }
        }

        return !ReferenceEquals(x, _head) && range.AboveMin(x.Member) ? x : null;
    }

    /// <summary>
    /// Removes the nodes of 1-based ranks <paramref name="startRank"/>..<paramref name="endRank"/>, handing each to
    /// <paramref name="removed"/> (so the owner can drop it from its member table).
    /// </summary>
    public void RemoveRankRange(int startRank, int endRank, Action<SkipListNode> removed)
    {
        Invariant.Check(startRank >= 1 && startRank <= endRank && endRank <= Count, "rank range is within the list");
        int traversed = 0;
        SkipListNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Links[i].Forward is { } next && traversed + x.Links[i].Span < startRank)
            {
                traversed += x.Links[i].Span;
                x = next;
            }

            _update[i] = x;
        }

        SkipListNode? node = x.Next;
        for (int rank = startRank; rank <= endRank; rank++)
        {
            Invariant.Check(node is not null, "ranks within the count have nodes");
            SkipListNode? following = node.Next;
            Unlink(node);
            removed(node);
            node = following;
        }
    }

    /// <summary>A copy with the same shape (levels and spans); nodes are new, member arrays shared.</summary>
    public SkipList Clone()
    {
        var copy = new SkipList(0) { _random = _random, _level = _level, Count = Count };
        var lastAtLevel = new SkipListNode[LevelMax];
        Array.Fill(lastAtLevel, copy._head);
        Array.Copy(_head.Links, copy._head.Links, LevelMax);
        for (int i = 0; i < LevelMax; i++)
        {
            copy._head.Links[i].Forward = null;
        }

        SkipListNode? previous = null;
        for (SkipListNode? node = First; node is not null; node = node.Next)
        {
            var twin = new SkipListNode(node.Member, node.Score, node.Links.Length) { Previous = previous };
            for (int i = 0; i < node.Links.Length; i++)
            {
                twin.Links[i].Span = node.Links[i].Span;
                lastAtLevel[i].Links[i].Forward = twin;
                lastAtLevel[i] = twin;
            }

            previous = twin;
        }

        copy.Last = previous;
        return copy;
    }

    /// <summary>Checks the whole structure (tests and debugging): order, back links, spans and count.</summary>
    public void Validate()
    {
        int count = 0;
        SkipListNode? previous = null;
        for (SkipListNode? node = First; node is not null; node = node.Next)
        {
            Invariant.Check(ReferenceEquals(node.Previous, previous), "back links mirror forward links");
            Invariant.Check(previous is null || Precedes(previous, node.Score, node.Member), "nodes are in order");
            previous = node;
            count++;
        }

        Invariant.Check(count == Count && ReferenceEquals(previous, Last), "count and tail agree");
        for (int i = 0; i < _level; i++)
        {
            int position = 0;
            SkipListNode x = _head;
            while (true)
            {
                position += x.Links[i].Span;
                if (x.Links[i].Forward is not { } next)
                {
                    Invariant.Check(x.Links[i].Span == Count - RankOfPosition(x) || Count == 0, "a last link spans to the end");
                    break;
                }

                Invariant.Check(RankOfPosition(next) == position, "spans add up to ranks");
                x = next;
            }
        }
    }

    private int RankOfPosition(SkipListNode node) => ReferenceEquals(node, _head) ? 0 : RankOf(node);

    /// <summary>Fills the search path for (score, member) and returns its node, or null when absent.</summary>
    private SkipListNode? FindPath(double score, ReadOnlySpan<byte> member)
    {
        SkipListNode x = _head;
        for (int i = _level - 1; i >= 0; i--)
        {
            while (x.Links[i].Forward is { } next && Precedes(next, score, member))
            {
                x = next;
            }

            _update[i] = x;
        }

        SkipListNode? candidate = x.Next;
        return candidate is not null && candidate.Score == score && member.SequenceEqual(candidate.Member) ? candidate : null;
    }

    /// <summary>Removes <paramref name="node"/> using the search path in <see cref="_update"/>.</summary>
    private void Unlink(SkipListNode node)
    {
        for (int i = 0; i < _level; i++)
        {
            ref SkipListNode.Link before = ref _update[i].Links[i];
            if (ReferenceEquals(before.Forward, node))
            {
                before.Span += node.Links[i].Span - 1;
                before.Forward = node.Links[i].Forward;
            }
            else
            {
                before.Span--;
            }
        }

        if (node.Next is { } after)
        {
            after.Previous = node.Previous;
        }
        else
        {
            Last = node.Previous;
        }

        while (_level > 1 && _head.Links[_level - 1].Forward is null)
        {
            _level--;
        }

        Count--;
    }

    private int RandomLevel()
    {
        // Each level up with probability 1/4, as in the classic skip list.
        int level = 1;
        while (level < LevelMax && (_random.NextUInt64() & 3) == 0)
        {
            level++;
        }

        return level;
    }

    /// <summary>True when <paramref name="node"/> orders strictly before (score, member).</summary>
    private static bool Precedes(SkipListNode node, double score, ReadOnlySpan<byte> member) =>
        node.Score < score || (node.Score == score && node.Member.AsSpan().SequenceCompareTo(member) < 0);

    /// <summary>True when <paramref name="node"/> orders strictly after (score, member).</summary>
    private static bool Follows(SkipListNode node, double score, ReadOnlySpan<byte> member) =>
        node.Score > score || (node.Score == score && node.Member.AsSpan().SequenceCompareTo(member) > 0);
}
