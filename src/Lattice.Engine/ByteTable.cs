using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// A hash table keyed by byte strings, looked up by span without allocating. Unlike Dictionary it exposes
/// its slots: a live entry keeps its slot until removed (growth copies slots in place), so a SCAN cursor is a
/// slot number and every key present for a whole scan is returned exactly once; random sampling picks a
/// random slot. The hash is stable across processes (seeded per table).
/// </summary>
public sealed class ByteTable<TValue>
{
    private const int MinCapacity = 4;
    private const int FreeListEnd = -1;
    private const int LargeTableSlots = 1 << 20;

    private int[] _buckets;
    private Entry[] _entries;
    private int _usedSlots;
    private int _freeList = FreeListEnd;
    private int _freeCount;
    private readonly ulong _seed;

    public ByteTable(int capacity = 0, ulong seed = 0)
    {
        Invariant.Check(capacity >= 0, "capacity is non-negative");
        _seed = seed;
        int size = Math.Max(MinCapacity, capacity);
        _entries = new Entry[size];
        _buckets = new int[BucketCountFor(size)];
    }

    public int Count => _usedSlots - _freeCount;

    /// <summary>Slots in use or freed; SCAN cursors and sampling range over [0, SlotCount).</summary>
    public int SlotCount => _usedSlots;

    /// <summary>Approximate bytes held by the table's own arrays (not keys or values).</summary>
    public long TableBytes => (_entries.Length * (long)Unsafe.SizeOf<Entry>()) + (_buckets.Length * 4L);

    public bool ContainsKey(ReadOnlySpan<byte> key) => FindSlot(key, Hash(key)) >= 0;

    public bool TryGetValue(ReadOnlySpan<byte> key, out TValue value)
    {
        int slot = FindSlot(key, Hash(key));
        if (slot < 0)
        {
            value = default!;
            return false;
        }

        value = _entries[slot].Value;
        return true;
    }

    /// <summary>A reference to the value for <paramref name="key"/>, or a null reference when absent.</summary>
    public ref TValue GetValueRefOrNullRef(ReadOnlySpan<byte> key)
    {
        int slot = FindSlot(key, Hash(key));
        if (slot < 0)
        {
            return ref Unsafe.NullRef<TValue>();
        }

        return ref _entries[slot].Value;
    }

    /// <summary>The value's slot, or -1.</summary>
    public int SlotOf(ReadOnlySpan<byte> key) => FindSlot(key, Hash(key));

    /// <summary>A reference to the value for <paramref name="key"/>, adding a default one (and copying the key) when absent.</summary>
    public ref TValue GetValueRefOrAddDefault(ReadOnlySpan<byte> key, out bool exists)
    {
        int hash = Hash(key);
        int slot = FindSlot(key, hash);
        if (slot >= 0)
        {
            exists = true;
            return ref _entries[slot].Value;
        }

        exists = false;
        int added = Insert(key.ToArray(), hash);
        return ref _entries[added].Value;
    }

    /// <summary>As <see cref="GetValueRefOrAddDefault(ReadOnlySpan{byte}, out bool)"/>, reusing the caller's key array (never mutated later).</summary>
    public ref TValue GetValueRefOrAddDefault(byte[] key, out bool exists)
    {
        int hash = Hash(key);
        int slot = FindSlot(key, hash);
        if (slot >= 0)
        {
            exists = true;
            return ref _entries[slot].Value;
        }

        exists = false;
        int added = Insert(key, hash);
        return ref _entries[added].Value;
    }

    public bool Remove(ReadOnlySpan<byte> key) => Remove(key, out _, out _);

