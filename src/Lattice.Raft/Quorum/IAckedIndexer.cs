namespace Lattice.Raft.Quorum;

/// <summary>
/// Looks up a per-voter value that only grows (match index, read round, contact tick). A generic struct
/// implementation lets quorum math run without delegates or allocation.
/// </summary>
public interface IAckedIndexer
{
    bool TryGetAckedIndex(ulong voterId, out ulong index);
}
