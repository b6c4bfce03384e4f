using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Lattice.Common;
using Lattice.Engine;
using Lattice.Resp;
using Microsoft.AspNetCore.Connections;

namespace Lattice.Server;

/// <summary>
/// One client connection. Each read's bytes are copied into the session's query buffer; every complete request in
/// it is executed (the engine lock is taken once for the batch; writes go to the Raft thread and are answered when
/// applied, see ClientSession.Cluster), replies are written into the transport's pipe, and the batch is flushed once.
/// A client that does not read its replies stalls its own flush and therefore its own reads: memory stays bounded.
/// </summary>
internal sealed partial class ClientSession : IDisposable
{
    private const int QueryBufferInitialBytes = 16 * 1024;
    private const int QueryBufferRetainedBytes = 1024 * 1024;

    /// <summary>Commands run per engine-lock hold; a long pipeline lets others in between.</summary>
    private const int CommandsPerLockHold = 256;

    /// <summary>
    /// Replies a batch may gather before they are sent and the rest of the batch waits for the send: a client that
    /// pipelines large reads and never reads its replies is throttled by its own socket instead of buffered for.
    /// </summary>
    private const int ReplyFlushBytes = 64 * 1024;

    private readonly ServerState _server;
    private readonly IKeyspace _keyspace;
    private readonly Cluster.ClusterNode _cluster;
    private readonly ConnectionContext _connection;
    private readonly ArgumentList _args = new();
    private readonly ReplyWriter _reply = new();
    private readonly CommandContext _context;
    private byte[] _query;
    private int _queryLength;
    private bool _holdsEngine;
    private bool _closeAfterReply;
    private ulong _readSeed;

    /// <summary>
    /// The clock, read once per batch of requests (0 until a request of the batch needs it): the requests of one read
    /// arrived together, and a clock read per command was about 1 % of the machine's samples under pipelined load.
    /// </summary>
    private long _batchReadTimeMs;

    /// <summary>The time stamped on this batch's writes (0 until its first write), as for reads.</summary>
    private long _batchEntryTimeMs;
    private volatile bool _killed;

    public ClientSession(ServerState server, ConnectionContext connection)
    {
        _server = server;
        _keyspace = server.Keyspace;
        _cluster = server.Cluster;
        _unsafeStaleReads = (server.Options.Unsafe & UnsafeModes.StaleReads) != 0;
        _connection = connection;
        _context = new CommandContext(_keyspace.Database, _reply);
        _query = ArrayPool<byte>.Shared.Rent(QueryBufferInitialBytes);
        Id = server.Clients.NextId();
        _readSeed = (ulong)Id << 32;
        CreatedAt = server.Time.GetUtcNow();
        LastActivity = CreatedAt;
        Address = connection.RemoteEndPoint?.ToString() ?? "?";
        LocalAddress = connection.LocalEndPoint?.ToString() ?? "?";
    }

    public long Id { get; }

    public string Address { get; }

    public string LocalAddress { get; }

    public string? Name { get; set; }

    public string? LibraryName { get; set; }

