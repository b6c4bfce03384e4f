namespace Lattice.Server.Cluster;

/// <summary>What a session waits for on the replicated keyspace.</summary>
internal enum ClusterWaitKind
{
    Writes,
    Read,
}
