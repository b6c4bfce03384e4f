using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// A Redis hash: fields mapped to values in a <see cref="ByteTable{TValue}"/>, whose slot numbers serve as
/// HSCAN cursors. Field arrays are never mutated once stored, so clones may share them; value arrays are
/// overwritten in place only while no snapshot holds the hash (see <see cref="Database.SetString"/>).
/// </summary>
public sealed class HashValue : CollectionValue
{
    // Layout never decides a write's effect, so one fixed seed serves every hash.
    private const ulong FieldHashSeed = 0x4841534856414C55;
    private const long EntryOverheadBytes = 48;

    // Sum of field and value lengths, kept as entries change so EstimateBytes is O(1).
    private long _payloadBytes;

    public HashValue()
        : this(new ByteTable<byte[]>(0, FieldHashSeed), 0)
    {
    }

    private HashValue(ByteTable<byte[]> fields, long payloadBytes)
    {
        Fields = fields;
        _payloadBytes = payloadBytes;
    }

    public override ValueKind Kind => ValueKind.Hash;

    /// <summary>The hash every hash's field table gives <paramref name="field"/> (one seed for all), for prefetching.</summary>
    public static int FieldHash(ReadOnlySpan<byte> field) => StableHash.Hash(field, FieldHashSeed);

    public override int Count => Fields.Count;

    /// <summary>Field → value, for iteration and slot-based scans; mutate only through this class.</summary>
    internal ByteTable<byte[]> Fields { get; }

    /// <summary>The value of <paramref name="field"/>, or null. Allocates nothing.</summary>
    public byte[]? Get(ReadOnlySpan<byte> field) => Fields.TryGetValue(field, out byte[] value) ? value : null;

    public bool Contains(ReadOnlySpan<byte> field) => Fields.ContainsKey(field);

    /// <summary>Sets a field to a value array the caller never mutates afterwards; true when the field is new.</summary>
    public bool Set(ReadOnlySpan<byte> field, byte[] value)
    {
        ref byte[] slot = ref Fields.GetValueRefOrAddDefault(field, out bool exists);
        _payloadBytes += exists ? value.Length - slot.Length : field.Length + value.Length;
        slot = value;
        return !exists;
    }

    /// <summary>
    /// Sets a field to a copy of <paramref name="value"/>; true when the field is new. With
    /// <paramref name="mayOverwrite"/> (no snapshot holds this hash's arrays) an old value of the same length is
    /// overwritten in place, so an update leaves no garbage.
    /// </summary>
    public bool Set(ReadOnlySpan<byte> field, ReadOnlySpan<byte> value, bool mayOverwrite)
    {
        ref byte[] slot = ref Fields.GetValueRefOrAddDefault(field, out bool exists);
        if (exists && mayOverwrite && slot.Length == value.Length)
        {
            value.CopyTo(slot);
            return false;
        }

        _payloadBytes += exists ? value.Length - slot.Length : field.Length + value.Length;
        slot = value.ToArray();
        return !exists;
    }

    public bool Remove(ReadOnlySpan<byte> field)
    {
        if (!Fields.Remove(field, out byte[] storedField, out byte[] value))
        {
            return false;
        }

        _payloadBytes -= storedField.Length + value.Length;
        return true;
    }

    public static HashValue ReadSnapshot(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            int count = HashListSnapshotFormat.ReadCount(reader, 2 * sizeof(int));
            var hash = new HashValue();
            for (int i = 0; i < count; i++)
            {
                byte[] field = HashListSnapshotFormat.ReadBytes(reader);
                byte[] value = HashListSnapshotFormat.ReadBytes(reader);
                ref byte[] slot = ref hash.Fields.GetValueRefOrAddDefault(field, out bool exists);
                HashListSnapshotFormat.Require(!exists, "duplicate hash field");
                slot = value;
                hash._payloadBytes += field.Length + value.Length;
            }

            return hash;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("snapshot payload is damaged: truncated hash", e);
        }
    }

    public override CollectionValue Clone() => new HashValue(Fields.CopyKeepingSlots(FieldHashSeed), _payloadBytes);

    public override void WriteSnapshot(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Count);
        int written = 0;
        foreach (KeyValuePair<byte[], byte[]> pair in Fields)
        {
            HashListSnapshotFormat.WriteBytes(writer, pair.Key);
            HashListSnapshotFormat.WriteBytes(writer, pair.Value);
            written++;
        }

        Invariant.Check(written == Count, "snapshot wrote every field");
    }

    public override long EstimateBytes() => Fields.TableBytes + (Count * EntryOverheadBytes) + _payloadBytes;
}
