using System.Buffers;
using System.Buffers.Binary;
using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>
/// Heartbeats and their answers of every group to one peer, coalesced into one frame per Raft cycle (with many
/// groups per node, per-group heartbeat messages would dominate the traffic between idle nodes). A record holds only
/// what those messages carry: <c>u64 group | u8 type | u64 term | u64 commit | u64 context | i64 sent tick</c>;
/// sender and receiver are the connection's two ends.
/// </summary>
internal static class HeartbeatBatch
{
    public const int RecordBytes = 41;

    /// <summary>Only messages whose every other field is empty are coalesced, so nothing a message carries is lost.</summary>
    public static bool IsCoalesced(in RaftMessage message) =>
        message.Type is MessageType.Heartbeat or MessageType.HeartbeatResponse && message.Entries.IsEmpty && !message.Reject &&
        message.LogTerm == 0 && message.Index == 0 && message.RejectHint == 0 && message.SnapshotConfState is null &&
        message.SnapshotChunk.IsEmpty && message.SnapshotOffsetBytes == 0 && message.SnapshotTotalBytes == 0;

    public static void Append(ArrayBufferWriter<byte> batch, in RaftMessage message)
    {
        Span<byte> record = batch.GetSpan(RecordBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(record, message.GroupId);
        record[8] = (byte)message.Type;
        BinaryPrimitives.WriteUInt64LittleEndian(record[9..], message.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(record[17..], message.Commit);
        BinaryPrimitives.WriteUInt64LittleEndian(record[25..], message.Context);
        BinaryPrimitives.WriteInt64LittleEndian(record[33..], message.SentTick);
        batch.Advance(RecordBytes);
    }

    /// <summary>Decodes a whole batch from <paramref name="from"/> to <paramref name="to"/>; false (nothing added) when malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, ulong from, ulong to, List<RaftMessage> messages)
    {
        if (body.IsEmpty || body.Length % RecordBytes != 0)
        {
            return false;
        }

        for (int at = 0; at < body.Length; at += RecordBytes)
        {
            byte type = body[at + 8];
            if (type is not ((byte)MessageType.Heartbeat or (byte)MessageType.HeartbeatResponse))
            {
                return false;
            }
        }

        for (int at = 0; at < body.Length; at += RecordBytes)
        {
            ReadOnlySpan<byte> record = body.Slice(at, RecordBytes);
            messages.Add(new RaftMessage
            {
                GroupId = BinaryPrimitives.ReadUInt64LittleEndian(record),
                Type = (MessageType)record[8],
                From = from,
                To = to,
                Term = BinaryPrimitives.ReadUInt64LittleEndian(record[9..]),
                Commit = BinaryPrimitives.ReadUInt64LittleEndian(record[17..]),
                Context = BinaryPrimitives.ReadUInt64LittleEndian(record[25..]),
                SentTick = BinaryPrimitives.ReadInt64LittleEndian(record[33..]),
            });
        }

        return true;
    }
}
