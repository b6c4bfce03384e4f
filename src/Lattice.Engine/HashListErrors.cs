namespace Lattice.Engine;

/// <summary>Redis's error texts for the hash and list commands that <see cref="Errors"/> does not hold, byte for byte.</summary>
public static class HashListErrors
{
    /// <summary>HINCRBYFLOAT's answer to an infinite increment.</summary>
    public static ReadOnlySpan<byte> IncrementNotFinite => "ERR value is NaN or Infinity"u8;

    /// <summary>HRANDFIELD's answer to a count whose reply could not be built.</summary>
    public static ReadOnlySpan<byte> CountOutOfRange => "ERR value is out of range"u8;

    /// <summary>A signed count or rank of long.MinValue, which has no positive twin.</summary>
    public static ReadOnlySpan<byte> BeyondSignedRange =>
        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"u8;

    public static ReadOnlySpan<byte> RankZero =>
        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"u8;

    public static ReadOnlySpan<byte> CountNegative => "ERR COUNT can't be negative"u8;

    public static ReadOnlySpan<byte> MaxLenNegative => "ERR MAXLEN can't be negative"u8;
}
