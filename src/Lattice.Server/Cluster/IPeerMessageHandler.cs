using Lattice.Raft;

namespace Lattice.Server.Cluster;

/// <summary>Receives what peers send. Calls arrive on transport receive threads, one connection at a time each.</summary>
public interface IPeerMessageHandler
{
    /// <summary>One decoded Raft message addressed to this node; its entries and chunk own their bytes.</summary>
    void OnRaftMessage(in RaftMessage message);

    /// <summary>An application frame (kind 16 and up); <paramref name="body"/> is valid only during the call.</summary>
    void OnPeerFrame(ulong from, byte kind, ReadOnlySpan<byte> body);

    /// <summary>Informational: a peer connection finished its handshake or went away.</summary>
    void OnPeerConnectionChanged(ulong peer, bool connected);
}
