using Lattice.Common;
using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// A run of consecutive elements, as 0-based ascending indexes [First, Last], and the helpers that find and
/// write one. Empty when <see cref="Count"/> is 0.
/// </summary>
internal readonly struct SortedSetWindow
{
    public SortedSetWindow(int first, int last)
    {
        Invariant.Check(first >= 0 && last >= first - 1, "a window is ordered");
        First = first;
        Last = last;
    }

    public static SortedSetWindow Empty => new(0, -1);

    public int First { get; }

    public int Last { get; }

    public int Count => Last - First + 1;

    /// <summary>
    /// Redis's index rules for ZRANGE and ZREMRANGEBYRANK: negatives count from the end, start clamps to 0, end
    /// to the last element; counted from the top when <paramref name="reverse"/>.
    /// </summary>
    public static SortedSetWindow FromIndexes(long start, long end, int length, bool reverse)
    {
        if (start < 0)
        {
            start += length;
        }

        if (end < 0)
        {
            end += length;
        }

        start = Math.Max(start, 0);
        if (start > end || start >= length)
        {
            return Empty;
        }

        end = Math.Min(end, length - 1);
        return reverse ? new SortedSetWindow(length - 1 - (int)end, length - 1 - (int)start) : new SortedSetWindow((int)start, (int)end);
    }

    /// <summary>Applies LIMIT offset count, counted from the end the reply starts at.</summary>
    public SortedSetWindow Limit(long offset, long limit, bool reverse)
    {
        if (Count == 0 || offset < 0 || offset >= Count)
        {
            return Empty;
        }

        long take = Count - offset;
        if (limit >= 0)
        {
            take = Math.Min(take, limit);
        }

        if (take == 0)
        {
            return Empty;
        }

        return reverse
            ? new SortedSetWindow(Last - (int)offset - (int)take + 1, Last - (int)offset)
            : new SortedSetWindow(First + (int)offset, First + (int)offset + (int)take - 1);
    }

    /// <summary>
    /// Writes the elements, in descending order when <paramref name="reverse"/>. With scores, RESP3 gets
    /// [member, score] pairs and RESP2 a flat member, score, … array.
    /// </summary>
    public void Write(ReplyWriter reply, SortedSetValue set, bool reverse, bool withScores)
    {
        bool pairs = withScores && reply.IsResp3;
        reply.ArrayHeader(withScores && !pairs ? Count * 2 : Count);
        if (Count == 0)
        {
            return;
        }

        SkipListNode? node = set.NodeAt(reverse ? Last : First);
        for (int i = 0; i < Count; i++)
        {
            Invariant.Check(node is not null, "a window lies within the set");
            if (pairs)
            {
                reply.ArrayHeader(2);
            }

            reply.Bulk(node.Member);
            if (withScores)
            {
                reply.Double(node.Score);
            }

            node = reverse ? node.Previous : node.Next;
        }
    }
}
