namespace Lattice.Storage;

/// <summary>What a Raft group must remember across restarts besides its entries: term, vote and commit index.</summary>
public readonly record struct HardState(long Term, ulong Vote, long Commit);
