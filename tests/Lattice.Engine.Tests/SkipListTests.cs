using System.Text;
using Lattice.Common;

namespace Lattice.Engine.Tests;

public sealed class SkipListTests
{
    private static readonly Comparison<(double Score, string Member)> ByScoreThenMember = (a, b) =>
    {
        int byScore = a.Score.CompareTo(b.Score);
        return byScore != 0 ? byScore : string.CompareOrdinal(a.Member, b.Member);
    };

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(42UL)]
    public void Random_operations_agree_with_a_sorted_list_model(ulong seed)
    {
        var random = new DeterministicRandom(seed);
        var list = new SkipList(seed * 7);
        var model = new List<(double Score, string Member)>();
        for (int step = 0; step < 3000; step++)
        {
            ApplyRandomOperation(ref random, list, model);
            if (step % 100 == 0)
            {
                list.Validate();
                AssertSameOrder(list, model);
            }
        }

        list.Validate();
        AssertSameOrder(list, model);
        SkipList copy = list.Clone();
        copy.Validate();
        AssertSameOrder(copy, model);
    }

    [Fact]
    public void A_clone_is_independent_of_the_original()
    {
        var list = new SkipList(5);
        for (int i = 0; i < 50; i++)
        {
            list.Insert(i, Encoding.ASCII.GetBytes($"m{i:D2}"));
        }

        SkipList copy = list.Clone();
        copy.Remove(10, "m10"u8);
        copy.Insert(100, "new"u8.ToArray());
        Assert.Equal(50, list.Count);
        Assert.Equal(11, list.Rank(10, "m10"u8));
        Assert.Equal(0, list.Rank(100, "new"u8));
        Assert.Equal(50, copy.Count);
        copy.Validate();
        list.Validate();
    }

    [Fact]
    public void Equal_scores_order_by_member_bytes_unsigned()
    {
        var list = new SkipList(1);
        list.Insert(1, [0xFF]);
        list.Insert(1, [0x01]);
        list.Insert(1, [0x01, 0x00]);
        list.Insert(0.5, [0xFF, 0xFF]);
        Assert.Equal(new byte[] { 0xFF, 0xFF }, list.First!.Member);
        Assert.Equal(new byte[] { 0x01 }, list.NodeAtRank(2)!.Member);
        Assert.Equal(new byte[] { 0x01, 0x00 }, list.NodeAtRank(3)!.Member);
        Assert.Equal(new byte[] { 0xFF }, list.Last!.Member);
    }

    private static void ApplyRandomOperation(ref DeterministicRandom random, SkipList list, List<(double Score, string Member)> model)
    {
        string member = $"m{random.NextInt(400)}";
        double score = random.NextInt(40) / 2.0;
        int existing = model.FindIndex(e => e.Member == member);
        switch (random.NextInt(6))
        {
            case 0:
            case 1:
                if (existing < 0)
                {
                    list.Insert(score, Encoding.ASCII.GetBytes(member));
                    Insert(model, (score, member));
                }
                else
                {
                    list.UpdateScore(model[existing].Score, Encoding.ASCII.GetBytes(member), score);
                    model.RemoveAt(existing);
                    Insert(model, (score, member));
                }

                break;
            case 2:
                bool removed = existing >= 0 && list.Remove(model[existing].Score, Encoding.ASCII.GetBytes(member));
                Assert.Equal(existing >= 0, removed);
                Assert.False(existing < 0 && list.Remove(score, Encoding.ASCII.GetBytes(member)));
                if (existing >= 0)
                {
                    model.RemoveAt(existing);
                }

                break;
            case 3:
                CheckRanks(ref random, list, model);
                break;
            case 4:
                CheckScoreRange(list, model, random.NextInt(40) / 2.0, random.NextInt(40) / 2.0, random.NextInt(2) == 0);
                break;
            default:
                if (model.Count > 0 && random.NextInt(10) == 0)
                {
                    int start = random.NextInt(model.Count);
                    int end = Math.Min(model.Count - 1, start + random.NextInt(5));
                    var dropped = new List<string>();
                    list.RemoveRankRange(start + 1, end + 1, n => dropped.Add(Encoding.ASCII.GetString(n.Member)));
                    Assert.Equal(model.GetRange(start, end - start + 1).Select(e => e.Member), dropped);
                    model.RemoveRange(start, end - start + 1);
                }

                break;
        }
    }

    private static void Insert(List<(double Score, string Member)> model, (double Score, string Member) element)
    {
        model.Add(element);
        model.Sort(ByScoreThenMember);
    }

    private static void CheckRanks(ref DeterministicRandom random, SkipList list, List<(double Score, string Member)> model)
    {
        Assert.Equal(model.Count, list.Count);
        if (model.Count == 0)
        {
            Assert.Null(list.First);
            Assert.Null(list.NodeAtRank(1));
            return;
        }

        int index = random.NextInt(model.Count);
        (double score, string member) = model[index];
        Assert.Equal(index + 1, list.Rank(score, Encoding.ASCII.GetBytes(member)));
        SkipListNode node = list.NodeAtRank(index + 1)!;
        Assert.Equal(member, Encoding.ASCII.GetString(node.Member));
        Assert.Equal(0, list.Rank(score + 0.25, Encoding.ASCII.GetBytes(member)));
        Assert.Null(list.NodeAtRank(model.Count + 1));
    }

    private static void CheckScoreRange(SkipList list, List<(double Score, string Member)> model, double min, double max, bool exclusive)
    {
        var range = new SortedSetScoreRange(min, exclusive, max, exclusive);
        int first = model.FindIndex(e => range.Contains(e.Score));
        int last = model.FindLastIndex(e => range.Contains(e.Score));
        SkipListNode? low = list.FirstInRange(range);
        SkipListNode? high = list.LastInRange(range);
        if (first < 0)
        {
            Assert.Null(low);
            Assert.Null(high);
            return;
        }

        Assert.Equal(model[first].Member, Encoding.ASCII.GetString(low!.Member));
        Assert.Equal(model[last].Member, Encoding.ASCII.GetString(high!.Member));
        Assert.Equal(first + 1, list.RankOf(low));
        Assert.Equal(last + 1, list.RankOf(high));
    }

    private static void AssertSameOrder(SkipList list, List<(double Score, string Member)> model)
    {
        Assert.Equal(model.Count, list.Count);
        var forward = new List<(double, string)>();
        for (SkipListNode? node = list.First; node is not null; node = node.Next)
        {
            forward.Add((node.Score, Encoding.ASCII.GetString(node.Member)));
        }

        Assert.Equal(model, forward);
        var backward = new List<(double, string)>();
        for (SkipListNode? node = list.Last; node is not null; node = node.Previous)
        {
            backward.Add((node.Score, Encoding.ASCII.GetString(node.Member)));
        }

        backward.Reverse();
        Assert.Equal(model, backward);
    }
}
