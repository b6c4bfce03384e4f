namespace Lattice.Common;

/// <summary>
/// A seeded xoshiro256** generator. Same seed, same sequence, on every platform and runtime version,
/// so simulations and replicated state machines can replay it.
/// </summary>
public struct DeterministicRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DeterministicRandom(ulong seed)
    {
        // SplitMix64 spreads a small seed over the whole state, as the xoshiro authors recommend.
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A value in [0, exclusiveMax).</summary>
    public int NextInt(int exclusiveMax)
    {
        Invariant.Check(exclusiveMax > 0, "random bound must be positive");
        return (int)(NextUInt64() % (ulong)exclusiveMax);
    }

    /// <summary>A value in [minInclusive, maxExclusive).</summary>
    public long NextInt64(long minInclusive, long maxExclusive)
    {
        Invariant.Check(maxExclusive > minInclusive, "random range must be non-empty");
        ulong span = (ulong)(maxExclusive - minInclusive);
        return minInclusive + (long)(NextUInt64() % span);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        ulong z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
