using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Lattice.Bench.Workloads;
using Lattice.Common;

namespace Lattice.Bench.Drivers;

/// <summary>
/// One RESP connection (Lattice or Redis). Records are strings under <see cref="RecordKey"/> names; inserts also
/// add the name to the sorted set <see cref="IndexKey"/> (score 0), so a scan is <c>ZRANGEBYLEX index [start + LIMIT 0
/// n</c> followed by <c>MGET</c> of the names it returned. A batch goes out in one write; operations that need a
/// second round trip (scan, read-modify-write = GET then SET) send it after the first replies, again in one write.
/// Buffers are reused and the async methods pool their state, so a steady run allocates nothing per operation.
/// </summary>
public sealed class RespConnection : IBenchConnection
{
    /// <summary>The sorted set that orders record names for scans.</summary>
    public static ReadOnlySpan<byte> IndexKey => "ycsb:index"u8;

    private readonly Socket _socket;
    private readonly TimeProvider _time;
    private readonly byte[] _value;
    private readonly RespCommandWriter _writer = new();
    private bool[] _needsSecondRoundTrip = new bool[1];
    private byte[] _receive = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _receiveStart;
    private int _receiveEnd;
    private int _replyStart;

    private RespConnection(Socket socket, TimeProvider time, byte[] value)
    {
        _socket = socket;
        _time = time;
        _value = value;
    }

