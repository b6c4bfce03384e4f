namespace Lattice.Engine.Tests;

/// <summary>A one-element stand-in for a list, hash, set or sorted set, so key commands can be tested on every type.</summary>
internal sealed class KeyTestCollection(ValueKind kind) : CollectionValue
{
    public override ValueKind Kind => kind;

    public override int Count => 1;

    public override CollectionValue Clone() => new KeyTestCollection(kind);

    public override void WriteSnapshot(BinaryWriter writer)
    {
    }

    public override long EstimateBytes() => 16;
}
