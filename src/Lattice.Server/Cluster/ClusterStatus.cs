namespace Lattice.Server.Cluster;

/// <summary>A consistent picture of every group on this node, published by the Raft thread.</summary>
public sealed record ClusterStatus(ulong NodeId, IReadOnlyList<GroupStatus> Groups);
