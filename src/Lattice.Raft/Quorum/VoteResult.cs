namespace Lattice.Raft.Quorum;

public enum VoteResult : byte
{
    /// <summary>Not decided yet: missing votes could still go either way.</summary>
    Pending = 0,
    Lost = 1,
    Won = 2,
}
