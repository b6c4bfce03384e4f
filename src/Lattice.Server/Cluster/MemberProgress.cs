namespace Lattice.Server.Cluster;

/// <summary>What the leader knows of one member's log: how far it matches, and whether it was heard from lately.</summary>
public readonly record struct MemberProgress(ulong NodeId, ulong Match, bool IsLearner, bool HeardRecently);
