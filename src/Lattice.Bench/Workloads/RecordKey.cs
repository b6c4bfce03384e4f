using System.Buffers.Text;

namespace Lattice.Bench.Workloads;

/// <summary>
/// Record names: <c>user</c> followed by the FNV-64 hash of the record number in decimal, YCSB's default hashed
/// insert order, so consecutive inserts are not neighbours in key order and scans start at scattered places.
/// </summary>
public static class RecordKey
{
    /// <summary>"user" plus at most 19 digits.</summary>
    public const int MaxLength = 4 + 19;

    public static ReadOnlySpan<byte> Prefix => "user"u8;

    /// <summary>Writes the key of record <paramref name="record"/> into <paramref name="destination"/> and returns its length.</summary>
    public static int Write(long record, Span<byte> destination)
    {
        Prefix.CopyTo(destination);
        bool written = Utf8Formatter.TryFormat(Fnv64.Hash(record), destination[Prefix.Length..], out int digits);
        Lattice.Common.Invariant.Check(written, "record key buffer too small");
        return Prefix.Length + digits;
    }
}
