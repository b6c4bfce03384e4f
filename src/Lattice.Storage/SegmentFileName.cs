using System.Globalization;

namespace Lattice.Storage;

/// <summary>
/// Segment files are named <c>&lt;sequence hex16&gt;-&lt;firstIndex hex16&gt;.wal</c>. The sequence comes first because
/// it, not the first index, orders segments once several groups share the log; names sort in log order.
/// </summary>
internal static class SegmentFileName
{
    public const string Extension = ".wal";
    public const string TemporarySuffix = ".tmp";
    private const int HexDigits = 16;
    private const int NameLength = HexDigits + 1 + HexDigits + 4;

    public static string Format(long sequence, long firstIndex) =>
        string.Create(CultureInfo.InvariantCulture, $"{sequence:x16}-{firstIndex:x16}{Extension}");

    public static bool TryParse(string fileName, out long sequence, out long firstIndex)
    {
        sequence = 0;
        firstIndex = 0;
        ReadOnlySpan<char> name = fileName;
        if (name.Length != NameLength || name[HexDigits] != '-' || !name.EndsWith(Extension, StringComparison.Ordinal))
        {
            return false;
        }

        return long.TryParse(name[..HexDigits], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out sequence)
            && long.TryParse(name.Slice(HexDigits + 1, HexDigits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out firstIndex)
            && sequence >= 0
            && firstIndex >= 0;
    }
}
