namespace Lattice.Storage;

/// <summary>Where a record starts: segment sequence, then byte offset. Orders records in log order.</summary>
internal readonly record struct LogPosition(long Sequence, long Offset) : IComparable<LogPosition>
{
    public int CompareTo(LogPosition other) =>
        Sequence != other.Sequence ? Sequence.CompareTo(other.Sequence) : Offset.CompareTo(other.Offset);

    public static bool operator <(LogPosition left, LogPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(LogPosition left, LogPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(LogPosition left, LogPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(LogPosition left, LogPosition right) => left.CompareTo(right) >= 0;
}
