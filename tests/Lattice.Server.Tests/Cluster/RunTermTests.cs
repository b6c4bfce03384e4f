using System.Buffers;
using System.Text;
using Lattice.Engine;
using Lattice.Raft;
using Lattice.Resp;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.Cluster;

/// <summary>
/// A session's run of writes is answered by the term it was proposed in: entries of a run still unapplied when the
/// first entry of a later term applies were dropped in a leader change. So only the session's current run may take
/// a term, and only from one of its own writes.
/// </summary>
public sealed class RunTermTests
{
    private const ulong NodeId = 1;
    private const uint Incarnation = 1;
    private const long Session = 7;

    private static byte[] Entry(long sequence, string resp)
    {
        var output = new ArrayBufferWriter<byte>();
        Span<byte> envelope = output.GetSpan(ProposalEnvelope.HeaderBytes);
        ProposalEnvelope.WriteHeader(envelope, new ProposalOrigin(NodeId, Incarnation, Session, sequence));
        output.Advance(ProposalEnvelope.HeaderBytes);
        LogEntryCodec.WriteHeader(output, EntryKind.Command, 1_700_000_000_000);
        output.Write(Encoding.UTF8.GetBytes(resp));
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void A_late_write_of_an_earlier_run_does_not_give_the_current_run_its_term()
    {
        var pending = new PendingWrites();
        using var machine = new KeyspaceStateMachine(pending, TimeProvider.System, NodeId, Incarnation, (message, e) => throw new InvalidOperationException(message, e));
        var replies = new ArrayBufferWriter<byte>();
        var context = new CommandContext(machine.Database, new ReplyWriter(replies));

        // The session's run of writes 1-2 timed out; its next run is writes 3-4.
        var waiter = new ClusterWaiter(Session, context);
        ValueTask done = waiter.ArmWrites(3, 4, long.MaxValue);
        pending.Add(waiter);

        // Write 2, held back by a full leader in term 5, is proposed late; the current run is proposed in term 6.
        machine.SetRunTerm(Session, 2, 5);
        machine.SetRunTerm(Session, 3, 6);

        machine.BeginApply();
        try
        {
            machine.Apply(new Entry(5, 1, EntryType.Normal, Entry(2, "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n")));
            machine.Apply(new Entry(6, 2, EntryType.Normal, ReadOnlyMemory<byte>.Empty));
            machine.Apply(new Entry(6, 3, EntryType.Normal, Entry(3, "*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n")));
            machine.Apply(new Entry(6, 4, EntryType.Normal, Entry(4, "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n")));
        }
        finally
        {
            machine.EndApply();
        }

        Assert.True(done.IsCompleted);
        Assert.Equal("+OK\r\n:1\r\n", Encoding.UTF8.GetString(replies.WrittenSpan));
    }
}
