namespace Lattice.Engine;

/// <summary>Redis's reading of list indexes: negatives count from the tail, ranges clamp to the list.</summary>
public static class ListIndexRange
{
    /// <summary>
    /// Resolves an inclusive [start, end] range (LRANGE, LTRIM) over a list of <paramref name="length"/> elements
    /// into a first index and a count; the count is 0 when the range selects nothing.
    /// </summary>
    public static void Resolve(long start, long end, int length, out int first, out int count)
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
            first = 0;
            count = 0;
            return;
        }

        end = Math.Min(end, length - 1);
        first = (int)start;
        count = (int)(end - start + 1);
    }

    /// <summary>A single index (LINDEX, LSET) as a position in the list, or -1 when outside it.</summary>
    public static int ResolveOne(long index, int length)
    {
        if (index < 0)
        {
            index += length;
        }

        return index >= 0 && index < length ? (int)index : -1;
    }
}
