using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Lattice.Engine;
using Lattice.Server.Cluster;

namespace Lattice.Server.Tests.InProcess;

/// <summary>
/// A leader logs a forwarded frame only when every record in it is whole, comes from the node that sent it, fits the
/// entry limit and applies on this node: a logged entry that does not apply would stop every replica at every start.
/// </summary>
public sealed class ForwardedProposalCheckTests : IDisposable
{
    private const ulong Sender = 2;
    private readonly InProcessNode _node = new(AppendFsyncPolicy.No);

    public void Dispose() => _node.Close();

    private static byte[] Record(ulong term, ulong origin, byte[] payload)
    {
        byte[] record = new byte[ClusterNode.RecordHeaderBytes + ProposalEnvelope.HeaderBytes + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(ProposalEnvelope.HeaderBytes + payload.Length));
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(4), term);
        ProposalEnvelope.WriteHeader(record.AsSpan(ClusterNode.RecordHeaderBytes), new ProposalOrigin(origin, 1, 7, 1));
        payload.CopyTo(record.AsSpan(ClusterNode.RecordHeaderBytes + ProposalEnvelope.HeaderBytes));
        return record;
    }

    private static byte[] Command(string resp)
    {
        var output = new ArrayBufferWriter<byte>();
        LogEntryCodec.WriteHeader(output, EntryKind.Command, 1_700_000_000_000);
        output.Write(Encoding.UTF8.GetBytes(resp));
        return output.WrittenSpan.ToArray();
    }

    private static readonly byte[] Set = Command("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n");

    [Fact]
    public void Whole_records_of_known_writes_from_their_sender_pass()
    {
        byte[] two = [.. Record(1, Sender, Set), .. Record(1, Sender, Command("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n"))];
        Assert.Null(_node.Cluster.ForwardedRecordsProblem(Sender, two));
    }

    [Fact]
    public void A_frame_with_any_bad_record_is_refused_whole_with_the_reason()
    {
        byte[] good = Record(1, Sender, Set);
        Assert.Contains("record 2 does not apply here (not a write this node knows)",
            _node.Cluster.ForwardedRecordsProblem(Sender, [.. good, .. Record(1, Sender, Command("*1\r\n$7\r\nFUTURES\r\n"))]), StringComparison.Ordinal);
        Assert.Contains("record 1 names node 3 as its origin",
            _node.Cluster.ForwardedRecordsProblem(Sender, Record(1, 3, Set)), StringComparison.Ordinal);
        Assert.Contains("record 1 is malformed", _node.Cluster.ForwardedRecordsProblem(Sender, Record(0, Sender, Set)), StringComparison.Ordinal);
        Assert.Contains("record 2 is cut short", _node.Cluster.ForwardedRecordsProblem(Sender, [.. good, 1, 2, 3]), StringComparison.Ordinal);
        Assert.Contains("record 1 is malformed", _node.Cluster.ForwardedRecordsProblem(Sender, good[..^1]), StringComparison.Ordinal);

        byte[] huge = Command($"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n${_node.Cluster.MaxEntryBytes}\r\n{new string('x', _node.Cluster.MaxEntryBytes)}\r\n");
        Assert.Contains("larger than the entry limit", _node.Cluster.ForwardedRecordsProblem(Sender, Record(1, Sender, huge)), StringComparison.Ordinal);
    }
}
