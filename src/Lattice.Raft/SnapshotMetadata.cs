namespace Lattice.Raft;

/// <summary>Where a snapshot sits in the log and the membership it carries.</summary>
public readonly record struct SnapshotMetadata(ulong Index, ulong Term, ConfState ConfState);
