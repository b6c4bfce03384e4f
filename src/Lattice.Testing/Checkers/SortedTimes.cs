namespace Lattice.Testing.Checkers;

/// <summary>Counting searches over ascending time arrays.</summary>
internal static class SortedTimes
{
    /// <summary>How many entries are strictly below <paramref name="bound"/>.</summary>
    public static int CountBelow(long[] sorted, long bound) => FirstIndexWhere(sorted, time => time >= bound);

    /// <summary>How many entries are at most <paramref name="bound"/>.</summary>
    public static int CountAtMost(long[] sorted, long bound) => FirstIndexWhere(sorted, time => time > bound);

    private static int FirstIndexWhere(long[] sorted, Func<long, bool> predicate)
    {
        int low = 0;
        int high = sorted.Length;
        while (low < high)
        {
            int middle = low + ((high - low) / 2);
            if (predicate(sorted[middle]))
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}
