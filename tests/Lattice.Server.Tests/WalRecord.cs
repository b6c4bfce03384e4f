namespace Lattice.Server.Tests;

/// <summary>Where one record sits in a segment file: its first byte and its length (header and payload).</summary>
public readonly record struct WalRecord(long Offset, int Length, int PayloadLength)
{
    public long End => Offset + Length;
}
