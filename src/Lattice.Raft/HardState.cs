namespace Lattice.Raft;

/// <summary>The state that must be durable before the node answers anyone: current term, vote, commit index.</summary>
public readonly record struct HardState(ulong Term, ulong Vote, ulong Commit)
{
    public bool IsEmpty => Term == 0 && Vote == 0 && Commit == 0;
}