    public bool Remove(ReadOnlySpan<byte> key, out byte[] storedKey, out TValue value)
    {
        int hash = Hash(key);
        int bucket = hash & (_buckets.Length - 1);
        int previous = -1;
        int slot = _buckets[bucket] - 1;
        int steps = 0;
        while (slot >= 0)
        {
            ref Entry entry = ref _entries[slot];
            if (entry.Hash == hash && key.SequenceEqual(entry.Key))
            {
                if (previous < 0)
                {
                    _buckets[bucket] = entry.Next + 1;
                }
                else
                {
                    _entries[previous].Next = entry.Next;
                }

                storedKey = entry.Key!;
                value = entry.Value;
                entry = default;
                entry.Next = _freeList;
                _freeList = slot;
                _freeCount++;
                return true;
            }

            previous = slot;
            slot = entry.Next;
            Invariant.Check(++steps <= _usedSlots, "hash chain has a cycle");
        }

        storedKey = [];
        value = default!;
        return false;
    }

    public void Clear()
    {
        Array.Clear(_buckets);
        Array.Clear(_entries, 0, _usedSlots);
        _usedSlots = 0;
        _freeList = FreeListEnd;
        _freeCount = 0;
    }

    /// <summary>The key at <paramref name="slot"/>, or null when the slot is free.</summary>
    public byte[]? KeyAt(int slot) => (uint)slot < (uint)_usedSlots ? _entries[slot].Key : null;

    /// <summary>The value at a live slot.</summary>
    public ref TValue ValueAt(int slot)
    {
        Invariant.Check((uint)slot < (uint)_usedSlots && _entries[slot].Key is not null, "slot is live");
        return ref _entries[slot].Value;
    }

    /// <summary>A random live slot, or -1 when empty. Tries random slots, then walks from one, so it always ends.</summary>
    public int RandomSlot(ref DeterministicRandom random)
    {
        if (Count == 0)
        {
            return -1;
        }

        for (int attempt = 0; attempt < 32; attempt++)
        {
            int slot = random.NextInt(_usedSlots);
            if (_entries[slot].Key is not null)
            {
                return slot;
            }
        }

        int start = random.NextInt(_usedSlots);
        for (int i = 0; i < _usedSlots; i++)
        {
            int slot = (start + i) % _usedSlots;
            if (_entries[slot].Key is not null)
            {
                return slot;
            }
        }

        Invariant.Fail("a non-empty table has a live slot");
        return -1;
    }

    /// <summary>
    /// A copy (hashed with <paramref name="seed"/>) in which every key keeps its slot, so a SCAN cursor (a slot
    /// number) taken before a copy-on-write clone stays valid after it.
    /// </summary>
    internal ByteTable<TValue> CopyKeepingSlots(ulong seed)
    {
        var copy = new ByteTable<TValue>(SlotCount, seed);
        List<byte[]>? fillers = null;
        long fillerNumber = 0;
        for (int slot = 0; slot < SlotCount; slot++)
        {
            byte[]? key = KeyAt(slot);
            if (key is not null)
            {
                copy.GetValueRefOrAddDefault(key, out _) = ValueAt(slot);
            }
            else
            {
                // A free slot: hold it with a key this table does not contain, removed once all are placed.
                byte[] filler = NewFiller(ref fillerNumber);
                copy.GetValueRefOrAddDefault(filler, out _);
                (fillers ??= []).Add(filler);
            }

            Invariant.Check(copy.SlotCount == slot + 1, "a fresh table fills slots in order");
        }

        if (fillers is not null)
        {
            foreach (byte[] filler in fillers)
            {
                copy.Remove(filler);
            }
        }

        Invariant.Check(copy.Count == Count, "the copy holds every key");
        return copy;
    }

    /// <summary>The table's hash of <paramref name="key"/>, for the prefetch stages below.</summary>
    public int HashOf(ReadOnlySpan<byte> key) => Hash(key);

    /// <summary>Prefetch stage 1: starts loading the bucket of <paramref name="hash"/>. A hint; changes nothing.</summary>
    public void PrefetchBucket(int hash) => MemoryPrefetch.Line(ref _buckets[hash & (_buckets.Length - 1)]);

