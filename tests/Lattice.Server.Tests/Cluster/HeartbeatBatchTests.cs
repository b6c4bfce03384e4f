using System.Buffers;
using Lattice.Raft;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.Cluster;

/// <summary>Heartbeats of many groups to one peer travel as one frame and come back as the messages that were sent.</summary>
public sealed class HeartbeatBatchTests
{
    [Fact]
    public void Heartbeats_of_many_groups_round_trip_in_one_batch()
    {
        var sent = new List<RaftMessage>();
        var batch = new ArrayBufferWriter<byte>();
        for (ulong group = 1; group <= 100; group++)
        {
            var message = new RaftMessage
            {
                GroupId = group,
                Type = group % 2 == 0 ? MessageType.Heartbeat : MessageType.HeartbeatResponse,
                From = 1,
                To = 2,
                Term = group * 3,
                Commit = group * 5,
                Context = group * 7,
                SentTick = (long)group * 11,
            };
            Assert.True(HeartbeatBatch.IsCoalesced(message));
            HeartbeatBatch.Append(batch, message);
            sent.Add(message);
        }

        var received = new List<RaftMessage>();
        Assert.True(HeartbeatBatch.TryRead(batch.WrittenSpan, from: 1, to: 2, received));
        Assert.Equal(sent.Select(Describe), received.Select(Describe));
    }

    [Fact]
    public void Messages_that_carry_more_than_a_heartbeat_are_not_coalesced()
    {
        Assert.False(HeartbeatBatch.IsCoalesced(new RaftMessage { Type = MessageType.Append, GroupId = 1 }));
        Assert.False(HeartbeatBatch.IsCoalesced(new RaftMessage { Type = MessageType.Heartbeat, Index = 4 }));
        Assert.False(HeartbeatBatch.IsCoalesced(new RaftMessage { Type = MessageType.HeartbeatResponse, Reject = true }));
    }

    [Fact]
    public void A_malformed_batch_is_refused_whole()
    {
        var batch = new ArrayBufferWriter<byte>();
        HeartbeatBatch.Append(batch, new RaftMessage { Type = MessageType.Heartbeat, GroupId = 1, Term = 2 });
        HeartbeatBatch.Append(batch, new RaftMessage { Type = MessageType.Heartbeat, GroupId = 2, Term = 2 });
        byte[] bytes = batch.WrittenSpan.ToArray();
        var received = new List<RaftMessage>();
        Assert.False(HeartbeatBatch.TryRead(bytes.AsSpan(0, bytes.Length - 1), 1, 2, received));
        Assert.False(HeartbeatBatch.TryRead([], 1, 2, received));
        bytes[HeartbeatBatch.RecordBytes + 8] = (byte)MessageType.Append;
        Assert.False(HeartbeatBatch.TryRead(bytes, 1, 2, received));
        Assert.Empty(received);
    }

    private static string Describe(RaftMessage message) =>
        $"{message.GroupId} {message.Type} {message.From}->{message.To} t{message.Term} c{message.Commit} x{message.Context} s{message.SentTick}";
}
