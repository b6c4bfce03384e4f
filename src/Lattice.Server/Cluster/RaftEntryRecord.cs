using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// How a Raft entry is stored as a write-ahead-log record payload. Normal entries are stored as they are (so the
/// hot path copies nothing extra): their data is empty or starts with an envelope or format version byte below
/// <see cref="ConfChangeMarker"/>. Membership changes are stored behind that marker byte.
/// </summary>
internal static class RaftEntryRecord
{
    public const byte ConfChangeMarker = 0xC1;

    /// <summary>The payload to log; membership changes get the marker (rare, so the copy does not matter).</summary>
    public static ReadOnlySpan<byte> ToPayload(in Entry entry)
    {
        if (entry.Type != EntryType.ConfChange)
        {
            return entry.Data.Span;
        }

        byte[] payload = new byte[entry.Data.Length + 1];
        payload[0] = ConfChangeMarker;
        entry.Data.Span.CopyTo(payload.AsSpan(1));
        return payload;
    }

    public static EntryType ReadType(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> data)
    {
        if (!payload.IsEmpty && payload[0] == ConfChangeMarker)
        {
            data = payload[1..];
            return EntryType.ConfChange;
        }

        data = payload;
        return EntryType.Normal;
    }
}