    /// <summary>
    /// Prefetch stage 2: the first slot of the bucket's chain (-1 when empty), whose entry it starts loading. Run
    /// after stage 1 has been issued for a group of keys, so their bucket loads overlap instead of following each other.
    /// </summary>
    public int PrefetchEntry(int hash)
    {
        int slot = _buckets[hash & (_buckets.Length - 1)] - 1;
        if ((uint)slot >= (uint)_entries.Length)
        {
            return -1;
        }

        MemoryPrefetch.Line(ref _entries[slot]);
        return slot;
    }

    /// <summary>Prefetch stage 3: starts loading the key stored at a slot from stage 2; the value, for the caller to prefetch.</summary>
    public ref TValue PrefetchKey(int slot)
    {
        ref Entry entry = ref _entries[slot];
        MemoryPrefetch.Object(entry.Key);
        return ref entry.Value;
    }

    public Enumerator GetEnumerator() => new(this);

    private int Hash(ReadOnlySpan<byte> key) => StableHash.Hash(key, _seed);

    private byte[] NewFiller(ref long number)
    {
        while (true)
        {
            var filler = new byte[9];
            filler[0] = 0xFF;
            BinaryPrimitives.WriteInt64LittleEndian(filler.AsSpan(1), number++);
            if (!ContainsKey(filler))
            {
                return filler;
            }
        }
    }

    private int FindSlot(ReadOnlySpan<byte> key, int hash)
    {
        int slot = _buckets[hash & (_buckets.Length - 1)] - 1;
        int steps = 0;
        while (slot >= 0)
        {
            ref Entry entry = ref _entries[slot];
            if (entry.Hash == hash && key.SequenceEqual(entry.Key))
            {
                return slot;
            }

            slot = entry.Next;
            Invariant.Check(++steps <= _usedSlots, "hash chain has a cycle");
        }

        return -1;
    }

    private int Insert(byte[] key, int hash)
    {
        int slot;
        if (_freeCount > 0)
        {
            slot = _freeList;
            _freeList = _entries[slot].Next;
            _freeCount--;
        }
        else
        {
            if (_usedSlots == _entries.Length)
            {
                Grow();
            }

            slot = _usedSlots++;
        }

        int bucket = hash & (_buckets.Length - 1);
        ref Entry entry = ref _entries[slot];
        entry.Hash = hash;
        entry.Key = key;
        entry.Value = default!;
        entry.Next = _buckets[bucket] - 1;
        _buckets[bucket] = slot + 1;
        return slot;
    }

    private void Grow()
    {
        // Doubling while small; 1.5x once large, to keep the slack of a big keyspace modest.
        int size = _entries.Length < LargeTableSlots ? _entries.Length * 2 : _entries.Length + (_entries.Length / 2);
        Invariant.Check(size > _entries.Length, "table size overflow");
        Array.Resize(ref _entries, size);
        int bucketCount = BucketCountFor(size);
        if (bucketCount != _buckets.Length)
        {
            _buckets = new int[bucketCount];
            for (int slot = 0; slot < _usedSlots; slot++)
            {
                ref Entry entry = ref _entries[slot];
                if (entry.Key is null)
                {
                    continue;
                }

                int bucket = entry.Hash & (bucketCount - 1);
                entry.Next = _buckets[bucket] - 1;
                _buckets[bucket] = slot + 1;
            }
        }
    }

    private static int BucketCountFor(int capacity)
    {
        int buckets = MinCapacity;
        while (buckets < capacity)
        {
            buckets <<= 1;
        }

        return buckets;
    }

    private struct Entry
    {
        public int Hash;
        public int Next;
        public byte[]? Key;
        public TValue Value;
    }

    /// <summary>Enumerates live entries; the table must not change while it runs.</summary>
    public struct Enumerator
    {
        private readonly ByteTable<TValue> _table;
        private int _slot;

        internal Enumerator(ByteTable<TValue> table)
        {
            _table = table;
            _slot = -1;
        }

        public readonly KeyValuePair<byte[], TValue> Current =>
            new(_table._entries[_slot].Key!, _table._entries[_slot].Value);

        public bool MoveNext()
        {
            while (++_slot < _table._usedSlots)
            {
                if (_table._entries[_slot].Key is not null)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
