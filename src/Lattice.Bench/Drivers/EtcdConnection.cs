using Lattice.Bench.Workloads;

namespace Lattice.Bench.Drivers;

/// <summary>
/// One benchmark client's etcd connection: read = Range of one key; update and insert = Put; scan = Range from
/// the start key to the end of the <c>user</c> prefix with the scan length as limit; read-modify-write = Range, then
/// a Txn that puts only if mod_revision is unchanged, retried a few times when another writer got in between.
/// </summary>
public sealed class EtcdConnection(EtcdKvClient client, TimeProvider time, byte[] value) : IBenchConnection
{
    /// <summary>Attempts of a read-modify-write before it counts as a conflict.</summary>
    public const int ReadModifyWriteAttempts = 8;

    // "user" with its last byte incremented: the exclusive end of every record name.
    private static readonly byte[] RecordPrefixEnd = "uses"u8.ToArray();

    private readonly byte[] _key = new byte[RecordKey.MaxLength];

    public async ValueTask ExecuteAsync(OperationBatch batch, CancellationToken cancellationToken)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            ReadOnlyMemory<byte> key = _key.AsMemory(0, RecordKey.Write(batch.Records[i], _key));
            try
            {
                batch.Outcomes[i] = await ExecuteOneAsync(batch.Kinds[i], key, batch.ScanLengths[i], cancellationToken).ConfigureAwait(false);
            }
            catch (EtcdGrpcException)
            {
                batch.Outcomes[i] = OperationOutcome.Error;
            }

            batch.CompletedTimestamps[i] = time.GetTimestamp();
        }
    }

    public ValueTask DisposeAsync()
    {
        client.Dispose();
        return ValueTask.CompletedTask;
    }

    private async ValueTask<OperationOutcome> ExecuteOneAsync(OperationKind kind, ReadOnlyMemory<byte> key, int scanLength, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case OperationKind.Read:
                EtcdRangeResult read = await client.RangeAsync(key, default, 0, captureFirstValue: false, cancellationToken).ConfigureAwait(false);
                return read.KeyValueCount > 0 ? OperationOutcome.Ok : OperationOutcome.NotFound;
            case OperationKind.Update or OperationKind.Insert:
                await client.PutAsync(key, value, cancellationToken).ConfigureAwait(false);
                return OperationOutcome.Ok;
            case OperationKind.Scan:
                EtcdRangeResult scan = await client.RangeAsync(key, RecordPrefixEnd, scanLength, captureFirstValue: false, cancellationToken).ConfigureAwait(false);
                return scan.KeyValueCount > 0 ? OperationOutcome.Ok : OperationOutcome.NotFound;
            case OperationKind.ReadModifyWrite:
                for (int attempt = 0; attempt < ReadModifyWriteAttempts; attempt++)
                {
                    EtcdRangeResult current = await client.RangeAsync(key, default, 0, captureFirstValue: false, cancellationToken).ConfigureAwait(false);
                    if (await client.PutIfModRevisionAsync(key, current.FirstModRevision, value, cancellationToken).ConfigureAwait(false))
                    {
                        return OperationOutcome.Ok;
                    }
                }

                return OperationOutcome.Conflict;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }
}
