namespace Lattice.Raft.ConfChange;

public enum ConfChangeType : byte
{
    AddVoter = 0,
    AddLearner = 1,
    RemoveNode = 2,
}
