namespace Lattice.Engine;

/// <summary>A score interval as ZRANGEBYSCORE takes it: "(" makes a bound exclusive, "-inf"/"+inf" are open ends.</summary>
public readonly struct SortedSetScoreRange
{
    public SortedSetScoreRange(double min, bool minExclusive, double max, bool maxExclusive)
    {
        Min = min;
        MinExclusive = minExclusive;
        Max = max;
        MaxExclusive = maxExclusive;
    }

    public double Min { get; }

    public bool MinExclusive { get; }

    public double Max { get; }

    public bool MaxExclusive { get; }

    /// <summary>True when no score can satisfy both bounds.</summary>
    public bool IsEmpty => Min > Max || (Min == Max && (MinExclusive || MaxExclusive));

    public bool AboveMin(double score) => MinExclusive ? score > Min : score >= Min;

    public bool BelowMax(double score) => MaxExclusive ? score < Max : score <= Max;

    public bool Contains(double score) => AboveMin(score) && BelowMax(score);

    /// <summary>Parses "min" and "max" as Redis does; false when either is not a float.</summary>
    public static bool TryParse(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, out SortedSetScoreRange range)
    {
        range = default;
        if (!TryParseBound(min, out double minValue, out bool minExclusive) ||
            !TryParseBound(max, out double maxValue, out bool maxExclusive))
        {
            return false;
        }

        range = new SortedSetScoreRange(minValue, minExclusive, maxValue, maxExclusive);
        return true;
    }

    private static bool TryParseBound(ReadOnlySpan<byte> text, out double value, out bool exclusive)
    {
        exclusive = !text.IsEmpty && text[0] == (byte)'(';
        if (exclusive)
        {
            text = text[1..];
        }

        // Redis reads bounds with strtod, which takes "" as 0 and skips leading white space.
        value = 0;
        if (text.IsEmpty)
        {
            return true;
        }

        int start = 0;
        while (start < text.Length && text[start] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\v' or (byte)'\f')
        {
            start++;
        }

        return ArgParser.TryParseDouble(text[start..], out value);
    }
}
