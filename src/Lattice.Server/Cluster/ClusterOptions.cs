using Lattice.Common;

namespace Lattice.Server.Cluster;

/// <summary>How this node takes part in a cluster: its id, the members it starts with, and Raft's timing.</summary>
public sealed class ClusterOptions
{
    /// <summary>This node's id (1 or more); must appear in <see cref="Members"/> on first start.</summary>
    public ulong NodeId { get; set; } = 1;

    /// <summary>The membership the cluster bootstraps with (--initial-cluster); stored on first start.</summary>
    public List<ClusterMember> Members { get; set; } = [];

    /// <summary>
    /// --join: any member's client address. A new node asks it for the membership, starts empty, and asks to be
    /// added (as a learner, promoted once caught up). On a restart it asks again only while it has received nothing.
    /// </summary>
    public string? JoinAddress { get; set; }

    /// <summary>The peer port a joining node listens on (its client port + 10000 when 0).</summary>
    public int PeerPort { get; set; }

    /// <summary>One Raft tick; elections and heartbeats are counted in ticks.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Ticks without a leader before a follower campaigns (randomized up to twice this).</summary>
    public int ElectionTicks { get; set; } = 10;

    public int HeartbeatTicks { get; set; } = 1;

    /// <summary>How long a write or strong read waits for the cluster before it is answered with an error.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest entry a client request may become (a peer message must hold one whole entry).</summary>
    public int MaxEntryBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Both sides of every peer connection must agree on it. Founding members derive it from the initial membership;
    /// a joining node takes it from the member it joins through; it is stored in the data directory.
    /// </summary>
    public static ulong DeriveClusterId(IReadOnlyList<ClusterMember> members)
    {
        var text = new System.Text.StringBuilder();
        foreach (ClusterMember member in members)
        {
            text.Append(member.ToString()).Append(',');
        }

        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text.ToString());
        return ((ulong)(uint)StableHash.Hash(bytes, 1) << 32) | (uint)StableHash.Hash(bytes, 2);
    }

    public ClusterMember Self =>
        ClusterMember.Find(Members, NodeId) ?? throw new InvalidOperationException($"node {NodeId} is not in the cluster membership");
}
