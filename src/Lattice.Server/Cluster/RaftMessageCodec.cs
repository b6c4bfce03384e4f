using System.Buffers.Binary;
using Lattice.Common;
using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// Binary form of a <see cref="RaftMessage"/> on the peer wire: little-endian, fixed-width fields.
/// Header (GroupId, Type, From, To, Term, LogTerm, Index, Commit, Reject, RejectHint, Context, SentTick), then
/// entries (u32 count; per entry Term u64, Index u64, Type u8, u32 length, data), then snapshot fields
/// (u8 hasConfState [+ ConfState], offset i64, total i64, u32 chunk length, chunk).
/// Reading validates every count and length against the bytes that remain, so a forged count never allocates.
/// </summary>
public static class RaftMessageCodec
{
    public const int HeaderBytes = (10 * sizeof(ulong)) + 2;
    public const int EntryHeaderBytes = sizeof(ulong) + sizeof(ulong) + 1 + sizeof(uint);

    private const int MinimumBytes = HeaderBytes + sizeof(uint) + 1 + sizeof(long) + sizeof(long) + sizeof(uint);

    public static int MeasureBytes(in RaftMessage m)
    {
        long total = MinimumBytes;
        ReadOnlySpan<Entry> entries = m.Entries.Span;
        for (int i = 0; i < entries.Length; i++)
        {
            total += EntryHeaderBytes + entries[i].Data.Length;
        }

        if (m.SnapshotConfState is { } conf)
        {
            total += (4 * sizeof(uint)) + 1 +
                ((long)(conf.Voters.Length + conf.VotersOutgoing.Length + conf.Learners.Length + conf.LearnersNext.Length) * sizeof(ulong));
        }

        total += m.SnapshotChunk.Length;
        Invariant.Check(total <= int.MaxValue, "raft message larger than 2 GiB");
        return (int)total;
    }

    /// <summary>Writes exactly <see cref="MeasureBytes"/> bytes; only wire message types may be written.</summary>
    public static void Write(Span<byte> destination, in RaftMessage m)
    {
        Invariant.Check(IsWireType((byte)m.Type), "only wire message types go over the network");
        int size = MeasureBytes(m);
        Invariant.Check(destination.Length >= size, "destination too small for the raft message");
        Span<byte> d = destination;
        int at = 0;
        at = PutU64(d, at, m.GroupId);
        d[at++] = (byte)m.Type;
        at = PutU64(d, at, m.From);
        at = PutU64(d, at, m.To);
        at = PutU64(d, at, m.Term);
        at = PutU64(d, at, m.LogTerm);
        at = PutU64(d, at, m.Index);
        at = PutU64(d, at, m.Commit);
        d[at++] = m.Reject ? (byte)1 : (byte)0;
        at = PutU64(d, at, m.RejectHint);
        at = PutU64(d, at, m.Context);
        at = PutU64(d, at, (ulong)m.SentTick);

        ReadOnlySpan<Entry> entries = m.Entries.Span;
        at = PutU32(d, at, (uint)entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            ref readonly Entry entry = ref entries[i];
            at = PutU64(d, at, entry.Term);
            at = PutU64(d, at, entry.Index);
            d[at++] = (byte)entry.Type;
            at = PutU32(d, at, (uint)entry.Data.Length);
            entry.Data.Span.CopyTo(d[at..]);
            at += entry.Data.Length;
        }

        if (m.SnapshotConfState is { } conf)
        {
            d[at++] = 1;
            at = PutIds(d, at, conf.Voters);
            at = PutIds(d, at, conf.VotersOutgoing);
            at = PutIds(d, at, conf.Learners);
            at = PutIds(d, at, conf.LearnersNext);
            d[at++] = conf.AutoLeave ? (byte)1 : (byte)0;
        }
        else
        {
            d[at++] = 0;
        }

        at = PutU64(d, at, (ulong)m.SnapshotOffsetBytes);
        at = PutU64(d, at, (ulong)m.SnapshotTotalBytes);
        at = PutU32(d, at, (uint)m.SnapshotChunk.Length);
        m.SnapshotChunk.Span.CopyTo(d[at..]);
        at += m.SnapshotChunk.Length;
        Invariant.Check(at == size, "raft message size measured and written differ");
    }

