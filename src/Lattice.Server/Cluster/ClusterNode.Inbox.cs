using System.Buffers;
using System.Buffers.Binary;
using Lattice.Engine;
using Lattice.Raft;
using Lattice.Resp;

namespace Lattice.Server.Cluster;

/// <summary>
/// How work reaches the Raft thread: peer messages, proposals (local sessions' runs and forwarded ones) and read
/// barriers are queued under one lock and the thread is woken; it swaps the queues and works on them alone.
/// </summary>
public sealed partial class ClusterNode
{
    /// <summary>Longest run of writes one session submits at once: it always fits in one forwarded frame.</summary>
    internal const int RunBytesMax = 4 * 1024 * 1024;

    /// <summary>
    /// A queued proposal: <c>u32 entry length | u64 term | entry</c>. The term is 0 for this node's own sessions and,
    /// for a forwarded proposal, the term the forwarding node saw its leader in: the leader logs it only in that
    /// term, so the origin knows which term its run can commit in.
    /// </summary>
    internal const int RecordHeaderBytes = 12;

    internal const byte RefusedNoLeader = 1;
    internal const byte RefusedBusy = 2;

    /// <summary>
    /// Most proposal bytes queued for the Raft thread before forwarded frames are dropped (their writes time out on
    /// the node that forwarded them); this node's own sessions are bounded by their runs, one per session.
    /// </summary>
    private const int InboxProposalBytesMax = 64 * 1024 * 1024;

    private readonly Lock _inboxLock = new();
    private readonly ManualResetEventSlim _wake = new(false);
    private List<RaftMessage> _inMessages = [];
    private List<RaftMessage> _workMessages = [];
    private ArrayBufferWriter<byte> _inProposals = new(64 * 1024);
    private ArrayBufferWriter<byte> _workProposals = new(64 * 1024);
    private List<ClusterWaiter> _inReads = [];
    private List<ClusterWaiter> _workReads = [];
    private List<GroupOp> _inGroupOps = [];
    private List<GroupOp> _workGroupOps = [];

    /// <summary>
    /// Hands a session's run of writes to the Raft thread: <paramref name="records"/> holds one record (see
    /// <see cref="RecordHeaderBytes"/>) per sequence first..last. The waiter must be armed by the caller.
    /// </summary>
    internal void SubmitWrites(ClusterWaiter waiter, ReadOnlySpan<byte> records)
    {
        _pending.Add(waiter);
        lock (_inboxLock)
        {
            _inProposals.Write(records);
        }

        RunCycleHereOrWake();
    }

    /// <summary>Asks for a read barrier (ReadIndex); the waiter completes once this replica has applied that far.</summary>
    internal void SubmitRead(ClusterWaiter waiter)
    {
        lock (_inboxLock)
        {
            _inReads.Add(waiter);
        }

        // A read asks for a barrier only when this node does not lead alone, where cycles stay on the Raft thread.
        _wake.Set();
    }

    /// <summary>The deadline for a wait that starts now.</summary>
    internal long DeadlineMs() => NowMs() + (long)_options.RequestTimeout.TotalMilliseconds;

    private long NowMs() => (long)_time.GetElapsedTime(0).TotalMilliseconds;

    private void SwapInbox()
    {
        lock (_inboxLock)
        {
            (_inMessages, _workMessages) = (_workMessages, _inMessages);
            (_inProposals, _workProposals) = (_workProposals, _inProposals);
            (_inReads, _workReads) = (_workReads, _inReads);
            (_inGroupOps, _workGroupOps) = (_workGroupOps, _inGroupOps);
        }
    }

    private void OnPeerMessage(in RaftMessage message)
    {
        lock (_inboxLock)
        {
            _inMessages.Add(message);
        }

        _wake.Set();
    }

