namespace Lattice.Engine;

public enum ValueKind : byte
{
    String = 0,
    List = 1,
    Hash = 2,
    Set = 3,
    SortedSet = 4,
}
