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

    /// <summary>The data directory already belongs to a cluster (of one or more): its stored membership applies.</summary>
    public static bool IsMemberDirectory(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, ClusterStateFile.FileName));

    /// <summary>This node's address as its data directory stores it; null for a new directory. Throws when the file is damaged.</summary>
    public static ClusterMember? StoredSelf(string dataDirectory) =>
        ClusterStateFile.Read(dataDirectory) is { } state ? ClusterMember.Find(state.Members, state.NodeId) : null;

    /// <summary>
    /// The plain <c>lattice server</c> on a new data directory: a cluster of one, node 1 at --bind:--port, peers
    /// (if any join later) on --peer-port. Returns an error text or null.
    /// </summary>
    public static string? TrySingleNode(ServerOptions server, out ClusterOptions? options)
    {
        ArgumentNullException.ThrowIfNull(server);
        options = null;
        int peerPort = server.PeerPort > 0 ? server.PeerPort : server.Port + ClusterMember.PeerPortOffset;
        if (peerPort > 65535)
        {
            return $"the default peer port {peerPort} (port + {ClusterMember.PeerPortOffset}) is out of range; give one with --peer-port";
        }

        if (peerPort == server.Port)
        {
            return $"--peer-port {peerPort} is the client port; peers need a port of their own";
        }

        string host = server.Bind == "localhost" ? "127.0.0.1" : server.Bind;
        options = new ClusterOptions { NodeId = 1, Members = [new ClusterMember(1, host, server.Port, peerPort)], PeerPort = peerPort };
        return null;
    }

    public ClusterMember Self =>
        ClusterMember.Find(Members, NodeId) ?? throw new InvalidOperationException($"node {NodeId} is not in the cluster membership");
}
