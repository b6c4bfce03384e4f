namespace Lattice.Engine;

/// <summary>What <see cref="ListValue.Visit{TVisitor}"/> calls for each element it walks over; false stops the walk.</summary>
public interface IListVisitor
{
    bool Visit(int index, ReadOnlySpan<byte> element);
}
