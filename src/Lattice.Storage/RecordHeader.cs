namespace Lattice.Storage;

/// <summary>The fixed fields in front of every record's payload, as read from disk.</summary>
internal readonly record struct RecordHeader(
    uint PayloadLength,
    uint Crc,
    RecordType Type,
    ulong GroupId,
    long Index,
    long Term)
{
    public long TotalBytes => RecordFormat.HeaderBytes + (long)PayloadLength;
}
