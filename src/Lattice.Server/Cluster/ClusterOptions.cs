using Lattice.Common;

namespace Lattice.Server.Cluster;

/// <summary>How this node takes part in a cluster: its id, the members it starts with, and Raft's timing.</summary>
public sealed class ClusterOptions
{
    /// <summary>This node's id (1 or more); must appear in <see cref="Members"/> on first start.</summary>
    public ulong NodeId { get; set; } = 1;

    /// <summary>The membership the cluster bootstraps with (--initial-cluster); stored on first start.</summary>
    public List<ClusterMember> Members { get; set; } = [];

    /// <summary>One Raft tick; elections and heartbeats are counted in ticks.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Ticks without a leader before a follower campaigns (randomized up to twice this).</summary>
    public int ElectionTicks { get; set; } = 10;

    public int HeartbeatTicks { get; set; } = 1;

    /// <summary>How long a write or strong read waits for the cluster before it is answered with an error.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest entry a client request may become (a peer message must hold one whole entry).</summary>
    public int MaxEntryBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Both sides of every peer connection must agree on it: derived from the initial membership.</summary>
    public ulong ClusterId
    {
        get
        {
            var text = new System.Text.StringBuilder();
            foreach (ClusterMember member in Members)
            {
                text.Append(member.ToString()).Append(',');
            }

            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text.ToString());
            return ((ulong)(uint)StableHash.Hash(bytes, 1) << 32) | (uint)StableHash.Hash(bytes, 2);
        }
    }

    public ClusterMember Self
    {
        get
        {
            foreach (ClusterMember member in Members)
            {
                if (member.Id == NodeId)
                {
                    return member;
                }
            }

            throw new InvalidOperationException($"node {NodeId} is not in the cluster membership");
        }
    }
}
