using System.Buffers.Binary;
using Lattice.Common;

namespace Lattice.Storage;

/// <summary>
/// The record layout, little-endian:
/// <c>u32 payloadLength | u32 crc32c | u8 type | u64 groupId | i64 index | i64 term | payload</c>.
/// The CRC covers everything after the crc field, so a flipped bit anywhere in the record is detected.
/// </summary>
internal static class RecordFormat
{
    public const int HeaderBytes = 33;
    public const int HardStatePayloadBytes = 24;

    private const int CrcOffset = 4;
    private const int CrcCoveredOffset = 8;
    private const int TypeOffset = 8;
    private const int GroupIdOffset = 9;
    private const int IndexOffset = 17;
    private const int TermOffset = 25;

    /// <summary>Fills a header for the payload, checksum included.</summary>
    public static void WriteHeader(
        Span<byte> header, RecordType type, ulong groupId, long index, long term, ReadOnlySpan<byte> payload)
    {
        Invariant.Check(header.Length == HeaderBytes, "record header buffer has the header's size");
        Invariant.Check(IsKnownType((byte)type), "only known record types are written");
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
        header[TypeOffset] = (byte)type;
        BinaryPrimitives.WriteUInt64LittleEndian(header[GroupIdOffset..], groupId);
        BinaryPrimitives.WriteInt64LittleEndian(header[IndexOffset..], index);
        BinaryPrimitives.WriteInt64LittleEndian(header[TermOffset..], term);
        BinaryPrimitives.WriteUInt32LittleEndian(header[CrcOffset..], ComputeCrc(header, payload));
    }

    public static RecordHeader ReadHeader(ReadOnlySpan<byte> header)
    {
        Invariant.Check(header.Length >= HeaderBytes, "a whole record header is available");
        return new RecordHeader(
            BinaryPrimitives.ReadUInt32LittleEndian(header),
            BinaryPrimitives.ReadUInt32LittleEndian(header[CrcOffset..]),
            (RecordType)header[TypeOffset],
            BinaryPrimitives.ReadUInt64LittleEndian(header[GroupIdOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[IndexOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(header[TermOffset..]));
    }

    /// <summary>The checksum of type..payload; the header's own length and crc fields are not covered.</summary>
    public static uint ComputeCrc(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        Invariant.Check(header.Length >= HeaderBytes, "a whole record header is available");
        return Crc32C.Append(Crc32C.Compute(header[CrcCoveredOffset..HeaderBytes]), payload);
    }

    public static uint ComputeHeaderCrc(ReadOnlySpan<byte> header) =>
        Crc32C.Compute(header[CrcCoveredOffset..HeaderBytes]);

    public static bool IsKnownType(byte type) =>
        type is (byte)RecordType.Entry or (byte)RecordType.HardState or (byte)RecordType.SnapshotMarker;

    /// <summary>Peeks the type byte of a header without reading the rest, for the resynchronising scan.</summary>
    public static byte PeekType(ReadOnlySpan<byte> header) => header[TypeOffset];

    public static void WriteHardStatePayload(Span<byte> payload, HardState state)
    {
        Invariant.Check(payload.Length == HardStatePayloadBytes, "hard state payload has its fixed size");
        BinaryPrimitives.WriteInt64LittleEndian(payload, state.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[8..], state.Vote);
        BinaryPrimitives.WriteInt64LittleEndian(payload[16..], state.Commit);
    }

    public static HardState ReadHardStatePayload(ReadOnlySpan<byte> payload)
    {
        Invariant.Check(payload.Length == HardStatePayloadBytes, "hard state payload has its fixed size");
        return new HardState(
            BinaryPrimitives.ReadInt64LittleEndian(payload),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(payload[16..]));
    }
}
