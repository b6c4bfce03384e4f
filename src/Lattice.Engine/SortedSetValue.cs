using System.Runtime.CompilerServices;
using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// A Redis sorted set: a member → score table (O(1) ZSCORE, slot-numbered for ZSCAN) plus an order-statistic
/// skip list by (score, member) for ranks and ranges. Both hold the same member arrays, never mutated.
/// </summary>
public sealed class SortedSetValue : CollectionValue
{
    private const ulong MemberHashSeed = 0x5A5345545641_4C55;
    private const ulong LevelSeed = 0x534B49504C495354;
    private const long EntryOverheadBytes = 40;
    private const long NodeOverheadBytes = 64;

    private long _memberBytes;

    public SortedSetValue()
        : this(new ByteTable<double>(0, MemberHashSeed), new SkipList(LevelSeed), 0)
    {
    }

    private SortedSetValue(ByteTable<double> scores, SkipList order, long memberBytes)
    {
        Scores = scores;
        Order = order;
        _memberBytes = memberBytes;
    }

    public override ValueKind Kind => ValueKind.SortedSet;

    public override int Count => Scores.Count;

    /// <summary>Member → score, for lookups and slot-based scans; mutate only through this class.</summary>
    internal ByteTable<double> Scores { get; }

    /// <summary>The elements in (score, member) order; mutate only through this class.</summary>
    internal SkipList Order { get; }

    public bool TryGetScore(ReadOnlySpan<byte> member, out double score) => Scores.TryGetValue(member, out score);

    /// <summary>Sets a member's score, adding it when absent; returns true when it was added.</summary>
    public bool Set(ReadOnlySpan<byte> member, double score)
    {
        Invariant.Check(!double.IsNaN(score), "scores are never NaN");
        ref double stored = ref Scores.GetValueRefOrNullRef(member);
        if (!Unsafe.IsNullRef(ref stored))
        {
            if (stored != score)
            {
                int slot = Scores.SlotOf(member);
                Order.UpdateScore(stored, Scores.KeyAt(slot)!, score);
                stored = score;
            }

            return false;
        }

        byte[] owned = member.ToArray();
        Scores.GetValueRefOrAddDefault(owned, out _) = score;
        Order.Insert(score, owned);
        _memberBytes += owned.Length;
        return true;
    }

    public bool Remove(ReadOnlySpan<byte> member)
    {
        if (!Scores.Remove(member, out _, out double score))
        {
            return false;
        }

        bool removed = Order.Remove(score, member);
        Invariant.Check(removed, "table and skip list hold the same members");
        _memberBytes -= member.Length;
        return true;
    }

    /// <summary>The 0-based rank of a member in ascending order, or -1 when absent.</summary>
    public int RankOf(ReadOnlySpan<byte> member)
    {
        if (!Scores.TryGetValue(member, out double score))
        {
            return -1;
        }

        int rank = Order.Rank(score, member);
        Invariant.Check(rank > 0, "table and skip list hold the same members");
        return rank - 1;
    }

    /// <summary>The element at 0-based <paramref name="index"/> in ascending order.</summary>
    public SkipListNode NodeAt(int index)
    {
        SkipListNode? node = Order.NodeAtRank(index + 1);
        Invariant.Check(node is not null, "index within the count");
        return node;
    }

    /// <summary>Removes the elements at 0-based ascending indexes <paramref name="start"/>..<paramref name="end"/>.</summary>
    public int RemoveIndexRange(int start, int end)
    {
        Invariant.Check(start >= 0 && start <= end && end < Count, "index range within the set");
        Order.RemoveRankRange(start + 1, end + 1, DropFromTable);
        return end - start + 1;
    }

    /// <summary>The 0-based ascending index span of scores in <paramref name="range"/>; false when none.</summary>
    public bool TryGetScoreSpan(in SortedSetScoreRange range, out int first, out int last)
    {
        first = last = -1;
        SkipListNode? low = Order.FirstInRange(range);
        if (low is null)
        {
            return false;
        }

        SkipListNode? high = Order.LastInRange(range);
        Invariant.Check(high is not null, "a range with a first element has a last");
        first = Order.RankOf(low) - 1;
        last = Order.RankOf(high) - 1;
        return true;
    }