    /// <summary>
    /// Decodes one message that fills <paramref name="body"/> exactly. Entry payloads and the snapshot chunk are
    /// copied into one new array (the receiver keeps entries in its log, so they must not point into a reused
    /// receive buffer). Never throws on malformed input.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out RaftMessage message, out string? error)
    {
        message = default;
        // First pass validates the whole layout and sums payload bytes; nothing is allocated until it passes.
        if (!TryMeasurePayload(body, out int entryCount, out int payloadBytes, out error))
        {
            return false;
        }

        byte[] payload = payloadBytes == 0 ? [] : new byte[payloadBytes];
        int payloadAt = 0;
        int at = 0;
        RaftMessage m = default;
        m.GroupId = U64(body, ref at);
        m.Type = (MessageType)body[at++];
        m.From = U64(body, ref at);
        m.To = U64(body, ref at);
        m.Term = U64(body, ref at);
        m.LogTerm = U64(body, ref at);
        m.Index = U64(body, ref at);
        m.Commit = U64(body, ref at);
        m.Reject = body[at++] != 0;
        m.RejectHint = U64(body, ref at);
        m.Context = U64(body, ref at);
        m.SentTick = (long)U64(body, ref at);

        at += sizeof(uint);
        if (entryCount > 0)
        {
            var entries = new Entry[entryCount];
            for (int i = 0; i < entries.Length; i++)
            {
                ulong term = U64(body, ref at);
                ulong index = U64(body, ref at);
                var type = (EntryType)body[at++];
                int length = (int)U32(body, ref at);
                body.Slice(at, length).CopyTo(payload.AsSpan(payloadAt));
                entries[i] = new Entry(term, index, type, new ReadOnlyMemory<byte>(payload, payloadAt, length));
                at += length;
                payloadAt += length;
            }

            m.Entries = entries;
        }

        if (body[at++] != 0)
        {
            ulong[] voters = Ids(body, ref at);
            ulong[] outgoing = Ids(body, ref at);
            ulong[] learners = Ids(body, ref at);
            ulong[] learnersNext = Ids(body, ref at);
            bool autoLeave = body[at++] != 0;
            m.SnapshotConfState = new ConfState(voters, outgoing, learners, learnersNext, autoLeave);
        }

        m.SnapshotOffsetBytes = (long)U64(body, ref at);
        m.SnapshotTotalBytes = (long)U64(body, ref at);
        int chunkLength = (int)U32(body, ref at);
        if (chunkLength > 0)
        {
            body.Slice(at, chunkLength).CopyTo(payload.AsSpan(payloadAt));
            m.SnapshotChunk = new ReadOnlyMemory<byte>(payload, payloadAt, chunkLength);
            payloadAt += chunkLength;
        }

        Invariant.Check(payloadAt == payload.Length, "raft message payload copied and measured differ");
        message = m;
        return true;
    }

    /// <summary>True for the message types that may cross the network (local types never do).</summary>
    public static bool IsWireType(byte type) => type >= (byte)MessageType.Append && Enum.IsDefined((MessageType)type);

