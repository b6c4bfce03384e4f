namespace Lattice.Engine;

/// <summary>
/// A member interval as ZRANGEBYLEX takes it: "[m" inclusive, "(m" exclusive, "-" and "+" the open ends.
/// Holds spans of the request, so it lives only for one command.
/// </summary>
public readonly ref struct SortedSetLexRange
{
    private readonly ReadOnlySpan<byte> _min;
    private readonly ReadOnlySpan<byte> _max;
    private readonly BoundKind _minKind;
    private readonly BoundKind _maxKind;

    private SortedSetLexRange(ReadOnlySpan<byte> min, BoundKind minKind, ReadOnlySpan<byte> max, BoundKind maxKind)
    {
        _min = min;
        _minKind = minKind;
        _max = max;
        _maxKind = maxKind;
    }

    private enum BoundKind : byte
    {
        Inclusive,
        Exclusive,
        NegativeInfinity,
        PositiveInfinity,
    }

    /// <summary>True when no member can satisfy both bounds.</summary>
    public bool IsEmpty
    {
        get
        {
            if (_minKind == BoundKind.PositiveInfinity || _maxKind == BoundKind.NegativeInfinity)
            {
                return true;
            }

            if (_minKind == BoundKind.NegativeInfinity || _maxKind == BoundKind.PositiveInfinity)
            {
                return false;
            }

            int order = _min.SequenceCompareTo(_max);
            return order > 0 || (order == 0 && (_minKind == BoundKind.Exclusive || _maxKind == BoundKind.Exclusive));
        }
    }

    public bool AboveMin(ReadOnlySpan<byte> member) => _minKind switch
    {
        BoundKind.NegativeInfinity => true,
        BoundKind.PositiveInfinity => false,
        BoundKind.Inclusive => member.SequenceCompareTo(_min) >= 0,
        _ => member.SequenceCompareTo(_min) > 0,
    };

    public bool BelowMax(ReadOnlySpan<byte> member) => _maxKind switch
    {
        BoundKind.NegativeInfinity => false,
        BoundKind.PositiveInfinity => true,
        BoundKind.Inclusive => member.SequenceCompareTo(_max) <= 0,
        _ => member.SequenceCompareTo(_max) < 0,
    };

    /// <summary>Parses "min" and "max"; false when either is not a valid range item.</summary>
    public static bool TryParse(ReadOnlySpan<byte> min, ReadOnlySpan<byte> max, out SortedSetLexRange range)
    {
        range = default;
        if (!TryParseBound(min, out ReadOnlySpan<byte> minText, out BoundKind minKind) ||
            !TryParseBound(max, out ReadOnlySpan<byte> maxText, out BoundKind maxKind))
        {
            return false;
        }

        range = new SortedSetLexRange(minText, minKind, maxText, maxKind);
        return true;
    }

    private static bool TryParseBound(ReadOnlySpan<byte> text, out ReadOnlySpan<byte> value, out BoundKind kind)
    {
        value = default;
        kind = BoundKind.Inclusive;
        if (text.IsEmpty)
        {
            return false;
        }

        switch (text[0])
        {
            case (byte)'-':
                kind = BoundKind.NegativeInfinity;
                return text.Length == 1;
            case (byte)'+':
                kind = BoundKind.PositiveInfinity;
                return text.Length == 1;
            case (byte)'[':
                value = text[1..];
                return true;
            case (byte)'(':
                kind = BoundKind.Exclusive;
                value = text[1..];
                return true;
            default:
                return false;
        }
    }
}
