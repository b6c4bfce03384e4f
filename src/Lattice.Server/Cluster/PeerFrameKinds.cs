namespace Lattice.Server.Cluster;

/// <summary>The node's own frame kinds on the peer transport (the transport reserves kinds below 16).</summary>
internal static class PeerFrameKinds
{
    /// <summary>Proposals a follower forwards to the leader: queued-proposal records (ClusterNode.RecordHeaderBytes), whole runs.</summary>
    public const byte Forward = 16;

    /// <summary>The leader refused a forwarded proposal before logging it: <c>u32 incarnation | i64 session | i64 sequence | u8 reason</c>.</summary>
    public const byte ForwardRefused = 17;

    /// <summary>An administration step for a group's leader: <c>u64 group | u8 op | u64 argument | payload</c>.</summary>
    public const byte GroupOp = 18;

    /// <summary>Heartbeats and answers of all groups to one peer (<see cref="HeartbeatBatch"/>).</summary>
    public const byte Heartbeats = 19;
}
