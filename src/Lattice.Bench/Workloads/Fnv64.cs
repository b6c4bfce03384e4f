namespace Lattice.Bench.Workloads;

/// <summary>
/// YCSB's <c>Utils.fnvhash64</c>: FNV-1a over the 8 little-endian bytes of a long, made non-negative. Used both to
/// scramble zipfian ranks over the key space and to name keys (YCSB's hashed insert order), so the hot keys and the
/// key names match what YCSB would produce.
/// </summary>
public static class Fnv64
{
    private const ulong OffsetBasis = 0xCBF29CE484222325UL;
    private const ulong Prime = 1099511628211UL;

    public static long Hash(long value)
    {
        ulong hash = OffsetBasis;
        ulong rest = (ulong)value;
        for (int i = 0; i < 8; i++)
        {
            hash ^= rest & 0xFF;
            rest >>= 8;
            hash *= Prime;
        }

        // Java's Math.abs: long.MinValue stays negative there; clamp it so callers can take a modulo safely.
        long signed = unchecked((long)hash);
        return signed == long.MinValue ? long.MaxValue : Math.Abs(signed);
    }
}
