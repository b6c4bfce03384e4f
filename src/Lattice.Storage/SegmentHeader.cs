using System.Buffers.Binary;
using Lattice.Common;

namespace Lattice.Storage;

/// <summary>
/// The 32 bytes at the start of every segment:
/// <c>u32 magic | u32 formatVersion | i64 sequence | i64 firstIndex | u32 reserved | u32 crc32c of the first 28</c>.
/// </summary>
internal readonly record struct SegmentHeader(long Sequence, long FirstIndex)
{
    public const int Bytes = 32;
    public const uint Magic = 0x4C41574C; // "LWAL" read little-endian
    public const uint FormatVersion = 1;

    public void Write(Span<byte> destination)
    {
        Invariant.Check(destination.Length >= Bytes, "segment header buffer is large enough");
        Invariant.Check(Sequence >= 0 && FirstIndex >= 0, "segment header fields are non-negative");
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], FirstIndex);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    /// <summary>Parses and checks a header; on failure <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out SegmentHeader header, out string problem)
    {
        header = default;
        if (source.Length < Bytes)
        {
            problem = $"segment header is incomplete ({source.Length} of {Bytes} bytes)";
            return false;
        }

        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(source[28..]);
        uint computedCrc = Crc32C.Compute(source[..28]);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(source);
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(source[4..]);
        if (magic != Magic)
        {
            problem = $"segment header has bad magic 0x{magic:x8} (expected 0x{Magic:x8})";
            return false;
        }

        if (storedCrc != computedCrc)
        {
            problem = $"segment header checksum mismatch (stored 0x{storedCrc:x8}, computed 0x{computedCrc:x8})";
            return false;
        }

        if (version != FormatVersion)
        {
            problem = $"segment format version {version} is not supported (expected {FormatVersion})";
            return false;
        }

        header = new SegmentHeader(
            BinaryPrimitives.ReadInt64LittleEndian(source[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(source[16..]));
        problem = string.Empty;
        return true;
    }
}
