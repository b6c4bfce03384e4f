using System.Buffers.Binary;
using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// Copies a field table keeping every field in its slot, so an HSCAN cursor (a slot number) taken before a
/// copy-on-write clone stays valid after it.
/// </summary>
internal static class HashTableCopy
{
    public static ByteTable<byte[]> CopyKeepingSlots(ByteTable<byte[]> source, ulong seed)
    {
        var copy = new ByteTable<byte[]>(source.SlotCount, seed);
        List<byte[]>? placeholders = null;
        long placeholderNumber = 0;
        for (int slot = 0; slot < source.SlotCount; slot++)
        {
            byte[]? field = source.KeyAt(slot);
            if (field is not null)
            {
                copy.GetValueRefOrAddDefault(field, out _) = source.ValueAt(slot);
            }
            else
            {
                // A free slot: hold it with a field the source lacks, removed once every slot is placed.
                byte[] placeholder = NewPlaceholder(source, ref placeholderNumber);
                copy.GetValueRefOrAddDefault(placeholder, out _) = [];
                (placeholders ??= []).Add(placeholder);
            }

            Invariant.Check(copy.SlotCount == slot + 1, "a fresh table fills slots in order");
        }

        if (placeholders is not null)
        {
            foreach (byte[] placeholder in placeholders)
            {
                copy.Remove(placeholder);
            }
        }

        Invariant.Check(copy.Count == source.Count, "the copy holds every field");
        return copy;
    }

    private static byte[] NewPlaceholder(ByteTable<byte[]> source, ref long number)
    {
        while (true)
        {
            var placeholder = new byte[9];
            placeholder[0] = 0xFF;
            BinaryPrimitives.WriteInt64LittleEndian(placeholder.AsSpan(1), number++);
            if (!source.ContainsKey(placeholder))
            {
                return placeholder;
            }
        }
    }
}
