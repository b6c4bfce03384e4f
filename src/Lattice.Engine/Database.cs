using System.Runtime.CompilerServices;
using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// One keyspace: keys with their values, expiry times and versions. Deterministic: expiry is judged against
/// the time the caller passes (the entry's time when applying a write, the reader's clock when reading), and
/// reads never change anything. Not thread-safe: the owner serialises access.
/// </summary>
public sealed class Database
{
    private readonly ByteTable<KeyEntry> _keys;

    // Keys with a TTL and their expiry times (Unix ms), sharing the key arrays of _keys: only keys with a TTL pay
    // for one, and active expiry samples only keys that can expire.
    private readonly ByteTable<long> _expiring;

    public Database(ulong hashSeed = 0)
    {
        _keys = new ByteTable<KeyEntry>(0, hashSeed);
        _expiring = new ByteTable<long>(0, hashSeed);
    }

    /// <summary>Keys held, including ones whose time has passed but that no one has deleted yet.</summary>
    public int Count => _keys.Count;

    public int ExpiringCount => _expiring.Count;

    /// <summary>Advanced when a snapshot starts; collections from an older epoch are cloned before a write.</summary>
    public long Epoch { get; private set; }

    /// <summary>True while a snapshot still reads values captured at <see cref="Epoch"/> − 1.</summary>
    public bool SnapshotPinned { get; private set; }

    internal ByteTable<KeyEntry> Keys => _keys;

    /// <summary>The value of a live key, or null when absent or expired at <paramref name="nowMs"/>. Changes nothing.</summary>
    public object? Read(ReadOnlySpan<byte> key, long nowMs)
    {
        ref KeyEntry entry = ref _keys.GetValueRefOrNullRef(key);
        if (Unsafe.IsNullRef(ref entry) || IsExpired(key, entry, nowMs))
        {
            return null;
        }

        return entry.Value;
    }

    /// <summary>
    /// The value of a live key for a write at <paramref name="timeMs"/>: an expired key is deleted first (the
    /// write's time is in its log entry, so a replay does the same), and a collection a snapshot still holds is
    /// replaced by a private clone that the caller may mutate.
    /// </summary>
    public object? ReadForWrite(ReadOnlySpan<byte> key, long timeMs)
    {
        ref KeyEntry entry = ref _keys.GetValueRefOrNullRef(key);
        if (Unsafe.IsNullRef(ref entry))
        {
            return null;
        }

        if (IsExpired(key, entry, timeMs))
        {
            Delete(key);
            return null;
        }

        if (SnapshotPinned && entry.Value is CollectionValue collection && collection.Epoch < Epoch)
        {
            CollectionValue copy = collection.Clone();
            copy.Epoch = Epoch;
            entry.Value = copy;
        }

        return entry.Value;
    }

    /// <summary>Stores a value, replacing any old one; the TTL is cleared unless <paramref name="keepTtl"/>.</summary>
    public void Set(ReadOnlySpan<byte> key, object value, bool keepTtl = false)
    {
        Invariant.Check(value is byte[] || value is CollectionValue, "values are byte[] or collections");
        if (value is CollectionValue collection)
        {
            collection.Epoch = Epoch;
        }

        ref KeyEntry entry = ref _keys.GetValueRefOrAddDefault(key, out _);
        entry.Value = value;
        if (!keepTtl)
        {
            DropTtl(ref entry, key);
        }
    }

    /// <summary>
    /// Stores a string value, as <see cref="Set"/> does with a copy of <paramref name="value"/>; when the key already
    /// holds a string of the same length, its array is overwritten in place instead. A value stored in its own array
    /// lives until overwritten, so every SET would otherwise leave a survivor for the collector to promote: measured,
    /// that costs several times the table work. Safe because a stored array is referenced only by the table (commands
    /// copy what they reply) except while a snapshot holds the captured arrays, when a new array is stored instead.
    /// </summary>
    public void SetString(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool keepTtl = false)
    {
        ref KeyEntry entry = ref _keys.GetValueRefOrAddDefault(key, out bool exists);
        if (exists && !SnapshotPinned && entry.Value is byte[] stored && stored.Length == value.Length)
        {
            value.CopyTo(stored);
        }
        else
        {
            entry.Value = value.ToArray();
        }

        if (!keepTtl)
        {
            DropTtl(ref entry, key);
        }
    }

    /// <summary>Stores a value under an existing key array (used by RENAME-like moves), with an expiry.</summary>
    public void SetWithKeyArray(byte[] key, object value, long expireAtMs)
    {
        ref KeyEntry entry = ref _keys.GetValueRefOrAddDefault(key, out _);
        entry.Value = value;
        DropTtl(ref entry, key);
        if (expireAtMs != 0)
        {
            SetExpireAt(key, expireAtMs);
        }
    }

