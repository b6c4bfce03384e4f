using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Lattice.Common;

/// <summary>
/// A fast 32-bit hash of bytes that does not change between processes, so tables built from the same
/// operations have the same layout on every replica. A per-table seed limits hash flooding.
/// </summary>
public static class StableHash
{
    private const ulong Multiplier = 0x9E3779B97F4A7C15UL;

    public static int Hash(ReadOnlySpan<byte> data, ulong seed = 0)
    {
        ulong h = seed ^ ((ulong)data.Length * Multiplier);
        while (data.Length >= 8)
        {
            h = Mix(h ^ BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length > 0)
        {
            ulong tail = 0;
            for (int i = 0; i < data.Length; i++)
            {
                tail |= (ulong)data[i] << (8 * i);
            }

            h = Mix(h ^ tail ^ 0xFF00000000000000UL);
        }

        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 32;
        return (int)h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong h)
    {
        h *= Multiplier;
        return (h << 31) | (h >> 33);
    }
}
