using System.Buffers.Binary;
using Lattice.Common;
using Lattice.Raft;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.Cluster;

public sealed class RaftMessageCodecTests
{
    private static readonly MessageType[] WireTypes =
    [
        MessageType.Append, MessageType.AppendResponse, MessageType.Vote, MessageType.VoteResponse,
        MessageType.PreVote, MessageType.PreVoteResponse, MessageType.Heartbeat, MessageType.HeartbeatResponse,
        MessageType.SnapshotChunk, MessageType.SnapshotChunkResponse, MessageType.TransferLeader, MessageType.TimeoutNow,
        MessageType.ReadIndex, MessageType.ReadIndexResponse,
    ];

    private static RaftMessage Full(MessageType type)
    {
        var message = new RaftMessage
        {
            GroupId = 0xFEDC_BA98_7654_3210, Type = type, From = 3, To = ulong.MaxValue, Term = 9, LogTerm = 8, Index = 1234,
            Commit = 1200, Reject = true, RejectHint = 1100, Context = 42, SentTick = -7,
            Entries = new Entry[]
            {
                new(8, 1235, EntryType.Normal, new byte[] { 1, 2, 3 }),
                new(8, 1236, EntryType.Normal, ReadOnlyMemory<byte>.Empty),
                new(9, 1237, EntryType.ConfChange, new byte[300]),
            },
        };
        if (type == MessageType.SnapshotChunk)
        {
            message.SnapshotConfState = new ConfState([1, 2, 3], [4, 5], [6], [], AutoLeave: true);
            message.SnapshotOffsetBytes = 4096;
            message.SnapshotTotalBytes = 10_000;
            message.SnapshotChunk = new byte[] { 9, 8, 7, 6 };
        }

        return message;
    }

    private static byte[] Encode(in RaftMessage message)
    {
        byte[] bytes = new byte[RaftMessageCodec.MeasureBytes(message)];
        RaftMessageCodec.Write(bytes, message);
        return bytes;
    }

