using System.Buffers;
using System.Buffers.Binary;
using Lattice.Engine;
using Lattice.Resp;
using Lattice.Server.Cluster;

namespace Lattice.Server;

/// <summary>
/// A session on a cluster node. Consecutive writes of a batch become one run: each is wrapped in an envelope naming
/// this session and its sequence, the run goes to the Raft thread (proposed here when leading, else forwarded to the
/// leader), and the session waits; applying each entry on this node writes its reply through the session's context,
/// in order. Anything after a run waits for it, so replies keep the requests' order. Strong reads wait for one read
/// barrier (ReadIndex) that covers every request received before it was asked for; READONLY skips it, as in Redis
/// Cluster, for possibly stale reads from this replica.
/// </summary>
internal sealed partial class ClientSession
{
    /// <summary>--unsafe stale-reads (testing only): every read skips the barrier, whatever READWRITE says.</summary>
    private readonly bool _unsafeStaleReads;
    private ClusterWaiter? _clusterWaiter;
    private ArrayBufferWriter<byte>? _run;
    private ValueTask _clusterWait;
    private bool _clusterWaitPending;
    private long _runFirstSequence;
    private int _runCount;
    private long _nextSequence = 1;
    private bool _readBarrierValid;
    private bool _needReadBarrier;
    private string? _readBarrierError;
    private Task<string?>? _pendingReply;

    /// <summary>READONLY: reads are served from this replica's state without a read barrier (maybe stale).</summary>
    public bool AllowStaleReads { get; set; }

    /// <summary>Replies of earlier requests are still to come from the cluster (a run of writes, a long command).</summary>
    private bool HasRepliesPending => _runCount > 0 || _pendingReply is not null;

    /// <summary>Largest entry one request may become.</summary>
    public int MaxEntryBytes => _cluster.MaxEntryBytes;

    /// <summary>False when the request has to wait: for the pending run of writes, or for a read barrier.</summary>
    private bool ClusterMayRun(CommandSpec? spec, CommandArgs args)
    {
        if (_pendingReply is not null)
        {
            return false;
        }

        bool isData = spec is not null && !InTransaction && spec.AcceptsArgumentCount(args.Count);
        if (_runCount > 0)
        {
            // Only another write may join the run (while the run stays small enough for one forwarded frame).
            return isData && spec!.IsWrite && _run!.WrittenCount < ClusterNode.RunBytesMax;
        }

        if (isData && !spec!.IsWrite && !_readBarrierValid && !AllowStaleReads && !_unsafeStaleReads && _readBarrierError is null)
        {
            if (_cluster.LeadsAlone)
            {
                // No read round when this node leads alone; checked again under the engine lock (see LeadsAlone).
                EnsureEngine();
                if (_cluster.LeadsAlone)
                {
                    return true;
                }
            }

            _needReadBarrier = true;
            return false;
        }

        return true;
    }

    private void QueueClusterCommand(CommandArgs args, ReadOnlySpan<byte> request)
    {
        // A multibulk request is logged byte for byte as the client sent it (the parser accepted it, and applying parses
        // it with the same parser); an inline one is encoded as a multibulk.
        bool asReceived = request.Length > 0 && request[0] == (byte)'*';
        int requestBytes = asReceived ? request.Length : RequestEncoder.MeasureBytes(args);
        int length = ProposalEnvelope.HeaderBytes + LogEntryCodec.HeaderBytes + requestBytes;
        if (length - ProposalEnvelope.HeaderBytes > MaxEntryBytes)
        {
            _reply.Error($"ERR command too large for the log (the limit is {MaxEntryBytes} bytes)");
            return;
        }

        if (_batchEntryTimeMs == 0)
        {
            _batchEntryTimeMs = _keyspace.NextEntryTimeMs();
        }

        ArrayBufferWriter<byte> run = BeginRunEntry(length);
        if (asReceived)
        {
            LogEntryCodec.WriteHeader(run, EntryKind.Command, _batchEntryTimeMs);
            run.Write(request);
        }
        else
        {
            LogEntryCodec.WriteCommand(run, _batchEntryTimeMs, args);
        }
    }

    /// <summary>Queues an already encoded entry (a transaction) as the next write of the run.</summary>
    private void QueueClusterEntry(ReadOnlySpan<byte> payload)
    {
        ArrayBufferWriter<byte> run = BeginRunEntry(ProposalEnvelope.HeaderBytes + payload.Length);
        run.Write(payload);
    }

    private ArrayBufferWriter<byte> BeginRunEntry(int length)
    {
        _run ??= new ArrayBufferWriter<byte>(4096);
        if (_runCount == 0)
        {
            _run.ResetWrittenCount();
            _runFirstSequence = _nextSequence;
        }

        Span<byte> header = _run.GetSpan(ClusterNode.RecordHeaderBytes + ProposalEnvelope.HeaderBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)length);
        BinaryPrimitives.WriteUInt64LittleEndian(header[4..], 0);
        ProposalEnvelope.WriteHeader(header[ClusterNode.RecordHeaderBytes..], new ProposalOrigin(_cluster.NodeId, _cluster.Incarnation, Id, _nextSequence));
        _run.Advance(ClusterNode.RecordHeaderBytes + ProposalEnvelope.HeaderBytes);
        _nextSequence++;
        _runCount++;
        return _run;
    }

    /// <summary>
    /// A command whose answer takes long (membership changes): its reply (null = +OK, else the error text) is sent
    /// when the task completes, and the requests after it wait, so replies keep their order.
    /// </summary>
    public void ReplyWhenDone(Task<string?> operation) => _pendingReply = operation;

    /// <summary>After a batch: submit the run, or ask for a read barrier, and let RunAsync wait for it.</summary>
    private void StartClusterWait()
    {
        ClusterNode cluster = _cluster;
        _clusterWaiter ??= new ClusterWaiter(Id, _context);
        if (_pendingReply is not null)
        {
            _clusterWait = new ValueTask(_pendingReply.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default));
            _clusterWaitPending = true;
        }
        else if (_runCount > 0)
        {
            _clusterWait = _clusterWaiter.ArmWrites(_runFirstSequence, _nextSequence - 1, cluster.DeadlineMs());
            _clusterWaitPending = true;
            cluster.SubmitWrites(_clusterWaiter, _run!.WrittenSpan);
            _runCount = 0;
            if (_run.Capacity > QueryBufferRetainedBytes)
            {
                _run = null;
            }
        }
        else if (_needReadBarrier)
        {
            _needReadBarrier = false;
            _clusterWait = _clusterWaiter.ArmRead(cluster.DeadlineMs());
            _clusterWaitPending = true;
            cluster.SubmitRead(_clusterWaiter);
        }
    }

    private void EndClusterWait()
    {
        _clusterWaitPending = false;
        if (_pendingReply is { } operation)
        {
            _pendingReply = null;
            string? error = operation.IsCompletedSuccessfully ? operation.Result : "ERR " + operation.Exception?.InnerException?.Message;
            if (error is null)
            {
                _reply.Ok();
            }
            else
            {
                _reply.Error(error);
            }

            return;
        }

        ClusterWaiter waiter = _clusterWaiter!;
        if (waiter.Kind == ClusterWaitKind.Read)
        {
            _readBarrierValid = waiter.Error is null;
            _readBarrierError = waiter.Error;
        }
    }

    /// <summary>A failed read barrier answers the read that asked for it; the next read asks again.</summary>
    private string? TakeReadBarrierError()
    {
        string? error = _readBarrierError;
        _readBarrierError = null;
        return error;
    }
}
