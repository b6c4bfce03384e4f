namespace Lattice.Bench.Drivers;

/// <summary>
/// etcd's KV service (Put, Range, Txn) over one <see cref="EtcdGrpcChannel"/>. Reads are etcd's default
/// linearizable Range. Not thread-safe: it reuses one request frame.
/// </summary>
public sealed class EtcdKvClient : IDisposable
{
    private const string PutPath = "/etcdserverpb.KV/Put";
    private const string RangePath = "/etcdserverpb.KV/Range";
    private const string TxnPath = "/etcdserverpb.KV/Txn";

    private readonly EtcdGrpcChannel _channel;
    private byte[] _frame = new byte[4 * 1024];

    public EtcdKvClient(BenchEndpoint endpoint)
    {
        _channel = new EtcdGrpcChannel(endpoint);
    }

    public async ValueTask PutAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        Reserve(EtcdKvCodec.PutSize(key, value));
        int length = EtcdKvCodec.WritePut(_frame, key, value);
        await _channel.CallAsync(PutPath, _frame, length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Range over [key, rangeEnd) (just key when rangeEnd is empty), at most <paramref name="limit"/> pairs (0 = no limit).</summary>
    public async ValueTask<EtcdRangeResult> RangeAsync(
        ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> rangeEnd, long limit, bool captureFirstValue, CancellationToken cancellationToken)
    {
        Reserve(key.Length + rangeEnd.Length + 32);
        int length = EtcdKvCodec.WriteRange(_frame, key, rangeEnd, limit);
        ReadOnlyMemory<byte> response = await _channel.CallAsync(RangePath, _frame, length, cancellationToken).ConfigureAwait(false);
        return EtcdKvCodec.ReadRangeResponse(response, captureFirstValue);
    }

    /// <summary>Puts only if the key's mod_revision is still <paramref name="modRevision"/> (0: the key is absent); true when it did.</summary>
    public async ValueTask<bool> PutIfModRevisionAsync(
        ReadOnlyMemory<byte> key, long modRevision, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        Reserve((2 * key.Length) + value.Length + 64);
        int length = EtcdKvCodec.WritePutIfModRevision(_frame, key, modRevision, value);
        ReadOnlyMemory<byte> response = await _channel.CallAsync(TxnPath, _frame, length, cancellationToken).ConfigureAwait(false);
        return EtcdKvCodec.ReadTxnSucceeded(response);
    }

    public void Dispose() => _channel.Dispose();

    private void Reserve(int messageBytesUpperBound)
    {
        int needed = EtcdKvCodec.FrameSize(messageBytesUpperBound + 32);
        if (_frame.Length < needed)
        {
            _frame = new byte[Math.Max(needed, _frame.Length * 2)];
        }
    }
}