    private void OnPeerFrame(ulong from, byte kind, ReadOnlySpan<byte> body)
    {
        switch (kind)
        {
            case PeerFrameKinds.Forward:
                bool refused = false;
                if (ForwardedRecordsProblem(from, body) is { } problem)
                {
                    // Nothing of the frame is logged; its writes time out on the node that forwarded them.
                    _log($"cluster: dropped a forwarded proposal frame from node {from}: {problem}");
                    return;
                }

                lock (_inboxLock)
                {
                    // An empty inbox takes any frame (the transport bounds its size), so a record near the entry
                    // limit is never dropped for its size alone.
                    if (_inProposals.WrittenCount > 0 && _inProposals.WrittenCount + body.Length > InboxProposalBytesMax)
                    {
                        // The Raft thread is behind (a long fsync, a large apply): do not read on without bound. The frame
                        // holds whole runs (ForwardFrameSplit), so refusing all of it refuses no run in part.
                        _log($"cluster: refused a forwarded proposal frame from node {from}: {_inProposals.WrittenCount} bytes of proposals wait already");
                        refused = true;
                    }
                    else
                    {
                        _inProposals.Write(body);
                    }
                }

                if (refused)
                {
                    // Answered now rather than left to time out as "may have been applied"; the cycle sends the refusals.
                    for (ReadOnlySpan<byte> records = body; !records.IsEmpty;)
                    {
                        _ = NextRecord(ref records, out _, out ProposalOrigin origin);
                        Refuse(origin, RefusedBusy);
                    }
                }

                _wake.Set();
                return;
            case PeerFrameKinds.ForwardRefused:
                if (body.Length != 21)
                {
                    _log($"cluster: dropped a malformed refusal frame from node {from}");
                    return;
                }

                uint incarnation = BinaryPrimitives.ReadUInt32LittleEndian(body);
                long session = BinaryPrimitives.ReadInt64LittleEndian(body[4..]);
                long sequence = BinaryPrimitives.ReadInt64LittleEndian(body[12..]);
                if (incarnation == Incarnation)
                {
                    _keyspace.Reject(session, sequence, RefusalText(body[20]));
                }

                return;
            case PeerFrameKinds.Heartbeats:
                lock (_inboxLock)
                {
                    if (!HeartbeatBatch.TryRead(body, from, NodeId, _inMessages))
                    {
                        _log($"cluster: dropped a malformed heartbeat frame from node {from}");
                        return;
                    }
                }

                _wake.Set();
                return;
            case PeerFrameKinds.GroupOp:
                if (body.Length < 17)
                {
                    _log($"cluster: dropped a malformed group operation from node {from}");
                    return;
                }

                var op = new GroupOp(
                    BinaryPrimitives.ReadUInt64LittleEndian(body), body[8], BinaryPrimitives.ReadUInt64LittleEndian(body[9..]), body[17..].ToArray(), Local: false);
                lock (_inboxLock)
                {
                    _inGroupOps.Add(op);
                }

                _wake.Set();
                return;
            default:
                _log($"cluster: ignored an unknown frame kind {kind} from node {from}");
                return;
        }
    }

    private static string RefusalText(byte reason) => reason == RefusedBusy
        ? "TRYAGAIN the leader is busy (too many uncommitted writes); the write was not applied"
        : "TRYAGAIN the leader changed; the write was not applied";

    /// <summary>
    /// Null when every record of a forwarded frame may be logged: a complete envelope from the node that sent it,
    /// within the entry size limit, holding an entry this node's state machine applies (a logged entry that does not
    /// apply would stop every replica, at every restart). Otherwise what is wrong; nothing of the frame is queued.
    /// </summary>
    internal string? ForwardedRecordsProblem(ulong from, ReadOnlySpan<byte> records)
    {
        using var scratch = new ArgumentList();
        for (int record = 1; !records.IsEmpty; record++)
        {
            if (records.Length < RecordHeaderBytes)
            {
                return $"record {record} is cut short";
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(records);
            ulong term = BinaryPrimitives.ReadUInt64LittleEndian(records[4..]);
            if (term == 0 || length > (uint)(records.Length - RecordHeaderBytes) ||
                !ProposalEnvelope.TryRead(records.Slice(RecordHeaderBytes, (int)length), out ProposalOrigin origin, out ReadOnlySpan<byte> payload))
            {
                return $"record {record} is malformed";
            }

            if (origin.Node != from)
            {
                return $"record {record} names node {origin.Node} as its origin";
            }

            if (payload.Length > MaxEntryBytes)
            {
                return $"record {record} is larger than the entry limit ({MaxEntryBytes} bytes)";
            }

            if (LoggedEntryCheck.Problem(_keyspace.Commands, payload, scratch) is { } problem)
            {
                return $"record {record} does not apply here ({problem})";
            }

            records = records[(RecordHeaderBytes + (int)length)..];
        }

        return null;
    }

    /// <summary>Receives from the transport's threads; keeps the node's own handler methods private.</summary>
    private sealed class PeerHandler(ClusterNode node) : IPeerMessageHandler
    {
        public void OnRaftMessage(in RaftMessage message) => node.OnPeerMessage(message);

        public void OnPeerFrame(ulong from, byte kind, ReadOnlySpan<byte> body) => node.OnPeerFrame(from, kind, body);

        public void OnPeerConnectionChanged(ulong peer, bool connected) =>
            node._log($"cluster: peer {peer} {(connected ? "connected" : "disconnected")}");
    }
}
