namespace Lattice.Testing.History;

/// <summary>What a recorded client operation did.</summary>
public enum OperationKind
{
    Read,
    Write,
    CompareAndSet,
    Increment,
    Add,
    Append,
}
