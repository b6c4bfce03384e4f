namespace Lattice.Raft.Quorum;

/// <summary>How a voter voted: true yes, false no, absent means not heard from.</summary>
public interface IVoteLookup
{
    bool TryGetVote(ulong voterId, out bool granted);
}
