namespace Lattice.Server.Cluster;

/// <summary>
/// Counters of a peer transport, for one peer or summed over all. FramesSent and BytesSent count what reached a
/// socket write; FramesDropped counts refused sends and frames discarded on receive by the fault seam.
/// </summary>
public readonly record struct PeerTransportStats(
    long FramesSent,
    long BytesSent,
    long SocketWrites,
    long FramesReceived,
    long FramesDropped,
    long Connects,
    long Disconnects);