    public static async ValueTask<RespConnection> ConnectAsync(
        BenchEndpoint endpoint, TimeProvider time, byte[] value, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new RespConnection(socket, time, value);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask ExecuteAsync(OperationBatch batch, CancellationToken cancellationToken)
    {
        if (_needsSecondRoundTrip.Length < batch.Capacity)
        {
            _needsSecondRoundTrip = new bool[batch.Capacity];
        }

        _writer.Reset();
        for (int i = 0; i < batch.Count; i++)
        {
            WriteFirstRoundTrip(batch.Kinds[i], batch.Records[i], batch.ScanLengths[i]);
        }

        await SendAsync(cancellationToken).ConfigureAwait(false);
        _writer.Reset();
        bool anySecond = false;
        for (int i = 0; i < batch.Count; i++)
        {
            _needsSecondRoundTrip[i] = await ReadFirstRepliesAsync(batch, i, cancellationToken).ConfigureAwait(false);
            anySecond |= _needsSecondRoundTrip[i];
            if (!_needsSecondRoundTrip[i])
            {
                batch.CompletedTimestamps[i] = _time.GetTimestamp();
            }
        }

        if (!anySecond)
        {
            return;
        }

        await SendAsync(cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < batch.Count; i++)
        {
            if (_needsSecondRoundTrip[i])
            {
                RespReply reply = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
                batch.Outcomes[i] = reply.IsError ? OperationOutcome.Error : OperationOutcome.Ok;
                batch.CompletedTimestamps[i] = _time.GetTimestamp();
            }
        }
    }

    /// <summary>Sends one command and returns its raw reply bytes (for tests and readiness checks).</summary>
    public async ValueTask<byte[]> CommandAsync(string[] arguments, CancellationToken cancellationToken)
    {
        _writer.Reset();
        _writer.BeginCommand(arguments.Length);
        foreach (string argument in arguments)
        {
            _writer.Argument(System.Text.Encoding.UTF8.GetBytes(argument));
        }

        await SendAsync(cancellationToken).ConfigureAwait(false);
        await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        return _receive.AsSpan(_replyStart, _receiveStart - _replyStart).ToArray();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        _writer.Dispose();
        ArrayPool<byte>.Shared.Return(_receive);
        _receive = [];
        return ValueTask.CompletedTask;
    }

    private void WriteFirstRoundTrip(OperationKind kind, long record, int scanLength)
    {
        Span<byte> key = stackalloc byte[RecordKey.MaxLength + 1];
        int keyLength = RecordKey.Write(record, key[1..]);
        ReadOnlySpan<byte> name = key.Slice(1, keyLength);
        switch (kind)
        {
            case OperationKind.Read or OperationKind.ReadModifyWrite:
                _writer.BeginCommand(2);
                _writer.Argument("GET"u8);
                _writer.Argument(name);
                break;
            case OperationKind.Update:
                WriteSet(name);
                break;
            case OperationKind.Insert:
                WriteSet(name);
                _writer.BeginCommand(4);
                _writer.Argument("ZADD"u8);
                _writer.Argument(IndexKey);
                _writer.Argument("0"u8);
                _writer.Argument(name);
                break;
            case OperationKind.Scan:
                key[0] = (byte)'[';
                _writer.BeginCommand(7);
                _writer.Argument("ZRANGEBYLEX"u8);
                _writer.Argument(IndexKey);
                _writer.Argument(key[..(keyLength + 1)]);
                _writer.Argument("+"u8);
                _writer.Argument("LIMIT"u8);
                _writer.Argument("0"u8);
                _writer.Argument(scanLength);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private void WriteSet(long record)
    {
        Span<byte> key = stackalloc byte[RecordKey.MaxLength];
        WriteSet(key[..RecordKey.Write(record, key)]);
    }

    private void WriteSet(ReadOnlySpan<byte> name)
    {
        _writer.BeginCommand(3);
        _writer.Argument("SET"u8);
        _writer.Argument(name);
        _writer.Argument(_value);
    }

    /// <summary>Reads operation <paramref name="i"/>'s first replies; true when it needs a second round trip (queued in the writer).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReadFirstRepliesAsync(OperationBatch batch, int i, CancellationToken cancellationToken)
    {
        RespReply reply = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        switch (batch.Kinds[i])
        {
            case OperationKind.Read:
                batch.Outcomes[i] = reply.IsError ? OperationOutcome.Error : reply.IsNull ? OperationOutcome.NotFound : OperationOutcome.Ok;
                return false;
            case OperationKind.Update:
                batch.Outcomes[i] = reply.IsError ? OperationOutcome.Error : OperationOutcome.Ok;
                return false;
            case OperationKind.Insert:
                RespReply indexReply = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
                batch.Outcomes[i] = reply.IsError || indexReply.IsError ? OperationOutcome.Error : OperationOutcome.Ok;
                return false;
            case OperationKind.Scan:
                if (reply.IsError || reply.IsNull || reply.Number == 0)
                {
                    batch.Outcomes[i] = reply.IsError ? OperationOutcome.Error : OperationOutcome.NotFound;
                    return false;
                }

                WriteFetchOfScannedNames(reply);
                return true;
            case OperationKind.ReadModifyWrite:
                if (reply.IsError)
                {
                    batch.Outcomes[i] = OperationOutcome.Error;
                    return false;
                }

                WriteSet(batch.Records[i]);
                return true;
            default:
                throw new ArgumentOutOfRangeException(nameof(batch));
        }
    }

    /// <summary>Turns the ZRANGEBYLEX array still in the receive buffer into an MGET of the same names.</summary>
    private void WriteFetchOfScannedNames(RespReply array)
    {
        ReadOnlySpan<byte> reply = _receive.AsSpan(_replyStart, _receiveStart - _replyStart);
        _writer.BeginCommand((int)array.Number + 1);
        _writer.Argument("MGET"u8);
        int offset = array.PayloadOffset;
        for (long n = 0; n < array.Number; n++)
        {
            int used = RespReplyParser.TryParse(reply[offset..], out RespReply element);
            Invariant.Check(used > 0 && element.Number >= 0, "scan reply element is a bulk string");
            _writer.Argument(reply.Slice(offset + element.PayloadOffset, (int)element.Number));
            offset += used;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RespReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int used = RespReplyParser.TryParse(_receive.AsSpan(_receiveStart, _receiveEnd - _receiveStart), out RespReply reply);
            if (used > 0)
            {
                _replyStart = _receiveStart;
                _receiveStart += used;
                return reply;
            }

            if (used < 0)
            {
                throw new InvalidDataException("malformed RESP reply");
            }

            await ReceiveMoreAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask ReceiveMoreAsync(CancellationToken cancellationToken)
    {
        if (_receiveStart == _receiveEnd)
        {
            _receiveStart = _receiveEnd = 0;
        }
        else if (_receiveEnd == _receive.Length)
        {
            // Keep the unparsed tail; grow only when the tail alone fills the buffer (one reply larger than it).
            int tail = _receiveEnd - _receiveStart;
            byte[] target = tail * 2 > _receive.Length ? ArrayPool<byte>.Shared.Rent(_receive.Length * 2) : _receive;
            Buffer.BlockCopy(_receive, _receiveStart, target, 0, tail);
            if (!ReferenceEquals(target, _receive))
            {
                ArrayPool<byte>.Shared.Return(_receive);
                _receive = target;
            }

            _receiveStart = 0;
            _receiveEnd = tail;
        }

        int received = await _socket.ReceiveAsync(_receive.AsMemory(_receiveEnd), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (received == 0)
        {
            throw new IOException("the server closed the connection");
        }

        _receiveEnd += received;
    }

    private async ValueTask SendAsync(CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> pending = _writer.Written;
        while (!pending.IsEmpty)
        {
            int sent = await _socket.SendAsync(pending, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            pending = pending[sent..];
        }
    }
}
