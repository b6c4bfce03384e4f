namespace Lattice.Raft.ConfChange;

public readonly record struct ConfChangeSingle(ConfChangeType Type, ulong NodeId);
