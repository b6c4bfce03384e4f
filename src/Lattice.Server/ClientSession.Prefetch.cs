using Lattice.Engine;

namespace Lattice.Server;

/// <summary>
/// Loading the keys of pipelined reads ahead: a lookup in a large keyspace misses the cache three or four times
/// (bucket, entry, key, value), one miss after another; looking ahead over the next requests and prefetching their
/// keys together lets those misses overlap. Writes are loaded ahead the same way when they are applied.
/// </summary>
internal sealed partial class ClientSession
{
    /// <summary>Requests scanned per look-ahead.</summary>
    private const int PrefetchRequests = 16;

    private readonly KeyPrefetchBatch _prefetch = new();

    /// <summary>
    /// Scans up to <see cref="PrefetchRequests"/> complete multibulk requests of <paramref name="pending"/> and
    /// prefetches the keys (and hash fields) of the reads among them when there are at least two (one lookup gains
    /// nothing from loading ahead). Returns the bytes scanned, at least 1 (the caller scans again once it has run
    /// past them). Changes nothing: an inline request, which parsing unescapes in place, ends the scan.
    /// </summary>
    private int PrefetchReads(ReadOnlySpan<byte> pending)
    {
        int scanned = 0;
        for (int n = 0; n < PrefetchRequests && !_prefetch.IsFull; n++)
        {
            if (!KeyPrefetch.Collect(_keyspace.Database, _keyspace.Commands, pending, ref scanned, readsOnly: true, _prefetch))
            {
                break;
            }
        }

        if (_prefetch.KeyCount + _prefetch.FieldCount >= 2)
        {
            // The table is read under the engine lock: another thread may be applying writes to it.
            EnsureEngine();
            _keyspace.Database.Prefetch(_prefetch);
        }

        _prefetch.Clear();
        return Math.Max(scanned, 1);
    }
}
