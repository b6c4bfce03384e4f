namespace Lattice.Testing.Simulation;

/// <summary>What a simulated client asks of the key-value state machine.</summary>
internal enum KvCommandKind : byte
{
    Put = 1,
    CompareAndSet = 2,

    /// <summary>A read that goes through the log (the slow but obviously linearizable way).</summary>
    LogGet = 3,
}
