namespace Lattice.Server.Cluster;

/// <summary>
/// What a frame on a peer connection carries. Values from <see cref="FirstApplication"/> up belong to the runtime
/// (for example forwarded proposals); the transport hands them to the handler unread.
/// </summary>
public enum PeerFrameKind : byte
{
    Hello = 1,
    Raft = 2,
    FirstApplication = 16,
}