    public string? LibraryVersion { get; set; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset LastActivity { get; private set; }

    public string LastCommand { get; private set; } = "NULL";

    public int Protocol
    {
        get => _reply.Protocol;
        set => _reply.Protocol = value;
    }

    public int QueryBufferBytes => _queryLength;

    public ReplyWriter Reply => _reply;

    public ServerState Server => _server;

    /// <summary>Runs the connection until the client leaves, is killed, or breaks the protocol.</summary>
    public async Task RunAsync()
    {
        PipeReader input = _connection.Transport.Input;
        PipeWriter output = _connection.Transport.Output;
        try
        {
            while (true)
            {
                ReadResult read = await input.ReadAsync().ConfigureAwait(false);
                if (Cluster.ClusterNode.IsRaftThread)
                {
                    // Resumed by a thread running a Raft cycle, with more input already here: run it elsewhere.
                    await Task.Yield();
                }

                if (_killed)
                {
                    break;
                }

                ReadOnlySequence<byte> buffer = read.Buffer;
                _server.Stats.AddInput(buffer.Length);
                bool accepted = AppendToQuery(buffer);
                input.AdvanceTo(buffer.End);
                _reply.Reset(output);
                _reply.Limit = _server.Options.Limits.MaxOutputBufferBytes;
                bool sent = true;
                while (accepted)
                {
                    ProcessQuery();
                    while (_clusterWaitPending)
                    {
                        await _clusterWait.ConfigureAwait(false);
                        EndClusterWait();
                        // Replies of writes are written when they apply: check them as ProcessQuery checks reads'.
                        CloseIfRepliesOverflowed();
                        if (Cluster.ClusterNode.IsRaftThread && _queryLength > 0)
                        {
                            // Resumed by a thread running a Raft cycle, with more requests to run: run them elsewhere.
                            await Task.Yield();
                        }

                        ProcessQuery();
                    }

                    if (!RepliesFull || _queryLength == 0 || _closeAfterReply || _killed)
                    {
                        break;
                    }

                    // The batch's replies are large: send them before running the rest of it.
                    sent = await SendRepliesAsync(output).ConfigureAwait(false);
                    if (!sent)
                    {
                        break;
                    }
                }

                if (!sent || !await SendRepliesAsync(output).ConfigureAwait(false))
                {
                    break;
                }

                if (_closeAfterReply || _killed || read.IsCompleted || read.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (ConnectionResetException)
        {
            // The client went away; nothing to answer.
        }
        catch (ConnectionAbortedException)
        {
            // CLIENT KILL or shutdown.
        }
        finally
        {
            ReleaseEngine();
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
        }
    }

    private bool RepliesFull => _reply.WrittenBytes >= ReplyFlushBytes;

    /// <summary>
    /// A reply passed client-output-buffer-limit (and was dropped): close at once, without sending the rest, as Redis
    /// does, so the replies are not held for a client that may never read them.
    /// </summary>
    private void CloseIfRepliesOverflowed()
    {
        if (!_reply.Overflowed || _closeAfterReply)
        {
            return;
        }

        _server.Log($"client {Id} ({Address}) closed: its replies exceeded client-output-buffer-limit");
        CloseAfterReply();
        _connection.Abort(new ConnectionAbortedException("replies exceeded client-output-buffer-limit"));
    }

    /// <summary>Sends the replies gathered so far; false when the connection is finished.</summary>
    private async ValueTask<bool> SendRepliesAsync(PipeWriter output)
    {
        if (_reply.WrittenBytes == 0)
        {
            return true;
        }

        _server.Stats.AddOutput(_reply.WrittenBytes);
        FlushResult flushed = await output.FlushAsync().ConfigureAwait(false);
        _reply.Reset(output);
        return !flushed.IsCompleted && !flushed.IsCanceled;
    }

    /// <summary>Closes the connection from another session (CLIENT KILL).</summary>
    public void Kill()
    {
        // Wake the session if it waits for input, then abort the transport (closes the socket under Kestrel).
        _killed = true;
        _connection.Transport.Input.CancelPendingRead();
        _connection.Abort(new ConnectionAbortedException("killed by CLIENT KILL"));
    }

    /// <summary>Closes the connection after this batch's replies are sent (QUIT, protocol errors, CLIENT KILL of self).</summary>
    public void CloseAfterReply() => _closeAfterReply = true;

    public void Dispose()
    {
        _args.Dispose();
        ArrayPool<byte>.Shared.Return(_query);
        _query = [];
        DisposeTransaction();
    }

    /// <summary>Takes the engine lock for the rest of the batch, if not held already.</summary>
    public void EnsureEngine()
    {
        if (!_holdsEngine)
        {
            _keyspace.Enter();
            _holdsEngine = true;
        }
    }

    public void ReleaseEngine()
    {
        if (_holdsEngine)
        {
            _holdsEngine = false;
            _keyspace.Exit();
        }
    }

    private bool AppendToQuery(in ReadOnlySequence<byte> buffer)
    {
        long needed = _queryLength + buffer.Length;
        if (needed > _server.Options.Limits.MaxQueryBufferBytes)
        {
            ProtocolError("Protocol error: client query buffer limit reached");
            _queryLength = 0;
            return false;
        }

        if (needed > _query.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, (long)_query.Length * 2), Array.MaxLength));
            _query.AsSpan(0, _queryLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_query);
            _query = larger;
        }

        buffer.CopyTo(_query.AsSpan(_queryLength));
        _queryLength += (int)buffer.Length;
        // Requests that arrive now may follow writes acknowledged after the last read barrier.
        _readBarrierValid = false;
        return true;
    }

    private void ProcessQuery()
    {
        // The context's MaxStringBytes stays at its 512 MB default: applying must give the same result on replay,
        // so it cannot follow proto-max-bulk-len, which changes at runtime and is not in the log.
        RespLimits limits = _server.Options.Limits;
        Span<byte> data = _query.AsSpan(0, _queryLength);
        int at = 0;
        int executed = 0;
        int prefetchedTo = FirstLookAhead(data.Length);
        _batchReadTimeMs = 0;
        _batchEntryTimeMs = 0;
        try
        {
            while (at < data.Length && !_closeAfterReply && !RepliesFull)
            {
                if (at >= prefetchedTo)
                {
                    prefetchedTo = at + PrefetchReads(data[at..]);
                }

                ParseStatus status = RequestParser.TryParse(data[at..], limits, _args, out int consumed, out string? error);
                if (status == ParseStatus.Incomplete)
                {
                    break;
                }

                if (status == ParseStatus.Error)
                {
                    if (HasRepliesPending)
                    {
                        // Replies of the writes before the bad request come first: wait for them, then answer it.
                        break;
                    }

                    ProtocolError(error ?? "Protocol error");
                    at = data.Length;
                    break;
                }

                if (_args.Count > 0)
                {
                    if (!Execute(_args.AsArgs(data[at..]), data.Slice(at, consumed)))
                    {
                        // Waits for the cluster first (see ClientSession.Cluster); runs again after the wait.
                        break;
                    }

                    executed++;
                    if (executed % CommandsPerLockHold == 0)
                    {
                        ReleaseEngine();
                    }

                    CloseIfRepliesOverflowed();
                }

                at += consumed;
            }
        }
        finally
        {
            ReleaseEngine();
        }

        StartClusterWait();

        _server.Stats.AddCommands(executed);
        if (executed > 0)
        {
            LastActivity = _server.Time.GetUtcNow();
        }

        CompactQuery(at);
    }

    private void CompactQuery(int consumed)
    {
        int remaining = _queryLength - consumed;
        if (remaining > 0 && consumed > 0)
        {
            _query.AsSpan(consumed, remaining).CopyTo(_query);
        }

        _queryLength = remaining;
        if (remaining == 0 && _query.Length > QueryBufferRetainedBytes)
        {
            // One huge request should not pin its buffer for the life of the connection.
            ArrayPool<byte>.Shared.Return(_query);
            _query = ArrayPool<byte>.Shared.Rent(QueryBufferInitialBytes);
        }
    }

    /// <summary>
    /// Runs one request (<paramref name="request"/> is its bytes as received); false when it must wait for the
    /// cluster first (it is then run again).
    /// </summary>
    private bool Execute(CommandArgs args, ReadOnlySpan<byte> request)
    {
        CommandSpec? spec = _keyspace.Commands.Find(args[0]);
        if (spec is not null && (spec.Flags & CommandFlags.Internal) != 0)
        {
            spec = null;
        }

        CommandSpec? serverSpec = spec is null ? _server.Commands.Find(args[0]) : null;
        if (!ClusterMayRun(spec, args))
        {
            return false;
        }

        LastCommand = spec?.Name ?? serverSpec?.Name ?? LastCommand;
        if (InTransaction && !IsTransactionControl(serverSpec))
        {
            Queue(spec, serverSpec, args);
            return true;
        }

        if (spec is not null)
        {
            if (!spec.AcceptsArgumentCount(args.Count))
            {
                _reply.Error(Errors.WrongArity(spec.Name));
                return true;
            }

            if (spec.IsWrite)
            {
                QueueClusterCommand(args, request);
                return true;
            }

            if (!spec.IsWrite && TakeReadBarrierError() is { } error)
            {
                _reply.Error(error);
                return true;
            }

            EnsureEngine();
            if (_batchReadTimeMs == 0)
            {
                _batchReadTimeMs = _keyspace.NowMs();
            }

            _keyspace.ExecuteRead(_context, spec, args, _batchReadTimeMs, ++_readSeed);
            return true;
        }

        if (serverSpec is null)
        {
            _reply.Error(UnknownCommand(args));
            return true;
        }

        if (!serverSpec.AcceptsArgumentCount(args.Count))
        {
            _reply.Error(Errors.WrongArity(serverSpec.Name));
            return true;
        }

        _server.HandlerFor(serverSpec)(this, args);
        // A server command may take time or move the clock (SAVE, LATTICE TEST CLOCK-OFFSET): read it anew.
        _batchReadTimeMs = 0;
        _batchEntryTimeMs = 0;
        return true;
    }

    private void ProtocolError(string error)
    {
        _server.Stats.AddProtocolError();
        _reply.Error("ERR " + error);
        CloseAfterReply();
    }

    /// <summary>Redis's text: the name and the first arguments, each quoted, up to 128 characters.</summary>
    internal static string UnknownCommand(CommandArgs args)
    {
        var text = new StringBuilder();
        for (int i = 1; i < args.Count && text.Length < 128; i++)
        {
            string arg = Encoding.UTF8.GetString(args[i]);
            int room = 128 - text.Length;
            text.Append('\'').Append(arg.Length > room ? arg[..room] : arg).Append("' ");
        }

        string name = Encoding.UTF8.GetString(args[0]);
        return $"ERR unknown command '{(name.Length > 128 ? name[..128] : name)}', with args beginning with: {text}";
    }
}