    /// <summary>Takes the TTL off the entry stored under <paramref name="key"/>, if it has one (a new entry has none).</summary>
    private void DropTtl(ref KeyEntry entry, ReadOnlySpan<byte> key)
    {
        if (entry.HasExpiry)
        {
            entry.HasExpiry = false;
            _expiring.Remove(key);
        }
    }

    public bool Delete(ReadOnlySpan<byte> key)
    {
        if (!_keys.Remove(key, out _, out KeyEntry removed))
        {
            return false;
        }

        if (removed.HasExpiry)
        {
            bool wasExpiring = _expiring.Remove(key);
            Invariant.Check(wasExpiring, "a key with a TTL is in the expiring set");
        }

        return true;
    }

    /// <summary>Removes a key and hands back its stored key array, value and expiry time (for RENAME).</summary>
    public bool Take(ReadOnlySpan<byte> key, out byte[] storedKey, out object value, out long expireAtMs)
    {
        expireAtMs = 0;
        if (!_keys.Remove(key, out storedKey, out KeyEntry entry))
        {
            value = null!;
            return false;
        }

        value = entry.Value;
        if (entry.HasExpiry)
        {
            bool wasExpiring = _expiring.Remove(key, out _, out expireAtMs);
            Invariant.Check(wasExpiring, "a key with a TTL is in the expiring set");
        }

        return true;
    }

    /// <summary>0 when the key has no TTL or is absent.</summary>
    public long GetExpireAt(ReadOnlySpan<byte> key)
    {
        ref KeyEntry entry = ref _keys.GetValueRefOrNullRef(key);
        return Unsafe.IsNullRef(ref entry) || !entry.HasExpiry ? 0 : ExpiryOf(key);
    }

    /// <summary>Sets an absolute expiry on an existing key; 0 removes it (PERSIST).</summary>
    public void SetExpireAt(ReadOnlySpan<byte> key, long expireAtMs)
    {
        Invariant.Check(expireAtMs >= 0, "expiry times are non-negative");
        int slot = _keys.SlotOf(key);
        Invariant.Check(slot >= 0, "expiry is set on an existing key");
        ref KeyEntry entry = ref _keys.ValueAt(slot);
        if (expireAtMs == 0)
        {
            if (entry.HasExpiry)
            {
                _expiring.Remove(key);
            }
        }
        else
        {
            _expiring.GetValueRefOrAddDefault(_keys.KeyAt(slot)!, out _) = expireAtMs;
        }

        entry.HasExpiry = expireAtMs != 0;
    }

    /// <summary>The hash <see cref="Prefetch"/> takes for <paramref name="key"/>.</summary>
    public int KeyHash(ReadOnlySpan<byte> key) => _keys.HashOf(key);

    /// <summary>
    /// Starts loading what looking up the batch's keys will touch (bucket, entry, key, value), then the same for its
    /// hash fields in their hashes' tables, in passes over the batch so that the cache misses of different lookups
    /// overlap instead of following one another; the lookups then find their lines loaded or on their way. A hint:
    /// changes nothing here. Empties the batch.
    /// </summary>
    public void Prefetch(KeyPrefetchBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Span<int> keys = batch.Keys;
        foreach (int hash in keys)
        {
            _keys.PrefetchBucket(hash);
        }

        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = _keys.PrefetchEntry(keys[i]);
        }

        foreach (int slot in keys)
        {
            if (slot >= 0)
            {
                MemoryPrefetch.Object(_keys.PrefetchKey(slot).Value);
            }
        }

