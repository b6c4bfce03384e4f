using System.Buffers.Binary;

namespace Lattice.Server.Cluster;

/// <summary>
/// What a data-group log entry carries around the state machine's payload: which node (and which run of that node's
/// process) and session proposed it, and that session's sequence number, so whichever replica the client talks to
/// finds its waiting session when it applies the entry and writes the reply from its own apply: no reply travels
/// between nodes. <c>u8 version | u64 origin node | u32 incarnation | i64 session id | i64 session sequence | payload</c>.
/// </summary>
internal static class ProposalEnvelope
{
    public const int HeaderBytes = 29;
    private const byte Version = 1;

    public static void WriteHeader(Span<byte> destination, in ProposalOrigin origin)
    {
        destination[0] = Version;
        BinaryPrimitives.WriteUInt64LittleEndian(destination[1..], origin.Node);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[9..], origin.Incarnation);
        BinaryPrimitives.WriteInt64LittleEndian(destination[13..], origin.Session);
        BinaryPrimitives.WriteInt64LittleEndian(destination[21..], origin.Sequence);
    }

    /// <summary>False when the bytes are not an envelope (a damaged forwarded proposal is refused, never logged).</summary>
    public static bool TryRead(ReadOnlySpan<byte> entry, out ProposalOrigin origin, out ReadOnlySpan<byte> payload)
    {
        if (entry.Length <= HeaderBytes || entry[0] != Version)
        {
            origin = default;
            payload = default;
            return false;
        }

        origin = new ProposalOrigin(
            BinaryPrimitives.ReadUInt64LittleEndian(entry[1..]),
            BinaryPrimitives.ReadUInt32LittleEndian(entry[9..]),
            BinaryPrimitives.ReadInt64LittleEndian(entry[13..]),
            BinaryPrimitives.ReadInt64LittleEndian(entry[21..]));
        payload = entry[HeaderBytes..];
        return true;
    }
}
