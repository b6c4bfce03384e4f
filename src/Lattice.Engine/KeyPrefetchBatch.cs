using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// The keys (and hash fields) of the next few requests, gathered by <see cref="KeyPrefetch"/> for
/// <see cref="Database.Prefetch"/>. Reused: one per applier or session, bounded, allocation-free once made.
/// </summary>
public sealed class KeyPrefetchBatch
{
    /// <summary>Keys per batch: about what the CPU can have in flight, and what a few pipelined requests name.</summary>
    public const int KeysMax = 64;

    public const int FieldsMax = 64;

    private readonly int[] _keys = new int[KeysMax];
    private readonly int[] _fieldKeys = new int[FieldsMax];
    private readonly int[] _fields = new int[FieldsMax];
    private readonly ByteTable<byte[]>?[] _fieldTables = new ByteTable<byte[]>?[FieldsMax];

    public int KeyCount { get; private set; }

    public int FieldCount { get; private set; }

    public bool IsFull => KeyCount == KeysMax;

    public bool FieldsFull => FieldCount == FieldsMax;

    /// <summary>Key hashes (from <see cref="Database.KeyHash"/>); <see cref="Database.Prefetch"/> turns them into slots in place.</summary>
    internal Span<int> Keys => _keys.AsSpan(0, KeyCount);

    /// <summary>For each field, the index in <see cref="Keys"/> of the key whose hash holds it.</summary>
    internal ReadOnlySpan<int> FieldKeys => _fieldKeys.AsSpan(0, FieldCount);

    /// <summary>Field hashes (from <see cref="HashValue.FieldHash"/>), turned into slots of their hash's table in place.</summary>
    internal Span<int> Fields => _fields.AsSpan(0, FieldCount);

    internal Span<ByteTable<byte[]>?> FieldTables => _fieldTables.AsSpan(0, FieldCount);

    /// <summary>
    /// Adds a key hash; returns its index, or -1 when the batch is full. The same hash as the last one (a pipeline on
    /// one key) is not added twice: its index is returned again.
    /// </summary>
    public int AddKey(int hash)
    {
        if (KeyCount > 0 && _keys[KeyCount - 1] == hash)
        {
            return KeyCount - 1;
        }

        if (KeyCount == KeysMax)
        {
            return -1;
        }

        _keys[KeyCount] = hash;
        return KeyCount++;
    }

    /// <summary>Adds a field of the key at <paramref name="keyIndex"/> (from <see cref="AddKey"/>); ignored when full.</summary>
    public void AddField(int keyIndex, int fieldHash)
    {
        Invariant.Check((uint)keyIndex < (uint)KeyCount, "a field belongs to a key of the batch");
        if (FieldCount == FieldsMax)
        {
            return;
        }

        _fieldKeys[FieldCount] = keyIndex;
        _fields[FieldCount] = fieldHash;
        FieldCount++;
    }

    /// <summary>
    /// Drops what was added after the batch held <paramref name="keyCount"/> keys and <paramref name="fieldCount"/>
    /// fields (counts read together earlier, so every field kept belongs to a key kept).
    /// </summary>
    internal void Truncate(int keyCount, int fieldCount)
    {
        Invariant.Check(keyCount >= 0 && keyCount <= KeyCount && fieldCount >= 0 && fieldCount <= FieldCount, "truncation only shrinks");
        for (int i = 0; i < fieldCount; i++)
        {
            Invariant.Check(_fieldKeys[i] < keyCount, "every field kept belongs to a key kept");
        }

        Array.Clear(_fieldTables, fieldCount, FieldCount - fieldCount);
        KeyCount = keyCount;
        FieldCount = fieldCount;
    }

    /// <summary>Empties the batch, dropping its references to hash tables.</summary>
    public void Clear() => Truncate(0, 0);
}