    private static bool TryMeasurePayload(ReadOnlySpan<byte> body, out int entryCount, out int payloadBytes, out string? error)
    {
        entryCount = 0;
        payloadBytes = 0;
        if (body.Length < MinimumBytes)
        {
            error = $"raft message of {body.Length} bytes is shorter than the minimum {MinimumBytes}";
            return false;
        }

        byte type = body[sizeof(ulong)];
        if (!IsWireType(type))
        {
            error = $"raft message type {type} is not a wire message type";
            return false;
        }

        byte reject = body[sizeof(ulong) + 1 + (6 * sizeof(ulong))];
        if (reject > 1)
        {
            error = $"raft message reject flag {reject} is not 0 or 1";
            return false;
        }

        int at = HeaderBytes;
        uint count = U32(body, ref at);
        // Every entry needs at least its fixed header, so the count is bounded by what remains.
        if (count > (uint)((body.Length - at) / EntryHeaderBytes))
        {
            error = $"raft message entry count {count} does not fit in {body.Length - at} remaining bytes";
            return false;
        }

        long payload = 0;
        for (uint i = 0; i < count; i++)
        {
            if (body.Length - at < EntryHeaderBytes)
            {
                error = $"raft message entry {i} header is truncated";
                return false;
            }

            at += 2 * sizeof(ulong);
            byte entryType = body[at++];
            if (!Enum.IsDefined((EntryType)entryType))
            {
                error = $"raft message entry {i} has unknown type {entryType}";
                return false;
            }

            uint length = U32(body, ref at);
            if (length > (uint)(body.Length - at))
            {
                error = $"raft message entry {i} length {length} exceeds the {body.Length - at} remaining bytes";
                return false;
            }

            at += (int)length;
            payload += length;
        }

        if (body.Length - at < 1)
        {
            error = "raft message is truncated before the snapshot fields";
            return false;
        }

        byte hasConf = body[at++];
        if (hasConf > 1)
        {
            error = $"raft message conf state flag {hasConf} is not 0 or 1";
            return false;
        }

        if (hasConf == 1)
        {
            for (int list = 0; list < 4; list++)
            {
                if (!SkipIds(body, ref at, out error))
                {
                    return false;
                }
            }

            if (body.Length - at < 1 || body[at] > 1)
            {
                error = "raft message conf state auto-leave flag is missing or not 0 or 1";
                return false;
            }

            at++;
        }
        else if (type == (byte)MessageType.SnapshotChunk)
        {
            error = "snapshot chunk without a conf state";
            return false;
        }

        if (body.Length - at < sizeof(long) + sizeof(long) + sizeof(uint))
        {
            error = "raft message is truncated in the snapshot fields";
            return false;
        }

        long offset = (long)U64(body, ref at);
        long total = (long)U64(body, ref at);
        // The receiver sizes its assembly buffer from the total, so it must be a possible array length.
        if (offset < 0 || total < 0 || total > int.MaxValue)
        {
            error = $"raft message snapshot offset {offset} or total {total} out of range";
            return false;
        }

        uint chunk = U32(body, ref at);
        if (chunk != (uint)(body.Length - at))
        {
            error = $"raft message snapshot chunk length {chunk} does not match the {body.Length - at} remaining bytes";
            return false;
        }

        payload += chunk;
        entryCount = (int)count;
        payloadBytes = (int)payload;
        error = null;
        return true;
    }

    private static bool SkipIds(ReadOnlySpan<byte> body, ref int at, out string? error)
    {
        if (body.Length - at < sizeof(uint))
        {
            error = "raft message conf state list count is truncated";
            return false;
        }

        uint count = U32(body, ref at);
        if (count > (uint)((body.Length - at) / sizeof(ulong)))
        {
            error = $"raft message conf state list count {count} does not fit in {body.Length - at} remaining bytes";
            return false;
        }

        at += (int)count * sizeof(ulong);
        error = null;
        return true;
    }

    private static ulong[] Ids(ReadOnlySpan<byte> body, ref int at)
    {
        int count = (int)U32(body, ref at);
        if (count == 0)
        {
            return [];
        }

        var ids = new ulong[count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = U64(body, ref at);
        }

        return ids;
    }

    private static int PutIds(Span<byte> d, int at, ulong[] ids)
    {
        at = PutU32(d, at, (uint)ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            at = PutU64(d, at, ids[i]);
        }

        return at;
    }

    private static int PutU64(Span<byte> d, int at, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(d[at..], value);
        return at + sizeof(ulong);
    }

    private static int PutU32(Span<byte> d, int at, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(d[at..], value);
        return at + sizeof(uint);
    }

    private static ulong U64(ReadOnlySpan<byte> s, ref int at)
    {
        ulong value = BinaryPrimitives.ReadUInt64LittleEndian(s[at..]);
        at += sizeof(ulong);
        return value;
    }

    private static uint U32(ReadOnlySpan<byte> s, ref int at)
    {
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(s[at..]);
        at += sizeof(uint);
        return value;
    }
}
