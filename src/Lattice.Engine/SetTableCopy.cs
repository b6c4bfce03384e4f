using System.Buffers.Binary;
using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// Copies a member table keeping every member in its slot, so an SSCAN/ZSCAN cursor (a slot number) taken
/// before a copy-on-write clone stays valid after it.
/// </summary>
internal static class SetTableCopy
{
    public static ByteTable<TValue> CopyKeepingSlots<TValue>(ByteTable<TValue> source, ulong seed)
    {
        var copy = new ByteTable<TValue>(source.SlotCount, seed);
        List<byte[]>? fillers = null;
        long fillerNumber = 0;
        for (int slot = 0; slot < source.SlotCount; slot++)
        {
            byte[]? key = source.KeyAt(slot);
            if (key is not null)
            {
                copy.GetValueRefOrAddDefault(key, out _) = source.ValueAt(slot);
            }
            else
            {
                // A free slot: hold it with a key the source does not contain, removed once all are placed.
                byte[] filler = NewFiller(source, ref fillerNumber);
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

        Invariant.Check(copy.Count == source.Count, "the copy holds every member");
        return copy;
    }

    private static byte[] NewFiller<TValue>(ByteTable<TValue> source, ref long number)
    {
        while (true)
        {
            var filler = new byte[9];
            filler[0] = 0xFF;
            BinaryPrimitives.WriteInt64LittleEndian(filler.AsSpan(1), number++);
            if (!source.ContainsKey(filler))
            {
                return filler;
            }
        }
    }
}
