using System.Buffers.Binary;
using System.Globalization;
using Lattice.Common;

namespace Lattice.Storage;

/// <summary>
/// Snapshot file layout: a 32-byte header <c>u64 magic | u32 version | i64 index | i64 term | u32 crc32c of the
/// first 28</c>, the payload, then a 20-byte trailer <c>i64 payloadBytes | u32 payloadCrc32c | u32 magic | u32 crc32c
/// of the first 16</c>. The trailer is written last, so a file cut short anywhere fails verification.
/// </summary>
internal static class SnapshotFormat
{
    public const int HeaderBytes = 32;
    public const int TrailerBytes = 20;
    public const ulong HeaderMagic = 0x31504E5354414CUL; // "LATSNP1"
    public const uint TrailerMagic = 0x444E4553; // "SEND"
    public const uint FormatVersion = 1;
    public const string Prefix = "snapshot-";
    public const string Extension = ".snap";
    public const string TemporarySuffix = ".tmp";
    private const int IndexDigits = 20;

    public static string FileName(long index) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{index:D20}{Extension}");

    public static bool TryParseFileName(string fileName, out long index)
    {
        index = 0;
        ReadOnlySpan<char> name = fileName;
        return name.Length == Prefix.Length + IndexDigits + Extension.Length
            && name.StartsWith(Prefix, StringComparison.Ordinal)
            && name.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(name.Slice(Prefix.Length, IndexDigits), NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    public static void WriteHeader(Span<byte> destination, long index, long term)
    {
        Invariant.Check(destination.Length == HeaderBytes, "snapshot header buffer has the header's size");
        BinaryPrimitives.WriteUInt64LittleEndian(destination, HeaderMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(destination[12..], index);
        BinaryPrimitives.WriteInt64LittleEndian(destination[20..], term);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    /// <summary>Null when the header is valid, else what is wrong.</summary>
    public static string? CheckHeader(ReadOnlySpan<byte> source, out long index, out long term)
    {
        Invariant.Check(source.Length == HeaderBytes, "a whole snapshot header is available");
        index = BinaryPrimitives.ReadInt64LittleEndian(source[12..]);
        term = BinaryPrimitives.ReadInt64LittleEndian(source[20..]);
        if (BinaryPrimitives.ReadUInt64LittleEndian(source) != HeaderMagic)
        {
            return "snapshot header has bad magic";
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(source[28..]);
        uint computed = Crc32C.Compute(source[..28]);
        if (stored != computed)
        {
            return $"snapshot header checksum mismatch (stored 0x{stored:x8}, computed 0x{computed:x8})";
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(source[8..]);
        return version != FormatVersion ? $"snapshot format version {version} is not supported" : null;
    }

    public static void WriteTrailer(Span<byte> destination, long payloadBytes, uint payloadCrc)
    {
        Invariant.Check(destination.Length == TrailerBytes, "snapshot trailer buffer has the trailer's size");
        BinaryPrimitives.WriteInt64LittleEndian(destination, payloadBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], payloadCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], TrailerMagic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], Crc32C.Compute(destination[..16]));
    }

    /// <summary>Null when the trailer is valid, else what is wrong.</summary>
    public static string? CheckTrailer(ReadOnlySpan<byte> source, out long payloadBytes, out uint payloadCrc)
    {
        Invariant.Check(source.Length == TrailerBytes, "a whole snapshot trailer is available");
        payloadBytes = BinaryPrimitives.ReadInt64LittleEndian(source);
        payloadCrc = BinaryPrimitives.ReadUInt32LittleEndian(source[8..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(source[12..]) != TrailerMagic)
        {
            return "snapshot trailer has bad magic (the file is incomplete or damaged)";
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(source[16..]);
        uint computed = Crc32C.Compute(source[..16]);
        return stored != computed ? $"snapshot trailer checksum mismatch (stored 0x{stored:x8}, computed 0x{computed:x8})" : null;
    }
}
