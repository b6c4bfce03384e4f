using System.Net;

namespace Lattice.Server.Cluster;

/// <summary>Settings of one node's peer transport.</summary>
public sealed class PeerTransportOptions
{
    public ulong NodeId { get; init; }

    /// <summary>Both ends of a connection must agree, so nodes of two clusters never talk to each other.</summary>
    public ulong ClusterId { get; init; }

    /// <summary>Port 0 picks a free port; <see cref="PeerTransport.ListenEndPoint"/> reports the bound one.</summary>
    public IPEndPoint ListenEndPoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>Largest frame accepted or sent (version, kind and body); a larger incoming length closes the connection.</summary>
    public int MaxFrameBytes { get; init; } = 72 * 1024 * 1024;

    /// <summary>Bytes queued for one peer before sends are refused (one frame is always accepted into an empty queue).</summary>
    public long MaxQueuedBytesPerPeer { get; init; } = 64L * 1024 * 1024;

    public TimeSpan ReconnectDelayMin { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bounds both the TCP connect and the Hello exchange.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Seeds reconnect jitter and fault-injection drops (mixed with the node id so nodes differ).</summary>
    public ulong RandomSeed { get; init; } = 1;

    public void Validate()
    {
        if (NodeId == 0)
        {
            throw new ArgumentException("peer transport node id must be non-zero");
        }

        ArgumentNullException.ThrowIfNull(ListenEndPoint);
        if (MaxFrameBytes < 1024 || MaxFrameBytes > int.MaxValue - PeerFrameFormat.HeaderBytes)
        {
            throw new ArgumentException($"peer transport max frame bytes {MaxFrameBytes} out of range");
        }

        if (MaxQueuedBytesPerPeer <= 0)
        {
            throw new ArgumentException("peer transport max queued bytes per peer must be positive");
        }

        if (ReconnectDelayMin <= TimeSpan.Zero || ReconnectDelayMax < ReconnectDelayMin)
        {
            throw new ArgumentException("peer transport reconnect delays must be positive and min <= max");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("peer transport connect timeout must be positive");
        }
    }
}
