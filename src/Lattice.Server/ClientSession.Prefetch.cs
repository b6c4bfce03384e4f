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

    /// <summary>Batches run without looking ahead after a look-ahead found no reads (a client that only writes).</summary>
    private const int LookAheadSkipBatches = 16;

    private readonly KeyPrefetchBatch _prefetch = new();

    private int _lookAheadSkips;

    /// <summary>Where the batch's look-ahead starts: 0, or past the end while skipping after a look-ahead that found no reads.</summary>
    private int FirstLookAhead(int length)
    {
        if (_lookAheadSkips == 0 || length == 0)
        {
            return 0;
        }

        _lookAheadSkips--;
        return length;
    }

    /// <summary>
    /// Scans up to <see cref="PrefetchRequests"/> complete multibulk requests of <paramref name="pending"/> and
    /// prefetches the keys (and hash fields) of the reads among them when there are at least two (one lookup gains
    /// nothing from loading ahead). Returns the bytes scanned, at least 1 (the caller scans again once it has run
    /// past them). Changes nothing: an inline request, which parsing unescapes in place, ends the scan. A scan that
    /// finds no read skips the rest of the batch and the look-ahead of the next <see cref="LookAheadSkipBatches"/>.
    /// </summary>
    private int PrefetchReads(ReadOnlySpan<byte> pending)
    {
        int scanned = 0;
        int requests = 0;
        for (; requests < PrefetchRequests && !_prefetch.IsFull; requests++)
        {
            if (!KeyPrefetch.Collect(_keyspace.Database, _keyspace.Commands, pending, ref scanned, readsOnly: true, _prefetch))
            {
                break;
            }
        }

        if (requests > 0 && _prefetch.KeyCount == 0)
        {
            // Only writes (or keyless commands): their keys are loaded ahead when applied. Clients tend to send the
            // same kind of request again, so skip the look-ahead for a while.
            _lookAheadSkips = LookAheadSkipBatches;
            return pending.Length;
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