    /// <summary>
    /// The 0-based index span of members in <paramref name="range"/>, walking forward (or backward when
    /// <paramref name="reverse"/>). Lex ranges are meant for sets whose scores are all equal; then this is
    /// O(log n). Otherwise it scans in order from one end as Redis's compact encoding does, so the answer
    /// depends only on the contents.
    /// </summary>
    public bool TryGetLexSpan(scoped in SortedSetLexRange range, bool reverse, out int first, out int last)
    {
        first = last = -1;
        if (range.IsEmpty || Count == 0)
        {
            return false;
        }

        if (Order.First!.Score == Order.Last!.Score)
        {
            SkipListNode? low = Order.FirstInLexRange(range);
            SkipListNode? high = low is null ? null : Order.LastInLexRange(range);
            if (low is null || high is null)
            {
                return false;
            }

            first = Order.RankOf(low) - 1;
            last = Order.RankOf(high) - 1;
            return true;
        }

        return reverse ? ScanLexBackward(range, out first, out last) : ScanLexForward(range, out first, out last);
    }

    public static SortedSetValue ReadSnapshot(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            int count = SetSnapshotFormat.ReadCount(reader, sizeof(int) + sizeof(double));
            var set = new SortedSetValue();
            for (int i = 0; i < count; i++)
            {
                byte[] member = SetSnapshotFormat.ReadMember(reader);
                double score = reader.ReadDouble();
                SetSnapshotFormat.Require(!double.IsNaN(score), "NaN score");
                SetSnapshotFormat.Require(!set.Scores.ContainsKey(member), "duplicate sorted set member");
                set.Scores.GetValueRefOrAddDefault(member, out _) = score;
                set.Order.Insert(score, member);
                set._memberBytes += member.Length;
            }

            return set;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("snapshot payload is damaged: truncated sorted set", e);
        }
    }

    public override CollectionValue Clone() =>
        new SortedSetValue(Scores.CopyKeepingSlots(MemberHashSeed), Order.Clone(), _memberBytes);

    public override void WriteSnapshot(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Count);
        int written = 0;
        for (SkipListNode? node = Order.First; node is not null; node = node.Next)
        {
            SetSnapshotFormat.WriteMember(writer, node.Member);
            writer.Write(node.Score);
            written++;
        }

        Invariant.Check(written == Count, "snapshot wrote every member");
    }

    public override long EstimateBytes() =>
        Scores.TableBytes + (Count * (EntryOverheadBytes + NodeOverheadBytes)) + _memberBytes;

    private void DropFromTable(SkipListNode node)
    {
        bool removed = Scores.Remove(node.Member);
        Invariant.Check(removed, "table and skip list hold the same members");
        _memberBytes -= node.Member.Length;
    }

    private bool ScanLexForward(scoped in SortedSetLexRange range, out int first, out int last)
    {
        first = last = -1;
        int index = 0;
        for (SkipListNode? node = Order.First; node is not null; node = node.Next, index++)
        {
            if (first < 0)
            {
                if (!range.AboveMin(node.Member))
                {
                    continue;
                }

                if (!range.BelowMax(node.Member))
                {
                    return false;
                }

                first = index;
            }
            else if (!range.BelowMax(node.Member))
            {
                break;
            }

            last = index;
        }

        return first >= 0;
    }

    private bool ScanLexBackward(scoped in SortedSetLexRange range, out int first, out int last)
    {
        first = last = -1;
        int index = Count - 1;
        for (SkipListNode? node = Order.Last; node is not null; node = node.Previous, index--)
        {
            if (last < 0)
            {
                if (!range.BelowMax(node.Member))
                {
                    continue;
                }

                if (!range.AboveMin(node.Member))
                {
                    return false;
                }

                last = index;
            }
            else if (!range.AboveMin(node.Member))
            {
                break;
            }

            first = index;
        }

        return last >= 0;
    }
}
