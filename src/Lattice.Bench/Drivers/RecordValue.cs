using Lattice.Common;

namespace Lattice.Bench.Drivers;

/// <summary>The value bytes a client writes: seeded printable letters, made once per connection and reused.</summary>
public static class RecordValue
{
    public static byte[] Create(int sizeBytes, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        var value = new byte[sizeBytes];
        for (int i = 0; i < value.Length; i++)
        {
            value[i] = (byte)('a' + random.NextInt(26));
        }

        return value;
    }
}