        PrefetchFields(batch);
        batch.Clear();
    }

    private void PrefetchFields(KeyPrefetchBatch batch)
    {
        ReadOnlySpan<int> keySlots = batch.Keys;
        ReadOnlySpan<int> fieldKeys = batch.FieldKeys;
        Span<int> fields = batch.Fields;
        Span<ByteTable<byte[]>?> tables = batch.FieldTables;
        for (int i = 0; i < fields.Length; i++)
        {
            // The first entry of the key's chain: usually the key (a collision only wastes the hint).
            int slot = keySlots[fieldKeys[i]];
            if (slot >= 0 && _keys.ValueAt(slot).Value is HashValue hash)
            {
                tables[i] = hash.Fields;
                hash.Fields.PrefetchBucket(fields[i]);
            }
        }

        for (int i = 0; i < fields.Length; i++)
        {
            fields[i] = tables[i]?.PrefetchEntry(fields[i]) ?? -1;
        }

        for (int i = 0; i < fields.Length; i++)
        {
            if (fields[i] >= 0)
            {
                MemoryPrefetch.Object(tables[i]!.PrefetchKey(fields[i]));
            }
        }
    }

    /// <summary>Stamps the key with the log index of the write that touched it (WATCH compares this).</summary>
    public void SetVersion(ReadOnlySpan<byte> key, long version)
    {
        ref KeyEntry entry = ref _keys.GetValueRefOrNullRef(key);
        if (!Unsafe.IsNullRef(ref entry))
        {
            entry.Version = version;
        }
    }

    /// <summary>The version WATCH records: 0 for an absent or expired key.</summary>
    public long GetVersion(ReadOnlySpan<byte> key, long nowMs)
    {
        ref KeyEntry entry = ref _keys.GetValueRefOrNullRef(key);
        return Unsafe.IsNullRef(ref entry) || IsExpired(key, entry, nowMs) ? 0 : entry.Version;
    }

    public void Clear()
    {
        _keys.Clear();
        _expiring.Clear();
    }

    /// <summary>Picks a random key that has a TTL (active expiry sampling), or null.</summary>
    public byte[]? SampleExpiringKey(ref DeterministicRandom random)
    {
        int slot = _expiring.RandomSlot(ref random);
        return slot < 0 ? null : _expiring.KeyAt(slot);
    }

    /// <summary>A random key (RANDOMKEY), or null when empty.</summary>
    public byte[]? SampleKey(ref DeterministicRandom random)
    {
        int slot = _keys.RandomSlot(ref random);
        return slot < 0 ? null : _keys.KeyAt(slot);
    }

    /// <summary>
    /// Visits up to <paramref name="count"/> slots from <paramref name="cursor"/>; returns the next cursor, 0 at the end.
    /// Keys present for the whole scan are visited exactly once.
    /// </summary>
    public long Scan(long cursor, int count, ScanVisitor visitor, long nowMs)
    {
        Invariant.Check(count > 0, "scan count is positive");
        if (cursor < 0 || cursor >= _keys.SlotCount)
        {
            return 0;
        }

        int slot = (int)cursor;
        int visited = 0;
        // Bound the slots examined too, so a sparse table cannot make one call walk everything.
        int examinedMax = Math.Max(count * 10, 100);
        int examined = 0;
        while (slot < _keys.SlotCount && visited < count && examined < examinedMax)
        {
            byte[]? key = _keys.KeyAt(slot);
            if (key is not null)
            {
                ref KeyEntry entry = ref _keys.ValueAt(slot);
                if (!IsExpired(key, entry, nowMs))
                {
                    visitor(key, entry.Value);
                    visited++;
                }
            }

            slot++;
            examined++;
        }

        return slot >= _keys.SlotCount ? 0 : slot;
    }

    /// <summary>Captures every entry for a snapshot and pins the captured collections against mutation.</summary>
    public DatabaseSnapshot BeginSnapshot()
    {
        Invariant.Check(!SnapshotPinned, "one snapshot at a time");
        var entries = new SnapshotEntry[_keys.Count];
        int i = 0;
        foreach (KeyValuePair<byte[], KeyEntry> pair in _keys)
        {
            long expireAtMs = pair.Value.HasExpiry ? ExpiryOf(pair.Key) : 0;
            entries[i++] = new SnapshotEntry(pair.Key, pair.Value.Value, expireAtMs, pair.Value.Version);
        }

        Invariant.Check(i == entries.Length, "snapshot captured every key");
        Epoch++;
        SnapshotPinned = true;
        return new DatabaseSnapshot(entries);
    }

    /// <summary>Called when the snapshot's writer no longer reads the captured values.</summary>
    public void EndSnapshot()
    {
        Invariant.Check(SnapshotPinned, "a snapshot is running");
        SnapshotPinned = false;
    }

    /// <summary>Whether <paramref name="entry"/>, stored under <paramref name="key"/>, has expired at <paramref name="nowMs"/>.</summary>
    public bool IsExpired(ReadOnlySpan<byte> key, in KeyEntry entry, long nowMs) => entry.HasExpiry && ExpiryOf(key) <= nowMs;

    private long ExpiryOf(ReadOnlySpan<byte> key)
    {
        ref long expireAtMs = ref _expiring.GetValueRefOrNullRef(key);
        Invariant.Check(!Unsafe.IsNullRef(ref expireAtMs), "a key with a TTL is in the expiring set");
        return expireAtMs;
    }
}