    private static void AssertSame(in RaftMessage expected, in RaftMessage actual)
    {
        Assert.Equal(expected.GroupId, actual.GroupId);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.From, actual.From);
        Assert.Equal(expected.To, actual.To);
        Assert.Equal(expected.Term, actual.Term);
        Assert.Equal(expected.LogTerm, actual.LogTerm);
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.Commit, actual.Commit);
        Assert.Equal(expected.Reject, actual.Reject);
        Assert.Equal(expected.RejectHint, actual.RejectHint);
        Assert.Equal(expected.Context, actual.Context);
        Assert.Equal(expected.SentTick, actual.SentTick);
        Assert.Equal(expected.Entries.Length, actual.Entries.Length);
        for (int i = 0; i < expected.Entries.Length; i++)
        {
            Entry e = expected.Entries.Span[i];
            Entry a = actual.Entries.Span[i];
            Assert.Equal((e.Term, e.Index, e.Type), (a.Term, a.Index, a.Type));
            Assert.Equal(e.Data.ToArray(), a.Data.ToArray());
        }

        Assert.Equal(expected.SnapshotConfState is null, actual.SnapshotConfState is null);
        if (expected.SnapshotConfState is { } conf)
        {
            ConfState read = actual.SnapshotConfState!;
            Assert.Equal(conf.Voters, read.Voters);
            Assert.Equal(conf.VotersOutgoing, read.VotersOutgoing);
            Assert.Equal(conf.Learners, read.Learners);
            Assert.Equal(conf.LearnersNext, read.LearnersNext);
            Assert.Equal(conf.AutoLeave, read.AutoLeave);
        }

        Assert.Equal(expected.SnapshotOffsetBytes, actual.SnapshotOffsetBytes);
        Assert.Equal(expected.SnapshotTotalBytes, actual.SnapshotTotalBytes);
        Assert.Equal(expected.SnapshotChunk.ToArray(), actual.SnapshotChunk.ToArray());
    }

    [Fact]
    public void Every_wire_message_type_round_trips_with_entries_conf_state_and_chunk()
    {
        foreach (MessageType type in WireTypes)
        {
            RaftMessage message = Full(type);
            byte[] bytes = Encode(message);
            Assert.True(RaftMessageCodec.TryRead(bytes, out RaftMessage read, out string? error), error);
            AssertSame(message, read);
        }
    }

    [Fact]
    public void A_message_without_entries_or_snapshot_round_trips_and_allocates_no_entry_array()
    {
        var message = new RaftMessage { GroupId = 5, Type = MessageType.VoteResponse, From = 1, To = 2, Term = 4 };
        Assert.True(RaftMessageCodec.TryRead(Encode(message), out RaftMessage read, out string? error), error);
        AssertSame(message, read);
        Assert.True(read.Entries.IsEmpty);
        Assert.Null(read.SnapshotConfState);
    }

    [Fact]
    public void Decoded_payloads_share_one_new_array_and_do_not_alias_the_input()
    {
        RaftMessage message = Full(MessageType.SnapshotChunk);
        byte[] bytes = Encode(message);
        Assert.True(RaftMessageCodec.TryRead(bytes, out RaftMessage read, out _));
        Array.Fill(bytes, (byte)0xAA);
        AssertSame(message, read);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(read.Entries.Span[0].Data, out ArraySegment<byte> first));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(read.Entries.Span[2].Data, out ArraySegment<byte> third));
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(read.SnapshotChunk, out ArraySegment<byte> chunk));
        Assert.Same(first.Array, third.Array);
        Assert.Same(first.Array, chunk.Array);
        Assert.Equal(3 + 300 + 4, first.Array!.Length);
    }

    [Fact]
    public void Every_truncation_of_a_valid_message_is_rejected()
    {
        byte[] bytes = Encode(Full(MessageType.SnapshotChunk));
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(RaftMessageCodec.TryRead(bytes.AsSpan(0, length), out _, out string? error), $"length {length}");
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Fact]
    public void Trailing_bytes_are_rejected()
    {
        byte[] bytes = Encode(Full(MessageType.Append));
        byte[] longer = new byte[bytes.Length + 1];
        bytes.CopyTo(longer, 0);
        Assert.False(RaftMessageCodec.TryRead(longer, out _, out string? error));
        Assert.Contains("chunk length", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Local_and_undefined_message_types_are_rejected()
    {
        byte[] bytes = Encode(Full(MessageType.Append));
        foreach (byte type in new byte[] { 0, 1, 2, 3, 9, 24, 255 })
        {
            bytes[8] = type;
            Assert.False(RaftMessageCodec.TryRead(bytes, out _, out string? error));
            Assert.Contains("not a wire message type", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_forged_entry_count_or_length_is_rejected_without_allocating_it()
    {
        var message = new RaftMessage { Type = MessageType.Append, From = 1, To = 2, Entries = new Entry[] { new(1, 1, EntryType.Normal, new byte[] { 7 }) } };
        byte[] bytes = Encode(message);
        int countAt = RaftMessageCodec.HeaderBytes;

        byte[] forgedCount = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(forgedCount.AsSpan(countAt), uint.MaxValue);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(RaftMessageCodec.TryRead(forgedCount, out _, out string? countError));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("entry count", countError, StringComparison.Ordinal);
        // Only the error text is allocated, never an array sized by the forged count.
        Assert.True(allocated < 4096, $"allocated {allocated} bytes");

        byte[] forgedLength = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(forgedLength.AsSpan(countAt + 4 + 17), 0x7FFF_FFFF);
        before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(RaftMessageCodec.TryRead(forgedLength, out _, out string? lengthError));
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("length", lengthError, StringComparison.Ordinal);
        Assert.True(allocated < 4096, $"allocated {allocated} bytes");
    }

    [Fact]
    public void A_forged_conf_state_count_or_snapshot_total_is_rejected()
    {
        byte[] bytes = Encode(Full(MessageType.SnapshotChunk));
        int confAt = RaftMessageCodec.HeaderBytes + 4 + (3 * RaftMessageCodec.EntryHeaderBytes) + 303 + 1;

        byte[] forgedVoters = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(forgedVoters.AsSpan(confAt), 0x1000_0000);
        Assert.False(RaftMessageCodec.TryRead(forgedVoters, out _, out string? votersError));
        Assert.Contains("conf state list count", votersError, StringComparison.Ordinal);

        int totalAt = confAt + 4 + 24 + 4 + 16 + 4 + 8 + 4 + 1 + 8;
        byte[] forgedTotal = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt64LittleEndian(forgedTotal.AsSpan(totalAt), -1);
        Assert.False(RaftMessageCodec.TryRead(forgedTotal, out _, out string? totalError));
        Assert.Contains("out of range", totalError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_chunk_without_conf_state_is_rejected()
    {
        RaftMessage message = Full(MessageType.SnapshotChunk);
        message.SnapshotConfState = null;
        Assert.False(RaftMessageCodec.TryRead(Encode(message), out _, out string? error));
        Assert.Contains("without a conf state", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_bytes_never_throw_and_accepted_ones_re_encode_identically()
    {
        var random = new DeterministicRandom(2024);
        byte[] valid = Encode(Full(MessageType.SnapshotChunk));
        int accepted = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = new byte[random.NextInt(400)];
                for (int b = 0; b < bytes.Length; b++)
                {
                    bytes[b] = (byte)random.NextUInt64();
                }
            }
            else
            {
                // Mutations of a valid message reach deeper into the decoder than pure noise.
                bytes = (byte[])valid.Clone();
                int flips = 1 + random.NextInt(4);
                for (int f = 0; f < flips; f++)
                {
                    bytes[random.NextInt(bytes.Length)] = (byte)random.NextUInt64();
                }
            }

            if (RaftMessageCodec.TryRead(bytes, out RaftMessage read, out _))
            {
                accepted++;
                Assert.Equal(bytes, Encode(read));
            }
        }

        // Some mutations only touch values (terms, data bytes), so a fair share must still decode.
        Assert.InRange(accepted, 1, 4999);
    }
}
