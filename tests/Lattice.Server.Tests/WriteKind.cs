namespace Lattice.Server.Tests;

/// <summary>What a recorded write does to its key: overwrite (SET), count (INCR) or append (RPUSH).</summary>
public enum WriteKind
{
    Register,
    Counter,
    List,
}
